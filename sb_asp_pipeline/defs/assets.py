"""The sync as Dagster assets, one partition per mapping. Each asset is a short story over the
Dagster-free functions of sync/; only asp_sync writes to ASP."""

import time
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta

import dagster as dg
import pandas as pd

from sb_asp_pipeline.asp.records import CONTENT_FIELD
from sb_asp_pipeline.defs.checks import (
    PRECONDITION_CHECKS,
    SYNC_CHECKS,
    precondition_results,
    sync_results,
)
from sb_asp_pipeline.defs.failures import as_failure
from sb_asp_pipeline.defs.partitions import mapping_partitions
from sb_asp_pipeline.defs.resources import (
    AspResource,
    ClockResource,
    LedgerResource,
    SessionboardResource,
)
from sb_asp_pipeline.ledger import Ledger, Mapping, sb_event_id_of
from sb_asp_pipeline.organization import require_connected
from sb_asp_pipeline.sync.extract import extract_programme
from sb_asp_pipeline.sync.load import SyncReport, load_plan
from sb_asp_pipeline.sync.preflight import Target, read_target
from sb_asp_pipeline.sync.programme import OUTCOME_COLUMNS, AspPlan, Programme, ValidProgramme
from sb_asp_pipeline.sync.transform import transform_programme
from sb_asp_pipeline.sync.validate import validate_programme

GROUP = "sessionboard_to_asp"

# No asset here has a backfill policy, on purpose: Dagster's default then gives each partition a
# run of its own, whatever launches it, so every run holds one mapping in the `dagster/partition`
# tag that the run queue limits to one run per mapping (dagster.yaml).

# The HTTP layer already retries a blip within seconds; a step retry is for an API that is down
# for a minute or two. Two tries, about 1 and 2 minutes apart, stay well inside the 30-minute
# schedule. Every step is safe to repeat: reads change nothing, and the load looks a record up
# in ASP before creating it.
TRANSIENT_RETRY = dg.RetryPolicy(
    max_retries=2, delay=60, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)

# Every mapping syncs every 30 minutes: one missed tick is a warning, three are a failure.
# Limitation: Dagster measures this from the asset's latest materialization of any partition,
# so it tells that syncing has stopped, not which mapping is stale; a stale mapping shows as
# its failed runs and checks in the partition view.
SYNC_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(minutes=90), warn_window=timedelta(minutes=45)
)

# Speakers are shared by every seminar of an ASP organization and a speaker is created after a
# lookup by email, so two loads of one organization at once could both create the same person.
# The pool lets one load of the organization write at a time (its limit is in dagster.yaml);
# one Dagster instance serves one organization, as its EnvVar credentials and partitions do.
ASP_WRITE_POOL = "asp_writes"


def _active_mapping(context: dg.AssetExecutionContext, ledger: Ledger) -> Mapping:
    """The partition's mapping, once the organization is known to be connected."""
    with as_failure(context):
        require_connected(ledger)
        sb_event_id = sb_event_id_of(context.partition_key)
    mapping = ledger.mapping(sb_event_id)
    if mapping is None:
        raise dg.Failure(
            description=f"no active mapping for Sessionboard event {sb_event_id}: add it with "
            "`sb-asp mappings add` or the add_mapping job; the mappings sensor removes the "
            "partition of a removed mapping within a minute",
            allow_retries=False,
        )
    return mapping


@dg.asset(
    partitions_def=mapping_partitions,
    group_name=GROUP,
    kinds={"sessionboard", "asp"},
    check_specs=PRECONDITION_CHECKS,
    retry_policy=TRANSIENT_RETRY,
)
def asp_seminar(
    context: dg.AssetExecutionContext,
    sessionboard: SessionboardResource,
    asp: AspResource,
    ledger: LedgerResource,
) -> Iterator[dg.Output[Target] | dg.AssetCheckResult]:
    """Both ends of the mapping as they stand: the Sessionboard event, the ASP event and the
    seminar with its custom fields, session types, locations and streams. Its blocking checks
    (R8 timezones, R13 `sessionboard_id` field) stop the sync before anything is written."""
    mapping = _active_mapping(context, ledger.ledger())
    with (
        as_failure(context),
        closing(sessionboard.client()) as sb_client,
        closing(asp.client()) as asp_client,
    ):
        target = read_target(sb_client, asp_client, mapping)

    yield dg.Output(
        target,
        metadata={
            "seminar": dg.MetadataValue.text(target.seminar.name),
            "seminar_id": dg.MetadataValue.text(target.seminar.uuid),
            "asp_event_id": dg.MetadataValue.text(mapping.asp_event_id),
            "timezone": dg.MetadataValue.text(str(target.asp_event.get("timezone"))),
            "session_types": dg.MetadataValue.int(len(target.seminar.session_types)),
            "withdrawn_policy": dg.MetadataValue.text(mapping.withdrawn_policy),
        },
    )
    yield from precondition_results(target)


