"""Plan: compare the records a seminar should hold with what the ledger says was written.
Pure: the decision for each record depends only on its payload and its ledger row."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from sb_asp_pipeline.ledger import TOMBSTONE, LedgerRecord

Operation = Literal["create", "update", "unchanged", "tombstoned"]


@dataclass(frozen=True)
class Action:
    key: str
    operation: Operation
    payload: dict[str, Any]
    payload_hash: str
    asp_uuid: str | None


def payload_hash(payload: dict[str, Any]) -> str:
    """A stable fingerprint of what would be written (R19)."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def plan_records(
    desired: dict[str, dict[str, Any]], ledger: dict[str, LedgerRecord]
) -> list[Action]:
    """One action per desired record: create what ASP has never had, update what changed,
    leave what is unchanged or deleted in ASP (R17, R18, R19)."""
    actions = []
    for key, payload in desired.items():
        fingerprint = payload_hash(payload)
        known = ledger.get(key)
        if known is None or known.asp_uuid is None:
            operation: Operation = "create"
        elif known.state == TOMBSTONE:
            operation = "tombstoned"
        elif known.payload_hash == fingerprint:
            operation = "unchanged"
        else:
            operation = "update"
        actions.append(
            Action(key, operation, payload, fingerprint, known.asp_uuid if known else None)
        )
    return actions


def matches(existing: dict[str, Any], payload: dict[str, Any]) -> bool:
    """True when a record found in ASP already holds every field of the payload."""
    return all(existing.get(field) == value for field, value in payload.items())
