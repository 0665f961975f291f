"""One dynamic partition per active mapping, keyed `sb-<Sessionboard event id>`."""

import dagster as dg

from sb_asp_pipeline.ledger import partition_key

MAPPINGS = "mappings"
mapping_partitions = dg.DynamicPartitionsDefinition(name=MAPPINGS)


def register_partition(instance: dg.DagsterInstance, sb_event_id: int) -> str:
    """Give a mapping its partition at once, so the UI shows it before the sensor's next tick."""
    key = partition_key(sb_event_id)
    if not instance.has_dynamic_partition(MAPPINGS, key):
        instance.add_dynamic_partitions(MAPPINGS, [key])
    return key


def unregister_partition(instance: dg.DagsterInstance, sb_event_id: int) -> None:
    key = partition_key(sb_event_id)
    if instance.has_dynamic_partition(MAPPINGS, key):
        instance.delete_dynamic_partition(MAPPINGS, key)


# Dagster sets this tag on every run of one partition, whoever launches it: the UI, a backfill,
# the schedule, the sensor or `sb-asp sync`. The run queue's one-run-per-mapping limit uses it.
PARTITION_TAG = "dagster/partition"

UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def partitions_syncing(instance: dg.DagsterInstance, keys: list[str]) -> set[str]:
    """The mappings among `keys` with a run queued or in progress."""
    if not keys:
        return set()
    runs = instance.get_runs(dg.RunsFilter(statuses=UNFINISHED, tags={PARTITION_TAG: keys}))
    return {run.tags[PARTITION_TAG] for run in runs}
