"""R9, R10, R10a: one injectable clock; days, times and "past" decided in the event's timezone,
across DST changes and whatever offsets a start and an end are written with."""

from __future__ import annotations

from datetime import UTC, datetime

from sb_asp_pipeline_tests.agenda import event_doc, talk

NEW_YORK = "America/New_York"


def slots(env):
    return {key: (s["date"], s["start"], s["end"]) for key, s in env.asp().items()}


def outcomes(frame):
    return sorted(zip(frame["label"], frame["rule"], frame["field"], strict=True))


def at(start: str, end: str, friendly_id: str, **fields):
    return talk(friendly_id, starts_at=start, ends_at=end, **fields)


# --- R9: the moment of the sync ---------------------------------------------------------


def test_r09_a_session_that_has_ended_at_the_moment_of_the_sync_is_skipped(agenda):
    env = agenda(
        event_doc(
            [
                at("2030-06-10T09:00:00+02:00", "2030-06-10T09:45:00+02:00", "E-1"),
                at("2030-06-10T09:00:00+02:00", "2030-06-10T09:46:00+02:00", "E-2"),
                at("2030-06-10T08:00:00+02:00", "2030-06-10T09:00:00+02:00", "E-3"),
            ]
        )
    )

    report = env.sync(now=datetime(2030, 6, 10, 7, 45, tzinfo=UTC))  # 09:45 in Paris

    assert sorted(env.asp()) == ["E-2"]
    assert outcomes(report.skips) == [("E-1", "R9", "ends_at"), ("E-3", "R9", "ends_at")]


def test_r09_the_moment_of_the_sync_comes_from_the_injected_clock(agenda):
    env = agenda(event_doc([at("2030-06-10T09:00:00+02:00", "2030-06-10T09:45:00+02:00", "E-1")]))

    late = env.sync(now=datetime(2030, 6, 11, tzinfo=UTC))
    early = env.sync(now=datetime(2030, 6, 9, tzinfo=UTC))

    assert (late.sessions["skipped"], early.sessions["created"]) == (1, 1)
    assert slots(env) == {"E-1": ("2030-06-10", "09:00:00", "09:45:00")}


# --- R10: one calendar day per session ---------------------------------------------------


def test_r10_a_multi_day_session_is_written_on_its_start_day_keeping_its_end_time(agenda):
    env = agenda(
        event_doc([at("2030-06-10T10:00:00+02:00", "2030-06-11T17:00:00+02:00", "SPRINT")])
    )

    report = env.sync()

    assert slots(env) == {"SPRINT": ("2030-06-10", "10:00:00", "17:00:00")}
    assert report.notes == ["SPRINT: spans 2 days; written on 2030-06-10 with its end time"]


def test_r10_a_session_ending_after_midnight_ends_at_2359_of_its_start_day(agenda):
    env = agenda(
        event_doc(
            [
                at("2030-06-10T23:00:00+02:00", "2030-06-11T00:30:00+02:00", "LATE"),
                at("2030-06-10T14:00:00+02:00", "2030-06-12T10:00:00+02:00", "LONG"),
            ]
        )
    )

    report = env.sync()

    assert slots(env) == {
        "LATE": ("2030-06-10", "23:00:00", "23:59:00"),
        "LONG": ("2030-06-10", "14:00:00", "23:59:00"),
    }
    assert sorted(report.notes) == [
        "LATE: ends on 2030-06-11; written on 2030-06-10 ending at 23:59",
        "LONG: ends on 2030-06-12; written on 2030-06-10 ending at 23:59",
    ]


# --- R10a: instants, wall times, days and DST --------------------------------------------


def test_r10a_an_instant_with_an_offset_is_converted_to_the_event_timezone(agenda):
    env = agenda(
        event_doc(
            [
                at("2030-06-10T07:00:00Z", "2030-06-10T07:45:00Z", "UTC"),
                at("2030-06-10T16:00:00+09:00", "2030-06-10T16:45:00+09:00", "TOKYO"),
                at("2030-06-10T03:00:00-04:00", "2030-06-10T03:45:00-04:00", "NEW-YORK"),
            ]
        )
    )

    env.sync()

    assert slots(env) == {
        "UTC": ("2030-06-10", "09:00:00", "09:45:00"),
        "TOKYO": ("2030-06-10", "09:00:00", "09:45:00"),
        "NEW-YORK": ("2030-06-10", "09:00:00", "09:45:00"),
    }


def test_r10a_a_time_without_offset_is_wall_time_in_the_event_timezone(agenda):
    env = agenda(
        event_doc(
            [at("2030-06-10T09:00:00", "2030-06-10T09:45:00", "WALL")],
            timezone=NEW_YORK,
        )
    )

    env.sync()

    assert slots(env) == {"WALL": ("2030-06-10", "09:00:00", "09:45:00")}


