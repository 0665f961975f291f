"""The 30-minute resync of every active mapping."""

import dagster as dg

from sb_asp_pipeline.defs.jobs import sync_mapping_job
from sb_asp_pipeline.defs.partitions import MAPPINGS, partitions_syncing
from sb_asp_pipeline.defs.resources import LedgerResource


@dg.schedule(
    cron_schedule="*/30 * * * *",
    execution_timezone="UTC",
    job=sync_mapping_job,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every 30 minutes, one sync per active mapping. A mapping whose last sync is "
    "still queued or running is left for the next tick rather than queued behind it.",
)
def sync_every_30_minutes(
    context: dg.ScheduleEvaluationContext, ledger: LedgerResource
) -> list[dg.RunRequest] | dg.SkipReason:
    keys = [m.partition_key for m in ledger.ledger().mappings()]
    registered = set(context.instance.get_dynamic_partitions(MAPPINGS))
    # A mapping added since the sensor's last tick has no partition yet; the sensor gives it
    # one, with a first sync, within a minute.
    waiting = [k for k in keys if k not in registered]
    busy = partitions_syncing(context.instance, keys)
    due = [k for k in keys if k in registered and k not in busy]

    context.log.info(
        f"schedule mappings={len(keys)} due={len(due)} busy={','.join(sorted(busy)) or '-'} "
        f"waiting_for_partition={','.join(waiting) or '-'}"
    )
    if not keys:
        return dg.SkipReason(
            "no active mappings: add one with `sb-asp mappings add` or the add_mapping job"
        )
    if not due:
        return dg.SkipReason(
            f"nothing due: {len(keys)} active mappings, {len(busy)} still syncing, "
            f"{len(waiting)} waiting for the mappings sensor to add their partition"
        )
    # The run key names the tick, so an evaluation retried for the same tick never doubles a run.
    tick = context.scheduled_execution_time.strftime("%Y-%m-%dT%H:%MZ")
    return [dg.RunRequest(partition_key=key, run_key=f"{key}@{tick}") for key in due]
