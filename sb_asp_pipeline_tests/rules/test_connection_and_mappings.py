"""R1 to R6: connecting the organization to ASP, and the mappings that say which Sessionboard
event goes into which ASP event and seminar."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from sb_asp_pipeline import organization
from sb_asp_pipeline.asp import AspClient
from sb_asp_pipeline.cli import main
from sb_asp_pipeline.errors import AuthenticationError, ConfigurationError
from sb_asp_pipeline.ledger import Ledger
from sb_asp_pipeline_tests.agenda import event_doc, person, talk

ADA = person("Ada", "Lovelace")
GRACE = person("Grace", "Hopper")


def asp_client(sandbox, key=None, secret=None) -> AspClient:
    return AspClient(sandbox.asp_url, key or sandbox.asp_key, secret or sandbox.asp_secret)


@pytest.fixture
def two_mappings(agenda):
    """Two events of one organization, each mapped into its own ASP event and seminar."""
    first = agenda(event_doc([talk("A-1", ADA), talk("A-2", GRACE)]))
    second = agenda(event_doc([talk("B-1", ADA)], event_id=4301))
    return first, second


# --- R1: connecting with a key and secret; secrets stay secret ------------------------------


def test_r01_connecting_checks_the_key_and_secret_against_asp(sandbox, tmp_path):
    ledger = Ledger(tmp_path / "ledger.duckdb")
    ledger.init()

    with pytest.raises(AuthenticationError, match="ASP refused the API key and secret"):
        organization.connect(ledger, asp_client(sandbox, secret="not-the-secret"))
    refused_state = ledger.connection_state()
    organization.connect(ledger, asp_client(sandbox))

    assert (refused_state, ledger.connection_state()) == (None, True)


def test_r01_secrets_never_reach_logs_the_event_log_the_ledger_or_error_messages(
    agenda, sandbox, monkeypatch, caplog, ledger_path
):
    caplog.set_level(logging.DEBUG)
    env = agenda(event_doc([talk("S-1", ADA)]))
    env.sync()
    monkeypatch.setenv("ASP_API_SECRET", "wrong-secret-8f3a")
    message = env.failure()

    instance = env.env.instance
    event_log = "".join(
        repr(entry) for run in instance.get_runs() for entry in instance.all_logs(run.run_id)
    )
    runs = "".join(repr(run) for run in instance.get_runs())
    files = ledger_path.parent.glob(f"{ledger_path.name}*")
    ledger_bytes = b"".join(path.read_bytes() for path in files)
    secrets = [
        sandbox.asp_key,
        sandbox.asp_secret,
        sandbox.sessionboard_token,
        "wrong-secret-8f3a",
    ]
    assert "ASP refused the API key and secret" in message
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in message
        assert secret not in event_log
        assert secret not in runs
        assert secret.encode() not in ledger_bytes


# --- R2, R3: mappings ------------------------------------------------------------------------


def test_r02_one_organization_syncs_many_mappings_each_into_its_own_seminar(two_mappings):
    first, second = two_mappings

    first.sync()
    second.sync()

    assert sorted(first.asp()) == ["A-1", "A-2"]
    assert sorted(second.asp()) == ["B-1"]
    # One ASP site: the person on both events is one speaker there.
    assert sorted(first.speakers()) == ["ada.lovelace@example.org", "grace.hopper@example.org"]
    assert first.asp()["A-1"]["speakers"] == second.asp()["B-1"]["speakers"]


def test_r03_a_mapped_sessionboard_event_cannot_be_mapped_again_and_nothing_changes(
    two_mappings, sandbox
):
    first, _ = two_mappings
    ledger = first.env.ledger
    before = ledger.mappings(include_removed=True)

    with pytest.raises(ConfigurationError) as refused:
        organization.add_mapping(
            ledger, asp_client(sandbox), first.sb_event_id, "another-asp-event", "another-seminar"
        )

    assert str(refused.value) == (
        f"Sessionboard event {first.sb_event_id} is already mapped to ASP event "
        f"{first.env.seeded.asp_event_id}: remove that mapping first (`sb-asp mappings remove "
        f"--sb-event {first.sb_event_id}`). Nothing was changed."
    )
    assert ledger.mappings(include_removed=True) == before


def test_r03_a_mapped_asp_event_cannot_be_the_target_of_another_event_and_nothing_changes(
    two_mappings, sandbox
):
    first, second = two_mappings
    ledger = first.env.ledger
    before = ledger.mappings(include_removed=True)

    with pytest.raises(ConfigurationError) as refused:
        organization.add_mapping(
            ledger, asp_client(sandbox), 4999, second.env.seeded.asp_event_id, second.seminar_id
        )

    assert str(refused.value) == (
        f"ASP event {second.env.seeded.asp_event_id} is already the target of Sessionboard "
        f"event {second.sb_event_id}: remove that mapping first (`sb-asp mappings remove "
        f"--sb-event {second.sb_event_id}`). Nothing was changed."
    )
    assert ledger.mappings(include_removed=True) == before


def test_r03_the_cli_refuses_a_second_mapping_with_the_same_message(
    two_mappings, monkeypatch, tmp_path
):
    first, _ = two_mappings
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))

    result = CliRunner().invoke(
        main,
        [
            "mappings",
            "add",
            "--sb-event",
            str(first.sb_event_id),
            "--asp-event",
            "x",
            "--seminar",
            "y",
        ],
    )

    assert result.exit_code == 1
    assert f"Sessionboard event {first.sb_event_id} is already mapped" in result.output
    assert len(first.env.ledger.mappings()) == 2


# --- R4: removing a mapping --------------------------------------------------------------


def test_r04_removing_a_mapping_stops_its_syncs_keeps_the_others_and_its_history(two_mappings):
    first, second = two_mappings
    first.sync()
    second.sync()
    second_in_asp = second.asp()
    ledger = first.env.ledger

    organization.remove_mapping(ledger, second.sb_event_id)
    second.update("B-1", {"title": "Changed after removal"})
    first.update("A-1", {"title": "Changed while mapped"})
    first.admin.reset_requests()

    message = second.failure()
    report = first.sync()

    assert f"no active mapping for Sessionboard event {second.sb_event_id}" in message
    assert second.asp() == second_in_asp, "nothing of the removed mapping changed in ASP"
    assert (report.sessions["updated"], first.asp()["A-1"]["title"]) == (1, "Changed while mapped")
    assert [w["path"].rsplit("/", 2)[-2] for w in first.admin.asp_writes()] == ["sessions"]
    assert [(m.sb_event_id, m.active) for m in ledger.mappings(include_removed=True)] == [
        (first.sb_event_id, True),
        (second.sb_event_id, False),
    ]
    assert sorted(ledger.records(second.seminar_id, "session")) == [second.sb_id("B-1")]
    assert len(ledger.sync_runs(second.sb_event_id)) == 1
    assert ledger.connection_state() is not False


# --- R5: a new seminar id ------------------------------------------------------------------


def test_r05_a_new_seminar_id_sends_every_record_to_the_new_seminar_and_leaves_the_old_one(
    agenda, sandbox
):
    env = agenda(event_doc([talk("S-1", ADA), talk("S-2", ADA, GRACE)]))
    env.sync()
    old_seminar = env.asp()
    speakers_before = env.admin.asp_speakers()
    new = env.admin.asp_add_seminar(
        env.env.seeded.asp_event_id,
        "Main stage",
        [{"slug": "sessionboard_id", "type": "text"}],
        ["Talk"],
    )

    ledger = env.env.ledger
    organization.remove_mapping(ledger, env.sb_event_id)
    organization.add_mapping(
        ledger, asp_client(sandbox), env.sb_event_id, env.env.seeded.asp_event_id, new["uuid"]
    )
    env.update("S-1", {"title": "Renamed"})
    report = env.sync()

    assert env.asp() == old_seminar, "the old seminar is no longer updated"
    moved = env.asp(new["uuid"])
    assert {key: (s["title"], s["speakers"]) for key, s in moved.items()} == {
        "S-1": ("Renamed", ["ada.lovelace@example.org"]),
        "S-2": ("Talk S-2", ["ada.lovelace@example.org", "grace.hopper@example.org"]),
    }
    assert report.sessions["created"] == 2
    # Speakers belong to the ASP site, not to a seminar: the people already there are found
    # by email and reused, never created twice.
    assert (report.speakers["created"], report.speakers["unchanged"]) == (0, 2)
    assert env.admin.asp_speakers() == speakers_before


# --- R6: disconnecting and reconnecting ------------------------------------------------------


def test_r06_a_disconnected_organization_fails_every_sync_with_a_clear_message_touching_nothing(
    two_mappings,
):
    first, second = two_mappings
    first.sync()
    in_asp = first.asp()
    organization.disconnect(first.env.ledger)
    first.update("A-1", {"title": "Changed while disconnected"})
    first.admin.reset_requests()

    messages = [first.failure(), second.failure()]

    for message in messages:
        assert (
            "the organization is disconnected from ASP, so nothing is synced: reconnect with "
            "`sb-asp connect` (or the connect_organization job) after setting ASP_API_KEY and "
            "ASP_API_SECRET"
        ) in message
    assert first.admin.requests("asp") == []
    assert first.admin.requests("sessionboard") == []
    assert first.asp() == in_asp


def test_r06_reconnecting_with_another_key_and_secret_makes_syncs_work_again(
    agenda, sandbox, monkeypatch
):
    env = agenda(event_doc([talk("S-1", ADA)]))
    env.sync()
    ledger = env.env.ledger
    organization.disconnect(ledger)
    env.admin.asp_set_credentials("rotated-key", "rotated-secret")
    monkeypatch.setenv("ASP_API_KEY", "rotated-key")
    monkeypatch.setenv("ASP_API_SECRET", "rotated-secret")
    env.update("S-1", {"title": "After the new key"})

    with pytest.raises(AuthenticationError):
        organization.connect(ledger, asp_client(sandbox, "old-key", "old-secret"))
    still_disconnected = ledger.connection_state()
    organization.connect(ledger, asp_client(sandbox, "rotated-key", "rotated-secret"))
    report = env.sync()

    assert still_disconnected is False
    assert (report.sessions["updated"], env.asp()["S-1"]["title"]) == (1, "After the new key")


def test_r06_the_cli_disconnects_and_reconnects_saying_what_follows(
    agenda, sandbox, monkeypatch, tmp_path
):
    env = agenda(event_doc([talk("S-1", ADA)]))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    runner = CliRunner()

    disconnected = runner.invoke(main, ["disconnect"])
    refused = env.failure()
    monkeypatch.setenv("ASP_API_SECRET", "not-the-secret")
    wrong = runner.invoke(main, ["connect"])
    state_after_wrong = env.env.ledger.connection_state()
    monkeypatch.setenv("ASP_API_SECRET", sandbox.asp_secret)
    connected = runner.invoke(main, ["connect"])
    report = env.sync()

    assert (disconnected.exit_code, disconnected.output) == (
        0,
        "disconnected: every sync fails until `sb-asp connect`\n",
    )
    assert "the organization is disconnected from ASP" in refused
    assert (wrong.exit_code, state_after_wrong) == (1, False)
    assert "ASP refused the API key and secret" in wrong.output
    assert "not-the-secret" not in wrong.output
    assert (connected.exit_code, connected.output) == (0, "connected: syncs write to ASP\n")
    assert report.sessions["created"] == 1
