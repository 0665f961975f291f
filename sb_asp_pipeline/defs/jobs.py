"""Jobs over the sync assets."""

import dagster as dg

from sb_asp_pipeline.defs.assets import GROUP
from sb_asp_pipeline.defs.partitions import mapping_partitions

sync_mapping_job = dg.define_asset_job(
    "sync_mapping",
    selection=dg.AssetSelection.groups(GROUP),
    partitions_def=mapping_partitions,
    description="Sync one mapping: extract, validate, transform and load into its ASP seminar.",
)
