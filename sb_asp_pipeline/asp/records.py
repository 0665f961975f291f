"""ASP record shapes. Every ASP field name lives here, so adapting to the real API reference
is a change to this module and to client.py only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SESSIONBOARD_ID_FIELD = "sessionboard_id"
CONTENT_FIELD = "sessionboard_content"
TAKEAWAYS_FIELD = "key-takeaways"
FALLBACK_SESSION_TYPE = "Session"


@dataclass(frozen=True)
class Seminar:
    """What the pipeline needs to know of the target seminar before writing into it."""

    uuid: str
    event_uuid: str
    name: str
    custom_fields: frozenset[str]
    session_types: dict[str, str]  # name -> uuid
    locations: dict[str, str] = field(default_factory=dict)  # name -> uuid
    streams: dict[str, str] = field(default_factory=dict)  # name -> uuid

    @classmethod
    def from_api(
        cls,
        seminar: dict[str, Any],
        session_types: list[dict[str, Any]],
        locations: list[dict[str, Any]],
        streams: list[dict[str, Any]],
    ) -> Seminar:
        return cls(
            uuid=seminar["uuid"],
            event_uuid=seminar.get("eventUuid", ""),
            name=seminar.get("name", ""),
            custom_fields=frozenset(f["slug"] for f in seminar.get("customFields") or []),
            session_types={t["name"]: t["uuid"] for t in session_types},
            locations={loc["name"]: loc["uuid"] for loc in locations},
            streams={s["name"]: s["uuid"] for s in streams},
        )


@dataclass(frozen=True)
class SessionRecord:
    """One ASP session, with references already resolved to ASP uuids."""

    sessionboard_id: str
    title: str
    description: str
    date: str
    start: str
    end: str
    session_type_uuid: str
    location_uuid: str | None
    stream_uuids: tuple[str, ...]
    speaker_uuids: tuple[str, ...]
    client_session_id: str
    content_url: str | None = None
    key_takeaways: str | None = None
    is_active: bool = True

    def to_payload(self) -> dict[str, Any]:
        custom_fields: dict[str, str] = {SESSIONBOARD_ID_FIELD: self.sessionboard_id}
        if self.content_url is not None:
            custom_fields[CONTENT_FIELD] = self.content_url
        if self.key_takeaways is not None:
            custom_fields[TAKEAWAYS_FIELD] = self.key_takeaways
        return {
            "title": self.title,
            "description": self.description,
            "date": self.date,
            "start": self.start,
            "end": self.end,
            "sessionTypeUuid": self.session_type_uuid,
            "locationUuid": self.location_uuid,
            "streamUuids": list(self.stream_uuids),
            "speakerUuids": list(self.speaker_uuids),
            "clientSessionId": self.client_session_id,
            "customFields": custom_fields,
            "isActive": self.is_active,
        }


@dataclass(frozen=True)
class SpeakerRecord:
    """One ASP speaker: a person, shared by every seminar of the ASP site."""

    email: str
    first_name: str
    last_name: str
    job_title: str | None = None
    company: str | None = None
    website: str | None = None
    mobile: str | None = None
    biography: str | None = None
    photo_url: str | None = None
    facebook_url: str | None = None
    linkedin_url: str | None = None
    twitter_url: str | None = None
    is_active: bool = True

    def to_payload(self) -> dict[str, Any]:
        return {
            "firstName": self.first_name,
            "lastName": self.last_name,
            "email": self.email,
            "jobTitle": self.job_title,
            "company": self.company,
            "website": self.website,
            "mobile": self.mobile,
            "biography": self.biography,
            "photoUrl": self.photo_url,
            "facebookUrl": self.facebook_url,
            "linkedinUrl": self.linkedin_url,
            "twitterUrl": self.twitter_url,
            "isActive": self.is_active,
        }


def session_sessionboard_id(record: dict[str, Any]) -> str | None:
    """The Sessionboard id stored on an ASP session record, if any."""
    return (record.get("customFields") or {}).get(SESSIONBOARD_ID_FIELD)