@dg.asset(
    partitions_def=mapping_partitions,
    group_name=GROUP,
    kinds={"sessionboard", "pandas"},
    retry_policy=TRANSIENT_RETRY,
)
def sessionboard_programme(
    context: dg.AssetExecutionContext, sessionboard: SessionboardResource, asp_seminar: Target
) -> Programme:
    """Every session of the Sessionboard event with its speaker links and its speakers, as
    read from the Public API."""
    with as_failure(context), closing(sessionboard.client()) as client:
        programme = extract_programme(
            client,
            asp_seminar.sb_event,
            with_files=CONTENT_FIELD in asp_seminar.seminar.custom_fields,
        )

    context.add_output_metadata(
        {
            "sessions": dg.MetadataValue.int(len(programme.sessions)),
            "speakers": dg.MetadataValue.int(len(programme.speakers)),
        }
    )
    return programme


@dg.asset(
    partitions_def=mapping_partitions,
    group_name=GROUP,
    kinds={"pandera"},
)
def valid_programme(
    context: dg.AssetExecutionContext, clock: ClockResource, sessionboard_programme: Programme
) -> ValidProgramme:
    """The sessions and speakers that pass the data contract; every other record is kept with
    its rule: skipped (not accepted, ended, abstract) or rejected (a field ASP needs)."""
    valid = validate_programme(sessionboard_programme, clock.clock().now())

    context.add_output_metadata(
        {
            "valid_sessions": dg.MetadataValue.int(len(valid.sessions)),
            "valid_speakers": dg.MetadataValue.int(int(valid.speakers["email_key"].nunique())),
            "skipped": dg.MetadataValue.int(len(valid.skips)),
            "rejected": dg.MetadataValue.int(len(valid.rejections)),
            "rejections": outcomes_table(valid.rejections),
        }
    )
    return valid


@dg.asset(
    partitions_def=mapping_partitions,
    group_name=GROUP,
    kinds={"pandas"},
)
def asp_records(
    context: dg.AssetExecutionContext, valid_programme: ValidProgramme, asp_seminar: Target
) -> AspPlan:
    """The ASP session and speaker records the seminar should hold, in ASP's terms: one day,
    wall times in the event's timezone, session types, locations and streams by name."""
    plan = transform_programme(valid_programme, asp_seminar.seminar)

    context.add_output_metadata(
        {
            "sessions": dg.MetadataValue.int(len(plan.sessions)),
            "speakers": dg.MetadataValue.int(len(plan.speakers)),
            "multi_day_notes": dg.MetadataValue.int(len(plan.sessions["note"].dropna())),
        }
    )
    return plan


@dg.asset(
    partitions_def=mapping_partitions,
    group_name=GROUP,
    kinds={"asp", "duckdb"},
    check_specs=SYNC_CHECKS,
    retry_policy=TRANSIENT_RETRY,
    freshness_policy=SYNC_FRESHNESS,
    pool=ASP_WRITE_POOL,
)
def asp_sync(
    context: dg.AssetExecutionContext,
    asp: AspResource,
    ledger: LedgerResource,
    asp_records: AspPlan,
    asp_seminar: Target,
) -> Iterator[dg.Output[SyncReport] | dg.AssetCheckResult]:
    """The seminar in step with Sessionboard: what this sync created, updated, left unchanged,
    skipped and rejected, and the ledger rows that remember it."""
    started = time.monotonic()
    store = ledger.ledger()
    sync_id = _sync_id(context)
    store.start_sync(sync_id, asp_seminar.mapping, context.run_id)

    try:
        with as_failure(context), closing(asp.client()) as client:
            report = load_plan(
                asp_records, asp_seminar.seminar, asp_seminar.mapping, client, store, sync_id
            )
    except BaseException:
        store.finish_sync(sync_id, "failed", {}, asp_records.rejections)
        raise

    status = "partial" if report.failed else "succeeded"
    store.finish_sync(sync_id, status, report.counts(), report.rejections)
    yield dg.Output(
        report,
        metadata={
            **{name: dg.MetadataValue.int(value) for name, value in report.counts().items()},
            "status": dg.MetadataValue.text(status),
            "seminar": dg.MetadataValue.text(asp_seminar.seminar.name),
            "seminar_id": dg.MetadataValue.text(asp_seminar.seminar.uuid),
            "sync_id": dg.MetadataValue.text(sync_id),
            "duration_s": dg.MetadataValue.float(round(time.monotonic() - started, 3)),
            "rejections": outcomes_table(report.rejections),
        },
    )
    yield from sync_results(report)


SYNC_ASSETS = [asp_seminar, sessionboard_programme, valid_programme, asp_records, asp_sync]


def _sync_id(context: dg.AssetExecutionContext) -> str:
    """One ledger row per attempt: a retried load is a sync of its own."""
    sync_id = f"{context.run_id}:{context.partition_key}"
    return f"{sync_id}:retry-{context.retry_number}" if context.retry_number else sync_id


def outcomes_table(frame: pd.DataFrame) -> dg.TableMetadataValue:
    """Rejections as a table the UI shows: one row per refused record with its reason."""
    columns = OUTCOME_COLUMNS
    return dg.MetadataValue.table(
        records=[
            dg.TableRecord({c: "" if row[c] is None else str(row[c]) for c in columns})
            for row in frame.to_dict("records")
        ],
        schema=dg.TableSchema(columns=[dg.TableColumn(c, "string") for c in columns]),
    )
