"""R8, R13 and the mapping's seminar: preconditions that stop a mapping's sync before anything
is written, each with a message that names what is wrong and how to fix it."""

from __future__ import annotations

from sb_asp_pipeline_tests.agenda import event_doc, person, talk

ADA = person("Ada", "Lovelace")


def nothing_written(env) -> bool:
    return env.admin.asp_writes() == [] and env.asp() == {}


def test_r08_different_timezones_stop_the_sync_before_writing_and_name_both(agenda):
    env = agenda(event_doc([talk("S-1", ADA)]))
    env.admin.asp_update_event(env.env.seeded.asp_event_id, {"timezone": "Europe/London"})
    env.admin.reset_requests()

    message = env.failure()

    assert (
        f"timezones differ: Sessionboard event {env.sb_event_id} is in Europe/Paris but ASP "
        f"event {env.env.seeded.asp_event_id} is in Europe/London. Set both events to the same "
        "timezone; nothing was written."
    ) in message
    assert nothing_written(env)


def test_r08_the_sessionboard_ui_form_of_the_same_timezone_is_the_same_timezone(agenda):
    env = agenda(event_doc([talk("S-1", ADA)]))
    env.admin.update_event(env.sb_event_id, {"timezone": "(GMT+01:00) Europe/Paris"})

    report = env.sync()

    assert (report.sessions["created"], sorted(env.asp())) == (1, ["S-1"])


def test_r08_an_unknown_timezone_stops_the_sync_and_names_it(agenda):
    env = agenda(event_doc([talk("S-1", ADA)]))
    env.admin.update_event(env.sb_event_id, {"timezone": "Mars/Olympus_Mons"})
    env.admin.reset_requests()

    message = env.failure()

    assert (
        f"Sessionboard event {env.sb_event_id} has the timezone 'Mars/Olympus_Mons', which is "
        "not an IANA timezone name such as Europe/Paris: set the event's timezone; nothing was "
        "written."
    ) in message
    assert nothing_written(env)


def test_r13_a_seminar_without_the_sessionboard_id_field_stops_the_sync_saying_how_to_add_it(
    agenda,
):
    env = agenda(event_doc([talk("S-1", ADA)]))
    env.admin.asp_update_seminar(
        env.seminar_id, {"customFields": [{"slug": "sessionboard_content", "type": "text"}]}
    )
    env.admin.reset_requests()

    message = env.failure()

    assert (
        f"seminar {env.seminar_id} (Rules Conf 4300) has no custom field 'sessionboard_id': "
        "add a custom text field with that slug in ASP (Seminar settings > Custom fields), "
        "then sync again; nothing was written."
    ) in message
    assert nothing_written(env)


def test_r08_r13_a_mapping_failing_both_preconditions_is_told_both_in_one_run(agenda):
    env = agenda(event_doc([talk("S-1", ADA)]))
    env.admin.asp_update_event(env.env.seeded.asp_event_id, {"timezone": "Asia/Tokyo"})
    env.admin.asp_update_seminar(env.seminar_id, {"customFields": []})

    message = env.failure()

    assert "is in Asia/Tokyo" in message
    assert "has no custom field 'sessionboard_id'" in message
    assert nothing_written(env)


def test_r02_a_mapping_to_an_unknown_seminar_stops_the_sync_before_writing(agenda):
    env = agenda(event_doc([talk("S-1", ADA)]))
    env.env.ledger.remove_mapping(env.sb_event_id)
    env.env.ledger.add_mapping(env.sb_event_id, env.env.seeded.asp_event_id, "no-such-seminar")
    env.admin.reset_requests()

    message = env.failure()

    assert (
        "ASP seminar no-such-seminar does not exist: re-add the mapping with the id of an "
        "existing seminar of the event; nothing was written."
    ) in message
    assert env.admin.asp_writes() == []


def test_r02_a_seminar_of_another_asp_event_stops_the_sync_before_writing(agenda):
    env = agenda(event_doc([talk("S-1", ADA)]))
    other = env.admin.asp_add_event("Another event", "Europe/Paris")
    seminar = env.admin.asp_add_seminar(
        other["uuid"], "Another seminar", [{"slug": "sessionboard_id", "type": "text"}], []
    )
    env.env.ledger.remove_mapping(env.sb_event_id)
    env.env.ledger.add_mapping(env.sb_event_id, env.env.seeded.asp_event_id, seminar["uuid"])
    env.admin.reset_requests()

    message = env.failure()

    assert (
        f"seminar {seminar['uuid']} belongs to ASP event {other['uuid']}, not to the mapped "
        f"event {env.env.seeded.asp_event_id}: fix the mapping; nothing was written."
    ) in message
    assert env.admin.asp_writes() == []
