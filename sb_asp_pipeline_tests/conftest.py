"""Fixtures shared by every test: the sandbox servers, their admin client, the sample event."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from sb_asp_pipeline.defs.launch import failure_message, materialize_mapping
from sb_asp_pipeline.ledger import Ledger
from sb_asp_pipeline.sandbox.admin import SandboxAdmin
from sb_asp_pipeline.sandbox.events import load_event_file, sample_event_path
from sb_asp_pipeline.sandbox.server import Sandbox, SeededEvent
from sb_asp_pipeline.sync.load import SyncReport

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """Both sandbox servers, running, empty; stopped after the test."""
    with Sandbox() as running:
        yield running


@pytest.fixture
def sample_doc() -> dict[str, Any]:
    """The sample event document (PyConFR 2025 plus the extra sessions), not shifted."""
    return load_event_file(sample_event_path())


@pytest.fixture
def seeded(sandbox: Sandbox, sample_doc: dict[str, Any]) -> SeededEvent:
    """The sample event loaded into both servers, its first day 30 days from today."""
    return sandbox.seed(sample_doc, start_in_days=30)


@pytest.fixture
def admin(sandbox: Sandbox) -> Iterator[SandboxAdmin]:
    """The admin client of the running sandbox."""
    with SandboxAdmin(sandbox.sessionboard_url, sandbox.asp_url) as client:
        yield client


# --- a mapping synced through Dagster, settings from the environment as in production ---


@dataclass
class SyncEnv:
    admin: SandboxAdmin
    seeded: SeededEvent
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
