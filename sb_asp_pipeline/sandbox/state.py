"""In-memory state of the two sandbox servers, shared by their API routes and admin routes.

Each state guards everything with one lock and hands out deep copies, so no caller ever holds a
reference into the live records while another thread changes them.
"""

import copy
import dataclasses
import datetime as dt
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sb_asp_pipeline.sandbox.asp_records import (
    SESSION_DEFAULTS,
    SPEAKER_DEFAULTS,
    SeminarRefs,
    named_errors,
    session_errors,
    speaker_errors,
)

Record = dict[str, Any]

TOKEN_LIFETIME_SECONDS = 3600

_CATALOG_FIELDS = {"sessionTypes": ("name",), "locations": ("name",), "streams": ("name", "colour")}


class NotFound(LookupError):
    """The record does not exist, or was deleted."""


class Invalid(ValueError):
    """A body the server refuses, with a reason per field."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in fields.items()))
        self.fields = fields


@dataclass(frozen=True)
class Fault:
    """A canned answer for the next `count` API requests whose method and path match.

    `status` 0 serves the request normally after `delay_seconds`; any other status answers
    that status, after the delay, without touching the state.
    """

    status: int
    method: str = "*"
    path: str = "/"
    retry_after: str | None = None
    count: int = 1
    delay_seconds: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        """True when the request falls under this fault (method `*` matches any)."""
        return self.method in ("*", method.upper()) and path.startswith(self.path)


class Traffic:
    """The request log and the fault queue of one server."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._requests: list[Record] = []
        self._faults: list[Fault] = []

    def log(self, method: str, path: str, query: str, status: int) -> None:
        """Remember one API call and how it was answered."""
        with self._lock:
            entry = {"method": method, "path": path, "query": query, "status": status}
            self._requests.append(entry)

    def requests(self) -> list[Record]:
        """The API calls so far, oldest first."""
        with self._lock:
            return copy.deepcopy(self._requests)

    def clear_requests(self) -> None:
        """Forget the logged calls."""
        with self._lock:
            self._requests.clear()

    def add_fault(self, fault: Fault) -> None:
        """Queue a fault behind the ones already queued."""
        with self._lock:
            self._faults.append(fault)

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first queued fault matching the request, used up once."""
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.matches(method, path):
                    self._use(index, fault)
                    return fault
            return None

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        with self._lock:
            self._faults.clear()

    def _use(self, index: int, fault: Fault) -> None:
        if fault.count <= 1:
            del self._faults[index]
        else:
            self._faults[index] = dataclasses.replace(fault, count=fault.count - 1)


def now_iso() -> str:
    """The current UTC time as Sessionboard writes it."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def new_id() -> str:
    """A fresh record id."""
    return str(uuid.uuid4())


# ---------------------------------------------------------------------------------- Sessionboard

_SB_SESSION_DEFAULTS: Record = {
    "friendly_id": None,
    "title": "",
    "description": "",
    # A new Sessionboard submission starts unreviewed.
    "status": "pending",
    "custom_status": None,
    "starts_at": None,
    "ends_at": None,
    "client_session_id": None,
    "is_public": True,
    "is_abstract": False,
    "room": {},
    "format": {},
    "track": {},
    "tags": [],
    "speakers": [],
    "custom_fields": [],
}

_SB_CONTACT_DEFAULTS: Record = {
    "friendly_id": None,
    "first_name": "",
    "last_name": "",
    "full_name": "",
    "email": None,
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
}

_SB_CONFIG_TYPES: dict[str, type] = {
    "mask_personal_data": bool,
    "list_key": str,
    "token": str,
    "max_page_size": int,
    "repeat_across_pages": bool,
}
# The Public API's own cap on `pageSize`.
SB_MAX_PAGE_SIZE = 100
_SB_EVENT_KEYS = ("name", "timezone")
_ENTRY_FROM_CONTACT = ("first_name", "last_name", "full_name", "email")


