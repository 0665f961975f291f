"""The one Definitions loads, with its assets, checks, jobs, schedule, sensor and resources,
and the project's dagster.yaml gives the instance its concurrency limits and run monitoring."""

from __future__ import annotations

import shutil
from datetime import timedelta

import dagster as dg

from sb_asp_pipeline.definitions import defs
from sb_asp_pipeline.defs.resources import (
    AspResource,
    ClockResource,
    LedgerResource,
    SessionboardResource,
)
from sb_asp_pipeline.settings import PROJECT_ROOT

ORGANIZATION_JOBS = [
    "add_mapping",
    "remove_mapping",
    "connect_organization",
    "disconnect_organization",
]
SYNC_ASSETS = [
    "asp_seminar",
    "sessionboard_programme",
    "valid_programme",
    "asp_records",
    "asp_sync",
]


def test_definitions_hold_the_sync_assets_partitioned_by_mapping_in_one_group():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}

    assert keys == set(SYNC_ASSETS)
    for key in defs.resolve_all_asset_keys():
        node = graph.get(key)
        assert isinstance(node.partitions_def, dg.DynamicPartitionsDefinition)
        assert node.partitions_def.name == "mappings"
        assert node.group_name == "sessionboard_to_asp"
        assert node.description, f"{key} needs a description for the UI"
        assert node.backfill_policy is None, "Dagster's default: one run per partition"
    assert graph.get(dg.AssetKey("asp_sync")).parent_keys == {
        dg.AssetKey("asp_records"),
        dg.AssetKey("asp_seminar"),
    }


def test_the_preconditions_are_blocking_checks_and_the_load_checks_only_report():
    graph = defs.resolve_asset_graph()
    checks = {
        (key.asset_key.to_user_string(), key.name): graph.get_check_spec(key)
        for key in graph.asset_check_keys
    }

    assert {name: spec.blocking for name, spec in checks.items()} == {
        ("asp_seminar", "timezones_match"): True,
        ("asp_seminar", "seminar_has_sessionboard_id"): True,
        ("asp_sync", "rejected_share"): False,
        ("asp_sync", "no_failed_writes"): False,
    }
    for spec in checks.values():
        assert spec.partitions_def is not None
        assert spec.partitions_def.name == "mappings"
        assert spec.description


def test_the_api_steps_retry_transient_failures_and_the_load_writes_through_one_pool():
    ops = {name: defs.resolve_assets_def(name).op for name in SYNC_ASSETS}
    policies = {name: op.retry_policy for name, op in ops.items()}

    for name in ("asp_seminar", "sessionboard_programme", "asp_sync"):
        assert policies[name] is not None, name
        assert policies[name].max_retries == 2
        assert policies[name].backoff == dg.Backoff.EXPONENTIAL
    assert policies["valid_programme"] is None, "pure steps do not fail transiently"
    assert ops["asp_sync"].pool == "asp_writes"
    assert defs.executor == dg.in_process_executor


def test_the_load_has_a_freshness_window_that_fits_the_30_minute_schedule():
    policy = defs.resolve_asset_graph().get(dg.AssetKey("asp_sync")).freshness_policy

    assert policy is not None and policy.warn_window is not None
    assert timedelta(minutes=30) < policy.warn_window.to_timedelta() <= timedelta(hours=1)
    assert policy.fail_window.to_timedelta() == timedelta(minutes=90)


def test_definitions_hold_the_sync_job_and_the_organization_jobs():
    sync = defs.resolve_job_def("sync_mapping")

    assert {node.name for node in sync.graph.node_defs} == set(SYNC_ASSETS)
    assert sync.partitions_def is not None and sync.partitions_def.name == "mappings"
    assert {
        name: [node.name for node in defs.resolve_job_def(name).graph.node_defs]
        for name in ORGANIZATION_JOBS
    } == {
        "add_mapping": ["map_event"],
        "remove_mapping": ["unmap_event"],
        "connect_organization": ["connect_asp"],
        "disconnect_organization": ["disconnect_asp"],
    }


def test_the_schedule_and_the_sensor_run_by_default_and_target_the_sync_job():
    schedule = defs.resolve_schedule_def("sync_every_30_minutes")
    sensor = defs.resolve_sensor_def("mappings_sensor")

    assert schedule.cron_schedule == "*/30 * * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.job_name == "sync_mapping"
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert sensor.job_name == "sync_mapping"
    assert sensor.minimum_interval_seconds == 30


def test_definitions_take_every_secret_from_the_environment():
    resources = defs.resources

    assert isinstance(resources["sessionboard"], SessionboardResource)
    assert isinstance(resources["asp"], AspResource)
    assert isinstance(resources["ledger"], LedgerResource)
    assert isinstance(resources["clock"], ClockResource)
    assert resources["sessionboard"].api_token == dg.EnvVar("SESSIONBOARD_API_TOKEN")
    assert resources["asp"].api_key == dg.EnvVar("ASP_API_KEY")
    assert resources["asp"].api_secret == dg.EnvVar("ASP_API_SECRET")


def test_dagster_yaml_allows_one_run_per_mapping_one_asp_load_and_frees_slots_of_dead_runs(
    tmp_path,
):
    shutil.copyfile(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")

    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        config = instance.get_concurrency_config()
        monitoring = instance.run_monitoring_settings

    assert config.run_queue_config is not None
    assert config.run_queue_config.tag_concurrency_limits == [
        {"key": "dagster/partition", "value": {"applyLimitPerUniqueValue": True}, "limit": 1}
    ]
    assert config.pool_config.default_pool_limit == 1
    assert instance.run_monitoring_enabled
    assert monitoring["free_slots_after_run_end_seconds"] > 0
    assert monitoring["max_runtime_seconds"] >= 30 * 60
