"""Jobs: the sync of one mapping, and the launchpad jobs that change the organization.

The launchpad jobs call the same functions as `sb-asp` (organization.py), so a rule is kept
and a mistake is explained in the same words wherever a person makes the change."""

from contextlib import closing
from typing import Literal

import dagster as dg
from pydantic import Field

from sb_asp_pipeline import organization
from sb_asp_pipeline.defs.assets import GROUP
from sb_asp_pipeline.defs.failures import as_failure
from sb_asp_pipeline.defs.partitions import (
    register_partition,
    unregister_partition,
)
from sb_asp_pipeline.defs.resources import AspResource, LedgerResource

sync_mapping_job = dg.define_asset_job(
    "sync_mapping",
    selection=dg.AssetSelection.groups(GROUP),
    description="Sync one mapping: read both ends and check them, extract, validate, transform "
    "and load into its ASP seminar. Launch it for one partition, or backfill several.",
)


class AddMappingConfig(dg.Config):
    sb_event: int = Field(description="Sessionboard event id")
    asp_event: str = Field(description="ASP event uuid")
    seminar: str = Field(description="ASP seminar uuid the sessions go into")
    withdrawn: Literal["keep", "deactivate"] = Field(
        default="keep",
        description="What a synced session that is no longer accepted becomes in ASP",
    )


class RemoveMappingConfig(dg.Config):
    sb_event: int = Field(description="Sessionboard event id of the mapping to stop")


@dg.op(description="R2/R3: map the event; the first mapping also connects the organization.")
def map_event(
    context: dg.OpExecutionContext,
    config: AddMappingConfig,
    ledger: LedgerResource,
    asp: AspResource,
) -> None:
    with as_failure(context), closing(asp.client()) as client:
        mapping = organization.add_mapping(
            ledger.ledger(),
            client,
            config.sb_event,
            config.asp_event,
            config.seminar,
            config.withdrawn,
        )
    key = register_partition(context.instance, mapping.sb_event_id)
    context.log.info(
        f"mapped sb_event={mapping.sb_event_id} asp_event={mapping.asp_event_id} "
        f"seminar={mapping.seminar_id} partition={key}; the mappings sensor requests its "
        "first sync"
    )


@dg.op(description="R4: stop syncing the mapping; ASP and the mapping's history stay.")
def unmap_event(
    context: dg.OpExecutionContext, config: RemoveMappingConfig, ledger: LedgerResource
) -> None:
    with as_failure(context):
        mapping = organization.remove_mapping(ledger.ledger(), config.sb_event)
    unregister_partition(context.instance, mapping.sb_event_id)
    context.log.info(f"removed sb_event={mapping.sb_event_id}; its history stays in the ledger")


@dg.op(description="R1/R6: check the ASP key and secret, then let syncs write again.")
def connect_asp(context: dg.OpExecutionContext, ledger: LedgerResource, asp: AspResource) -> None:
    with as_failure(context), closing(asp.client()) as client:
        organization.connect(ledger.ledger(), client)
    context.log.info("connected: syncs write to ASP")


@dg.op(description="R6: every later sync fails until the organization connects again.")
def disconnect_asp(context: dg.OpExecutionContext, ledger: LedgerResource) -> None:
    organization.disconnect(ledger.ledger())
    context.log.info(
        "disconnected: every sync fails until the connect_organization job or `sb-asp connect`"
    )


@dg.job(description="Map a Sessionboard event to an ASP event and seminar (launchpad config).")
def add_mapping() -> None:
    map_event()


@dg.job(description="Stop syncing a mapping. Its history and its records in ASP are kept.")
def remove_mapping() -> None:
    unmap_event()


@dg.job(description="Check ASP_API_KEY and ASP_API_SECRET and mark the organization connected.")
def connect_organization() -> None:
    connect_asp()


@dg.job(description="Stop every sync of the organization; nothing in ASP is touched.")
def disconnect_organization() -> None:
    disconnect_asp()


ORGANIZATION_JOBS = [add_mapping, remove_mapping, connect_organization, disconnect_organization]
