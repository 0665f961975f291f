"""A mapping of the sample event, synced through Dagster against the sandbox and a
temporary DuckDB ledger, with settings taken from the environment as in production."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from sb_asp_pipeline.defs.launch import failure_message, materialize_mapping
from sb_asp_pipeline.ledger import Ledger
from sb_asp_pipeline.sync.load import SyncReport


@dataclass
class SyncEnv:
    admin: object
    seeded: object
    ledger: Ledger
    instance: dg.DagsterInstance
    sync: Callable[[], SyncReport]


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.duckdb"


@pytest.fixture
def sync_env_for(sandbox, admin, ledger_path, monkeypatch):
    """Point the pipeline at the sandbox through the environment, then map a seeded event."""

    def make(seeded, *, withdrawn: str = "keep") -> SyncEnv:
        for name, value in sandbox.settings(seeded).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("SB_ASP_LEDGER", str(ledger_path))
        ledger = Ledger(ledger_path)
        ledger.init()
        ledger.add_mapping(seeded.sb_event_id, seeded.asp_event_id, seeded.seminar_id, withdrawn)
        instance = dg.DagsterInstance.ephemeral()

        def sync() -> SyncReport:
            result, report = materialize_mapping(seeded.sb_event_id, instance=instance)
            assert report is not None, failure_message(result)
            return report

        return SyncEnv(admin, seeded, ledger, instance, sync)

    return make


@pytest.fixture
def synced_sample(sync_env_for, seeded) -> SyncEnv:
    return sync_env_for(seeded)
