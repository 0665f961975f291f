"""R16 to R20: later syncs apply changes, leave deletions alone, write nothing that did not
change, follow the withdrawn-session policy, and report what they did."""

from __future__ import annotations

import json

from sb_asp_pipeline.ledger import TOMBSTONE
from sb_asp_pipeline_tests.agenda import DAY, entry, event_doc, hidden, person, talk

ADA = person("Ada", "Lovelace")
GRACE = person("Grace", "Hopper")
ALAN = person("Alan", "Turing")


def writes(env):
    """The ASP writes since the last reset, as (method, kind of record)."""
    return sorted(
        (w["method"], w["path"].split("/")[-2 if w["method"] == "PUT" else -1])
        for w in env.admin.asp_writes()
    )


def outcomes(frame):
    return sorted(zip(frame["label"], frame["rule"], frame["field"], strict=True))


def speakers_of(env):
    return {key: s["speakers"] for key, s in env.asp().items()}


def test_r16_every_sync_attempts_every_accepted_session_of_the_mapping(agenda):
    env = agenda(event_doc([talk("S-1", ADA), talk("S-2", ADA), talk("S-3", GRACE)]))
    env.sync()
    env.update("S-2", {"title": "Changed"})
    env.add(talk("S-4", ALAN))

    report = env.sync()

    assert {k: report.sessions[k] for k in ("attempted", "created", "updated", "unchanged")} == {
        "attempted": 4,
        "created": 1,
        "updated": 1,
        "unchanged": 2,
    }
    assert sorted(env.asp()) == ["S-1", "S-2", "S-3", "S-4"]


# --- R17: creates and updates -------------------------------------------------------------


def test_r17_a_change_to_any_synced_field_is_applied(agenda):
    env = agenda(
        event_doc(
            [talk("S-1", ADA, GRACE), talk("S-2", ADA), talk("S-3", GRACE), talk("S-4", ADA)],
            session_types=("Talk", "Workshop"),
        )
    )
    env.sync()
    env.admin.reset_requests()

    env.update(
        "S-1",
        {
            "title": "New title",
            "description": "<p>New words.</p>",
            "starts_at": f"{DAY}T11:00:00+02:00",
            "ends_at": f"{DAY}T12:30:00+02:00",
            "format": {"id": "w", "name": "Workshop"},
            "room": {"id": "b", "name": "Room B"},
            "track": {"id": "d", "name": "Data", "color": "#00ff00"},
            "client_session_id": "NEW-ID",
            "speakers": [
                {"id": GRACE["id"], "order": 1, "is_public": True},
                {"id": ADA["id"], "order": 2, "is_public": True},
            ],
        },
    )
    env.update(
        "S-2",
        {"custom_fields": [{"internal_name": "key_takeaways", "value": "Ship it."}]},
    )
    env.admin.update_speaker(env.sb_event_id, GRACE["id"], {"company_name": "Navy"})
    report = env.sync()

    assert env.asp()["S-1"] == {
        "title": "New title",
        "date": DAY,
        "start": "11:00:00",
        "end": "12:30:00",
        "type": "Workshop",
        "location": "Room B",
        "streams": ["Data"],
        "speakers": ["grace.hopper@example.org", "ada.lovelace@example.org"],
        "client_id": "NEW-ID",
        "custom": {},
        "active": True,
        "description": "<p>New words.</p>",
    }
    assert env.asp()["S-2"]["custom"] == {"key-takeaways": "Ship it."}
    assert env.speakers()["grace.hopper@example.org"]["company"] == "Navy"
    assert writes(env) == [
        ("POST", "locations"),
        ("POST", "streams"),
        ("PUT", "sessions"),
        ("PUT", "sessions"),
        ("PUT", "speakers"),
    ]
    assert (report.sessions["updated"], report.speakers["updated"]) == (2, 1)


def test_r17_new_sessions_and_speakers_are_created_on_a_later_sync(agenda):
    env = agenda(event_doc([talk("S-1", ADA)]))
    env.sync()
    env.admin.reset_requests()
    env.add(talk("S-2", ALAN, ADA))

    report = env.sync()

    assert speakers_of(env) == {
        "S-1": ["ada.lovelace@example.org"],
        "S-2": ["alan.turing@example.org", "ada.lovelace@example.org"],
    }
    assert writes(env) == [("POST", "sessions"), ("POST", "speakers")]
    assert (report.sessions["created"], report.speakers["created"]) == (1, 1)


