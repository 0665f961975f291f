"""The first real sync (issue 2): the sample event through Dagster into the ASP sandbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sb_asp_pipeline.sync.text import clean_text, email_key, is_blank
from sb_asp_pipeline.sync.times import event_zone, to_local


def expected_sessions(doc: dict[str, Any], now: datetime) -> dict[str, dict[str, Any]]:
    """The accepted, scheduled, future sessions of an event document, by Sessionboard id."""
    zone = event_zone(doc["event"]["timezone"])
    return {
        s["id"]: s
        for s in doc["sessions"]
        if s["status"] == "accepted"
        and not s.get("is_abstract")
        and s["starts_at"]
        and s["ends_at"]
        and to_local(s["ends_at"], zone) > now
    }


def expected_speaker_emails(session: dict[str, Any], contacts: dict[str, Any]) -> list[str]:
    """The session's public speakers that ASP can take, in Sessionboard order."""
    emails = []
    for entry in sorted(session["speakers"], key=lambda e: e["order"]):
        contact = contacts[entry["id"]]
        if entry.get("is_public", True) and not any(
            is_blank(contact[f]) for f in ("first_name", "last_name", "email")
        ):
            emails.append(email_key(contact["email"]))
    return list(dict.fromkeys(emails))


def test_first_sync_writes_exactly_the_accepted_future_scheduled_sessions(synced_sample):
    env = synced_sample
    report = env.sync()

    doc = env.admin.sessionboard_event(env.seeded.sb_event_id)
    expected = expected_sessions(doc, datetime.now(UTC))
    in_asp = {
        s["customFields"]["sessionboard_id"]: s
        for s in env.admin.asp_sessions(env.seeded.seminar_id)
    }
    assert set(in_asp) == set(expected)
    assert report.sessions["created"] == len(expected)
    assert report.sessions["attempted"] == len(doc["sessions"])

    speakers = {s["uuid"]: email_key(s["email"]) for s in env.admin.asp_speakers()}
    contacts = {c["id"]: c for c in doc["speakers"]}
    for session_id, session in expected.items():
        record = in_asp[session_id]
        assert record["title"] == clean_text(session["title"])
        assert [speakers[u] for u in record["speakerUuids"]] == expected_speaker_emails(
            session, contacts
        )
    assert len(speakers) == len(set(speakers.values())), "one ASP speaker per person"


def test_second_sync_sends_zero_asp_writes(synced_sample):
    env = synced_sample
    env.sync()
    env.admin.reset_requests()

    report = env.sync()

    assert env.admin.asp_writes() == []
    assert report.writes == 0
    assert report.sessions["created"] == report.sessions["updated"] == 0
    assert report.speakers["created"] == report.speakers["updated"] == 0


def test_one_title_change_sends_exactly_one_asp_update(synced_sample):
    env = synced_sample
    first = env.sync()
    doc = env.admin.sessionboard_event(env.seeded.sb_event_id)
    changed = next(iter(expected_sessions(doc, datetime.now(UTC))))
    env.admin.update_session(env.seeded.sb_event_id, changed, {"title": "  A new title  "})
    env.admin.reset_requests()

    report = env.sync()

    writes = env.admin.asp_writes()
    assert [(w["method"], w["path"].rsplit("/", 2)[-2]) for w in writes] == [("PUT", "sessions")]
    assert report.sessions["updated"] == 1
    assert report.sessions["unchanged"] == first.sessions["created"] - 1
    titles = {
        s["customFields"]["sessionboard_id"]: s["title"]
        for s in env.admin.asp_sessions(env.seeded.seminar_id)
    }
    assert titles[changed] == "A new title"
