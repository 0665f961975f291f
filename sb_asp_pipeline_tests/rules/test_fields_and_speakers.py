"""R7, R11 to R15a: what is synced, field by field, and what a refused record looks like."""

from __future__ import annotations

import pytest

from sb_asp_pipeline.asp import AspClient
from sb_asp_pipeline_tests.agenda import DAY, event_doc, hidden, person, talk

ADA = person("Ada", "Lovelace")
GRACE = person("Grace", "Hopper")


def outcomes(frame):
    """(label, rule, field) of each rejected or skipped record, sorted."""
    return sorted(zip(frame["label"], frame["rule"], frame["field"], strict=True))


def titles(env):
    return {key: record["title"] for key, record in env.asp().items()}


# --- R7: accepted and scheduled ------------------------------------------------------------


def test_r07_only_accepted_sessions_and_accepted_custom_statuses_are_written(agenda):
    env = agenda(
        event_doc(
            [
                talk("S-1", ADA),
                talk("S-2", ADA, status="accept_queue", custom_status={"status": "accepted"}),
                talk("S-3", ADA, status="pending"),
                talk("S-4", ADA, status="declined"),
                talk("S-5", ADA, status="accepted", custom_status={"status": "accepted"}),
                talk("S-6", ADA, status="decline_queue", custom_status={"status": "declined"}),
            ]
        )
    )

    report = env.sync()

    assert sorted(env.asp()) == ["S-1", "S-2", "S-5"]
    assert outcomes(report.skips) == [
        ("S-3", "R7", "status"),
        ("S-4", "R7", "status"),
        ("S-6", "R7", "status"),
    ]


def test_r07_a_session_without_start_or_end_is_rejected_and_not_written(agenda):
    env = agenda(
        event_doc(
            [
                talk("S-1", ADA),
                talk("S-2", ADA, starts_at=None),
                talk("S-3", ADA, ends_at=None),
                talk("S-4", ADA, starts_at=None, ends_at=None),
            ]
        )
    )

    report = env.sync()

    assert sorted(env.asp()) == ["S-1"]
    assert outcomes(report.rejections) == [
        ("S-2", "R7", "starts_at"),
        ("S-3", "R7", "ends_at"),
        ("S-4", "R7", "starts_at"),
    ]
    assert report.sessions["rejected"] == 3


# --- R11: session fields ---------------------------------------------------------------------


def test_r11_a_session_is_written_with_every_field(agenda):
    session = talk(
        "F-1",
        GRACE,
        ADA,
        title="  \u00a0Compilers for everyone\u200b ",
        description="<p>Hello <strong>world</strong></p><ul><li>one</li></ul>",
        room={"id": "r", "name": "  Salle Turing "},
        track={"id": "t", "name": "Languages", "color": "#ff0000"},
        format={"id": "f", "name": "Workshop"},
        client_session_id=" CS-42 ",
        starts_at=f"{DAY}T14:00:00+02:00",
        ends_at=f"{DAY}T15:30:00+02:00",
    )
    env = agenda(event_doc([session]))

    env.sync()

    assert env.asp() == {
        "F-1": {
            "title": "Compilers for everyone",
            "date": DAY,
            "start": "14:00:00",
            "end": "15:30:00",
            "type": "Workshop",
            "location": "Salle Turing",
            "streams": ["Languages"],
            "speakers": ["grace.hopper@example.org", "ada.lovelace@example.org"],
            "client_id": "CS-42",
            "custom": {},
            "active": True,
            "description": "<p>Hello <strong>world</strong></p><ul><li>one</li></ul>",
        }
    }


def test_r11_speakers_are_written_in_their_sessionboard_order_not_the_listing_order(agenda):
    session = talk("F-1", ADA, GRACE)
    session["speakers"] = [
        {"id": ADA["id"], "order": 2, "is_public": True},
        {"id": GRACE["id"], "order": 1, "is_public": True},
    ]
    env = agenda(event_doc([session]))

    env.sync()

    assert env.asp()["F-1"]["speakers"] == ["grace.hopper@example.org", "ada.lovelace@example.org"]


