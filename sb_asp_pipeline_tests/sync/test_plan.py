"""R17, R18, R19: the plan creates what is new, updates what changed, leaves the rest."""

from __future__ import annotations

from sb_asp_pipeline.ledger import TOMBSTONE, WRITTEN, LedgerRecord
from sb_asp_pipeline.sync.plan import payload_hash, plan_records


def _row(key: str, payload: dict, state: str = WRITTEN) -> LedgerRecord:
    return LedgerRecord(
        "sem", "session", key, 1, f"uuid-{key}", payload_hash(payload), payload, state, "s"
    )


def test_r19_an_unchanged_payload_is_not_written_again():
    actions = plan_records({"a": {"title": "x"}}, {"a": _row("a", {"title": "x"})})

    assert [a.operation for a in actions] == ["unchanged"]


def test_r17_a_changed_field_is_an_update_of_the_known_record():
    actions = plan_records({"a": {"title": "y"}}, {"a": _row("a", {"title": "x"})})

    assert [(a.operation, a.asp_uuid) for a in actions] == [("update", "uuid-a")]


def test_r17_a_record_unknown_to_the_ledger_is_a_create():
    actions = plan_records({"b": {"title": "x"}}, {})

    assert [(a.operation, a.asp_uuid) for a in actions] == [("create", None)]


def test_r18_a_tombstoned_record_is_never_written_again():
    actions = plan_records({"a": {"title": "y"}}, {"a": _row("a", {"title": "x"}, TOMBSTONE)})

    assert [a.operation for a in actions] == ["tombstoned"]


def test_r19_the_payload_hash_ignores_key_order():
    assert payload_hash({"a": 1, "b": [1, 2]}) == payload_hash({"b": [1, 2], "a": 1})
    assert payload_hash({"a": 1}) != payload_hash({"a": 2})
