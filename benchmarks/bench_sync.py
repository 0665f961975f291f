"""`make bench`: time and memory of a sync of a large event against the sandbox.

The sandbox runs in its own process, seeded with a generated event of N sessions; the sync runs
through Dagster in this process. Prints key=value lines: first sync (all creates), second sync
(nothing to write), third sync after one title change, and peak memory of this process."""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg

from sb_asp_pipeline.defs.launch import failure_message, materialize_mapping
from sb_asp_pipeline.ledger import Ledger
from sb_asp_pipeline.sandbox.admin import SandboxAdmin

SPEAKER_ENTRY = ("id", "first_name", "last_name", "full_name", "email")
FORMATS = ["Long talk", "Short talk", "Workshop", "Keynote", "Lightning talk", "Panel"]


def generated_event(sessions: int, speakers: int) -> dict[str, Any]:
    """An event of `sessions` sessions over three days, with `speakers` people on them."""
    people = [
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"speaker-{n}")),
            "first_name": f"First{n}",
            "last_name": f"Last{n}",
            "full_name": f"First{n} Last{n}",
            "email": f"speaker{n}@example.org",
            "about": f"<p>Speaker {n} writes software.</p>",
            "updated_at": "2026-11-20T10:00:00+00:00",
        }
        for n in range(speakers)
    ]
    day_one = datetime(2025, 11, 1, 8, 0)
    rows = []
    for n in range(sessions):
        start = day_one + timedelta(days=n % 3, minutes=15 * ((n // 3) % 40))
        on_stage = [people[i] for i in dict.fromkeys([n % speakers, (n * 7 + 1) % speakers])]
        rows.append(
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"session-{n}")),
                "friendly_id": f"BENCH-{n}",
                "title": f"Session {n}",
                "description": f"<p>About session {n}.</p><script>x()</script>",
                "status": "accepted",
                "custom_status": None,
                "starts_at": start.isoformat() + "+01:00",
                "ends_at": (start + timedelta(minutes=45)).isoformat() + "+01:00",
                "client_session_id": f"C{n}",
                "is_public": True,
                "is_abstract": False,
                "room": {"id": f"r{n % 20}", "name": f"Room {n % 20}"},
                "format": {"id": f"f{n % 6}", "name": FORMATS[n % 6]},
                "track": {"id": f"t{n % 8}", "name": f"Track {n % 8}", "color": "#336699"},
                "tags": [],
                "speakers": [
                    {**{k: p[k] for k in SPEAKER_ENTRY}, "is_public": True, "order": order}
                    for order, p in enumerate(on_stage, start=1)
                ],
                "custom_fields": [],
            }
        )
    return {
        "event": {"id": 4900, "name": "Bench Conf", "timezone": "Europe/Paris"},
        "fields": [],
        "sessions": rows,
        "speakers": people,
        "files": {},
    }


def start_sandbox(event_file: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    # BENCH_SANDBOX_PREFIX lets a profiler wrap the sandbox, e.g. "py-spy record -o f.svg --".
    prefix = os.environ.get("BENCH_SANDBOX_PREFIX", "").split()
    process = subprocess.Popen(
        [
            *prefix,
            sys.executable,
            "-m",
            "sb_asp_pipeline.cli",
            "sandbox",
            "--event",
            str(event_file),
        ],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    settings: dict[str, str] = {}
    assert process.stdout is not None
    while "ASP_SEMINAR_ID" not in settings or "SB_EVENT_ID" not in settings:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the sandbox stopped before printing its settings")
        name, _, value = line.strip().partition("=")
        if name.isupper() and value:
            settings[name] = value
    return process, settings


def timed_sync(sb_event_id: int, instance: dg.DagsterInstance) -> tuple[float, Any]:
    started = time.perf_counter()
    result, report = materialize_mapping(sb_event_id, instance=instance)
    if report is None:
        raise RuntimeError(failure_message(result))
    return time.perf_counter() - started, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--speakers", type=int, default=800)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="sb-asp-bench-"))
    event_file = workdir / "event.json"
    event_file.write_text(json.dumps(generated_event(args.sessions, args.speakers)))
    sandbox, settings = start_sandbox(event_file)
    try:
        os.environ.update(settings)
        os.environ["SB_ASP_LEDGER"] = str(workdir / "ledger.duckdb")
        sb_event_id = int(settings["SB_EVENT_ID"])
        Ledger(workdir / "ledger.duckdb").init()
        Ledger(workdir / "ledger.duckdb").add_mapping(
            sb_event_id, settings["ASP_EVENT_ID"], settings["ASP_SEMINAR_ID"]
        )
        instance = dg.DagsterInstance.ephemeral()
        admin = SandboxAdmin(settings["SESSIONBOARD_BASE_URL"], settings["ASP_BASE_URL"])

        first_s, first = timed_sync(sb_event_id, instance)
        second_s, second = timed_sync(sb_event_id, instance)
        session_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "session-0"))
        admin.update_session(sb_event_id, session_id, {"title": "Session 0, renamed"})
        third_s, third = timed_sync(sb_event_id, instance)
    finally:
        os.killpg(sandbox.pid, signal.SIGTERM)
        sandbox.wait(timeout=10)

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bench sessions={args.sessions} speakers={args.speakers}")
    print(f"first_sync_s={first_s:.2f} created={first.sessions['created']} writes={first.writes}")
    print(f"noop_sync_s={second_s:.2f} writes={second.writes}")
    print(
        f"one_change_sync_s={third_s:.2f} updated={third.sessions['updated']} writes={third.writes}"
    )
    print(f"peak_rss_mib={peak_mib:.0f}")


if __name__ == "__main__":
    main()
