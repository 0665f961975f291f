"""The one Definitions of the project, loaded by `dagster dev -w workspace.yaml`."""

import dagster as dg

from sb_asp_pipeline.defs.assets import SYNC_ASSETS
from sb_asp_pipeline.defs.jobs import ORGANIZATION_JOBS, sync_mapping_job
from sb_asp_pipeline.defs.resources import resources_from_env
from sb_asp_pipeline.defs.schedules import sync_every_30_minutes
from sb_asp_pipeline.defs.sensors import mappings_sensor

defs = dg.Definitions(
    assets=SYNC_ASSETS,
    jobs=[sync_mapping_job, *ORGANIZATION_JOBS],
    schedules=[sync_every_30_minutes],
    sensors=[mappings_sensor],
    resources=resources_from_env(),
    # A sync is a short chain of steps over one mapping's small frames: one process per run
    # starts in a second, where a process per step would cost more than the work. Runs, one per
    # mapping, are what spread over cores or machines (README, "Deploying").
    executor=dg.in_process_executor,
)
