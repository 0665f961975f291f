"""Small Sessionboard records for tests, in the API's shape."""

from __future__ import annotations

import uuid
from typing import Any

from sb_asp_pipeline.sync.extract import links_frame, sessions_frame, speakers_frame
from sb_asp_pipeline.sync.programme import Programme


def contact(name: str, **fields: Any) -> dict[str, Any]:
    first, _, last = name.partition(" ")
    record = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, name)),
        "first_name": first,
        "last_name": last,
        "full_name": name,
        "email": f"{first.lower()}.{last.lower()}@example.org",
        "updated_at": "2026-11-20T10:00:00+00:00",
    }
    record.update(fields)
    return record


def session(title: str, *speakers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    record = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, title)),
        "friendly_id": f"T-{abs(hash(title)) % 1000}",
        "title": title,
        "description": "<p>About it.</p>",
        "status": "accepted",
        "custom_status": None,
        "starts_at": "2027-03-14T09:30:00+01:00",
        "ends_at": "2027-03-14T10:15:00+01:00",
        "client_session_id": "C-1",
        "is_public": True,
        "is_abstract": False,
        "room": {"id": "r1", "name": "Room A"},
        "format": {"id": "f1", "name": "Talk"},
        "track": {"id": "t1", "name": "Main", "color": "#000000"},
        "speakers": [
            {
                "id": s["id"],
                "order": position,
                "first_name": s["first_name"],
                "last_name": s["last_name"],
                "email": s["email"],
                "is_public": s.get("is_public_on_session", True),
            }
            for position, s in enumerate(speakers, start=1)
        ],
        "custom_fields": [],
    }
    record.update(fields)
    return record


def programme(
    sessions: list[dict[str, Any]],
    contacts: list[dict[str, Any]],
    timezone: str = "Europe/Paris",
) -> Programme:
    return Programme(
        event={"id": 1, "name": "Test", "timezone": timezone},
        sessions=sessions_frame(sessions),
        links=links_frame(sessions),
        speakers=speakers_frame(contacts),
    )
