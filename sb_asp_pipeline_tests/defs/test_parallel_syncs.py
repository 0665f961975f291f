"""Four mappings synced at once by four `sb-asp sync` processes, one DuckDB ledger between them:
the file lets one process in at a time, and the ledger must wait its turn without losing a row."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import dagster as dg

from sb_asp_pipeline.defs.assets import ASP_WRITE_POOL
from sb_asp_pipeline.ledger import WRITTEN, Ledger
from sb_asp_pipeline.settings import PROJECT_ROOT

SB_ASP = Path(sys.executable).with_name("sb-asp")
MAPPINGS = 4


def event_copy(doc: dict[str, Any], n: int) -> dict[str, Any]:
    """The sample as another event with people of its own: speakers are shared across the
    seminars of an organization, and this test is about the ledger, not about who creates a
    shared speaker first."""
    event = copy.deepcopy(doc)
    event["event"].update(id=9100 + n, name=f"{doc['event']['name']} #{n}")
    people = event["speakers"] + [link for s in event["sessions"] for link in s["speakers"]]
    for person in people:
        if person.get("email"):
            local, _, domain = person["email"].rpartition("@")
            person["email"] = f"{local}+m{n}@{domain}"
    return event


def test_four_processes_syncing_four_mappings_into_one_ledger_lose_nothing(
    sandbox, admin, sample_doc, tmp_path
):
    seeded = [sandbox.seed(event_copy(sample_doc, n), start_in_days=30) for n in range(MAPPINGS)]
    ledger = Ledger(tmp_path / "ledger.duckdb")
    ledger.init()
    for event in seeded:
        ledger.add_mapping(event.sb_event_id, event.asp_event_id, event.seminar_id)
    env = {
        **os.environ,
        **sandbox.settings(),
        "SB_ASP_HOME": str(tmp_path),
        "SB_ASP_LEDGER": str(ledger.path),
        "DAGSTER_HOME": str(tmp_path / "dagster"),
    }
    allow_parallel_loads(tmp_path / "dagster")

    syncs = [
        subprocess.Popen(
            [str(SB_ASP), "sync", str(event.sb_event_id)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for event in seeded
    ]
    outputs = [sync.communicate(timeout=180) for sync in syncs]

    for sync, (_, err) in zip(syncs, outputs, strict=True):
        assert sync.returncode == 0, err
        assert "could not set lock" not in err.lower(), err
    runs = ledger.sync_runs()
    assert sorted(runs["sb_event_id"]) == sorted(e.sb_event_id for e in seeded)
    assert set(runs["status"]) == {"succeeded"}
    assert most_loads_at_once(runs) >= 2, "the loads ran one after the other: nothing was proven"
    speakers_in_asp = admin.asp_speakers()
    for n, event in enumerate(seeded):
        sessions = ledger.records(event.seminar_id, "session")
        speakers = ledger.records(event.seminar_id, "speaker")
        assert {r.asp_uuid for r in sessions.values() if r.state == WRITTEN} == {
            s["uuid"] for s in admin.asp_sessions(event.seminar_id)
        }
        assert {r.asp_uuid for r in speakers.values() if r.state == WRITTEN} == {
            s["uuid"] for s in speakers_in_asp if f"+m{n}@" in s["email"]
        }
        assert len(sessions) > 0 and len(speakers) > 0


def most_loads_at_once(runs) -> int:
    """The largest number of loads that were writing to the ledger at one moment."""
    return max(
        sum((runs["started_at"] <= start) & (start < runs["finished_at"]))
        for start in runs["started_at"]
    )


def allow_parallel_loads(dagster_home: Path) -> None:
    """The instance of the four processes, with room for four loads at once: the project's
    pool lets one load of the organization write at a time, which would spare the ledger the
    very contention this test is about."""
    dagster_home.mkdir()
    shutil.copyfile(PROJECT_ROOT / "dagster.yaml", dagster_home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        instance.event_log_storage.set_concurrency_slots(ASP_WRITE_POOL, MAPPINGS)