def test_r10a_a_wall_time_session_is_past_by_the_event_clock_not_by_utc(agenda):
    env = agenda(
        event_doc(
            [
                at("2030-06-10T05:00:00", "2030-06-10T05:30:00", "DAWN"),  # 09:30 UTC
                at("2030-06-10T09:00:00", "2030-06-10T09:45:00", "MORNING"),  # 13:45 UTC
            ],
            timezone=NEW_YORK,
        )
    )

    report = env.sync(now=datetime(2030, 6, 10, 10, 0, tzinfo=UTC))  # 06:00 in New York

    assert sorted(env.asp()) == ["MORNING"]
    assert outcomes(report.skips) == [("DAWN", "R9", "ends_at")]


def test_r10a_days_are_decided_in_the_event_timezone(agenda):
    paris = agenda(
        event_doc([at("2030-06-09T22:30:00Z", "2030-06-09T23:15:00Z", "AFTER-MIDNIGHT")])
    )
    new_york = agenda(
        event_doc(
            [at("2030-06-11T02:00:00Z", "2030-06-11T03:00:00Z", "BEFORE-MIDNIGHT")],
            timezone=NEW_YORK,
            event_id=4301,
        )
    )

    paris.sync()
    new_york.sync()

    assert slots(paris) == {"AFTER-MIDNIGHT": ("2030-06-10", "00:30:00", "01:15:00")}
    assert slots(new_york) == {"BEFORE-MIDNIGHT": ("2030-06-10", "22:00:00", "23:00:00")}


def test_r10a_start_and_end_written_with_different_offsets_land_on_the_event_wall_clock(agenda):
    env = agenda(
        event_doc(
            [
                at("2030-06-10T09:00:00+02:00", "2030-06-10T08:30:00Z", "MIXED-1"),
                at("2030-06-10T07:00:00Z", "2030-06-10T06:30:00-04:00", "MIXED-2"),
                at("2030-06-10T09:00:00", "2030-06-10T08:30:00+00:00", "MIXED-3"),
            ]
        )
    )

    env.sync()

    assert slots(env) == {
        "MIXED-1": ("2030-06-10", "09:00:00", "10:30:00"),
        "MIXED-2": ("2030-06-10", "09:00:00", "12:30:00"),
        "MIXED-3": ("2030-06-10", "09:00:00", "10:30:00"),
    }


def test_r10a_a_session_across_the_spring_dst_change_keeps_its_wall_times(agenda):
    # Paris, 31 March 2030: at 02:00 the clocks jump to 03:00.
    env = agenda(
        event_doc(
            [
                at("2030-03-31T01:30:00+01:00", "2030-03-31T03:30:00+02:00", "NIGHT"),
                at("2030-03-30T23:30:00Z", "2030-03-31T01:30:00Z", "UTC-NIGHT"),
                # 02:30 does not exist that night: a wall clock shows 03:30.
                at("2030-03-31T02:30:00", "2030-03-31T04:00:00", "IN-THE-GAP"),
            ]
        )
    )

    report = env.sync()

    assert slots(env) == {
        "NIGHT": ("2030-03-31", "01:30:00", "03:30:00"),
        "UTC-NIGHT": ("2030-03-31", "00:30:00", "03:30:00"),
        "IN-THE-GAP": ("2030-03-31", "03:30:00", "04:00:00"),
    }
    assert report.rejections.empty


def test_r10a_a_session_across_the_autumn_dst_change_keeps_its_wall_times(agenda):
    # Paris, 27 October 2030: at 03:00 the clocks go back to 02:00.
    env = agenda(
        event_doc(
            [
                at("2030-10-27T01:30:00+02:00", "2030-10-27T02:30:00+01:00", "NIGHT"),
                at("2030-10-26T10:00:00+02:00", "2030-10-27T09:00:00+01:00", "OVER-THE-CHANGE"),
                # 45 minutes that end, on the wall clock, before they start: ASP cannot show it.
                at("2030-10-27T02:30:00+02:00", "2030-10-27T02:15:00+01:00", "BACKWARDS"),
            ]
        )
    )

    report = env.sync()

    assert slots(env) == {
        "NIGHT": ("2030-10-27", "01:30:00", "02:30:00"),
        "OVER-THE-CHANGE": ("2030-10-26", "10:00:00", "23:59:00"),
    }
    [rejection] = report.rejections.to_dict("records")
    assert (rejection["label"], rejection["rule"], rejection["field"]) == (
        "BACKWARDS",
        "R10a",
        "ends_at",
    )
    assert "clocks go back" in rejection["message"]
