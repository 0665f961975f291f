"""Moving event documents in local wall time, and the sample event's extra sessions."""

import datetime as dt
from typing import Any

from sb_asp_pipeline.sandbox.events import seminar_session_types, shift_event


def event_doc(timezone: str, *sessions: tuple[str | None, str | None], **extra: Any) -> dict:
    """A small event document with one session per (starts_at, ends_at) pair."""
    return {
        "event": {"id": 1, "name": "Test event", "timezone": timezone},
        "fields": [],
        "sessions": [
            {"id": f"s{n}", "starts_at": start, "ends_at": end, "format": {"name": f"Format {n}"}}
            for n, (start, end) in enumerate(sessions)
        ],
        "speakers": [],
        "files": {},
        **extra,
    }


def times(doc: dict) -> list[tuple[str | None, str | None]]:
    return [(s["starts_at"], s["ends_at"]) for s in doc["sessions"]]


def test_a_session_moved_across_a_dst_change_keeps_its_local_time_with_the_new_offset():
    doc = event_doc("Europe/Paris", ("2025-10-30T10:00:00+01:00", "2025-10-30T11:30:00+01:00"))

    shifted = shift_event(doc, start_in_days=29, today=dt.date(2026, 3, 1))

    assert times(shifted) == [("2026-03-30T10:00:00+02:00", "2026-03-30T11:30:00+02:00")]
    assert shifted["first_day"] == "2026-03-30"


def test_an_instant_written_in_utc_is_moved_by_its_local_wall_time():
    doc = event_doc("Europe/Paris", ("2025-10-30T09:00:00+00:00", "2025-10-30T10:00:00Z"))

    shifted = shift_event(doc, start_in_days=0, today=dt.date(2026, 7, 1))

    assert times(shifted) == [("2026-07-01T10:00:00+02:00", "2026-07-01T11:00:00+02:00")]


def test_times_without_offset_stay_without_offset():
    doc = event_doc("Europe/Vienna", ("2024-04-20T09:00:00", "2024-04-20T09:45:00"))

    shifted = shift_event(doc, start_in_days=3, today=dt.date(2026, 10, 22))

    assert times(shifted) == [("2026-10-25T09:00:00", "2026-10-25T09:45:00")]


def test_null_times_stay_null_and_the_first_day_is_the_earliest_local_start():
    doc = event_doc(
        "America/New_York",
        ("2027-03-15T09:30:00-04:00", "2027-03-15T10:15:00-04:00"),
        # 01:30 UTC on the 15th is 21:30 on the 14th in New York: the event's first day.
        ("2027-03-15T01:30:00+00:00", None),
        (None, None),
    )

    shifted = shift_event(doc, start_in_days=1, today=dt.date(2027, 1, 9))

    assert times(shifted) == [
        ("2027-01-11T09:30:00-05:00", "2027-01-11T10:15:00-05:00"),
        ("2027-01-10T21:30:00-05:00", None),
        (None, None),
    ]


def test_a_wall_time_in_the_spring_forward_gap_moves_to_the_instant_after_it():
    doc = event_doc("Europe/Paris", ("2025-11-01T02:30:00+01:00", "2025-11-01T04:00:00+01:00"))

    shifted = shift_event(doc, start_in_days=0, today=dt.date(2026, 3, 29))

    assert times(shifted) == [("2026-03-29T03:30:00+02:00", "2026-03-29T04:00:00+02:00")]


def test_shifting_leaves_the_original_document_untouched():
    doc = event_doc("(GMT+1:00) Europe/Paris", ("2025-11-01T10:00:00+01:00", None))

    shift_event(doc, start_in_days=10, today=dt.date(2026, 1, 1))

    assert times(doc) == [("2025-11-01T10:00:00+01:00", None)]


def test_the_sample_event_starts_on_the_day_asked_and_one_session_ended_yesterday(sample_doc):
    shifted = shift_event(sample_doc, start_in_days=30, today=dt.date(2026, 12, 3))

    by_friendly_id = {s["friendly_id"]: s for s in shifted["sessions"]}
    assert shifted["first_day"] == "2027-01-02"
    assert by_friendly_id["PYFR-120"]["starts_at"] == "2027-01-02T10:00:00+01:00"
    assert by_friendly_id["PYFR-101"]["starts_at"] == "2027-01-04T08:50:00+01:00"
    assert times({"sessions": [by_friendly_id["PYFR-903"]]}) == [
        ("2026-12-02T18:30:00+01:00", "2026-12-02T20:00:00+01:00")
    ]
    assert times({"sessions": [by_friendly_id["PYFR-904"]]}) == [(None, None)]


def test_the_sample_event_has_one_session_for_each_case_the_real_data_lacks(sample_doc):
    extras = {
        s["friendly_id"]: (s["status"], s["starts_at"], s["ends_at"])
        for s in sample_doc["sessions"]
        if s["friendly_id"].startswith("PYFR-9")
    }

    assert extras == {
        "PYFR-901": ("pending", "2025-11-01T14:00:00+01:00", "2025-11-01T14:25:00+01:00"),
        "PYFR-902": ("declined", "2025-11-02T10:00:00+01:00", "2025-11-02T10:55:00+01:00"),
        "PYFR-903": ("accepted", "2025-09-29T18:30:00+02:00", "2025-09-29T20:00:00+02:00"),
        "PYFR-904": ("accepted", None, None),
    }
    contacts = {c["id"] for c in sample_doc["speakers"]}
    assert all(
        entry["id"] in contacts
        for s in sample_doc["sessions"]
        if s["friendly_id"].startswith("PYFR-9")
        for entry in s["speakers"]
    )


def test_seminar_session_types_come_from_the_asp_key_or_else_from_the_formats(sample_doc):
    doc = event_doc("Europe/Paris", (None, None), (None, None))
    doc["sessions"].append({"id": "again", "format": {"name": "Format 0"}})

    assert seminar_session_types(sample_doc) == [
        "Session",
        "Keynote",
        "Long Talk",
        "Short talk",
        "Workshop",
        "Sprint",
        "Lightning talk",
    ]
    assert seminar_session_types(doc) == ["Session", "Format 0", "Format 1"]
