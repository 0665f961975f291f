"""R10 and R10a: times are read, compared and clamped in the event's timezone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from sb_asp_pipeline.sync.times import asp_slot, ends_after, event_zone, to_local

PARIS = ZoneInfo("Europe/Paris")


def test_r10a_an_instant_with_an_offset_is_converted_to_the_event_zone():
    local = to_local("2027-03-14T08:30:00Z", PARIS)

    assert local.isoformat() == "2027-03-14T09:30:00+01:00"


def test_r10a_a_time_without_offset_is_wall_time_in_the_event_zone():
    local = to_local("2027-07-01T09:00:00", PARIS)

    assert local.isoformat() == "2027-07-01T09:00:00+02:00"


def test_r10a_start_and_end_with_different_offsets_land_on_the_same_wall_clock():
    start = to_local("2027-03-28T01:30:00+01:00", PARIS)  # before the spring change
    end = to_local("2027-03-28T04:00:00+02:00", PARIS)  # after it

    slot = asp_slot(start, end)

    assert (slot.date, slot.start, slot.end) == ("2027-03-28", "01:30:00", "04:00:00")


def test_r10a_a_wall_time_in_the_spring_gap_moves_forward_by_the_gap():
    local = to_local("2027-03-28T02:30:00", PARIS)

    assert local.isoformat() == "2027-03-28T03:30:00+02:00"


def test_r10a_a_wall_time_in_the_autumn_overlap_is_its_first_occurrence():
    local = to_local("2027-10-31T02:30:00", PARIS)

    assert local.utcoffset().total_seconds() == 7200


def test_r10_a_session_over_midnight_ends_at_2359_of_its_start_day():
    slot = asp_slot(
        to_local("2027-08-21T23:00:00+02:00", PARIS), to_local("2027-08-22T01:00:00+02:00", PARIS)
    )

    assert (slot.date, slot.start, slot.end) == ("2027-08-21", "23:00:00", "23:59:00")
    assert slot.note and "23:59" in slot.note


def test_r10_a_multi_day_session_keeps_its_end_time_when_it_follows_the_start():
    slot = asp_slot(
        to_local("2027-10-30T10:00:00+02:00", PARIS), to_local("2027-10-31T18:00:00+01:00", PARIS)
    )

    assert (slot.date, slot.start, slot.end) == ("2027-10-30", "10:00:00", "18:00:00")
    assert slot.note is not None


def test_r10a_days_are_decided_in_the_event_zone_not_utc():
    # 23:30 UTC on the 13th is 00:30 on the 14th in Paris.
    slot = asp_slot(
        to_local("2027-03-13T23:30:00Z", PARIS), to_local("2027-03-14T00:15:00Z", PARIS)
    )

    assert (slot.date, slot.start, slot.end) == ("2027-03-14", "00:30:00", "01:15:00")


@pytest.mark.parametrize("name", ["Europe/Paris", "(GMT+1:00) Europe/Paris", " Europe/Paris "])
def test_event_timezone_accepts_the_iana_name_and_the_ui_form(name):
    assert event_zone(name).key == "Europe/Paris"


def test_event_timezone_refuses_an_unknown_name_with_the_name():
    with pytest.raises(ValueError, match="Mars/Olympus"):
        event_zone("Mars/Olympus")


def test_r10a_two_times_in_the_autumn_overlap_compare_as_instants_not_wall_clocks():
    start = to_local("2027-10-31T02:30:00+02:00", PARIS)  # before the clocks go back
    end = to_local("2027-10-31T02:15:00+01:00", PARIS)  # 45 minutes later

    assert end < start, "Python compares one zone's times by wall clock"
    assert ends_after(start, end)
    assert not ends_after(end, start)
