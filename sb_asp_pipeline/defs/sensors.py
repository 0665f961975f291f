"""The mappings sensor: Dagster's partitions follow the ledger's active mappings."""

import dagster as dg

from sb_asp_pipeline.defs.jobs import sync_mapping_job
from sb_asp_pipeline.defs.partitions import MAPPINGS, mapping_partitions
from sb_asp_pipeline.defs.resources import LedgerResource
from sb_asp_pipeline.ledger import Mapping


@dg.sensor(
    job=sync_mapping_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Keeps one partition per active mapping of the ledger: a new mapping gets its "
    "partition and a first sync; a removed mapping loses its partition, so nothing schedules it.",
)
def mappings_sensor(context: dg.SensorEvaluationContext, ledger: LedgerResource) -> dg.SensorResult:
    active = {m.partition_key: m for m in ledger.ledger().mappings()}
    registered = set(context.instance.get_dynamic_partitions(MAPPINGS))
    added = sorted(active.keys() - registered)
    removed = sorted(registered - active.keys())

    # The cursor holds the mappings already given a first sync, by partition and mapping id: a
    # mapping removed and added again has a new id, so it gets a first sync of its own (R5).
    # The CLI and the add_mapping job register the partition themselves, so the partitions
    # alone cannot tell which mappings are new.
    seen = set(filter(None, (context.cursor or "").split(",")))
    new = [m for m in active.values() if _token(m) not in seen]
    first_syncs = [
        dg.RunRequest(partition_key=m.partition_key, run_key=f"first-sync:{_token(m)}") for m in new
    ]

    partition_requests: list[
        dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest
    ] = []
    if added:
        partition_requests.append(mapping_partitions.build_add_request(added))
    if removed:
        partition_requests.append(mapping_partitions.build_delete_request(removed))
    context.log.info(
        f"mappings active={len(active)} added={','.join(added) or '-'} "
        f"removed={','.join(removed) or '-'} first_syncs={len(first_syncs)}"
    )
    return dg.SensorResult(
        run_requests=first_syncs,
        dynamic_partitions_requests=partition_requests,
        cursor=",".join(sorted(_token(m) for m in active.values())),
        skip_reason=None
        if first_syncs or partition_requests
        else f"the partitions match the {len(active)} active mappings",
    )


def _token(mapping: Mapping) -> str:
    return f"{mapping.partition_key}/{mapping.mapping_id}"
