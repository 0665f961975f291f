"""Starting, seeding and stopping the sandbox, in-process and as `serve_forever`."""

import datetime as dt
import signal
import subprocess
import sys
import time

import pytest
import requests

from sb_asp_pipeline.sandbox.server import Sandbox

SETTING_NAMES = [
    "SESSIONBOARD_BASE_URL",
    "SESSIONBOARD_API_TOKEN",
    "ASP_BASE_URL",
    "ASP_API_KEY",
    "ASP_API_SECRET",
    "ASP_EVENT_ID",
    "ASP_SEMINAR_ID",
    "SB_EVENT_ID",
]


def test_the_sandbox_starts_within_a_second_and_stops_closing_its_ports():
    started = time.monotonic()
    sandbox = Sandbox().start()
    elapsed = time.monotonic() - started
    url = f"{sandbox.asp_url}/public/events"

    sandbox.stop()

    assert elapsed < 1.0
    assert sandbox.asp_url.startswith("http://127.0.0.1:")
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=1)


def test_settings_name_both_apis_and_the_seeded_ids(sandbox, seeded):
    settings = sandbox.settings(seeded)

    assert list(settings) == SETTING_NAMES
    assert settings["SESSIONBOARD_BASE_URL"] == sandbox.sessionboard_url
    assert settings["ASP_API_SECRET"] == sandbox.asp_secret
    assert (settings["SB_EVENT_ID"], settings["ASP_SEMINAR_ID"]) == ("4101", seeded.seminar_id)
    assert list(sandbox.settings()) == SETTING_NAMES[:5]


def test_each_sandbox_has_its_own_random_credentials(sandbox):
    other = Sandbox()

    assert other.sessionboard_token != sandbox.sessionboard_token
    assert (other.asp_key, other.asp_secret) != (sandbox.asp_key, sandbox.asp_secret)


def test_seeding_without_an_asp_key_uses_session_and_the_formats(sandbox, admin, sample_doc):
    doc = {key: value for key, value in sample_doc.items() if key != "asp"}

    seeded = sandbox.seed(doc, start_in_days=None)

    seminar = admin.asp_state()["seminars"][0]
    assert [t["name"] for t in seminar["sessionTypes"]] == [
        "Session",
        "Short plenary",
        "Workshop",
        "Short talk",
        "Long talk",
        "Lunch",
        "Plenary",
        "General Assembly",
        "Lightning Talk",
        "Sprint",
    ]
    assert admin.sessionboard_event(seeded.sb_event_id)["sessions"] == sample_doc["sessions"]


def test_seeding_moves_the_event_to_start_in_days_after_today(sandbox, admin, sample_doc):
    seeded = sandbox.seed(sample_doc, start_in_days=30, today=dt.date(2026, 12, 3))

    doc = admin.sessionboard_event(seeded.sb_event_id)
    assert min(s["starts_at"] for s in doc["sessions"] if s["starts_at"])[:10] == "2026-12-02"
    assert doc["sessions"][0]["starts_at"] == "2027-01-04T08:50:00+01:00"


def test_serve_forever_prints_its_settings_and_stops_on_sigint():
    code = "from sb_asp_pipeline.sandbox.server import serve_forever; serve_forever(None, 30)"
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().rstrip("\n") for _ in SETTING_NAMES]
        settings = dict(line.split("=", 1) for line in lines)
        headers = {"x-access-token": settings["SESSIONBOARD_API_TOKEN"]}
        events = requests.get(
            f"{settings['SESSIONBOARD_BASE_URL']}/v1/events", headers=headers, timeout=5
        )

        process.send_signal(signal.SIGINT)
        returncode = process.wait(timeout=10)
    finally:
        process.kill()

    assert list(settings) == SETTING_NAMES
    assert events.json()["results"][0]["id"] == 4101
    assert returncode == 0
