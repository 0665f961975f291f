"""Materialize one mapping's partition through Dagster, from the CLI or the demo."""

from collections.abc import Mapping as MappingType

import dagster as dg

from sb_asp_pipeline.defs.assets import SYNC_ASSETS, asp_sync
from sb_asp_pipeline.defs.partitions import mapping_partitions
from sb_asp_pipeline.defs.resources import resources_from_env
from sb_asp_pipeline.ledger import partition_key
from sb_asp_pipeline.sync.load import SyncReport


def register_partition(instance: dg.DagsterInstance, sb_event_id: int) -> str:
    key = partition_key(sb_event_id)
    if not instance.has_dynamic_partition(mapping_partitions.name or "", key):
        instance.add_dynamic_partitions(mapping_partitions.name or "", [key])
    return key


def unregister_partition(instance: dg.DagsterInstance, sb_event_id: int) -> None:
    key = partition_key(sb_event_id)
    if instance.has_dynamic_partition(mapping_partitions.name or "", key):
        instance.delete_dynamic_partition(mapping_partitions.name or "", key)


def materialize_mapping(
    sb_event_id: int,
    *,
    instance: dg.DagsterInstance,
    resources: MappingType[str, object] | None = None,
    log_level: str = "ERROR",
) -> tuple[dg.ExecuteInProcessResult, SyncReport | None]:
    """Run every sync asset of the mapping's partition; the report is None if the run failed.
    The console shows errors only (the CLI prints the report); the event log keeps every step."""
    key = register_partition(instance, sb_event_id)
    result = dg.materialize(
        SYNC_ASSETS,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        partition_key=key,
        instance=instance,
        resources=resources if resources is not None else resources_from_env(),
        raise_on_error=False,
        tags={"sb_asp/mapping": key},
    )
    if not result.success:
        return result, None
    return result, result.output_for_node(asp_sync.op.name)


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    """The description of the first failed step, as the CLI should show it."""
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data:
            error = event.step_failure_data.error
            user = event.step_failure_data.user_failure_data
            if user and user.description:
                return f"{event.step_key}: {user.description}"
            if error:
                return f"{event.step_key}: {error.message.strip()}"
    return "the run failed; open the Dagster UI for its logs"
