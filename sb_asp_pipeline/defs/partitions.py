"""One dynamic partition per active mapping, keyed `sb-<Sessionboard event id>`."""

import dagster as dg

mapping_partitions = dg.DynamicPartitionsDefinition(name="mappings")