@dataclass
class _SbEvent:
    event: Record
    fields: list[Record]
    sessions: dict[str, Record]
    contacts: dict[str, Record]
    files: dict[str, list[Record]]

    @classmethod
    def from_doc(cls, doc: Record) -> "_SbEvent":
        doc = copy.deepcopy(doc)
        head = doc.get("event")
        if not isinstance(head, dict) or not isinstance(head.get("id"), int):
            raise Invalid({"event": "expected an object with an integer id"})

        return cls(
            event={
                "id": head["id"],
                "name": head.get("name", ""),
                "timezone": head.get("timezone"),
            },
            fields=doc.get("fields", []),
            sessions=_by_id(doc.get("sessions", []), "sessions"),
            contacts=_by_id(doc.get("speakers", []), "speakers"),
            files=doc.get("files", {}),
        )

    def to_doc(self) -> Record:
        return copy.deepcopy(
            {
                "event": self.event,
                "fields": self.fields,
                "sessions": list(self.sessions.values()),
                "speakers": list(self.contacts.values()),
                "files": self.files,
            }
        )

    def render_session(self, session: Record) -> Record:
        """The session as the API shows it: speaker entries follow their contact."""
        shown = copy.deepcopy(session)
        for entry in shown.get("speakers") or []:
            contact = self.contacts.get(entry.get("id"), {})
            entry.update({key: contact[key] for key in _ENTRY_FROM_CONTACT if key in contact})
        return shown


def _by_id(records: Any, what: str) -> dict[str, Record]:
    if not isinstance(records, list) or not all(isinstance(r, dict) and "id" in r for r in records):
        raise Invalid({what: "expected a list of objects with an id"})
    return {record["id"]: record for record in records}