def test_r17_a_speaker_removed_from_a_session_is_removed_from_it_in_asp(agenda):
    env = agenda(event_doc([talk("S-1", ADA, GRACE), talk("S-2", GRACE)]))
    env.sync()
    env.admin.reset_requests()

    env.update("S-1", {"speakers": [{"id": ADA["id"], "order": 1, "is_public": True}]})
    report = env.sync()

    assert speakers_of(env) == {
        "S-1": ["ada.lovelace@example.org"],
        "S-2": ["grace.hopper@example.org"],
    }
    assert writes(env) == [("PUT", "sessions")]
    assert report.sessions["updated"] == 1


def test_r17_a_speaker_removed_from_every_session_stays_in_asp_but_on_no_session(agenda):
    env = agenda(event_doc([talk("S-1", ADA, GRACE)]))
    env.sync()

    env.update("S-1", {"speakers": [{"id": ADA["id"], "order": 1, "is_public": True}]})
    env.sync()

    assert speakers_of(env) == {"S-1": ["ada.lovelace@example.org"]}
    assert sorted(env.speakers()) == ["ada.lovelace@example.org", "grace.hopper@example.org"]


def test_r17_a_speaker_hidden_later_is_removed_from_the_session(agenda):
    env = agenda(event_doc([talk("S-1", ADA, GRACE)]))
    env.sync()

    env.update("S-1", {"speakers": [entry(ADA, 1), entry(hidden(GRACE), 2)]})
    env.sync()

    assert speakers_of(env) == {"S-1": ["ada.lovelace@example.org"]}


# --- R18: deletions ------------------------------------------------------------------------


def test_r18_a_session_deleted_in_sessionboard_stays_in_asp(agenda):
    env = agenda(event_doc([talk("S-1", ADA), talk("S-2", ADA)]))
    env.sync()
    before = env.asp()
    env.admin.reset_requests()

    env.admin.delete_session(env.sb_event_id, env.sb_id("S-2"))
    report = env.sync()

    assert env.asp() == before
    assert env.admin.asp_writes() == []
    assert report.sessions["attempted"] == 1


def test_r18_a_session_deleted_in_asp_is_tombstoned_and_never_written_again(agenda):
    env = agenda(event_doc([talk("S-1", ADA), talk("S-2", ADA)]))
    env.sync()
    deleted = env.admin.asp_sessions(env.seminar_id)[1]
    env.admin.asp_delete_session(env.seminar_id, deleted["uuid"])

    env.update("S-2", {"title": "Changed after the ASP deletion"})
    tombstoning = env.sync()
    env.update("S-2", {"title": "Changed once more"})
    env.admin.reset_requests()
    later = env.sync()

    assert sorted(env.asp()) == ["S-1"]
    assert outcomes(tombstoning.skips) == [("S-2", "R18", "uuid")]
    assert outcomes(later.skips) == [("S-2", "R18", "uuid")]
    assert env.admin.asp_writes() == []
    assert env.env.ledger.records(env.seminar_id, "session")[env.sb_id("S-2")].state == TOMBSTONE


def test_r18_a_speaker_deleted_in_asp_is_never_written_again_and_its_sessions_go_on(agenda):
    env = agenda(event_doc([talk("S-1", ADA, GRACE), talk("S-2", GRACE)]))
    env.sync()
    grace = env.speakers()["grace.hopper@example.org"]
    env.admin.asp_delete_speaker(grace["uuid"])

    env.admin.update_speaker(env.sb_event_id, GRACE["id"], {"company_name": "Navy"})
    report = env.sync()
    env.admin.reset_requests()
    again = env.sync()

    assert sorted(env.speakers()) == ["ada.lovelace@example.org"]
    assert speakers_of(env) == {"S-1": ["ada.lovelace@example.org"], "S-2": []}
    assert outcomes(report.skips) == [("Grace Hopper", "R18", "uuid")]
    assert report.skips["message"].iloc[0] == (
        "speaker Grace Hopper: deleted in ASP; never written again (the ledger keeps a "
        "tombstone); left off session(s) S-1, S-2, which are still written"
    )
    assert (again.writes, again.speakers["skipped"]) == (0, 1)


