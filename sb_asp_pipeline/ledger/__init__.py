"""The sync history in DuckDB."""

from sb_asp_pipeline.ledger.store import (
    TOMBSTONE,
    WRITTEN,
    Ledger,
    LedgerRecord,
    Mapping,
    partition_key,
    sb_event_id_of,
)

__all__ = [
    "TOMBSTONE",
    "WRITTEN",
    "Ledger",
    "LedgerRecord",
    "Mapping",
    "partition_key",
    "sb_event_id_of",
]
