"""The ledger: the sync history in one DuckDB file that a person can open and read.

DuckDB lets one process hold the file at a time, and several Dagster runs (one process each)
share it. So every operation opens the file, does its work in one transaction and closes it
again, and a lock held by another run is waited out with backoff."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_delay,
    wait_random_exponential,
)

from sb_asp_pipeline.errors import ConfigurationError
from sb_asp_pipeline.ledger.schema import SCHEMA

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 120.0

# Limitation: one organization per deployment, since its ASP credentials come from one set of
# environment variables; several organizations need one code location (or one set of resources)
# each. The table is keyed by organization so that change stays local.
DEFAULT_ORG = "default"
WRITTEN = "written"
TOMBSTONE = "tombstone"


@dataclass(frozen=True)
class Mapping:
    mapping_id: int
    sb_event_id: int
    asp_event_id: str
    seminar_id: str
    withdrawn_policy: str
    active: bool

    @property
    def partition_key(self) -> str:
        return partition_key(self.sb_event_id)


def partition_key(sb_event_id: int) -> str:
    """A plain partition key per Sessionboard event; no commas or JSON, so UI backfills work."""
    return f"sb-{sb_event_id}"


def sb_event_id_of(key: str) -> int:
    try:
        return int(key.removeprefix("sb-"))
    except ValueError:
        raise ConfigurationError(
            f"partition {key!r} is not a mapping key: expected sb-<Sessionboard event id>"
        ) from None


@dataclass(frozen=True)
class LedgerRecord:
    """What the ledger remembers of one record written to ASP."""

    seminar_id: str
    kind: str  # "session" | "speaker"
    source_key: str  # Sessionboard session id, or the speaker's email key
    sb_event_id: int
    asp_uuid: str | None
    payload_hash: str | None
    payload: dict[str, Any] | None
    state: str  # WRITTEN | TOMBSTONE
    sync_id: str


def _is_lock_error(error: BaseException) -> bool:
    return isinstance(error, duckdb.IOException) and "lock" in str(error).lower()


class Ledger:
    """Mappings, records, tombstones, rejections and sync runs in one DuckDB file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection inside one transaction, waiting out other writers."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        retrying = Retrying(
            retry=retry_if_exception(_is_lock_error),
            wait=wait_random_exponential(multiplier=0.05, max=2),
            stop=stop_after_delay(LOCK_WAIT_SECONDS),
            reraise=True,
        )
        connection = retrying(duckdb.connect, str(self.path))
        try:
            connection.execute("BEGIN TRANSACTION")
            yield connection
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def init(self) -> None:
        with self.connect() as db:
            db.execute(SCHEMA)

    # --- mappings ------------------------------------------------------------------------

    def add_mapping(
        self, sb_event_id: int, asp_event_id: str, seminar_id: str, withdrawn_policy: str = "keep"
    ) -> Mapping:
        """R2/R3: one active mapping per Sessionboard event and per ASP event."""
        if withdrawn_policy not in ("keep", "deactivate"):
            raise ConfigurationError(
                f"withdrawn policy {withdrawn_policy!r} is unknown: use 'keep' or 'deactivate'"
            )
        with self.connect() as db:
            clash = db.execute(
                "SELECT sb_event_id, asp_event_id FROM mappings WHERE active "
                "AND (sb_event_id = ? OR asp_event_id = ?)",
                [sb_event_id, asp_event_id],
            ).fetchone()
            if clash:
                raise ConfigurationError(_clash_message(clash, sb_event_id, asp_event_id))

            db.execute(
                "INSERT INTO mappings (mapping_id, sb_event_id, asp_event_id, seminar_id, "
                "withdrawn_policy, active, added_at) "
                "VALUES (nextval('mapping_ids'), ?, ?, ?, ?, true, ?)",
                [sb_event_id, asp_event_id, seminar_id, withdrawn_policy, _now()],
            )
        mapping = self.mapping(sb_event_id)
        assert mapping is not None
        return mapping

    def remove_mapping(self, sb_event_id: int) -> Mapping:
        """R4: the mapping stops syncing; its history and ASP records stay."""
        mapping = self.mapping(sb_event_id)
        if mapping is None:
            raise ConfigurationError(
                f"no active mapping for Sessionboard event {sb_event_id}: "
                "`sb-asp mappings list` shows the active ones"
            )
        with self.connect() as db:
            db.execute(
                "UPDATE mappings SET active = false, removed_at = ? WHERE mapping_id = ?",
                [_now(), mapping.mapping_id],
            )
        return mapping

    def mapping(self, sb_event_id: int) -> Mapping | None:
        """The active mapping of a Sessionboard event, if any."""
        with self.connect() as db:
            row = db.execute(
                f"SELECT {_MAPPING_FIELDS} FROM mappings WHERE active AND sb_event_id = ?",
                [sb_event_id],
            ).fetchone()
        return Mapping(*row) if row else None

    def mappings(self, *, include_removed: bool = False) -> list[Mapping]:
        where = "" if include_removed else "WHERE active"
        with self.connect() as db:
            rows = db.execute(
                f"SELECT {_MAPPING_FIELDS} FROM mappings {where} ORDER BY mapping_id"
            ).fetchall()
        return [Mapping(*row) for row in rows]

    # --- the connection ------------------------------------------------------------------

    def set_connected(
        self, connected: bool, asp_base_url: str | None = None, organization: str = DEFAULT_ORG
    ) -> None:
        with self.connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO connections (organization, connected, asp_base_url, "
                "changed_at) VALUES (?, ?, ?, ?)",
                [organization, connected, asp_base_url, _now()],
            )

    def connection_state(self, organization: str = DEFAULT_ORG) -> bool | None:
        """True when connected, False when disconnected, None when never connected."""
        with self.connect() as db:
            row = db.execute(
                "SELECT connected FROM connections WHERE organization = ?", [organization]
            ).fetchone()
        return None if row is None else bool(row[0])

    # --- records -------------------------------------------------------------------------

    def records(self, seminar_id: str, kind: str) -> dict[str, LedgerRecord]:
        with self.connect() as db:
            rows = db.execute(
                "SELECT seminar_id, kind, source_key, sb_event_id, asp_uuid, payload_hash, "
                "payload, state, sync_id FROM records WHERE seminar_id = ? AND kind = ?",
                [seminar_id, kind],
            ).fetchall()
        return {
            row[2]: LedgerRecord(
                seminar_id=row[0],
                kind=row[1],
                source_key=row[2],
                sb_event_id=row[3],
                asp_uuid=row[4],
                payload_hash=row[5],
                payload=json.loads(row[6]) if row[6] else None,
                state=row[7],
                sync_id=row[8],
            )
            for row in rows
        }

    def save_records(self, records: list[LedgerRecord]) -> None:
        """Upsert a batch. The batch is deduplicated first: DuckDB keeps the first of two rows
        with one key in a single upsert, and the last one is the one that holds."""
        if not records:
            return
        latest = {(r.seminar_id, r.kind, r.source_key): r for r in records}
        frame = pd.DataFrame(
            [
                {
                    "seminar_id": r.seminar_id,
                    "kind": r.kind,
                    "source_key": r.source_key,
                    "sb_event_id": r.sb_event_id,
                    "asp_uuid": r.asp_uuid,
                    "payload_hash": r.payload_hash,
                    "payload": json.dumps(r.payload, sort_keys=True) if r.payload else None,
                    "state": r.state,
                    "sync_id": r.sync_id,
                    "written_at": _now(),
                }
                for r in latest.values()
            ]
        )
        with self.connect() as db:
            db.register("batch", frame)
            db.execute(
                "INSERT OR REPLACE INTO records (seminar_id, kind, source_key, sb_event_id, "
                "asp_uuid, payload_hash, payload, state, sync_id, written_at) "
                "SELECT seminar_id, kind, source_key, sb_event_id, asp_uuid, payload_hash, "
                "payload::JSON, state, sync_id, written_at FROM batch"
            )
            db.unregister("batch")

    # --- sync runs and rejections --------------------------------------------------------

    def start_sync(self, sync_id: str, mapping: Mapping, run_id: str | None) -> None:
        with self.connect() as db:
            db.execute(
                "INSERT INTO sync_runs (sync_id, mapping_id, sb_event_id, seminar_id, run_id, "
                "started_at, status) VALUES (?, ?, ?, ?, ?, ?, 'running')",
                [
                    sync_id,
                    mapping.mapping_id,
                    mapping.sb_event_id,
                    mapping.seminar_id,
                    run_id,
                    _now(),
                ],
            )

    def finish_sync(
        self, sync_id: str, status: str, counts: dict[str, int], rejections: pd.DataFrame
    ) -> None:
        """Close the sync's row with its counts and keep its rejections, in one transaction."""
        rows = rejections.assign(sync_id=sync_id, recorded_at=_now())
        with self.connect() as db:
            db.execute(
                "UPDATE sync_runs SET status = ?, finished_at = ?, counts = ? WHERE sync_id = ?",
                [status, _now(), json.dumps(counts, sort_keys=True), sync_id],
            )
            if not rows.empty:
                db.register("batch", rows)
                db.execute(
                    "INSERT INTO rejections (sync_id, kind, record_id, label, field, rule, "
                    "value, message, recorded_at) SELECT sync_id, kind, record_id, label, "
                    "field, rule, value, message, recorded_at FROM batch"
                )
                db.unregister("batch")

    def sync_runs(self, sb_event_id: int | None = None) -> pd.DataFrame:
        where, params = ("WHERE sb_event_id = ?", [sb_event_id]) if sb_event_id else ("", [])
        with self.connect() as db:
            return db.execute(f"SELECT * FROM sync_runs {where} ORDER BY started_at", params).df()

    def rejections(self, sync_id: str) -> pd.DataFrame:
        with self.connect() as db:
            return db.execute(
                "SELECT kind, record_id, label, field, rule, value, message FROM rejections "
                "WHERE sync_id = ? ORDER BY kind, label",
                [sync_id],
            ).df()


_MAPPING_FIELDS = "mapping_id, sb_event_id, asp_event_id, seminar_id, withdrawn_policy, active"


def _clash_message(clash: tuple[Any, ...], sb_event_id: int, asp_event_id: str) -> str:
    mapped_sb, mapped_asp = clash
    if mapped_sb == sb_event_id:
        return (
            f"Sessionboard event {sb_event_id} is already mapped to ASP event {mapped_asp}: "
            "remove that mapping first (`sb-asp mappings remove "
            f"--sb-event {sb_event_id}`). Nothing was changed."
        )
    return (
        f"ASP event {asp_event_id} is already the target of Sessionboard event {mapped_sb}: "
        f"remove that mapping first (`sb-asp mappings remove --sb-event {mapped_sb}`). "
        "Nothing was changed."
    )


def _now() -> datetime:
    return datetime.now(UTC)