def test_r11_a_session_without_client_session_id_is_rejected(agenda):
    env = agenda(
        event_doc([talk("F-1", ADA, client_session_id=None), talk("F-2", client_session_id=" ")])
    )

    report = env.sync()

    assert env.asp() == {}
    assert outcomes(report.rejections) == [
        ("F-1", "R11", "client_session_id"),
        ("F-2", "R11", "client_session_id"),
    ]


def test_r11_a_session_without_room_track_or_speakers_is_written_without_them(agenda):
    env = agenda(event_doc([talk("F-1", room={}, track=None, format={})]))

    env.sync()

    written = env.asp()["F-1"]
    assert (written["location"], written["streams"], written["speakers"]) == (None, [], [])


# --- R12: session types, locations, streams ---------------------------------------------


def test_r12_the_session_type_matches_without_case_or_surrounding_spaces(agenda):
    env = agenda(
        event_doc(
            [
                talk("T-1", format={"id": "a", "name": " talk "}),
                talk("T-2", format={"id": "b", "name": "WORKSHOP"}),
            ],
            session_types=("Talk", "Workshop"),
        )
    )

    env.sync()

    assert {key: s["type"] for key, s in env.asp().items()} == {"T-1": "Talk", "T-2": "Workshop"}


def test_r12_unknown_format_is_written_as_session(agenda):
    env = agenda(
        event_doc(
            [
                talk("T-1", format={"id": "p", "name": "Panel"}),
                talk("T-2", format={}),
                talk("T-3", format=None),
            ],
            session_types=("Talk",),
        )
    )

    report = env.sync()

    assert {key: s["type"] for key, s in env.asp().items()} == {
        "T-1": "Session",
        "T-2": "Session",
        "T-3": "Session",
    }
    assert report.rejections.empty


def test_r12_locations_and_streams_missing_in_asp_are_created_once(agenda, sandbox):
    env = agenda(
        event_doc(
            [
                talk("L-1", room={"id": "1", "name": "Room A"}, track={"id": "1", "name": "Web"}),
                talk("L-2", room={"id": "2", "name": "room a "}, track={"id": "2", "name": "WEB"}),
                talk("L-3", room={"id": "3", "name": "Hall"}, track={"id": "3", "name": "Data"}),
            ]
        )
    )
    asp = AspClient(sandbox.asp_url, sandbox.asp_key, sandbox.asp_secret)
    asp.create_location(env.seminar_id, "HALL")
    asp.close()

    env.sync()
    env.sync()

    [seminar] = [s for s in env.admin.asp_state()["seminars"] if s["uuid"] == env.seminar_id]
    assert sorted(loc["name"] for loc in seminar["locations"]) == ["HALL", "Room A"]
    assert sorted(stream["name"] for stream in seminar["streams"]) == ["Data", "Web"]
    assert {key: (s["location"], s["streams"]) for key, s in env.asp().items()} == {
        "L-1": ("Room A", ["Web"]),
        "L-2": ("Room A", ["Web"]),
        "L-3": ("HALL", ["Data"]),
    }


# --- R13: optional custom fields -------------------------------------------------------


def test_r13_the_most_recent_content_file_is_written_when_the_seminar_has_the_field(agenda):
    session = talk("C-1")
    files = {
        session["id"]: [
            # 10:00 UTC is later than 11:30 in Paris (09:30 UTC): order by instant, not text.
            {
                "id": "1",
                "name": "v2.pdf",
                "url": "https://f.example.org/v2.pdf",
                "created_at": "2030-05-01T10:00:00+00:00",
            },
            {
                "id": "2",
                "name": "v1.pdf",
                "url": "https://f.example.org/v1.pdf",
                "created_at": "2030-05-01T11:30:00+02:00",
            },
            {
                "id": "3",
                "name": "v0.pdf",
                "url": "https://f.example.org/v0.pdf",
                "created_at": "2030-04-01T08:00:00Z",
            },
        ]
    }
    env = agenda(event_doc([session, talk("C-2")], files=files))

    env.sync()

    assert {key: s["custom"] for key, s in env.asp().items()} == {
        "C-1": {"sessionboard_content": "https://f.example.org/v2.pdf"},
        "C-2": {},
    }


