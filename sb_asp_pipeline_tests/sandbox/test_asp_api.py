"""The sandbox ASP API over real HTTP: tokens, paging, validation, deletes, speakers."""

from typing import Any

import pytest
import requests

from sb_asp_pipeline_tests.sandbox.apis import asp_token


@pytest.fixture
def seminar(asp_api, seeded) -> dict[str, Any]:
    """The seeded seminar with its session types by name."""
    record = asp_api.get(f"/public/seminars/{seeded.seminar_id}").json()
    types = asp_api.get(f"/public/seminars/{seeded.seminar_id}/session-types").json()
    return {**record, "types": {t["name"]: t["uuid"] for t in types}}


def session_body(seminar: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A session body ASP accepts, with `changes` over it."""
    body = {
        "title": "Dompter les mocks",
        "description": "<p>Mocks.</p>",
        "date": "2027-01-05",
        "start": "11:30:00",
        "end": "12:25:00",
        "sessionTypeUuid": seminar["types"]["Long Talk"],
        "customFields": {"sessionboard_id": "sb-1"},
    }
    return {**body, **changes}


def speaker_body(**changes: Any) -> dict[str, Any]:
    return {
        "firstName": "Claire",
        "lastName": "Morvan",
        "email": "claire.morvan@example.org",
    } | changes


def sessions_path(seminar: dict[str, Any]) -> str:
    return f"/public/seminars/{seminar['uuid']}/sessions"


def test_the_token_call_checks_the_key_and_secret(sandbox):
    url = f"{sandbox.asp_url}/public/token"

    wrong = requests.post(url, auth=(sandbox.asp_key, "wrong"), timeout=5)
    right = requests.post(url, auth=(sandbox.asp_key, sandbox.asp_secret), timeout=5)

    assert wrong.status_code == 401
    assert wrong.json() == {"error": "unauthorized", "message": "wrong API key or secret"}
    assert right.status_code == 200
    assert sorted(right.json()) == ["expires_in", "token"]
    assert right.json()["expires_in"] == 3600


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer made-up"}])
def test_a_call_without_a_live_bearer_token_is_refused_with_401(sandbox, headers):
    response = requests.get(f"{sandbox.asp_url}/public/events", headers=headers, timeout=5)

    assert response.status_code == 401
    assert response.json() == {
        "error": "unauthorized",
        "message": "missing, expired or revoked bearer token",
    }


def test_revoked_tokens_and_replaced_credentials_stop_working(sandbox, asp_api, admin):
    assert asp_api.get("/public/events").status_code == 200

    admin.asp_revoke_tokens()
    revoked = asp_api.get("/public/events")
    admin.asp_set_credentials("new-key", "new-secret")
    old_key = requests.post(f"{sandbox.asp_url}/public/token", auth=("k", "s"), timeout=5)
    fresh = asp_api.get("/public/events", headers={"Authorization": f"Bearer {asp_token(sandbox)}"})

    assert (revoked.status_code, old_key.status_code, fresh.status_code) == (401, 401, 200)
    assert (sandbox.asp_key, sandbox.asp_secret) == ("new-key", "new-secret")


def test_the_seeded_event_and_seminar_are_served(asp_api, seeded, seminar):
    events = asp_api.get("/public/events")

    assert events.json() == [
        {
            "uuid": seeded.asp_event_id,
            "name": "PyConFR 2025",
            "timezone": "Europe/Paris",
            "isActive": True,
        }
    ]
    assert {k: v for k, v in seminar.items() if k != "types"} == {
        "uuid": seeded.seminar_id,
        "eventUuid": seeded.asp_event_id,
        "name": "PyConFR 2025",
        "customFields": [
            {"slug": "sessionboard_id", "type": "text"},
            {"slug": "sessionboard_content", "type": "text"},
            {"slug": "key-takeaways", "type": "text"},
        ],
        "isActive": True,
    }
    assert list(seminar["types"]) == [
        "Session",
        "Keynote",
        "Long Talk",
        "Short talk",
        "Workshop",
        "Sprint",
        "Lightning talk",
    ]


def test_an_unknown_seminar_answers_404(asp_api, seeded):
    response = asp_api.get("/public/seminars/nope")

    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "seminar nope not found"}


def test_locations_and_streams_are_created_and_listed(asp_api, seminar):
    base = f"/public/seminars/{seminar['uuid']}"

    room = asp_api.post(f"{base}/locations", json={"name": "B316"})
    track = asp_api.post(f"{base}/streams", json={"name": "English", "colour": "#3b82f6"})

    assert (room.status_code, track.status_code) == (201, 201)
    assert asp_api.get(f"{base}/locations").json() == [
        {"uuid": room.json()["uuid"], "name": "B316", "isActive": True}
    ]
    assert asp_api.get(f"{base}/streams").json() == [
        {"uuid": track.json()["uuid"], "name": "English", "colour": "#3b82f6", "isActive": True}
    ]


def test_a_created_session_is_the_full_record_with_a_new_uuid(asp_api, seminar):
    response = asp_api.post(sessions_path(seminar), json=session_body(seminar))

    record = response.json()
    assert response.status_code == 201
    assert record == {
        "uuid": record["uuid"],
        **session_body(seminar),
        "locationUuid": None,
        "streamUuids": [],
        "speakerUuids": [],
        "clientSessionId": None,
        "isActive": True,
    }
    assert asp_api.get(f"{sessions_path(seminar)}/{record['uuid']}").json() == record


def test_sessions_are_paged_with_offset_limit_and_a_total_header(asp_api, seminar):
    for n in range(12):
        body = session_body(
            seminar, title=f"Talk {n:02}", customFields={"sessionboard_id": f"sb-{n}"}
        )
        asp_api.post(sessions_path(seminar), json=body)

    first = asp_api.get(sessions_path(seminar))
    rest = asp_api.get(sessions_path(seminar), params={"O": 10})
    backwards = asp_api.get(sessions_path(seminar), params={"S": "-title", "L": 3})

    assert [r.headers["X-Records-Total"] for r in (first, rest, backwards)] == ["12", "12", "12"]
    assert [s["title"] for s in first.json() + rest.json()] == [f"Talk {n:02}" for n in range(12)]
    assert [s["title"] for s in backwards.json()] == ["Talk 11", "Talk 10", "Talk 09"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"L": 1001}, "L must be an integer between 1 and 1000, got '1001'"),
        ({"L": 0}, "L must be an integer between 1 and 1000, got '0'"),
        ({"O": -1}, "O must be an integer at least 0, got '-1'"),
        ({"S": "colour"}, "S must name a field, optionally with a leading '-': got 'colour'"),
    ],
)
def test_bad_paging_parameters_are_refused_with_400(asp_api, seminar, params, message):
    response = asp_api.get(sessions_path(seminar), params=params)

    assert response.status_code == 400
    assert response.json() == {"error": "bad_request", "message": message}


def test_a_session_is_found_by_its_sessionboard_id(asp_api, seminar):
    for sb_id in ("sb-1", "sb-2"):
        asp_api.post(
            sessions_path(seminar),
            json=session_body(seminar, customFields={"sessionboard_id": sb_id}),
        )

    found = asp_api.get(sessions_path(seminar), params={"customField.sessionboard_id": "sb-2"})
    misspelt = asp_api.get(sessions_path(seminar), params={"sessionboard_id": "sb-2"})

    assert [s["customFields"] for s in found.json()] == [{"sessionboard_id": "sb-2"}]
    assert found.headers["X-Records-Total"] == "1"
    assert misspelt.status_code == 400


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"title": None}, {"title": "required"}),
        ({"title": " \u200b\u202f "}, {"title": "required"}),
        ({"customFields": {"colour": "red"}}, {"customFields.colour": "undefined custom field"}),
        (
            {"date": "2027-1-5", "start": "9:30"},
            {"date": "expected YYYY-MM-DD", "start": "expected HH:MM:SS"},
        ),
        ({"date": "2027-02-30"}, {"date": "expected YYYY-MM-DD"}),
        ({"end": None}, {"end": "required"}),
        ({"end": "11:30:00"}, {"end": "must be after start"}),
        ({"sessionTypeUuid": "nope"}, {"sessionTypeUuid": "unknown session type"}),
        ({"locationUuid": "nope"}, {"locationUuid": "unknown location"}),
        ({"streamUuids": ["nope"]}, {"streamUuids": "unknown stream: nope"}),
        ({"speakerUuids": ["nope"]}, {"speakerUuids": "unknown speaker: nope"}),
        ({"sessionType": "Long Talk"}, {"sessionType": "unknown field"}),
    ],
)
def test_a_session_asp_cannot_take_is_refused_with_422_naming_the_fields(
    asp_api, seminar, changes, fields
):
    response = asp_api.post(sessions_path(seminar), json=session_body(seminar, **changes))

    assert response.status_code == 422
    assert response.json() == {"error": "validation", "fields": fields}
    assert asp_api.get(sessions_path(seminar)).json() == []


def test_a_put_replaces_the_whole_session(asp_api, seminar):
    created = asp_api.post(sessions_path(seminar), json=session_body(seminar)).json()
    url = f"{sessions_path(seminar)}/{created['uuid']}"

    replaced = asp_api.put(url, json=session_body(seminar, title="New", isActive=False))

    assert replaced.status_code == 200
    assert replaced.json() == {**created, "title": "New", "isActive": False}
    assert asp_api.get(sessions_path(seminar)).json() == [replaced.json()]


def test_a_session_deleted_in_asp_answers_404_for_good(asp_api, seminar, admin):
    created = asp_api.post(sessions_path(seminar), json=session_body(seminar)).json()
    url = f"{sessions_path(seminar)}/{created['uuid']}"

    admin.asp_delete_session(seminar["uuid"], created["uuid"])

    got, put = asp_api.get(url), asp_api.put(url, json=session_body(seminar))
    assert (got.status_code, put.status_code) == (404, 404)
    assert put.json() == {
        "error": "not_found",
        "message": f"session {created['uuid']} not found in seminar {seminar['uuid']}",
    }
    assert asp_api.get(sessions_path(seminar)).json() == []
    assert admin.asp_state()["deleted"] == {"sessions": [created["uuid"]], "speakers": []}


def test_inactive_sessions_stay_listed(asp_api, seminar, admin):
    created = asp_api.post(sessions_path(seminar), json=session_body(seminar)).json()

    admin.asp_update_session(seminar["uuid"], created["uuid"], {"isActive": False})

    assert [s["isActive"] for s in asp_api.get(sessions_path(seminar)).json()] == [False]
    assert [s["isActive"] for s in admin.asp_sessions(seminar["uuid"])] == [False]


def test_speakers_are_found_by_email_without_case_or_surrounding_spaces(asp_api, seeded):
    created = asp_api.post(
        "/public/speakers", json=speaker_body(email=" Claire.Morvan@Example.org ")
    ).json()
    asp_api.post(
        "/public/speakers", json=speaker_body(firstName="Noa", email="noa.levin@example.org")
    )

    found = asp_api.get("/public/speakers", params={"email": "  claire.morvan@EXAMPLE.ORG"})

    assert found.headers["X-Records-Total"] == "1"
    assert found.json() == [created]
    assert created["email"] == " Claire.Morvan@Example.org "


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"lastName": ""}, {"lastName": "required"}),
        ({"firstName": None, "email": None}, {"firstName": "required", "email": "required"}),
        ({"email": "c***@e***.org"}, {"email": "invalid email"}),
        ({"mobile": 612344567}, {"mobile": "must be text"}),
    ],
)
def test_a_speaker_asp_cannot_take_is_refused_with_422(asp_api, seeded, changes, fields):
    response = asp_api.post("/public/speakers", json=speaker_body(**changes))

    assert response.status_code == 422
    assert response.json() == {"error": "validation", "fields": fields}


def test_a_speaker_deleted_in_asp_answers_404_and_cannot_be_named_on_a_session(
    asp_api, seminar, admin
):
    speaker = asp_api.post("/public/speakers", json=speaker_body()).json()
    admin.asp_delete_speaker(speaker["uuid"])

    got = asp_api.get(f"/public/speakers/{speaker['uuid']}")
    put = asp_api.put(f"/public/speakers/{speaker['uuid']}", json=speaker_body())
    named = asp_api.post(
        sessions_path(seminar), json=session_body(seminar, speakerUuids=[speaker["uuid"]])
    )

    assert (got.status_code, put.status_code, named.status_code) == (404, 404, 422)
    assert asp_api.get("/public/speakers").json() == []
    assert admin.asp_speakers() == []
