"""The mappings sensor and the 30-minute schedule, evaluated against a ledger of three mappings
and a real Dagster instance in a temporary folder."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg
import pytest

from sb_asp_pipeline.defs.partitions import MAPPINGS
from sb_asp_pipeline.defs.resources import LedgerResource
from sb_asp_pipeline.defs.schedules import sync_every_30_minutes
from sb_asp_pipeline.defs.sensors import mappings_sensor
from sb_asp_pipeline.ledger import Ledger

EVENTS = (4101, 4102, 4103)
KEYS = ["sb-4101", "sb-4102", "sb-4103"]
TICK = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def ledger(ledger_path) -> Ledger:
    """A ledger with three active mappings."""
    ledger = Ledger(ledger_path)
    ledger.init()
    for n, event in enumerate(EVENTS):
        ledger.add_mapping(event, f"asp-event-{n}", f"seminar-{n}")
    return ledger


@pytest.fixture(scope="module")
def persistent_instance():
    """Schedules need an instance on disk; one per module, as setting it up takes seconds."""
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture
def instance(persistent_instance):
    """The module's instance, without the partitions and runs of the test before."""
    persistent_instance.wipe()
    for key in persistent_instance.get_dynamic_partitions(MAPPINGS):
        persistent_instance.delete_dynamic_partition(MAPPINGS, key)
    return persistent_instance


def evaluate_sensor(instance, ledger, cursor=None) -> dg.SensorResult:
    """One tick of the sensor; the partition changes are applied as the daemon applies them."""
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"ledger": LedgerResource(path=str(ledger.path))},
    )
    result = mappings_sensor(context)
    assert isinstance(result, dg.SensorResult)
    for request in result.dynamic_partitions_requests or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(MAPPINGS, list(request.partition_keys))
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(MAPPINGS, key)
    return result


def evaluate_schedule(instance, ledger, tick=TICK):
    # The context opens its own instance from the reference; leaving the block closes it.
    with dg.build_schedule_context(
        instance=instance,
        scheduled_execution_time=tick,
        resources={"ledger": LedgerResource(path=str(ledger.path))},
    ) as context:
        return sync_every_30_minutes(context)


def requested(result) -> list[tuple[str | None, str | None]]:
    return sorted((r.partition_key, r.run_key) for r in result.run_requests or [])


def test_the_sensor_gives_three_new_mappings_their_partitions_and_a_first_sync_each(
    instance, ledger
):
    result = evaluate_sensor(instance, ledger)

    assert [
        (type(r).__name__, sorted(r.partition_keys)) for r in result.dynamic_partitions_requests
    ] == [("AddDynamicPartitionsRequest", KEYS)]
    assert requested(result) == [(key, f"first-sync:{key}/{n}") for n, key in enumerate(KEYS, 1)]
    assert sorted(instance.get_dynamic_partitions(MAPPINGS)) == KEYS


def test_the_sensor_does_nothing_while_partitions_match_the_mappings(instance, ledger):
    first = evaluate_sensor(instance, ledger)

    again = evaluate_sensor(instance, ledger, cursor=first.cursor)

    assert again.run_requests == [] and again.dynamic_partitions_requests == []
    assert again.skip_reason is not None
    assert "match the 3 active mappings" in str(again.skip_reason.skip_message)


def test_the_sensor_drops_the_partition_of_a_removed_mapping_and_keeps_the_others(instance, ledger):
    first = evaluate_sensor(instance, ledger)
    ledger.remove_mapping(4102)

    result = evaluate_sensor(instance, ledger, cursor=first.cursor)

    assert [
        (type(r).__name__, list(r.partition_keys)) for r in result.dynamic_partitions_requests
    ] == [("DeleteDynamicPartitionsRequest", ["sb-4102"])]
    assert result.run_requests == []
    assert sorted(instance.get_dynamic_partitions(MAPPINGS)) == ["sb-4101", "sb-4103"]


def test_a_mapping_added_again_with_a_new_seminar_gets_a_first_sync_of_its_own(instance, ledger):
    cursor = evaluate_sensor(instance, ledger).cursor
    ledger.remove_mapping(4102)
    cursor = evaluate_sensor(instance, ledger, cursor=cursor).cursor
    ledger.add_mapping(4102, "asp-event-1", "another-seminar")

    result = evaluate_sensor(instance, ledger, cursor=cursor)

    assert requested(result) == [("sb-4102", "first-sync:sb-4102/4")]
    assert sorted(instance.get_dynamic_partitions(MAPPINGS)) == KEYS


def test_a_mapping_whose_partition_the_cli_registered_still_gets_its_first_sync(instance, ledger):
    cursor = evaluate_sensor(instance, ledger).cursor
    ledger.add_mapping(4104, "asp-event-4", "seminar-4")
    instance.add_dynamic_partitions(MAPPINGS, ["sb-4104"])

    result = evaluate_sensor(instance, ledger, cursor=cursor)

    assert result.dynamic_partitions_requests == []
    assert requested(result) == [("sb-4104", "first-sync:sb-4104/4")]


def test_the_schedule_requests_one_sync_per_mapping_keyed_by_its_tick(instance, ledger):
    evaluate_sensor(instance, ledger)

    first = evaluate_schedule(instance, ledger)
    same_tick = evaluate_schedule(instance, ledger)
    next_tick = evaluate_schedule(instance, ledger, tick=TICK.replace(minute=0, hour=10))

    assert [(r.partition_key, r.run_key) for r in first] == [
        (key, f"{key}@2027-03-01T09:30Z") for key in KEYS
    ]
    assert [r.run_key for r in same_tick] == [r.run_key for r in first]
    assert [r.run_key for r in next_tick] == [f"{key}@2027-03-01T10:00Z" for key in KEYS]


def test_the_schedule_leaves_out_a_mapping_still_syncing_and_one_without_a_partition(
    instance, ledger
):
    evaluate_sensor(instance, ledger)
    instance.add_run(
        dg.DagsterRun(
            job_name="sync_mapping",
            status=dg.DagsterRunStatus.STARTED,
            tags={"dagster/partition": "sb-4101"},
        )
    )
    ledger.add_mapping(4104, "asp-event-4", "seminar-4")

    result = evaluate_schedule(instance, ledger)

    assert [r.partition_key for r in result] == ["sb-4102", "sb-4103"]


def test_the_schedule_skips_with_a_reason_when_no_mapping_is_active(instance, ledger_path):
    empty = Ledger(ledger_path)
    empty.init()

    result = evaluate_schedule(instance, empty)

    assert isinstance(result, dg.SkipReason)
    assert "no active mappings" in str(result.skip_message)
