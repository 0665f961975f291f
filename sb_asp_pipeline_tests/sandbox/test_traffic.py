"""The request log and injected faults, on both sandbox servers."""

import time

import pytest
import requests


def test_a_429_with_retry_after_is_answered_once_then_the_call_succeeds(asp_api, seeded, admin):
    path = f"/public/seminars/{seeded.seminar_id}/sessions"
    admin.add_fault("asp", path, 429, method="GET", retry_after="2")

    limited = asp_api.get(path)
    served = asp_api.get(path)

    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "2"
    assert limited.json() == {
        "error": "rate_limited",
        "message": f"sandbox fault: status 429 injected for GET {path}",
    }
    assert served.status_code == 200
    assert [(r["path"], r["status"]) for r in admin.requests("asp")][-2:] == [
        (path, 429),
        (path, 200),
    ]


def test_a_faulted_write_leaves_the_state_untouched(asp_api, seeded, admin):
    path = f"/public/seminars/{seeded.seminar_id}/locations"
    admin.add_fault("asp", path, 503, method="POST")

    refused = asp_api.post(path, json={"name": "B316"})

    assert (refused.status_code, refused.headers.get("Retry-After")) == (503, None)
    assert asp_api.get(path).json() == []


def test_a_fault_answers_count_calls_matching_its_method_and_path_prefix(
    sessionboard_api, seeded, admin
):
    admin.add_fault("sessionboard", "/v1/event/4101/", 500, method="POST", count=2)

    statuses = [
        sessionboard_api.get("/v1/event/4101/fields").status_code,
        sessionboard_api.post("/v1/event/4101/sessions").status_code,
        sessionboard_api.post("/v1/event/4101/speakers").status_code,
        sessionboard_api.post("/v1/event/4101/sessions").status_code,
    ]

    assert statuses == [200, 500, 500, 200]


def test_a_fault_answers_before_auth_in_the_api_error_shape(sandbox, seeded, admin):
    admin.add_fault("sessionboard", "/v1/events", 503)

    response = requests.get(f"{sandbox.sessionboard_url}/v1/events", timeout=5)

    assert response.status_code == 503
    assert response.json() == {
        "error": "ServiceUnavailable",
        "message": "sandbox fault: status 503 injected for * /v1/events",
    }


def test_a_delay_fault_slows_the_call_then_serves_it(sessionboard_api, seeded, admin):
    admin.add_fault("sessionboard", "/v1/events", 0, delay_seconds=0.3, count=2)

    started = time.monotonic()
    served = sessionboard_api.get("/v1/events")
    elapsed = time.monotonic() - started

    assert served.status_code == 200
    assert elapsed >= 0.3
    with pytest.raises(requests.Timeout):
        sessionboard_api.get("/v1/events", timeout=0.1)


def test_cleared_faults_no_longer_answer(sessionboard_api, seeded, admin):
    admin.add_fault("sessionboard", "/v1", 500, count=5)

    admin.clear_faults()

    assert sessionboard_api.get("/v1/events").status_code == 200


def test_the_log_holds_api_calls_only_and_can_be_reset(sandbox, sessionboard_api, seeded, admin):
    sessionboard_api.post("/v1/event/4101/sessions", params={"page": 2, "pageSize": 5})
    admin.sessionboard_event(4101)

    logged = admin.requests("sessionboard")
    admin.reset_requests()

    assert logged == [
        {
            "method": "POST",
            "path": "/v1/event/4101/sessions",
            "query": "page=2&pageSize=5",
            "status": 200,
        }
    ]
    assert admin.requests("sessionboard") == admin.requests("asp") == []


def test_asp_writes_are_the_logged_writes_without_token_calls(asp_api, seeded, admin):
    base = f"/public/seminars/{seeded.seminar_id}"
    asp_api.post(f"{base}/streams", json={"name": "English"})
    asp_api.get(f"{base}/streams")
    asp_api.post(f"{base}/locations", json={})

    assert [(w["method"], w["path"], w["status"]) for w in admin.asp_writes()] == [
        ("POST", f"{base}/streams", 201),
        ("POST", f"{base}/locations", 422),
    ]
    assert admin.requests("asp")[0]["path"] == "/public/token"