class SessionboardState:
    """Events of the sandbox Sessionboard organization, its token and its API settings."""

    def __init__(self, token: str) -> None:
        self._lock = threading.RLock()
        self.token = token
        self.mask_personal_data = False
        self.list_key = "results"
        # Paging as a busy event shows it: smaller pages than asked for, and a record that a
        # change between two page reads pushes onto the next page, so it is listed twice.
        self.max_page_size = SB_MAX_PAGE_SIZE
        self.repeat_across_pages = False
        self.traffic = Traffic(self._lock)
        self._events: dict[int, _SbEvent] = {}

    def config(self) -> Record:
        """The settings the admin side can change."""
        with self._lock:
            return {key: getattr(self, key) for key in _SB_CONFIG_TYPES}

    def configure(self, changes: Record) -> Record:
        """Change `mask_personal_data`, `list_key` ("results" or "data"), `token`,
        `max_page_size` (1 to 100) or `repeat_across_pages`."""
        errors = _type_errors(changes, _SB_CONFIG_TYPES)
        if changes.get("list_key", "results") not in ("results", "data"):
            errors["list_key"] = "expected results or data"
        size = changes.get("max_page_size", SB_MAX_PAGE_SIZE)
        if isinstance(size, bool) or (isinstance(size, int) and not 1 <= size <= SB_MAX_PAGE_SIZE):
            errors["max_page_size"] = f"expected 1 to {SB_MAX_PAGE_SIZE}"
        if errors:
            raise Invalid(errors)

        with self._lock:
            for key, value in changes.items():
                setattr(self, key, value)
            return self.config()

    def load_event(self, doc: Record) -> int:
        """Load an event document, replacing any event with the same id."""
        event = _SbEvent.from_doc(doc)
        with self._lock:
            self._events[event.event["id"]] = event
        return int(event.event["id"])

    def events(self) -> list[Record]:
        """Every event, as `GET /v1/events` lists them."""
        with self._lock:
            return [copy.deepcopy(event.event) for event in self._events.values()]

    def event_doc(self, event_id: int) -> Record:
        """The whole stored document of one event, never masked."""
        with self._lock:
            return self._event(event_id).to_doc()

    def update_event(self, event_id: int, changes: Record) -> Record:
        """Change the event's `name`, `timezone` or `fields` (replaced whole)."""
        unknown = {
            key: "unknown field" for key in changes if key not in (*_SB_EVENT_KEYS, "fields")
        }
        if unknown:
            raise Invalid(unknown)

        with self._lock:
            event = self._event(event_id)
            event.event.update({key: changes[key] for key in _SB_EVENT_KEYS if key in changes})
            event.fields = copy.deepcopy(changes.get("fields", event.fields))
            return event.to_doc()

    def fields(self, event_id: int) -> list[Record]:
        """The event's custom field definitions."""
        with self._lock:
            return copy.deepcopy(self._event(event_id).fields)

    def sessions(self, event_id: int) -> list[Record]:
        """The event's sessions in insertion order."""
        with self._lock:
            event = self._event(event_id)
            return [event.render_session(s) for s in event.sessions.values()]

    def speakers(self, event_id: int) -> list[Record]:
        """The contacts that speak in at least one session of the event."""
        with self._lock:
            event = self._event(event_id)
            attached = {
                entry.get("id")
                for session in event.sessions.values()
                for entry in session.get("speakers") or []
            }
            return [copy.deepcopy(c) for cid, c in event.contacts.items() if cid in attached]

    def files(self, event_id: int, session_id: str) -> list[Record]:
        """The content files of one session."""
        with self._lock:
            event = self._event(event_id)
            _session(event, session_id)
            return copy.deepcopy(event.files.get(session_id, []))

    def add_session(self, event_id: int, session: Record) -> Record:
        """Add a session; missing fields get the defaults of a new submission."""
        stamp = now_iso()
        record = {"id": new_id(), **copy.deepcopy(_SB_SESSION_DEFAULTS)}
        record |= {"created_at": stamp, "updated_at": stamp, **copy.deepcopy(session)}
        with self._lock:
            event = self._event(event_id)
            if record["id"] in event.sessions:
                raise Invalid({"id": "a session with this id exists"})
            event.sessions[record["id"]] = record
            return event.render_session(record)

    def update_session(self, event_id: int, session_id: str, changes: Record) -> Record:
        """Merge top-level fields (nested values are replaced) and stamp `updated_at`."""
        with self._lock:
            event = self._event(event_id)
            session = _session(event, session_id)
            session.update({"updated_at": now_iso(), **copy.deepcopy(changes), "id": session_id})
            return event.render_session(session)

    def delete_session(self, event_id: int, session_id: str) -> None:
        """Remove a session and its files."""
        with self._lock:
            event = self._event(event_id)
            _session(event, session_id)
            del event.sessions[session_id]
            event.files.pop(session_id, None)

    def add_speaker(self, event_id: int, contact: Record) -> Record:
        """Add a contact; it is listed as a speaker once a session names it."""
        stamp = now_iso()
        record = {"id": new_id(), **copy.deepcopy(_SB_CONTACT_DEFAULTS)}
        record |= {"created_at": stamp, "updated_at": stamp, **copy.deepcopy(contact)}
        with self._lock:
            event = self._event(event_id)
            if record["id"] in event.contacts:
                raise Invalid({"id": "a contact with this id exists"})
            event.contacts[record["id"]] = record
            return copy.deepcopy(record)

    def update_speaker(self, event_id: int, contact_id: str, changes: Record) -> Record:
        """Merge fields into a contact; its session entries follow."""
        with self._lock:
            contact = self._event(event_id).contacts.get(contact_id)
            if contact is None:
                raise NotFound(f"contact {contact_id} not found in event {event_id}")

            contact.update({"updated_at": now_iso(), **copy.deepcopy(changes), "id": contact_id})
            renamed = "first_name" in changes or "last_name" in changes
            if renamed and "full_name" not in changes:
                contact["full_name"] = f"{contact['first_name']} {contact['last_name']}".strip()
            return copy.deepcopy(contact)

    def put_files(self, event_id: int, session_id: str, files: list[Record]) -> list[Record]:
        """Replace the content files of one session."""
        with self._lock:
            event = self._event(event_id)
            _session(event, session_id)
            event.files[session_id] = copy.deepcopy(files)
            return copy.deepcopy(files)

    def _event(self, event_id: int) -> _SbEvent:
        event = self._events.get(event_id)
        if event is None:
            raise NotFound(f"event {event_id} not found")
        return event


