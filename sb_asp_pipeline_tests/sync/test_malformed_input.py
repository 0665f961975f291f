"""Malformed API values are refused or ignored record by record, never crash a sync; a bad
credential is refused naming its variable, never its value."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sb_asp_pipeline.errors import ConfigurationError
from sb_asp_pipeline.http import header_secret
from sb_asp_pipeline.sync.extract import _unique_by_id, links_frame, sessions_frame
from sb_asp_pipeline.sync.validate import validate_programme
from sb_asp_pipeline_tests.factories import contact, programme, session

BEFORE = datetime(2027, 3, 1, tzinfo=UTC)


def test_nested_objects_of_the_wrong_type_read_as_absent():
    odd = session("Odd", room="B003", format=["Talk"], track="Main", custom_status="accepted")
    odd["custom_fields"] = ["key_takeaways", None]

    row = sessions_frame([odd]).iloc[0]

    assert (row["room"], row["format"], row["track"], row["custom_status"]) == (None,) * 4


def test_speaker_entries_without_id_or_of_the_wrong_type_are_left_out_and_order_is_kept():
    ada = contact("Ada Lovelace")
    talk = session("Talk", ada)
    talk["speakers"] = [None, {"first_name": "No id"}, {**talk["speakers"][0], "order": "x"}, 7]

    links = links_frame([talk])

    assert list(links["speaker_id"]) == [ada["id"]]
    assert list(links["order"]) == [2], "an unusable order falls back to its place among entries"


def test_records_without_an_id_are_dropped_from_a_listing():
    assert [r["id"] for r in _unique_by_id([{"id": "a"}, {"title": "x"}, None, {"id": "a"}])] == [
        "a"
    ]  # type: ignore[list-item]


def test_r10a_a_date_out_of_range_after_conversion_is_rejected_not_a_crash():
    far = session("Far", ends_at="9999-12-31T23:59:59-12:00", friendly_id="F")

    valid = validate_programme(programme([far, session("Fine")], []), BEFORE)

    assert list(valid.sessions["title"]) == ["Fine"]
    assert [(r["label"], r["field"]) for r in valid.rejections.to_dict("records")] == [
        ("F", "ends_at")
    ]


def test_r01_a_credential_with_surrounding_whitespace_is_cleaned():
    assert header_secret("  tok3n\n", "SESSIONBOARD_API_TOKEN") == "tok3n"


@pytest.mark.parametrize("value", ["", "  ", "to\nken", "to\rken\x00"])
def test_r01_an_unusable_credential_is_refused_naming_the_variable_not_the_value(value):
    with pytest.raises(ConfigurationError) as refused:
        header_secret(value, "ASP_API_SECRET")

    assert "ASP_API_SECRET" in str(refused.value)
    assert "ken" not in str(refused.value)
