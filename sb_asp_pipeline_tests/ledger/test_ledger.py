"""The ledger: mappings (R2, R3, R4) and records, in a real DuckDB file."""

from __future__ import annotations

import duckdb
import pytest

from sb_asp_pipeline.errors import ConfigurationError
from sb_asp_pipeline.ledger import WRITTEN, Ledger, LedgerRecord


@pytest.fixture
def ledger(tmp_path):
    store = Ledger(tmp_path / "ledger.duckdb")
    store.init()
    return store


def test_r02_an_organization_may_hold_many_mappings(ledger):
    ledger.add_mapping(1, "asp-1", "sem-1")
    ledger.add_mapping(2, "asp-2", "sem-2")

    assert [(m.sb_event_id, m.seminar_id) for m in ledger.mappings()] == [
        (1, "sem-1"),
        (2, "sem-2"),
    ]


def test_r03_a_mapped_sessionboard_event_cannot_be_mapped_again(ledger):
    ledger.add_mapping(1, "asp-1", "sem-1")

    with pytest.raises(ConfigurationError, match="already mapped to ASP event asp-1"):
        ledger.add_mapping(1, "asp-2", "sem-2")
    assert [m.asp_event_id for m in ledger.mappings()] == ["asp-1"]


def test_r03_a_mapped_asp_event_cannot_be_the_target_of_another_event(ledger):
    ledger.add_mapping(1, "asp-1", "sem-1")

    with pytest.raises(ConfigurationError, match="already the target of Sessionboard event 1"):
        ledger.add_mapping(2, "asp-1", "sem-9")
    assert len(ledger.mappings()) == 1


def test_r04_a_removed_mapping_keeps_its_row_and_frees_both_events(ledger):
    ledger.add_mapping(1, "asp-1", "sem-1")
    ledger.remove_mapping(1)

    ledger.add_mapping(1, "asp-1", "sem-2")

    history = ledger.mappings(include_removed=True)
    assert [(m.seminar_id, m.active) for m in history] == [("sem-1", False), ("sem-2", True)]


def test_a_batch_with_one_key_twice_keeps_the_last_row(ledger):
    first = LedgerRecord("sem", "session", "k", 1, "u1", "h1", {"v": 1}, WRITTEN, "s")
    second = LedgerRecord("sem", "session", "k", 1, "u2", "h2", {"v": 2}, WRITTEN, "s")

    ledger.save_records([first, second])

    assert ledger.records("sem", "session")["k"].asp_uuid == "u2"


def test_the_ledger_file_is_readable_with_plain_duckdb(ledger):
    ledger.add_mapping(1, "asp-1", "sem-1")

    with duckdb.connect(str(ledger.path), read_only=True) as db:
        tables = {row[0] for row in db.execute("SHOW TABLES").fetchall()}
    assert {"mappings", "records", "sync_runs", "rejections"} <= tables