def _session(event: _SbEvent, session_id: str) -> Record:
    session = event.sessions.get(session_id)
    if session is None:
        raise NotFound(f"session {session_id} not found in event {event.event['id']}")
    return session


def _type_errors(changes: Record, types: dict[str, type]) -> dict[str, str]:
    errors = {key: "unknown field" for key in changes if key not in types}
    for key, kind in types.items():
        if key in changes and not isinstance(changes[key], kind):
            errors[key] = f"expected {kind.__name__}"
    return errors


# ----------------------------------------------------------------------------------------- ASP


@dataclass
class _Seminar:
    record: Record
    catalogs: dict[str, dict[str, Record]]
    sessions: dict[str, Record] = field(default_factory=dict)

    def refs(self, speakers: dict[str, Record]) -> SeminarRefs:
        return SeminarRefs(
            custom_fields=frozenset(f["slug"] for f in self.record["customFields"]),
            session_types=frozenset(self.catalogs["sessionTypes"]),
            locations=frozenset(self.catalogs["locations"]),
            streams=frozenset(self.catalogs["streams"]),
            speakers=frozenset(speakers),
        )

    def snapshot(self) -> Record:
        lists = {kind: list(items.values()) for kind, items in self.catalogs.items()}
        return copy.deepcopy({**self.record, **lists, "sessions": list(self.sessions.values())})


