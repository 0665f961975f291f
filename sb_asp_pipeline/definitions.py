"""The one Definitions of the project, loaded by `dagster dev -w workspace.yaml`."""

import dagster as dg

from sb_asp_pipeline.defs.assets import SYNC_ASSETS
from sb_asp_pipeline.defs.jobs import sync_mapping_job
from sb_asp_pipeline.defs.resources import resources_from_env

defs = dg.Definitions(
    assets=SYNC_ASSETS,
    jobs=[sync_mapping_job],
    resources=resources_from_env(),
)
