"""The sandbox Sessionboard API over real HTTP: auth, paging, filters, masking, admin edits."""

import datetime as dt

import pytest
import requests

CLAIRE = "7ef40c08-9e2c-57be-aca8-a597f36a5a99"
PYFR_103 = "03033a56-81ff-53db-b437-c0960ebc168f"


def sessions(api, event_id, body=None, **params):
    return api.post(f"/v1/event/{event_id}/sessions", json=body, params=params)


def friendly_ids(response):
    return [s["friendly_id"] for s in response.json()["results"]]


@pytest.mark.parametrize("headers", [{}, {"x-access-token": "not-the-token"}])
def test_a_call_without_the_right_token_is_refused_with_401(sandbox, seeded, headers):
    response = requests.get(f"{sandbox.sessionboard_url}/v1/events", headers=headers, timeout=5)

    assert response.status_code == 401
    assert response.json() == {
        "error": "Unauthorized",
        "message": "missing or invalid x-access-token header",
    }


def test_events_are_listed_with_integer_ids_and_pagination(sessionboard_api, seeded):
    response = sessionboard_api.get("/v1/events")

    assert response.status_code == 200
    assert response.json() == {
        "results": [{"id": 4101, "name": "PyConFR 2025", "timezone": "Europe/Paris"}],
        "pagination": {"currentPage": 1, "pageSize": 25, "totalPages": 1, "totalResults": 1},
    }


def test_sessions_are_paged_in_insertion_order(sessionboard_api, seeded, sample_doc):
    pages = [sessions(sessionboard_api, 4101, page=n, pageSize=10) for n in (1, 2, 3, 4)]

    assert [p.json()["pagination"] for p in pages] == [
        {"currentPage": n, "pageSize": 10, "totalPages": 3, "totalResults": 26}
        for n in (1, 2, 3, 4)
    ]
    assert [len(p.json()["results"]) for p in pages] == [10, 10, 6, 0]
    assert [fid for p in pages for fid in friendly_ids(p)] == [
        s["friendly_id"] for s in sample_doc["sessions"]
    ]


def test_paging_parameters_are_also_read_from_the_body(sessionboard_api, seeded):
    response = sessions(sessionboard_api, 4101, {"page": 2, "pageSize": 20})

    assert response.json()["pagination"] == {
        "currentPage": 2,
        "pageSize": 20,
        "totalPages": 2,
        "totalResults": 26,
    }
    assert friendly_ids(response) == [
        "PYFR-121",
        "PYFR-122",
        "PYFR-901",
        "PYFR-902",
        "PYFR-903",
        "PYFR-904",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"pageSize": 0}, "pageSize must be an integer between 1 and 100, got '0'"),
        ({"pageSize": 101}, "pageSize must be an integer between 1 and 100, got '101'"),
        ({"pageSize": "ten"}, "pageSize must be an integer between 1 and 100, got 'ten'"),
        ({"page": 0}, "page must be an integer at least 1, got '0'"),
    ],
)
def test_out_of_range_paging_is_refused_with_400(sessionboard_api, seeded, params, message):
    response = sessions(sessionboard_api, 4101, **params)

    assert response.status_code == 400
    assert response.json() == {"error": "BadRequest", "message": message}


def test_the_status_filter_matches_the_status_or_the_custom_status_category(
    sessionboard_api, seeded, admin
):
    custom = {"id": 7001, "name": "Confirmed by speaker", "status": "accepted"}
    admin.add_session(
        4101, {"friendly_id": "PYFR-990", "status": "accept_queue", "custom_status": custom}
    )

    accepted = sessions(sessionboard_api, 4101, {"filters": {"status": "accepted"}}, pageSize=100)
    pending = sessions(sessionboard_api, 4101, {"filters": {"status": "pending"}})

    assert accepted.json()["pagination"]["totalResults"] == 25
    assert friendly_ids(accepted)[-3:] == ["PYFR-903", "PYFR-904", "PYFR-990"]
    assert friendly_ids(pending) == ["PYFR-901"]


def test_the_updated_at_filter_keeps_sessions_changed_after_the_instant(
    sessionboard_api, seeded, admin
):
    admin.update_session(4101, PYFR_103, {"updated_at": "2030-01-01T00:00:00+00:00"})
    body = {"filters": {"updatedAt": {"after": "2029-12-31T23:00:00Z"}}}

    assert friendly_ids(sessions(sessionboard_api, 4101, body)) == ["PYFR-103"]


def test_an_admin_edit_stamps_updated_at(seeded, admin):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)

    session = admin.update_session(4101, PYFR_103, {"title": "Tout ce dont votre package a besoin"})

    assert dt.datetime.fromisoformat(session["updated_at"]) >= before


def test_sessions_sort_by_a_camel_case_field_keeping_ties_in_insertion_order(
    sessionboard_api, seeded
):
    body = {"sort": {"order": "startsAt", "sort": "asc"}}

    ordered = friendly_ids(sessions(sessionboard_api, 4101, body, pageSize=100))

    assert ordered[:4] == ["PYFR-903", "PYFR-120", "PYFR-121", "PYFR-122"]
    assert ordered[-1] == "PYFR-904"