class AspState:
    """The sandbox ASP site: credentials, events, seminars and the speakers they share."""

    def __init__(self, key: str, secret: str) -> None:
        self._lock = threading.RLock()
        self.key = key
        self.secret = secret
        self.traffic = Traffic(self._lock)
        self._tokens: dict[str, float] = {}
        self._events: dict[str, Record] = {}
        self._seminars: dict[str, _Seminar] = {}
        self._speakers: dict[str, Record] = {}
        # Ordered sets of the deleted ids, which the admin snapshot reports.
        self._deleted_sessions: dict[str, None] = {}
        self._deleted_speakers: dict[str, None] = {}

    def issue_token(self, key: str, secret: str) -> str | None:
        """A new bearer token, or None when the key or secret is wrong."""
        with self._lock:
            key_ok = secrets.compare_digest(key.encode(), self.key.encode())
            secret_ok = secrets.compare_digest(secret.encode(), self.secret.encode())
            if not (key_ok and secret_ok):
                return None
            token = secrets.token_urlsafe(24)
            self._tokens[token] = time.monotonic() + TOKEN_LIFETIME_SECONDS
            return token

    def token_valid(self, token: str) -> bool:
        """True for an issued token that is neither revoked nor expired."""
        with self._lock:
            return self._tokens.get(token, 0.0) > time.monotonic()

    def set_credentials(self, key: str, secret: str) -> None:
        """Replace the key and secret; every token issued so far stops working."""
        with self._lock:
            self.key, self.secret = key, secret
            self._tokens.clear()

    def revoke_tokens(self) -> None:
        """Make every issued token answer 401."""
        with self._lock:
            self._tokens.clear()

    def add_event(self, name: str, timezone: str, event_uuid: str | None = None) -> Record:
        """Create an ASP event."""
        record = {"uuid": event_uuid or new_id(), "name": name, "timezone": timezone}
        with self._lock:
            self._events[record["uuid"]] = {**record, "isActive": True}
            return copy.deepcopy(self._events[record["uuid"]])

    def update_event(self, event_uuid: str, changes: Record) -> Record:
        """Change an event's `name` or `timezone`."""
        with self._lock:
            event = self._event(event_uuid)
            event.update({key: changes[key] for key in ("name", "timezone") if key in changes})
            return copy.deepcopy(event)

    def events(self) -> list[Record]:
        """Every ASP event."""
        with self._lock:
            return copy.deepcopy(list(self._events.values()))

    def add_seminar(
        self,
        event_uuid: str,
        name: str,
        custom_fields: list[Record],
        session_types: list[str],
        seminar_uuid: str | None = None,
    ) -> Record:
        """Create a seminar of an event; "Session" is always among its session types."""
        record: Record = {
            "uuid": seminar_uuid or new_id(),
            "eventUuid": event_uuid,
            "name": name,
            "customFields": _custom_field_defs(custom_fields),
            "isActive": True,
        }
        catalogs: dict[str, dict[str, Record]] = {"locations": {}, "streams": {}}
        catalogs["sessionTypes"] = _session_types({}, session_types)
        with self._lock:
            self._event(event_uuid)
            self._seminars[record["uuid"]] = _Seminar(record, catalogs)
            return self._seminars[record["uuid"]].snapshot()

    def update_seminar(self, seminar_id: str, changes: Record) -> Record:
        """Change `name`, `customFields` (replaced whole) or `sessionTypes` (names)."""
        unknown = [key for key in changes if key not in ("name", "customFields", "sessionTypes")]
        if unknown:
            raise Invalid(dict.fromkeys(unknown, "unknown field"))

        with self._lock:
            seminar = self._seminar(seminar_id)
            if "customFields" in changes:
                seminar.record["customFields"] = _custom_field_defs(changes["customFields"])
            if "sessionTypes" in changes:
                old = seminar.catalogs["sessionTypes"]
                seminar.catalogs["sessionTypes"] = _session_types(old, changes["sessionTypes"])
            seminar.record["name"] = changes.get("name", seminar.record["name"])
            return seminar.snapshot()

    def seminar(self, seminar_id: str) -> Record:
        """The seminar record, without its sessions."""
        with self._lock:
            return copy.deepcopy(self._seminar(seminar_id).record)

    def catalog(self, seminar_id: str, kind: str) -> list[Record]:
        """The seminar's `sessionTypes`, `locations` or `streams`."""
        with self._lock:
            return copy.deepcopy(list(self._seminar(seminar_id).catalogs[kind].values()))

    def add_to_catalog(self, seminar_id: str, kind: str, body: Record) -> Record:
        """Create a location or stream (or session type) in a seminar."""
        fields = _CATALOG_FIELDS[kind]
        errors = named_errors(body, fields)
        if errors:
            raise Invalid(errors)

        record: Record = {"uuid": new_id(), **{key: body.get(key) for key in fields}}
        record["isActive"] = body.get("isActive", True)
        with self._lock:
            self._seminar(seminar_id).catalogs[kind][record["uuid"]] = record
            return copy.deepcopy(record)

    def sessions(
        self, seminar_id: str, where: Callable[[Record], bool] | None = None
    ) -> list[Record]:
        """The seminar's sessions, active and inactive, in creation order; `where` filters
        before copying, as an index would, so lookups stay cheap on large seminars."""
        with self._lock:
            found = self._seminar(seminar_id).sessions.values()
            return copy.deepcopy([r for r in found if where is None or where(r)])

    def session(self, seminar_id: str, session_uuid: str) -> Record:
        """One session; NotFound once deleted."""
        with self._lock:
            return copy.deepcopy(self._session(seminar_id, session_uuid))

    def save_session(
        self, seminar_id: str, body: Record, session_uuid: str | None = None
    ) -> Record:
        """Create a session (no uuid) or replace one whole, after validating the body."""
        with self._lock:
            seminar = self._seminar(seminar_id)
            if session_uuid is not None:
                self._session(seminar_id, session_uuid)

            errors = session_errors(body, seminar.refs(self._speakers))
            if errors:
                raise Invalid(errors)
            record = _record(session_uuid or new_id(), SESSION_DEFAULTS, body)
            seminar.sessions[record["uuid"]] = record
            return copy.deepcopy(record)

    def patch_session(self, seminar_id: str, session_uuid: str, changes: Record) -> Record:
        """Merge fields into a session without validation, as an editor in the CMS would."""
        with self._lock:
            session = self._session(seminar_id, session_uuid)
            session.update({**copy.deepcopy(changes), "uuid": session_uuid})
            return copy.deepcopy(session)

    def delete_session(self, seminar_id: str, session_uuid: str) -> None:
        """Delete a session for good."""
        with self._lock:
            self._session(seminar_id, session_uuid)
            del self._seminars[seminar_id].sessions[session_uuid]
            self._deleted_sessions[session_uuid] = None

    def speakers(self, where: Callable[[Record], bool] | None = None) -> list[Record]:
        """Every speaker of the site, active and inactive, in creation order; `where` filters
        before copying."""
        with self._lock:
            return copy.deepcopy([r for r in self._speakers.values() if where is None or where(r)])

    def speaker(self, speaker_uuid: str) -> Record:
        """One speaker; NotFound once deleted."""
        with self._lock:
            return copy.deepcopy(self._speaker(speaker_uuid))

    def save_speaker(self, body: Record, speaker_uuid: str | None = None) -> Record:
        """Create a speaker (no uuid) or replace one whole, after validating the body."""
        with self._lock:
            if speaker_uuid is not None:
                self._speaker(speaker_uuid)

            errors = speaker_errors(body)
            if errors:
                raise Invalid(errors)
            record = _record(speaker_uuid or new_id(), SPEAKER_DEFAULTS, body)
            self._speakers[record["uuid"]] = record
            return copy.deepcopy(record)

    def patch_speaker(self, speaker_uuid: str, changes: Record) -> Record:
        """Merge fields into a speaker without validation."""
        with self._lock:
            speaker = self._speaker(speaker_uuid)
            speaker.update({**copy.deepcopy(changes), "uuid": speaker_uuid})
            return copy.deepcopy(speaker)

    def delete_speaker(self, speaker_uuid: str) -> None:
        """Delete a speaker for good; sessions that named it keep the stale id."""
        with self._lock:
            self._speaker(speaker_uuid)
            del self._speakers[speaker_uuid]
            self._deleted_speakers[speaker_uuid] = None

    def snapshot(self) -> Record:
        """Everything: events, seminars with all their records, speakers, deleted ids."""
        with self._lock:
            return {
                "events": copy.deepcopy(list(self._events.values())),
                "seminars": [seminar.snapshot() for seminar in self._seminars.values()],
                "speakers": copy.deepcopy(list(self._speakers.values())),
                "deleted": {
                    "sessions": list(self._deleted_sessions),
                    "speakers": list(self._deleted_speakers),
                },
            }

    def _event(self, event_uuid: str) -> Record:
        if event_uuid not in self._events:
            raise NotFound(f"event {event_uuid} not found")
        return self._events[event_uuid]

    def _seminar(self, seminar_id: str) -> _Seminar:
        if seminar_id not in self._seminars:
            raise NotFound(f"seminar {seminar_id} not found")
        return self._seminars[seminar_id]

    def _session(self, seminar_id: str, session_uuid: str) -> Record:
        session = self._seminar(seminar_id).sessions.get(session_uuid)
        if session is None:
            raise NotFound(f"session {session_uuid} not found in seminar {seminar_id}")
        return session

    def _speaker(self, speaker_uuid: str) -> Record:
        if speaker_uuid not in self._speakers:
            raise NotFound(f"speaker {speaker_uuid} not found")
        return self._speakers[speaker_uuid]


def _record(record_uuid: str, defaults: Record, body: Record) -> Record:
    """A full record: the body's known fields over the defaults, `isActive` true if absent."""
    known = {key: body[key] for key in defaults if key in body}
    return copy.deepcopy({"uuid": record_uuid, **defaults, **known})


def _custom_field_defs(custom_fields: Any) -> list[Record]:
    valid = isinstance(custom_fields, list) and all(
        isinstance(f, dict) and isinstance(f.get("slug"), str) for f in custom_fields
    )
    if not valid:
        raise Invalid({"customFields": "expected a list of {slug, type}"})
    return [{"slug": f["slug"], "type": f.get("type", "text")} for f in custom_fields]


def _session_types(existing: dict[str, Record], names: Any) -> dict[str, Record]:
    """Session types named `names` plus "Session"; a name kept keeps its uuid."""
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise Invalid({"sessionTypes": "expected a list of names"})

    by_name = {record["name"]: record for record in existing.values()}
    records = [
        by_name.get(name) or {"uuid": new_id(), "name": name, "isActive": True}
        for name in dict.fromkeys(["Session", *names])
    ]
    return {record["uuid"]: record for record in records}
