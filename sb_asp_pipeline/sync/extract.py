"""Extract: read one Sessionboard event into flat frames."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from sb_asp_pipeline.sessionboard import SessionboardClient
from sb_asp_pipeline.sync.programme import (
    LINK_COLUMNS,
    SESSION_COLUMNS,
    SPEAKER_COLUMNS,
    Programme,
)
from sb_asp_pipeline.sync.times import stamp

log = logging.getLogger(__name__)

TAKEAWAYS_NAMES = frozenset({"key_takeaways", "key-takeaways"})


def extract_programme(
    client: SessionboardClient, event: dict[str, Any], *, with_files: bool = False
) -> Programme:
    """Every session of the event (as the preflight read it) with its speakers. Content files
    are read only when the seminar can hold them, since that is one extra call per session."""
    event_id = int(event["id"])
    fields = client.fields(event_id)
    raw_sessions = _unique_by_id(client.sessions(event_id))
    raw_speakers = _unique_by_id(client.speakers(event_id))

    sessions = sessions_frame(raw_sessions)
    if with_files:
        # Limitation: the API lists files per session only, so this is one call per session,
        # in sequence (about 2 s of a no-op sync of 2,000 sessions against the sandbox, longer
        # over the internet). Reading them from a small thread pool would lift it.
        sessions["content_url"] = [
            latest_file_url(client.files(event_id, session_id))
            for session_id in sessions["session_id"]
        ]

    has_takeaways = any(
        f.get("internal_name") in TAKEAWAYS_NAMES and f.get("entity", "session") == "session"
        for f in fields
    )
    log.info(
        "extract event=%s sessions=%s speakers=%s files=%s",
        event_id,
        len(sessions),
        len(raw_speakers),
        with_files,
    )
    return Programme(
        event=event,
        sessions=sessions,
        links=links_frame(raw_sessions),
        speakers=speakers_frame(raw_speakers),
        has_takeaways_field=has_takeaways,
    )


def sessions_frame(raw: list[dict[str, Any]]) -> pd.DataFrame:
    rows = [
        {
            "session_id": str(session["id"]),
            "friendly_id": session.get("friendly_id"),
            "title": session.get("title"),
            "description": session.get("description"),
            "status": session.get("status"),
            "custom_status": _obj(session.get("custom_status")).get("status"),
            "starts_at": session.get("starts_at"),
            "ends_at": session.get("ends_at"),
            "client_session_id": session.get("client_session_id"),
            "is_abstract": bool(session.get("is_abstract")),
            "parent_id": session.get("parent_id") or session.get("parent_session_id"),
            "room": _obj(session.get("room")).get("name"),
            "format": _obj(session.get("format")).get("name"),
            "track": _obj(session.get("track")).get("name"),
            "track_color": _obj(session.get("track")).get("color"),
            "key_takeaways": _custom_value(session, TAKEAWAYS_NAMES),
            "content_url": None,
        }
        for session in raw
    ]
    return pd.DataFrame(rows, columns=SESSION_COLUMNS, dtype=object)


def links_frame(raw: list[dict[str, Any]]) -> pd.DataFrame:
    rows = [
        {
            "session_id": str(session["id"]),
            "speaker_id": str(speaker["id"]),
            "order": _order(speaker.get("order"), position),
            "first_name": speaker.get("first_name"),
            "last_name": speaker.get("last_name"),
            "email": speaker.get("email"),
            "is_public": speaker.get("is_public", True) is not False,
        }
        for session in raw
        for position, speaker in enumerate(_entries(session.get("speakers")), start=1)
        if speaker.get("id") is not None
    ]
    return pd.DataFrame(rows, columns=LINK_COLUMNS, dtype=object)


def speakers_frame(raw: list[dict[str, Any]]) -> pd.DataFrame:
    rows = [{column: speaker.get(column) for column in SPEAKER_COLUMNS[1:]} for speaker in raw]
    for row, speaker in zip(rows, raw, strict=True):
        row["speaker_id"] = str(speaker["id"])
    return pd.DataFrame(rows, columns=SPEAKER_COLUMNS, dtype=object)


def latest_file_url(files: list[dict[str, Any]]) -> str | None:
    """R13: the most recent content file of a session, by the instant of its stamp."""
    usable = [f for f in files if f.get("url")]
    if not usable:
        return None
    return str(max(usable, key=lambda f: stamp(f.get("created_at")))["url"])


def _custom_value(session: dict[str, Any], names: frozenset[str]) -> str | None:
    for custom in _entries(session.get("custom_fields")):
        if custom.get("internal_name") in names and custom.get("value") not in (None, ""):
            return str(custom["value"])
    return None


def _obj(value: Any) -> dict[str, Any]:
    """A nested object such as `room`, or an empty one when the API sends null, {} or junk."""
    return value if isinstance(value, dict) else {}


def _entries(value: Any) -> list[dict[str, Any]]:
    """The objects of a nested list (`speakers`, `custom_fields`), ignoring anything else."""
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _order(value: Any, position: int) -> int:
    """A speaker's place on its session; its position in the list when `order` is unusable."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return position


def _unique_by_id(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Paging over a changing list can repeat a record on two pages: keep its last copy."""
    unique: dict[str, dict[str, Any]] = {}
    for record in records:
        if not isinstance(record, dict) or record.get("id") is None:
            # Without an id a record can be neither written nor named in a refusal.
            log.warning("extract dropped=record_without_id value=%.80r", record)
            continue
        unique[str(record["id"])] = record
    if len(unique) < len(records):
        log.warning("extract duplicates_dropped=%s", len(records) - len(unique))
    return list(unique.values())
