"""The sync as Dagster assets, one partition per mapping. Each asset is a short story over the
Dagster-free functions of sync/; only asp_sync writes to ASP."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import pandas as pd

from sb_asp_pipeline.asp.records import CONTENT_FIELD
from sb_asp_pipeline.defs.partitions import mapping_partitions
from sb_asp_pipeline.defs.resources import (
    AspResource,
    ClockResource,
    LedgerResource,
    SessionboardResource,
)
from sb_asp_pipeline.errors import SyncError
from sb_asp_pipeline.ledger import Ledger, Mapping, sb_event_id_of
from sb_asp_pipeline.organization import require_connected
from sb_asp_pipeline.sync.extract import extract_programme
from sb_asp_pipeline.sync.load import SyncReport, load_plan
from sb_asp_pipeline.sync.preflight import Target, prepare_target
from sb_asp_pipeline.sync.programme import AspPlan, Programme, ValidProgramme
from sb_asp_pipeline.sync.transform import transform_programme
from sb_asp_pipeline.sync.validate import validate_programme

GROUP = "sessionboard_to_asp"


@contextmanager
def _as_failure() -> Iterator[None]:
    """Our errors already say what to do: hand them to Dagster as a Failure with that text."""
    try:
        yield
    except SyncError as error:
        raise dg.Failure(description=str(error), allow_retries=False) from None


def _active_mapping(context: dg.AssetExecutionContext, ledger: Ledger) -> Mapping:
    with _as_failure():
        require_connected(ledger)
    sb_event_id = sb_event_id_of(context.partition_key)
    mapping = ledger.mapping(sb_event_id)
    if mapping is None:
        raise dg.Failure(
            description=f"no active mapping for Sessionboard event {sb_event_id}: add it with "
            "`sb-asp mappings add`, or remove the partition",
            allow_retries=False,
        )
    return mapping


@dg.asset(partitions_def=mapping_partitions, group_name=GROUP, kinds={"asp"})
def asp_seminar(
    context: dg.AssetExecutionContext,
    sessionboard: SessionboardResource,
    asp: AspResource,
    ledger: LedgerResource,
) -> Target:
    """The mapping's ASP event and seminar: timezone, custom fields, session types, locations
    and streams. Fails, before anything is written, when a precondition (R8, R13) does not hold."""
    mapping = _active_mapping(context, ledger.ledger())
    sb_client, asp_client = sessionboard.client(), asp.client()
    with _as_failure():
        target = prepare_target(sb_client, asp_client, mapping)
    sb_client.close()
    asp_client.close()

    context.add_output_metadata(
        {
            "seminar": target.seminar.name,
            "seminar_id": target.seminar.uuid,
            "timezone": str(target.asp_event.get("timezone")),
            "session_types": len(target.seminar.session_types),
        }
    )
    return target


@dg.asset(partitions_def=mapping_partitions, group_name=GROUP, kinds={"sessionboard", "pandas"})
def sessionboard_programme(
    context: dg.AssetExecutionContext, sessionboard: SessionboardResource, asp_seminar: Target
) -> Programme:
    """Every session of the Sessionboard event with its speaker links and its speakers, as
    read from the Public API."""
    client = sessionboard.client()
    with _as_failure():
        programme = extract_programme(
            client,
            asp_seminar.mapping.sb_event_id,
            with_files=CONTENT_FIELD in asp_seminar.seminar.custom_fields,
        )
    client.close()

    context.add_output_metadata(
        {"sessions": len(programme.sessions), "speakers": len(programme.speakers)}
    )
    return programme


@dg.asset(partitions_def=mapping_partitions, group_name=GROUP, kinds={"pandera"})
def valid_programme(
    context: dg.AssetExecutionContext, clock: ClockResource, sessionboard_programme: Programme
) -> ValidProgramme:
    """The sessions and speakers that pass the data contract; every other record is kept with
    its rule: skipped (not accepted, ended, abstract) or rejected (a field ASP needs)."""
    valid = validate_programme(sessionboard_programme, clock.clock().now())

    context.add_output_metadata(
        {
            "valid_sessions": len(valid.sessions),
            "valid_speakers": int(valid.speakers["email_key"].nunique()),
            "skipped": len(valid.skips),
            "rejected": len(valid.rejections),
            "rejections": outcomes_table(valid.rejections),
        }
    )
    return valid


@dg.asset(partitions_def=mapping_partitions, group_name=GROUP, kinds={"pandas"})
def asp_records(
    context: dg.AssetExecutionContext, valid_programme: ValidProgramme, asp_seminar: Target
) -> AspPlan:
    """The ASP session and speaker records the seminar should hold, in ASP's terms: one day,
    wall times in the event's timezone, session types, locations and streams by name."""
    plan = transform_programme(valid_programme, asp_seminar.seminar)

    context.add_output_metadata(
        {
            "sessions": len(plan.sessions),
            "speakers": len(plan.speakers),
            "multi_day_notes": len(plan.sessions["note"].dropna()),
        }
    )
    return plan


@dg.asset(partitions_def=mapping_partitions, group_name=GROUP, kinds={"asp", "duckdb"})
def asp_sync(
    context: dg.AssetExecutionContext,
    asp: AspResource,
    ledger: LedgerResource,
    asp_records: AspPlan,
    asp_seminar: Target,
) -> SyncReport:
    """The seminar in step with Sessionboard: what this sync created, updated, left unchanged,
    skipped and rejected, and the ledger rows that remember it."""
    started = time.monotonic()
    store, client = ledger.ledger(), asp.client()
    sync_id = f"{context.run_id}:{context.partition_key}"
    store.start_sync(sync_id, asp_seminar.mapping, context.run_id)

    try:
        report = load_plan(
            asp_records, asp_seminar.seminar, asp_seminar.mapping, client, store, sync_id
        )
    except BaseException as error:
        store.finish_sync(sync_id, "failed", {}, asp_records.rejections)
        if isinstance(error, SyncError):
            raise dg.Failure(description=str(error)) from None
        raise
    finally:
        client.close()

    status = "partial" if report.failed else "succeeded"
    store.finish_sync(sync_id, status, report.counts(), report.rejections)
    context.add_output_metadata(
        {
            **{name: dg.MetadataValue.int(value) for name, value in report.counts().items()},
            "status": status,
            "seminar": asp_seminar.seminar.name,
            "seminar_id": asp_seminar.seminar.uuid,
            "duration_s": dg.MetadataValue.float(round(time.monotonic() - started, 3)),
            "rejections": outcomes_table(report.rejections),
        }
    )
    return report


SYNC_ASSETS = [asp_seminar, sessionboard_programme, valid_programme, asp_records, asp_sync]


def outcomes_table(frame: pd.DataFrame) -> dg.TableMetadataValue:
    """Rejections as a table the UI shows: one row per refused record with its reason."""
    columns = ["kind", "record_id", "label", "field", "rule", "value", "message"]
    return dg.MetadataValue.table(
        records=[
            dg.TableRecord({c: "" if row[c] is None else str(row[c]) for c in columns})
            for row in frame.to_dict("records")
        ],
        schema=dg.TableSchema(columns=[dg.TableColumn(c, "string") for c in columns]),
    )
