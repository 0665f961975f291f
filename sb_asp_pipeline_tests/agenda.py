"""Sessionboard events written for one test, synced through Dagster into the sandbox, and what
ASP holds afterwards in a form a test can compare whole.

Events built here are dated in June 2030 and synced with the clock pinned on NOW, so every
date in a test is the date written in it and nothing depends on the day the suite runs."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import dagster as dg

from sb_asp_pipeline.defs.launch import failure_message, materialize_mapping
from sb_asp_pipeline.defs.resources import ClockResource, resources_from_env
from sb_asp_pipeline.sync.load import SyncReport

NOW = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
EVENT_ID = 4300
PARIS = "Europe/Paris"
DAY = "2030-06-10"  # a Monday; Paris is on summer time (+02:00)
TAKEAWAYS = {
    "id": 9001,
    "internal_name": "key_takeaways",
    "name": "Key Takeaways",
    "type": "text",
    "entity": "session",
}


def _uuid(text: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, text))


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum()) or "x"


def person(first: str, last: str, **fields: Any) -> dict[str, Any]:
    """A Sessionboard contact; the email is made from the name unless given."""
    record = {
        "id": _uuid(f"contact:{first}:{last}:{fields.get('email')}"),
        "friendly_id": None,
        "first_name": first,
        "last_name": last,
        "full_name": f"{first} {last}".strip(),
        "email": f"{_ascii(first)}.{_ascii(last)}@example.org",
        "title": "",
        "company_name": "",
        "website_url": None,
        "phone_mobile": None,
        "about": None,
        "photo_url": None,
        "facebook_url": None,
        "linkedin_url": None,
        "twitter_url": None,
        "is_public": True,
        "created_at": "2029-11-01T10:00:00+00:00",
        "updated_at": "2029-11-01T10:00:00+00:00",
    }
    record.update(fields)
    return record


def hidden(contact: dict[str, Any]) -> dict[str, Any]:
    """The contact as a speaker hidden on one session (`is_public: false` on its entry)."""
    return {**contact, "_hidden": True}


def talk(friendly_id: str, *speakers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """An accepted, scheduled Sessionboard session on DAY, 09:00 to 09:45 in Paris."""
    record = {
        "id": _uuid(f"session:{friendly_id}"),
        "friendly_id": friendly_id,
        "title": f"Talk {friendly_id}",
        "description": "<p>About it.</p>",
        "status": "accepted",
        "custom_status": None,
        "starts_at": f"{DAY}T09:00:00+02:00",
        "ends_at": f"{DAY}T09:45:00+02:00",
        "client_session_id": f"C-{friendly_id}",
        "is_public": True,
        "is_abstract": False,
        "room": {"id": "room-a", "name": "Room A"},
        "format": {"id": "talk", "name": "Talk"},
        "track": {"id": "main", "name": "Main", "color": "#112233"},
        "tags": [],
        "speakers": [entry(s, order) for order, s in enumerate(speakers, start=1)],
        "custom_fields": [],
        # The contacts themselves, for event_doc and Agenda.add; never sent to the sandbox.
        "_people": list(speakers),
        "created_at": "2029-11-01T10:00:00+00:00",
        "updated_at": "2029-11-01T10:00:00+00:00",
    }
    record.update(fields)
    return record


def entry(contact: dict[str, Any], order: int) -> dict[str, Any]:
    """A session's speaker entry; name and email follow the contact in the sandbox."""
    return {"id": contact["id"], "order": order, "is_public": not contact.get("_hidden")}


def event_doc(
    sessions: list[dict[str, Any]],
    *,
    timezone: str = PARIS,
    session_types: tuple[str, ...] = ("Talk", "Workshop"),
    fields: tuple[dict[str, Any], ...] = (TAKEAWAYS,),
    files: dict[str, list[dict[str, Any]]] | None = None,
    event_id: int = EVENT_ID,
) -> dict[str, Any]:
    """An event document the sandbox loads; its contacts are the speakers of its sessions."""
    contacts: dict[str, dict[str, Any]] = {}
    for speaker in (p for s in sessions for p in s.get("_people", ())):
        contacts.setdefault(speaker["id"], _contact(speaker))
    return {
        "event": {"id": event_id, "name": f"Rules Conf {event_id}", "timezone": timezone},
        "fields": list(fields),
        "sessions": [_without_people(s) for s in sessions],
        "speakers": list(contacts.values()),
        "files": files or {},
        "asp": {"session_types": list(session_types)},
    }


