"""What the sandbox ASP accepts: record fields and the reasons behind a 422.

Each check returns `{field: reason}`; an empty dict means the body is accepted. Fields that the
contract does not name are refused too, so that a misspelt key fails loudly here instead of
being dropped silently.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

SESSION_DEFAULTS: dict[str, Any] = {
    "title": None,
    "description": None,
    "date": None,
    "start": None,
    "end": None,
    "sessionTypeUuid": None,
    "locationUuid": None,
    "streamUuids": [],
    "speakerUuids": [],
    "clientSessionId": None,
    "customFields": {},
    "isActive": True,
}

SPEAKER_DEFAULTS: dict[str, Any] = {
    "firstName": None,
    "lastName": None,
    "email": None,
    "jobTitle": None,
    "company": None,
    "website": None,
    "mobile": None,
    "biography": None,
    "photoUrl": None,
    "facebookUrl": None,
    "linkedinUrl": None,
    "twitterUrl": None,
    "isActive": True,
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}:\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf"}
_SPEAKER_REQUIRED = ("firstName", "lastName", "email")
_SPEAKER_TEXT = tuple(
    key for key in SPEAKER_DEFAULTS if key not in (*_SPEAKER_REQUIRED, "isActive")
)

Errors = dict[str, str]


@dataclass(frozen=True)
class SeminarRefs:
    """The ids and custom field slugs a session of one seminar may refer to."""

    custom_fields: frozenset[str]
    session_types: frozenset[str]
    locations: frozenset[str]
    streams: frozenset[str]
    speakers: frozenset[str]


def session_errors(body: dict[str, Any], refs: SeminarRefs) -> Errors:
    """Why ASP refuses this session body, by field."""
    errors = _unknown_fields(body, SESSION_DEFAULTS)
    errors |= _required_text(body, ("title",))
    errors |= _optional_text(body, ("description", "clientSessionId"))
    errors |= _schedule(body)
    errors |= _references(body, refs)
    errors |= _custom_fields(body.get("customFields"), refs.custom_fields)
    return errors | _flag(body)


def speaker_errors(body: dict[str, Any]) -> Errors:
    """Why ASP refuses this speaker body, by field."""
    errors = _unknown_fields(body, SPEAKER_DEFAULTS)
    errors |= _required_text(body, _SPEAKER_REQUIRED)
    errors |= _optional_text(body, _SPEAKER_TEXT)
    if "email" not in errors and not _EMAIL.fullmatch(body["email"].strip()):
        errors["email"] = "invalid email"
    return errors | _flag(body)


def named_errors(body: dict[str, Any], allowed: tuple[str, ...]) -> Errors:
    """Why ASP refuses a location or stream body (`name` required, the rest text)."""
    errors = _unknown_fields(body, dict.fromkeys((*allowed, "isActive")))
    errors |= _required_text(body, ("name",))
    errors |= _optional_text(body, tuple(key for key in allowed if key != "name"))
    return errors | _flag(body)


def is_blank(text: str) -> bool:
    """True when nothing is left once every kind of space and invisible character is gone."""
    return all(ch.isspace() or unicodedata.category(ch) in _INVISIBLE for ch in text)


def _unknown_fields(body: dict[str, Any], known: dict[str, Any]) -> Errors:
    # A PUT may echo the record's own uuid; the route decides which uuid wins.
    return {key: "unknown field" for key in body if key not in known and key != "uuid"}


def _required_text(body: dict[str, Any], keys: tuple[str, ...]) -> Errors:
    errors: Errors = {}
    for key in keys:
        value = body.get(key)
        if value is None or (isinstance(value, str) and is_blank(value)):
            errors[key] = "required"
        elif not isinstance(value, str):
            errors[key] = "must be text"
    return errors


def _optional_text(body: dict[str, Any], keys: tuple[str, ...]) -> Errors:
    return {
        key: "must be text"
        for key in keys
        if body.get(key) is not None and not isinstance(body[key], str)
    }


def _flag(body: dict[str, Any]) -> Errors:
    if "isActive" in body and not isinstance(body["isActive"], bool):
        return {"isActive": "must be true or false"}
    return {}


def _schedule(body: dict[str, Any]) -> Errors:
    errors: Errors = {}
    day = _parse(body.get("date"), _DATE, dt.date.fromisoformat)
    start = _parse(body.get("start"), _TIME, dt.time.fromisoformat)
    end = _parse(body.get("end"), _TIME, dt.time.fromisoformat)
    for key, value, expected in (
        ("date", day, "YYYY-MM-DD"),
        ("start", start, "HH:MM:SS"),
        ("end", end, "HH:MM:SS"),
    ):
        if value is None:
            errors[key] = "required" if body.get(key) is None else f"expected {expected}"

    if isinstance(start, dt.time) and isinstance(end, dt.time) and end <= start:
        errors["end"] = "must be after start"
    return errors


def _parse(value: Any, pattern: re.Pattern[str], parse: Any) -> Any:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        return None
    try:
        return parse(value)
    except ValueError:
        return None


def _references(body: dict[str, Any], refs: SeminarRefs) -> Errors:
    errors: Errors = {}
    for key, known, what in (
        ("sessionTypeUuid", refs.session_types, "session type"),
        ("locationUuid", refs.locations, "location"),
    ):
        if body.get(key) is not None and body[key] not in known:
            errors[key] = f"unknown {what}"

    for key, known, what in (
        ("streamUuids", refs.streams, "stream"),
        ("speakerUuids", refs.speakers, "speaker"),
    ):
        errors |= _id_list(key, body.get(key), known, what)
    return errors


def _id_list(key: str, value: Any, known: frozenset[str], what: str) -> Errors:
    if value is None:
        return {}
    if not isinstance(value, list):
        return {key: "must be a list of ids"}

    unknown = [item for item in value if not isinstance(item, str) or item not in known]
    return {key: f"unknown {what}: {', '.join(map(str, unknown))}"} if unknown else {}


def _custom_fields(value: Any, slugs: frozenset[str]) -> Errors:
    if value is None:
        return {}
    if not isinstance(value, dict):
        return {"customFields": "must be an object"}

    errors: Errors = {}
    for slug, text in value.items():
        if slug not in slugs:
            errors[f"customFields.{slug}"] = "undefined custom field"
        elif text is not None and not isinstance(text, str):
            errors[f"customFields.{slug}"] = "must be text"
    return errors
