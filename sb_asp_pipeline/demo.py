"""`make demo`: the sample event synced into the sandbox through Dagster, twice."""

from __future__ import annotations

import os

import click

from sb_asp_pipeline import settings
from sb_asp_pipeline.asp import AspClient
from sb_asp_pipeline.cli import format_report
from sb_asp_pipeline.defs.launch import failure_message, materialize_mapping
from sb_asp_pipeline.ledger import Ledger
from sb_asp_pipeline.organization import add_mapping
from sb_asp_pipeline.sandbox.admin import SandboxAdmin
from sb_asp_pipeline.sandbox.events import load_event_file, sample_event_path
from sb_asp_pipeline.sandbox.server import Sandbox
from sb_asp_pipeline.sync.load import SyncReport


def run_demo() -> None:
    """Start the sandbox, map the sample event, sync, change one title, sync again."""
    # The sandbox is new each time, so the demo keeps a ledger of its own, started afresh;
    # DAGSTER_HOME is shared, so `make ui` shows every demo run.
    ledger_path = settings.home() / "demo-ledger.duckdb"
    ledger_path.unlink(missing_ok=True)
    os.environ["SB_ASP_LEDGER"] = str(ledger_path)
    ledger = Ledger(ledger_path)
    ledger.init()
    settings.ensure_dagster_home()

    import dagster as dg

    instance = dg.DagsterInstance.get()
    with Sandbox() as sandbox:
        seeded = sandbox.seed(load_event_file(sample_event_path()), start_in_days=30)
        os.environ.update(sandbox.settings(seeded))
        admin = SandboxAdmin(sandbox.sessionboard_url, sandbox.asp_url)
        asp = AspClient(sandbox.asp_url, sandbox.asp_key, sandbox.asp_secret)
        add_mapping(ledger, asp, seeded.sb_event_id, seeded.asp_event_id, seeded.seminar_id)
        click.echo(
            f"sandbox: Sessionboard {sandbox.sessionboard_url}, ASP {sandbox.asp_url}\n"
            f"mapping: Sessionboard event {seeded.sb_event_id} -> ASP event "
            f"{seeded.asp_event_id}, seminar {seeded.seminar_id}\n"
        )

        click.echo("First sync")
        first = _sync(seeded.sb_event_id, instance)
        click.echo(format_report(first) + "\n")

        changed = min(admin.asp_sessions(seeded.seminar_id), key=lambda s: (s["date"], s["start"]))
        session_id = changed["customFields"]["sessionboard_id"]
        new_title = f"{changed['title']} (updated)"
        admin.update_session(seeded.sb_event_id, session_id, {"title": new_title})
        click.echo(f"Changed in Sessionboard: title of session {session_id} -> {new_title!r}\n")

        click.echo("Second sync")
        second = _sync(seeded.sb_event_id, instance)
        click.echo(format_report(second) + "\n")

    if second.sessions["updated"] != 1 or second.writes != 1:
        raise click.ClickException(
            f"expected exactly one session update and one ASP write, got "
            f"{second.sessions['updated']} updates and {second.writes} writes"
        )
    click.echo(
        f"Ledger (DuckDB): {ledger_path}\n"
        f'  open it with: .venv/bin/python -c "import duckdb; '
        f"print(duckdb.connect('{ledger_path}', read_only=True).sql('FROM sync_runs'))\"\n"
        f"Dagster UI with both runs: make ui, then http://127.0.0.1:3000 "
        f"(DAGSTER_HOME={os.environ['DAGSTER_HOME']})"
    )


def _sync(sb_event_id: int, instance: object) -> SyncReport:
    result, report = materialize_mapping(sb_event_id, instance=instance)  # type: ignore[arg-type]
    if report is None:
        raise click.ClickException(f"the sync failed: {failure_message(result)}")
    return report
