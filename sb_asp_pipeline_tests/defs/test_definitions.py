"""The one Definitions loads, with its assets, jobs and resources."""

from __future__ import annotations

import dagster as dg

from sb_asp_pipeline.definitions import defs
from sb_asp_pipeline.defs.resources import (
    AspResource,
    ClockResource,
    LedgerResource,
    SessionboardResource,
)


def test_definitions_hold_the_sync_assets_partitioned_by_mapping():
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}

    assert keys == {
        "asp_seminar",
        "sessionboard_programme",
        "valid_programme",
        "asp_records",
        "asp_sync",
    }
    graph = defs.resolve_asset_graph()
    for key in defs.resolve_all_asset_keys():
        partitions = graph.get(key).partitions_def
        assert isinstance(partitions, dg.DynamicPartitionsDefinition)
        assert partitions.name == "mappings"
    assert graph.get(dg.AssetKey("asp_sync")).parent_keys == {
        dg.AssetKey("asp_records"),
        dg.AssetKey("asp_seminar"),
    }


def test_definitions_take_every_secret_from_the_environment():
    resources = defs.resources

    assert isinstance(resources["sessionboard"], SessionboardResource)
    assert isinstance(resources["asp"], AspResource)
    assert isinstance(resources["ledger"], LedgerResource)
    assert isinstance(resources["clock"], ClockResource)
    assert resources["sessionboard"].api_token == dg.EnvVar("SESSIONBOARD_API_TOKEN")
    assert resources["asp"].api_key == dg.EnvVar("ASP_API_KEY")
    assert resources["asp"].api_secret == dg.EnvVar("ASP_API_SECRET")


def test_the_sync_job_selects_every_asset():
    job = defs.resolve_job_def("sync_mapping")

    assert {node.name for node in job.graph.node_defs} >= {"asp_sync", "asp_seminar"}