def test_r13_content_files_are_not_read_or_written_when_the_seminar_lacks_the_field(agenda):
    session = talk("C-1")
    files = {
        session["id"]: [
            {
                "id": "1",
                "name": "a.pdf",
                "url": "https://f.example.org/a.pdf",
                "created_at": "2030-05-01T10:00:00Z",
            }
        ]
    }
    env = agenda(event_doc([session], files=files))
    env.admin.asp_update_seminar(
        env.seminar_id, {"customFields": [{"slug": "sessionboard_id", "type": "text"}]}
    )
    env.admin.reset_requests()

    env.sync()

    assert env.asp()["C-1"]["custom"] == {}
    assert [r for r in env.admin.requests("sessionboard") if r["path"].endswith("/files")] == []


@pytest.mark.parametrize(
    ("sessionboard_has_it", "seminar_has_it", "expected"),
    [
        (True, True, {"key-takeaways": "Measure first."}),
        (False, True, {}),
        (True, False, {}),
    ],
)
def test_r13_key_takeaways_are_written_only_when_both_sides_define_the_field(
    agenda, sessionboard_has_it, seminar_has_it, expected
):
    value = [
        {
            "internal_name": "key_takeaways",
            "name": "Key Takeaways",
            "type": "text",
            "value": "  Measure first. ",
        }
    ]
    doc = event_doc([talk("K-1", custom_fields=value)])
    if not sessionboard_has_it:
        doc["fields"] = []
    env = agenda(doc)
    if not seminar_has_it:
        slugs = ["sessionboard_id", "sessionboard_content"]
        env.admin.asp_update_seminar(
            env.seminar_id, {"customFields": [{"slug": s, "type": "text"} for s in slugs]}
        )

    report = env.sync()

    assert env.asp()["K-1"]["custom"] == expected
    assert report.rejections.empty


# --- R14: speaker fields ------------------------------------------------------------------


def test_r14_a_speaker_is_written_with_every_field(agenda):
    zoe = person(
        " Zoë ",
        "Ångström-Nguyễn\u200b",
        email="  Zoe.Angstrom@Example.ORG ",
        title="Principal Engineer",
        company_name="Acme Ltd ",
        website_url="acme.example/people/zoë ångström",
        phone_mobile=" +33 6 12 34 56 78 ",
        about='<p onclick="x()">Builds <em>compilers</em>.</p><script>alert(1)</script>',
        photo_url="https://img.example.org/zoe.jpg",
        facebook_url="zoe.angstrom.9",
        linkedin_url="https://www.linkedin.com/in/zoe-a",
        twitter_url="@zoe_a",
    )
    env = agenda(event_doc([talk("P-1", zoe)]))

    env.sync()

    [speaker] = env.admin.asp_speakers()
    del speaker["uuid"]
    assert speaker == {
        "firstName": "Zoë",
        "lastName": "Ångström-Nguyễn",
        "email": "Zoe.Angstrom@Example.ORG",
        "jobTitle": "Principal Engineer",
        "company": "Acme Ltd",
        "website": "https://acme.example/people/zo%C3%AB%20%C3%A5ngstr%C3%B6m",
        "mobile": "+33 6 12 34 56 78",
        "biography": "<p>Builds <em>compilers</em>.</p>",
        "photoUrl": "https://img.example.org/zoe.jpg",
        "facebookUrl": "https://www.facebook.com/zoe.angstrom.9",
        "linkedinUrl": "https://www.linkedin.com/in/zoe-a",
        "twitterUrl": "https://x.com/zoe_a",
        "isActive": True,
    }


