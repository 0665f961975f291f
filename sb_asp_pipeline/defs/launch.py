"""Materialize one mapping's partition through Dagster, from the CLI or the demo."""

from collections.abc import Mapping as MappingType

import dagster as dg

from sb_asp_pipeline.defs.assets import SYNC_ASSETS, asp_sync
from sb_asp_pipeline.defs.failures import INTERACTIVE_TAG
from sb_asp_pipeline.defs.partitions import register_partition, unregister_partition
from sb_asp_pipeline.defs.resources import resources_from_env
from sb_asp_pipeline.sync.load import SyncReport

__all__ = ["failure_message", "materialize_mapping", "register_partition", "unregister_partition"]


def materialize_mapping(
    sb_event_id: int,
    *,
    instance: dg.DagsterInstance,
    resources: MappingType[str, object] | None = None,
    log_level: str = "ERROR",
) -> tuple[dg.ExecuteInProcessResult, SyncReport | None]:
    """Run every sync asset of the mapping's partition; the report is None if the run failed.
    The console shows errors only (the CLI prints the report); the event log keeps every step.

    Limitation: the run executes in the calling process, outside the run queue, so the queue's
    one-run-per-mapping limit does not hold it back: started while the daemon syncs the same
    mapping, its reads overlap that run. Its load still waits for the `asp_writes` pool slot
    (the pool lives in the instance), so the two loads write one after the other and the later
    one finds the earlier one's records. `dagster job launch` goes through the queue instead.
    """
    key = register_partition(instance, sb_event_id)
    result = dg.materialize(
        SYNC_ASSETS,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        partition_key=key,
        instance=instance,
        resources=resources if resources is not None else resources_from_env(),
        raise_on_error=False,
        tags={INTERACTIVE_TAG: "true"},
    )
    if not result.success:
        return result, None
    return result, result.output_for_node(asp_sync.op.name)


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    """Why the run failed, as the CLI should show it: the failed blocking checks with their
    messages, else the description of the first failed step."""
    failed_checks = [
        f"{evaluation.asset_key.to_user_string()}: {evaluation.description}"
        for evaluation in (
            event.asset_check_evaluation_data
            for event in result.all_events
            if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
        )
        if not evaluation.passed
        and evaluation.blocking
        and evaluation.severity == dg.AssetCheckSeverity.ERROR
    ]
    if failed_checks:
        return "\n".join(failed_checks)
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data:
            error = event.step_failure_data.error
            user = event.step_failure_data.user_failure_data
            if user and user.description:
                return f"{event.step_key}: {user.description}"
            if error:
                return f"{event.step_key}: {error.message.strip()}"
    return "the run failed; open the Dagster UI for its logs"
