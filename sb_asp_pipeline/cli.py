"""sb-asp: manage mappings, sync one through Dagster, run the sandbox and the demo."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import dagster as dg

from sb_asp_pipeline import organization, settings
from sb_asp_pipeline.asp import AspClient
from sb_asp_pipeline.errors import SyncError
from sb_asp_pipeline.ledger import Ledger
from sb_asp_pipeline.sync.load import COUNT_NAMES, SyncReport

# Dagster's preview and beta notices (partitioned asset checks) speak to this project's
# developers, not to the person running a sync.
warnings.filterwarnings("ignore", category=dg.PreviewWarning)
warnings.filterwarnings("ignore", category=dg.BetaWarning)


def _ledger() -> Ledger:
    ledger = Ledger(settings.ledger_path())
    ledger.init()
    return ledger


def _instance() -> dg.DagsterInstance:
    settings.ensure_dagster_home()
    return dg.DagsterInstance.get()


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log every step at INFO.")
def main(verbose: bool) -> None:
    """Keep ASP Events seminars in step with Sessionboard events."""
    # The level sits on the handler: Dagster raises the pipeline's loggers to INFO for its
    # event log, and the terminal should still show only what was asked for.
    handler = logging.StreamHandler()
    handler.setLevel(logging.INFO if verbose else logging.ERROR)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


@main.group()
def mappings() -> None:
    """Add, list and remove event mappings (kept in the ledger)."""


@mappings.command("add")
@click.option("--sb-event", type=int, required=True, help="Sessionboard event id.")
@click.option("--asp-event", required=True, help="ASP event uuid.")
@click.option("--seminar", required=True, help="ASP seminar uuid the sessions go into.")
@click.option(
    "--withdrawn",
    type=click.Choice(["keep", "deactivate"]),
    default="keep",
    show_default=True,
    help="What a synced session that is no longer accepted becomes in ASP.",
)
def mappings_add(sb_event: int, asp_event: str, seminar: str, withdrawn: str) -> None:
    """Map a Sessionboard event to an ASP event and seminar, and register its partition."""
    from sb_asp_pipeline.defs.launch import register_partition

    with _user_errors():
        mapping = organization.add_mapping(
            _ledger(), _asp_from_env(), sb_event, asp_event, seminar, withdrawn
        )
    key = register_partition(_instance(), sb_event)
    click.echo(
        f"mapped sb_event={mapping.sb_event_id} asp_event={mapping.asp_event_id} "
        f"seminar={mapping.seminar_id} partition={key}"
    )


@mappings.command("list")
def mappings_list() -> None:
    """The active mappings."""
    rows = _ledger().mappings()
    if not rows:
        click.echo("no active mappings: add one with `sb-asp mappings add`")
        return
    click.echo(f"{'partition':<12} {'sb_event':>9}  {'asp_event':<36}  {'seminar':<36}  withdrawn")
    for m in rows:
        click.echo(
            f"{m.partition_key:<12} {m.sb_event_id:>9}  {m.asp_event_id:<36}  "
            f"{m.seminar_id:<36}  {m.withdrawn_policy}"
        )


@mappings.command("remove")
@click.option("--sb-event", type=int, required=True, help="Sessionboard event id.")
def mappings_remove(sb_event: int) -> None:
    """Stop syncing a mapping. Its history and its records in ASP are kept."""
    from sb_asp_pipeline.defs.launch import unregister_partition

    with _user_errors():
        mapping = organization.remove_mapping(_ledger(), sb_event)
    unregister_partition(_instance(), sb_event)
    click.echo(f"removed sb_event={mapping.sb_event_id}; its history stays in the ledger")


@main.command("connect")
def connect() -> None:
    """Check ASP_API_KEY and ASP_API_SECRET against ASP and mark the organization connected."""
    with _user_errors():
        organization.connect(_ledger(), _asp_from_env())
    click.echo("connected: syncs write to ASP")


@main.command("disconnect")
def disconnect() -> None:
    """Stop every sync of the organization; nothing in ASP is touched."""
    organization.disconnect(_ledger())
    click.echo("disconnected: every sync fails until `sb-asp connect`")


SETTINGS = (
    "SESSIONBOARD_BASE_URL",
    "SESSIONBOARD_API_TOKEN",
    "ASP_BASE_URL",
    "ASP_API_KEY",
    "ASP_API_SECRET",
)


def _require_settings(*names: str) -> None:
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        raise click.ClickException(
            f"set {', '.join(missing)} in the environment first (see README, "
            "'Pointing it at real accounts'; `sb-asp sandbox` prints them for the sandbox)"
        )


def _asp_from_env() -> AspClient:
    _require_settings("ASP_BASE_URL", "ASP_API_KEY", "ASP_API_SECRET")
    return AspClient(
        os.environ["ASP_BASE_URL"], os.environ["ASP_API_KEY"], os.environ["ASP_API_SECRET"]
    )


@main.command("sync")
@click.argument("sb_event_id", type=int)
def sync(sb_event_id: int) -> None:
    """Materialize the mapping's partition through Dagster and print what it did."""
    report = _sync(sb_event_id)
    click.echo(format_report(report))


def _sync(sb_event_id: int) -> SyncReport:
    from sb_asp_pipeline.defs.launch import failure_message, materialize_mapping

    _require_settings(*SETTINGS)
    # The report below says what failed and how to fix it; Dagster's own stack traces stay in
    # the event log (`make ui`) instead of the terminal.
    result, report = materialize_mapping(sb_event_id, instance=_instance(), log_level="CRITICAL")
    if report is None:
        raise click.ClickException(f"sync of sb-{sb_event_id} failed: {failure_message(result)}")
    return report


@main.command("sandbox")
@click.option(
    "--event",
    "event_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An event file in the shape of shared/data/*.json (default: the sample event).",
)
@click.option("--start-in-days", type=int, default=30, show_default=True)
def sandbox(event_file: Path | None, start_in_days: int) -> None:
    """Run the local Sessionboard and ASP servers until interrupted; print their settings."""
    from sb_asp_pipeline.sandbox.server import serve_forever

    serve_forever(event_file, start_in_days)


@main.command("demo")
def demo() -> None:
    """Sync the sample event into the sandbox twice, with one title changed in between."""
    from sb_asp_pipeline.demo import run_demo

    run_demo()


@contextmanager
def _user_errors() -> Iterator[None]:
    """Our errors are written for people: show them without a traceback."""
    try:
        yield
    except SyncError as error:
        raise click.ClickException(str(error)) from None


def format_report(report: SyncReport) -> str:
    """The table of R20: per kind, attempted and what became of each record, then why each
    record that was not written was refused or left out."""
    header = f"{'':<9}" + "".join(f"{name:>11}" for name in COUNT_NAMES)
    lines = [header]
    for kind, counts in (("sessions", report.sessions), ("speakers", report.speakers)):
        lines.append(f"{kind:<9}" + "".join(f"{counts[name]:>11}" for name in COUNT_NAMES))
    lines.append(f"ASP writes: {report.writes}")
    for verdict, frame in (("rejected", report.rejections), ("skipped", report.skips)):
        for row in frame.to_dict("records"):
            lines.append(f"  {verdict} [{row['rule']} {row['field']}] {row['message']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