def test_r18_a_session_change_is_written_although_one_of_its_speakers_was_deleted_in_asp(agenda):
    env = agenda(event_doc([talk("S-1", ADA, GRACE)]))
    env.sync()
    grace = env.speakers()["grace.hopper@example.org"]
    env.admin.asp_delete_speaker(grace["uuid"])

    env.update("S-1", {"title": "Changed"})
    report = env.sync()

    assert env.asp()["S-1"]["title"] == "Changed"
    assert speakers_of(env) == {"S-1": ["ada.lovelace@example.org"]}
    assert report.rejections.empty
    assert outcomes(report.skips) == [("Grace Hopper", "R18", "uuid")]


# --- R18a: the withdrawn-session policy ---------------------------------------------------


def test_r18a_keep_leaves_a_withdrawn_session_as_it_is_in_asp(agenda):
    env = agenda(event_doc([talk("S-1", ADA), talk("S-2", ADA)]))
    env.sync()
    before = env.asp()
    env.admin.reset_requests()

    env.update("S-2", {"status": "declined"})
    report = env.sync()

    assert env.asp() == before
    assert env.admin.asp_writes() == []
    assert outcomes(report.skips) == [("S-2", "R7", "status")]


def test_r18a_deactivate_sets_a_withdrawn_session_inactive_and_active_again_once_reaccepted(
    agenda,
):
    env = agenda(event_doc([talk("S-1", ADA), talk("S-2", ADA)]), withdrawn="deactivate")
    env.sync()

    env.update("S-2", {"status": "decline_queue", "title": "Withdrawn"})
    env.admin.reset_requests()
    env.sync()
    after_withdrawal = {key: (s["title"], s["active"]) for key, s in env.asp().items()}
    withdrawal_writes = writes(env)
    env.admin.reset_requests()
    env.sync()
    repeat_writes = writes(env)

    env.update("S-2", {"status": "accepted"})
    env.admin.reset_requests()
    env.sync()

    assert after_withdrawal == {"S-1": ("Talk S-1", True), "S-2": ("Talk S-2", False)}
    assert withdrawal_writes == [("PUT", "sessions")]
    assert repeat_writes == []
    assert {key: (s["title"], s["active"]) for key, s in env.asp().items()} == {
        "S-1": ("Talk S-1", True),
        "S-2": ("Withdrawn", True),
    }
    assert writes(env) == [("PUT", "sessions")]


# --- R19, R20 ----------------------------------------------------------------------------


def test_r19_an_unchanged_payload_is_not_written_again(agenda):
    env = agenda(event_doc([talk("S-1", ADA, GRACE), talk("S-2", ALAN)]))
    env.sync()
    env.admin.reset_requests()
    # Fields the sync does not carry, and a contact re-saved without change.
    env.update("S-1", {"tags": [{"id": "t", "name": "new tag"}], "is_public": False})
    env.admin.update_speaker(env.sb_event_id, ADA["id"], {"email": "ada.lovelace@example.org"})

    report = env.sync()

    assert env.admin.asp_writes() == []
    assert (report.writes, report.sessions["unchanged"], report.speakers["unchanged"]) == (0, 2, 3)


def test_r20_a_sync_reports_attempted_and_succeeded_sessions_and_speakers_and_why_not(agenda):
    env = agenda(
        event_doc(
            [
                talk("S-1", ADA, person("Bruno", "")),
                talk("S-2", GRACE),
                talk("S-3", ADA, title="\u200b"),
                talk("S-4", ADA, status="pending"),
            ]
        )
    )

    report = env.sync()
    [run] = env.env.ledger.sync_runs(env.sb_event_id).to_dict("records")

    assert report.sessions == {
        "attempted": 4,
        "succeeded": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "rejected": 1,
        "failed": 0,
    }
    assert report.speakers == {
        "attempted": 3,
        "succeeded": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "rejected": 1,
        "failed": 0,
    }
    assert outcomes(report.rejections) == [("Bruno", "R14", "last_name"), ("S-3", "R15", "title")]
    assert outcomes(report.skips) == [("S-4", "R7", "status")]
    assert (run["status"], json.loads(run["counts"])) == ("succeeded", report.counts())