def test_r14_a_speaker_without_a_required_field_is_rejected_naming_the_field(agenda):
    broken = {
        "P-1": (person("Bruno", ""), "last_name"),
        "P-2": (person("", "Hopper", email="hopper@example.org"), "first_name"),
        "P-3": (person("Alan", "Turing", email=None), "email"),
        "P-4": (person("Alan", "Kay", email="   "), "email"),
    }
    env = agenda(event_doc([talk(key, contact, ADA) for key, (contact, _) in broken.items()]))

    report = env.sync()

    assert {key: s["speakers"] for key, s in env.asp().items()} == {
        key: ["ada.lovelace@example.org"] for key in broken
    }
    assert sorted(
        (r["kind"], r["record_id"], r["rule"], r["field"], r["message"].rsplit("; ", 1)[1])
        for r in report.rejections.to_dict("records")
    ) == sorted(
        (
            "speaker",
            contact["id"],
            "R14",
            field,
            f"left off session(s) {key}, which are still written",
        )
        for key, (contact, field) in broken.items()
    )


# --- R14a: one person, one ASP speaker; hidden speakers left off -----------------------------


def test_r14a_one_person_is_one_asp_speaker_matched_by_email_without_case_or_spaces(agenda):
    first = person(
        "Ada", "Lovelace", email="Ada.Lovelace@Example.org", updated_at="2029-01-01T00:00:00Z"
    )
    second = person(
        "Ada", "King", email="  ada.lovelace@example.ORG ", updated_at="2029-06-01T00:00:00Z"
    )
    env = agenda(event_doc([talk("A-1", first), talk("A-2", second), talk("A-3", first, second)]))

    report = env.sync()

    [speaker] = env.admin.asp_speakers()
    assert (speaker["firstName"], speaker["lastName"]) == ("Ada", "King")  # latest update wins
    assert {key: s["speakers"] for key, s in env.asp().items()} == {
        "A-1": ["ada.lovelace@example.ORG"],
        "A-2": ["ada.lovelace@example.ORG"],
        "A-3": ["ada.lovelace@example.ORG"],
    }
    assert (report.speakers["attempted"], report.speakers["created"]) == (1, 1)


def test_r14a_a_person_already_in_asp_is_adopted_not_duplicated(agenda, sandbox):
    env = agenda(event_doc([talk("A-1", ADA)]))
    asp = AspClient(sandbox.asp_url, sandbox.asp_key, sandbox.asp_secret)
    existing = asp.create_speaker(
        {"firstName": "Ada", "lastName": "L.", "email": " ADA.LOVELACE@example.org"}
    )
    asp.close()

    report = env.sync()

    [speaker] = env.admin.asp_speakers()
    assert (speaker["uuid"], speaker["lastName"]) == (existing, "Lovelace")
    assert (report.speakers["created"], report.speakers["updated"]) == (0, 1)


def test_r14a_hidden_speakers_are_left_off_the_session(agenda):
    env = agenda(event_doc([talk("H-1", ADA, hidden(GRACE)), talk("H-2", GRACE)]))

    report = env.sync()

    assert {key: s["speakers"] for key, s in env.asp().items()} == {
        "H-1": ["ada.lovelace@example.org"],
        "H-2": ["grace.hopper@example.org"],
    }
    assert report.rejections.empty


def test_r14a_a_speaker_hidden_on_every_session_is_not_written(agenda):
    env = agenda(event_doc([talk("H-1", ADA, hidden(GRACE))]))

    env.sync()

    assert sorted(env.speakers()) == ["ada.lovelace@example.org"]


# --- R15: refusals ------------------------------------------------------------------------


