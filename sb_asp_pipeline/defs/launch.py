"""Materialize one mapping's partition through Dagster, from the CLI or the demo."""

import logging
import os
import socket
from collections.abc import Mapping as MappingType

import dagster as dg

from sb_asp_pipeline.defs.assets import SYNC_ASSETS, asp_sync
from sb_asp_pipeline.defs.failures import INTERACTIVE_TAG
from sb_asp_pipeline.defs.partitions import register_partition, unregister_partition
from sb_asp_pipeline.defs.resources import resources_from_env
from sb_asp_pipeline.sync.load import SyncReport

log = logging.getLogger(__name__)

HOST_TAG = "sb_asp/host"
PID_TAG = "sb_asp/pid"

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
    release_dead_interactive_runs(instance)
    result = dg.materialize(
        SYNC_ASSETS,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        partition_key=key,
        instance=instance,
        resources=resources if resources is not None else resources_from_env(),
        raise_on_error=False,
        tags={INTERACTIVE_TAG: "true", HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())},
    )
    if not result.success:
        return result, None
    return result, result.output_for_node(asp_sync.op.name)


def release_dead_interactive_runs(instance: dg.DagsterInstance) -> list[str]:
    """Fail the CLI runs of this machine whose process is gone, and free their pool slots.

    A `sb-asp sync` killed with SIGKILL never ends its run, and run monitoring cannot see an
    in-process run die, so its `asp_writes` slot would stay claimed and every later load would
    wait on it. Runs started by the daemon are left to run monitoring."""
    released = []
    running = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING],
            tags={INTERACTIVE_TAG: "true", HOST_TAG: socket.gethostname()},
        )
    )
    for run in running:
        pid = int(run.tags.get(PID_TAG, "0") or 0)
        if pid and _alive(pid):
            continue
        instance.report_run_failed(run, f"its sb-asp process {pid} is gone; slots released")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    if released:
        log.warning("released_dead_runs runs=%s", ",".join(released))
    return released


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