def _without_people(session: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in session.items() if k != "_people"}


def _contact(contact: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in contact.items() if k != "_hidden"}


@dataclass
class Agenda:
    """One mapping of an event built for a test, and ways to sync it and read ASP."""

    env: Any  # conftest.SyncEnv
    # Friendly ids of every session seen, so one deleted in Sessionboard still reads by name.
    friendly: dict[str, str] = field(default_factory=dict)

    @property
    def admin(self) -> Any:
        return self.env.admin

    @property
    def sb_event_id(self) -> int:
        return int(self.env.seeded.sb_event_id)

    @property
    def seminar_id(self) -> str:
        return str(self.env.seeded.seminar_id)

    def add(self, session: dict[str, Any]) -> None:
        """Add a session made with `talk` to Sessionboard, with the contacts it names."""
        known = {c["id"] for c in self.admin.sessionboard_event(self.sb_event_id)["speakers"]}
        for contact in session.get("_people", ()):
            if contact["id"] not in known:
                self.admin.add_speaker(self.sb_event_id, _contact(contact))
                known.add(contact["id"])
        self.admin.add_session(self.sb_event_id, _without_people(session))

    def update(self, session_id: str, changes: dict[str, Any]) -> None:
        """Change fields of a Sessionboard session, by friendly id."""
        self.admin.update_session(self.sb_event_id, self.sb_id(session_id), changes)

    def sb_id(self, friendly_id: str) -> str:
        return _uuid(f"session:{friendly_id}")

    def run(self, now: datetime | None = NOW) -> tuple[dg.ExecuteInProcessResult, Any]:
        """Materialize the mapping's partition; `now=None` keeps the wall clock."""
        resources = dict(resources_from_env())
        if now is not None:
            resources["clock"] = ClockResource(fixed_now=now.isoformat())
        return materialize_mapping(
            self.sb_event_id, instance=self.env.instance, resources=resources
        )

    def sync(self, now: datetime | None = NOW) -> SyncReport:
        result, report = self.run(now)
        assert report is not None, failure_message(result)
        return report

    def failure(self, now: datetime | None = NOW) -> str:
        """Run a sync that must fail; the message a person sees."""
        result, report = self.run(now)
        assert report is None, "the sync was expected to fail"
        return failure_message(result)

    def asp(self, seminar_id: str | None = None) -> dict[str, dict[str, Any]]:
        """The seminar's sessions by Sessionboard friendly id, references resolved to names."""
        for session in self.admin.sessionboard_event(self.sb_event_id)["sessions"]:
            self.friendly[session["id"]] = session["friendly_id"] or session["id"]
        return asp_sessions(self.admin, self.friendly, seminar_id or self.seminar_id)

    def speakers(self) -> dict[str, dict[str, Any]]:
        """Every ASP speaker of the site by email."""
        return {s["email"]: s for s in self.admin.asp_speakers()}


def asp_sessions(
    admin: Any, friendly: dict[str, str], seminar_id: str
) -> dict[str, dict[str, Any]]:
    """What a person sees in the ASP seminar: one entry per session, by the friendly id of its
    Sessionboard session (`friendly`, by Sessionboard id)."""
    state = admin.asp_state()
    [seminar] = [s for s in state["seminars"] if s["uuid"] == seminar_id]
    names = {
        record["uuid"]: record["name"]
        for kind in ("sessionTypes", "locations", "streams")
        for record in seminar[kind]
    }
    emails = {s["uuid"]: s["email"] for s in state["speakers"]}
    viewed = {}
    for record in seminar["sessions"]:
        custom = dict(record["customFields"])
        key = friendly.get(custom.pop("sessionboard_id", None), record["uuid"])
        viewed[key] = {
            "title": record["title"],
            "date": record["date"],
            "start": record["start"],
            "end": record["end"],
            "type": names.get(record["sessionTypeUuid"]),
            "location": names.get(record["locationUuid"]),
            "streams": [names.get(u) for u in record["streamUuids"]],
            "speakers": [emails.get(u, f"deleted:{u}") for u in record["speakerUuids"]],
            "client_id": record["clientSessionId"],
            "custom": custom,
            "active": record["isActive"],
            "description": record["description"],
        }
    return viewed
