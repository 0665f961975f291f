"""Validation rules R7, R9, R11, R14, R14a, R15, R15a on small programmes."""

from __future__ import annotations

from datetime import UTC, datetime

from sb_asp_pipeline.sync.validate import validate_programme
from sb_asp_pipeline_tests.factories import contact, programme, session

BEFORE = datetime(2027, 3, 1, tzinfo=UTC)


def _outcomes(frame, kind):
    return sorted(
        (row["label"], row["rule"], row["field"])
        for _, row in frame.iterrows()
        if row["kind"] == kind
    )


def test_r07_only_accepted_sessions_or_accepted_custom_statuses_are_synced():
    ada = contact("Ada Lovelace")
    sessions = [
        session("Accepted", ada),
        session("Pending", ada, status="pending", friendly_id="P"),
        session("Custom", ada, status="accept_queue", custom_status={"status": "accepted"}),
    ]

    valid = validate_programme(programme(sessions, [ada]), BEFORE)

    assert sorted(valid.sessions["title"]) == ["Accepted", "Custom"]
    assert _outcomes(valid.skips, "session") == [("P", "R7", "status")]


def test_r07_a_session_without_start_or_end_is_rejected_with_the_field():
    sessions = [
        session("No start", starts_at=None, friendly_id="S"),
        session("No end", ends_at="", friendly_id="E"),
    ]

    valid = validate_programme(programme(sessions, []), BEFORE)

    assert valid.sessions.empty
    assert _outcomes(valid.rejections, "session") == [
        ("E", "R7", "ends_at"),
        ("S", "R7", "starts_at"),
    ]


def test_r09_a_session_that_ended_at_the_moment_of_the_sync_is_skipped():
    sessions = [
        session("Over", friendly_id="O"),
        session("Later", ends_at="2027-03-14T10:16:00+01:00"),
    ]
    now = datetime(2027, 3, 14, 9, 15, tzinfo=UTC)  # 10:15 in Paris: "Over" ends right now

    valid = validate_programme(programme(sessions, []), now)

    assert list(valid.sessions["title"]) == ["Later"]
    assert _outcomes(valid.skips, "session") == [("O", "R9", "ends_at")]


def test_r11_a_session_without_client_session_id_is_rejected():
    valid = validate_programme(
        programme([session("X", client_session_id=" ", friendly_id="X")], []), BEFORE
    )

    assert _outcomes(valid.rejections, "session") == [("X", "R11", "client_session_id")]


def test_r15_a_title_of_only_a_zero_width_space_is_rejected_and_others_go_on():
    sessions = [session("\u200b", friendly_id="Z"), session("Fine")]

    valid = validate_programme(programme(sessions, []), BEFORE)

    assert list(valid.sessions["title"]) == ["Fine"]
    assert _outcomes(valid.rejections, "session") == [("Z", "R15", "title")]


def test_r15_a_session_whose_end_precedes_its_start_is_rejected():
    bad = session("Backwards", ends_at="2027-03-14T09:00:00+01:00", friendly_id="B")

    valid = validate_programme(programme([bad], []), BEFORE)

    assert _outcomes(valid.rejections, "session") == [("B", "R15", "ends_at")]


def test_r15a_abstracts_and_subsessions_are_not_synced():
    sessions = [
        session("Abstract", is_abstract=True, friendly_id="A"),
        session("Child", parent_id="some-parent", friendly_id="C"),
    ]

    valid = validate_programme(programme(sessions, []), BEFORE)

    assert valid.sessions.empty
    assert _outcomes(valid.skips, "session") == [
        ("A", "R15a", "is_abstract"),
        ("C", "R15a", "parent_id"),
    ]


def test_r14_a_speaker_without_last_name_is_rejected_and_its_session_still_written():
    mononym = contact("Bruno", email="bruno@example.org")
    ada = contact("Ada Lovelace")

    valid = validate_programme(programme([session("Talk", mononym, ada)], [mononym, ada]), BEFORE)

    assert list(valid.sessions["title"]) == ["Talk"]
    assert list(valid.links["speaker_id"]) == [ada["id"]]
    [rejection] = valid.rejections.to_dict("records")
    assert (rejection["rule"], rejection["field"]) == ("R14", "last_name")
    assert "Talk" in rejection["message"] or "T-" in rejection["message"]


def test_r15_a_masked_email_is_rejected_with_a_reason_about_the_token():
    masked = contact("Ada Lovelace", email="a***@e***.org")

    valid = validate_programme(programme([session("Talk", masked)], [masked]), BEFORE)

    [rejection] = valid.rejections.to_dict("records")
    assert (rejection["rule"], rejection["field"]) == ("R15", "email")
    assert "token hides personal data" in rejection["message"]


def test_r14a_hidden_speakers_are_left_off_the_session():
    ada = contact("Ada Lovelace")
    hidden = contact("Grace Hopper", is_public_on_session=False)

    valid = validate_programme(programme([session("Talk", ada, hidden)], [ada, hidden]), BEFORE)

    assert list(valid.links["speaker_id"]) == [ada["id"]]


def test_r14a_two_email_spellings_of_one_person_are_one_speaker():
    one = contact("Ada Lovelace", email="Ada@Example.org", updated_at="2026-01-01T00:00:00Z")
    two = contact("Ada King", email=" ada@example.org ", updated_at="2026-06-01T00:00:00Z")
    two["id"] = "other-id"

    valid = validate_programme(
        programme([session("One", one), session("Two", two)], [one, two]), BEFORE
    )

    assert valid.speakers["email_key"].nunique() == 1
    assert set(valid.speakers["last_name"]) == {"King"}, "the latest updated contact wins"
    assert valid.attempted_speakers == 1


def test_r07_a_session_failing_several_checks_is_named_by_the_first_declared_rule():
    sessions = [
        session(f"Unscheduled {n}", starts_at=None, ends_at=None, friendly_id=f"U{n}")
        for n in range(5)
    ] + [session("", starts_at=None, friendly_id="T")]

    valid = validate_programme(programme(sessions, []), BEFORE)

    assert _outcomes(valid.rejections, "session") == [
        ("T", "R15", "title"),
        *[(f"U{n}", "R7", "starts_at") for n in range(5)],
    ]


def test_r14_a_speaker_missing_from_the_speakers_list_is_taken_from_its_session_entry():
    ada = contact("Ada Lovelace")

    valid = validate_programme(programme([session("Talk", ada)], []), BEFORE)

    assert valid.rejections.empty
    assert valid.speakers[["first_name", "last_name", "email"]].to_dict("records") == [
        {"first_name": "Ada", "last_name": "Lovelace", "email": "ada.lovelace@example.org"}
    ]


def test_r14a_the_latest_updated_contact_wins_by_instant_whatever_the_offsets():
    # 10:00 UTC is later than 11:30 in Paris (09:30 UTC), though it sorts first as text.
    later = contact("Ada King", email="ada@example.org", updated_at="2026-06-01T10:00:00+00:00")
    earlier = contact(
        "Ada Lovelace", email="ADA@example.org", updated_at="2026-06-01T11:30:00+02:00"
    )

    valid = validate_programme(
        programme([session("One", earlier), session("Two", later)], [earlier, later]), BEFORE
    )

    assert set(valid.speakers["last_name"]) == {"King"}