def test_speakers_are_the_contacts_named_by_at_least_one_session(sessionboard_api, seeded, admin):
    admin.add_speaker(4101, {"id": "c-new", "first_name": "Ana", "email": "ana@example.org"})
    before = sessionboard_api.post("/v1/event/4101/speakers", params={"pageSize": 100}).json()

    admin.update_session(
        4101, PYFR_103, {"speakers": [{"id": "c-new", "order": 1, "is_public": True}]}
    )
    after = sessionboard_api.post("/v1/event/4101/speakers", params={"pageSize": 100}).json()

    assert before["pagination"]["totalResults"] == 26
    assert "c-new" not in [c["id"] for c in before["results"]]
    assert after["results"][-1]["id"] == "c-new"


def test_fields_and_files_are_served_per_event_and_session(sessionboard_api, seeded, sample_doc):
    fields = sessionboard_api.get("/v1/event/4101/fields")
    files = sessionboard_api.get(f"/v1/event/4101/sessions/{PYFR_103}/files")

    assert fields.json() == sample_doc["fields"]
    assert files.json() == [
        {
            "id": "aa8f5abe-e0ca-5c07-b099-cc677aa68044",
            "name": "slides-66.pdf",
            "url": "https://files.example.org/pyconfr-2025/87KRHE/slides-66.pdf",
            "created_at": "2026-11-20T10:00:00+00:00",
        }
    ]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/v1/event/999/fields", "event 999 not found"),
        ("/v1/event/abc/fields", "event abc not found"),
        ("/v1/event/4101/sessions/nope/files", "session nope not found in event 4101"),
    ],
)
def test_unknown_events_and_sessions_answer_404(sessionboard_api, seeded, path, message):
    response = sessionboard_api.get(path)

    assert response.status_code == 404
    assert response.json() == {"error": "NotFound", "message": message}


def test_a_token_hiding_personal_data_masks_emails_and_phones(sessionboard_api, seeded, admin):
    admin.update_speaker(4101, CLAIRE, {"phone_mobile": "+33 6 12 34 45 67"})
    admin.configure_sessionboard(mask_personal_data=True)

    session = sessions(sessionboard_api, 4101).json()["results"][0]
    contact = sessionboard_api.post("/v1/event/4101/speakers").json()["results"][0]

    assert session["speakers"][0]["email"] == "c***@e***.org"
    assert (contact["id"], contact["email"], contact["phone_mobile"]) == (
        CLAIRE,
        "c***@e***.org",
        "***-***-4567",
    )
    assert admin.sessionboard_event(4101)["speakers"][0]["email"] == "claire.morvan@example.org"


def test_the_list_key_can_be_data_instead_of_results(sessionboard_api, seeded, admin):
    admin.configure_sessionboard(list_key="data")

    body = sessions(sessionboard_api, 4101, pageSize=1).json()

    assert sorted(body) == ["data", "pagination"]
    assert body["data"][0]["friendly_id"] == "PYFR-101"


def test_a_contact_edit_shows_in_the_session_entries_that_name_it(sessionboard_api, seeded, admin):
    admin.update_speaker(
        4101, CLAIRE, {"email": "claire@example.net", "last_name": "Morvan-Le Goff"}
    )

    entry = sessions(sessionboard_api, 4101).json()["results"][0]["speakers"][0]

    assert (entry["email"], entry["full_name"]) == ("claire@example.net", "Claire Morvan-Le Goff")


def test_a_new_token_set_by_admin_replaces_the_old_one(sandbox, sessionboard_api, seeded, admin):
    admin.configure_sessionboard(token="rotated")

    refused = sessionboard_api.get("/v1/events")
    accepted = sessionboard_api.get("/v1/events", headers={"x-access-token": "rotated"})

    assert (refused.status_code, accepted.status_code) == (401, 200)
    assert sandbox.settings()["SESSIONBOARD_API_TOKEN"] == "rotated"


def test_pages_can_be_smaller_than_asked_and_repeat_a_record_across_pages(
    sessionboard_api, seeded, admin, sample_doc
):
    admin.configure_sessionboard(max_page_size=10, repeat_across_pages=True)

    pages = [sessions(sessionboard_api, 4101, page=n, pageSize=100).json() for n in (1, 2, 3)]

    assert [p["pagination"]["pageSize"] for p in pages] == [10, 10, 10]
    assert [p["pagination"]["totalPages"] for p in pages] == [3, 3, 3]
    listed = [s["friendly_id"] for p in pages for s in p["results"]]
    every = [s["friendly_id"] for s in sample_doc["sessions"]]
    assert listed == every[:10] + every[9:20] + every[19:]


@pytest.mark.parametrize("size", [0, 101, True])
def test_a_page_size_cap_outside_the_api_range_is_refused(admin, size):
    with pytest.raises(requests.HTTPError, match="max_page_size"):
        admin.configure_sessionboard(max_page_size=size)