def test_r15_a_masked_email_is_rejected_with_a_reason_that_the_token_hides_personal_data(agenda):
    env = agenda(event_doc([talk("M-1", ADA, GRACE)]))
    env.admin.configure_sessionboard(mask_personal_data=True)

    report = env.sync()

    assert env.asp()["M-1"]["speakers"] == []
    assert env.admin.asp_speakers() == []
    rejections = report.rejections.sort_values("label").to_dict("records")
    assert [(r["label"], r["rule"], r["field"], r["value"]) for r in rejections] == [
        ("Ada Lovelace", "R15", "email", "a***@e***.org"),
        ("Grace Hopper", "R15", "email", "g***@e***.org"),
    ]
    assert all("token hides personal data" in r["message"] for r in rejections)


INVISIBLE_TITLES = [
    "",
    "   ",
    "\u200b",  # zero-width space
    "\u200b\u2060\ufeff",  # with a word joiner and a byte-order mark
    "\u00a0\u202f\u3000",  # no-break, narrow no-break and ideographic spaces
    "\u3164",  # Hangul filler
    "\u2800",  # blank Braille pattern
    "\u034f",  # combining grapheme joiner
]


def test_r15_a_title_of_only_invisible_characters_is_rejected(agenda):
    blank = {f"B-{n}": title for n, title in enumerate(INVISIBLE_TITLES)}
    env = agenda(
        event_doc([talk(key, ADA, title=title) for key, title in blank.items()] + [talk("OK")])
    )

    report = env.sync()

    assert sorted(env.asp()) == ["OK"]
    assert outcomes(report.rejections) == [(key, "R15", "title") for key in sorted(blank)]


def test_r15_a_session_whose_speaker_is_rejected_is_written_without_it_naming_both(agenda):
    env = agenda(
        event_doc([talk("R-1", person("Bruno", ""), ADA), talk("R-2", person("Bruno", ""))])
    )

    report = env.sync()

    assert {key: s["speakers"] for key, s in env.asp().items()} == {
        "R-1": ["ada.lovelace@example.org"],
        "R-2": [],
    }
    [rejection] = report.rejections.to_dict("records")
    assert rejection["message"] == (
        "speaker Bruno: last name is required: add it to the contact in Sessionboard; "
        "left off session(s) R-1, R-2, which are still written"
    )


def test_r15_a_value_asp_refuses_is_rejected_with_asps_reason_and_the_rest_is_written(agenda):
    odd = person("Odd", "Email", email="odd@exa_mple.org")
    env = agenda(event_doc([talk("V-1", odd, ADA), talk("V-2", ADA)]))

    report = env.sync()

    assert {key: s["speakers"] for key, s in env.asp().items()} == {
        "V-1": ["ada.lovelace@example.org"],
        "V-2": ["ada.lovelace@example.org"],
    }
    [rejection] = report.rejections.to_dict("records")
    assert (rejection["kind"], rejection["record_id"], rejection["rule"], rejection["field"]) == (
        "speaker",
        odd["id"],
        "R15",
        "email",
    )
    assert rejection["message"] == (
        "speaker Odd Email: ASP refused it (email: invalid email); fix the value in "
        "Sessionboard or the seminar's settings in ASP; left off session(s) V-1, which are "
        "still written"
    )
    assert (report.speakers["rejected"], report.speakers["created"]) == (1, 1)


# --- R15a: subsessions and abstracts -----------------------------------------------------


def test_r15a_subsessions_and_abstracts_are_not_synced(agenda):
    parent = talk("P-1", ADA)
    env = agenda(
        event_doc(
            [
                parent,
                talk("P-2", ADA, parent_id=parent["id"]),
                talk("P-3", ADA, parent_session_id=parent["id"]),
                talk("P-4", GRACE, is_abstract=True),
            ]
        )
    )

    report = env.sync()

    assert sorted(env.asp()) == ["P-1"]
    assert sorted(env.speakers()) == ["ada.lovelace@example.org"]
    assert outcomes(report.skips) == [
        ("P-2", "R15a", "parent_id"),
        ("P-3", "R15a", "parent_id"),
        ("P-4", "R15a", "is_abstract"),
    ]
