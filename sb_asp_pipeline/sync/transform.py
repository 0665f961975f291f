"""Transform: valid Sessionboard records into the ASP records the seminar should hold.
Pure functions: the seminar is read beforehand, nothing here talks to an API."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from sb_asp_pipeline.asp.records import (
    CONTENT_FIELD,
    FALLBACK_SESSION_TYPE,
    TAKEAWAYS_FIELD,
    Seminar,
)
from sb_asp_pipeline.sync.programme import AspPlan, ValidProgramme
from sb_asp_pipeline.sync.rules import shorten
from sb_asp_pipeline.sync.text import clean_text, is_blank, normalize_url, sanitize_html
from sb_asp_pipeline.sync.times import asp_slot

log = logging.getLogger(__name__)


def transform_programme(valid: ValidProgramme, seminar: Seminar) -> AspPlan:
    """ASP session and speaker records for every valid record (R10 to R14)."""
    speaker_keys = _speaker_keys_by_session(valid.links)
    types = session_type_lookup(seminar)
    with_content = CONTENT_FIELD in seminar.custom_fields
    with_takeaways = valid.has_takeaways_field and TAKEAWAYS_FIELD in seminar.custom_fields

    sessions = pd.DataFrame(
        [
            _session_row(row, types, speaker_keys, with_content, with_takeaways)
            for row in valid.sessions.to_dict("records")
        ],
        columns=SESSION_RECORD_COLUMNS,
        dtype=object,
    )
    speakers = pd.DataFrame(
        [
            _speaker_row(row)
            for row in valid.speakers.drop_duplicates("email_key").to_dict("records")
        ],
        columns=SPEAKER_RECORD_COLUMNS,
        dtype=object,
    )
    for note in sessions["note"].dropna():
        log.info("transform note=%r", note)
    log.info("transform sessions=%s speakers=%s", len(sessions), len(speakers))
    return AspPlan(
        sessions=sessions,
        speakers=speakers,
        rejections=valid.rejections,
        skips=valid.skips,
        attempted_sessions=valid.attempted_sessions,
        attempted_speakers=valid.attempted_speakers,
    )


SESSION_RECORD_COLUMNS = [
    "session_id",
    "friendly_id",
    "title",
    "description",
    "date",
    "start",
    "end",
    "session_type_uuid",
    "location",
    "stream",
    "stream_colour",
    "speaker_keys",
    "client_session_id",
    "content_url",
    "key_takeaways",
    "note",
]
SPEAKER_RECORD_COLUMNS = [
    "email_key",
    "speaker_id",
    "email",
    "first_name",
    "last_name",
    "job_title",
    "company",
    "website",
    "mobile",
    "biography",
    "photo_url",
    "facebook_url",
    "linkedin_url",
    "twitter_url",
]


def session_type_lookup(seminar: Seminar) -> dict[str, str]:
    """R12: session type names compared without case and surrounding spaces."""
    return {clean_text(name).casefold(): uuid for name, uuid in seminar.session_types.items()}


def session_type_uuid(format_name: Any, types: dict[str, str]) -> str:
    key = clean_text(format_name).casefold()
    fallback = types.get(FALLBACK_SESSION_TYPE.casefold())
    if fallback is None:
        raise KeyError("the seminar has no 'Session' type, which ASP always provides")
    return types.get(key, fallback)


def _session_row(
    row: dict[str, Any],
    types: dict[str, str],
    speaker_keys: dict[str, tuple[str, ...]],
    with_content: bool,
    with_takeaways: bool,
) -> dict[str, Any]:
    slot = asp_slot(row["start_local"], row["end_local"])
    return {
        "session_id": row["session_id"],
        "friendly_id": row["friendly_id"],
        "title": clean_text(row["title"]),
        "description": sanitize_html(row["description"]),
        "date": slot.date,
        "start": slot.start,
        "end": slot.end,
        "session_type_uuid": session_type_uuid(row["format"], types),
        "location": clean_text(row["room"]) or None,
        "stream": clean_text(row["track"]) or None,
        "stream_colour": row["track_color"],
        "speaker_keys": speaker_keys.get(row["session_id"], ()),
        "client_session_id": clean_text(row["client_session_id"]),
        "content_url": normalize_url(row["content_url"]) if with_content else None,
        "key_takeaways": clean_text(row["key_takeaways"]) or None if with_takeaways else None,
        "note": f"{row['friendly_id'] or row['session_id']}: {slot.note}" if slot.note else None,
    }


def _speaker_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "email_key": row["email_key"],
        "speaker_id": row["speaker_id"],
        "email": clean_text(row["email"]),
        "first_name": clean_text(row["first_name"]),
        "last_name": clean_text(row["last_name"]),
        "job_title": clean_text(row["title"]) or None,
        "company": clean_text(row["company_name"]) or None,
        "website": _url(row, "website_url"),
        "mobile": clean_text(row["phone_mobile"]) or None,
        "biography": sanitize_html(row["about"]) or None,
        "photo_url": _url(row, "photo_url"),
        "facebook_url": _url(row, "facebook_url", social="facebook"),
        "linkedin_url": _url(row, "linkedin_url", social="linkedin"),
        "twitter_url": _url(row, "twitter_url", social="twitter"),
    }


def _url(row: dict[str, Any], column: str, social: str | None = None) -> str | None:
    """An optional URL: one that cannot be made usable (`n/a`, no host) is left out of the
    speaker rather than refusing the person, and the log says so."""
    url = normalize_url(row[column], social=social)
    if url is None and not is_blank(row[column]):
        log.warning(
            "transform url_dropped speaker=%s field=%s value=%r",
            row["speaker_id"],
            column,
            shorten(row[column]),
        )
    return url


def _speaker_keys_by_session(links: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Each session's speakers in Sessionboard order, one entry per person."""
    keys: dict[str, tuple[str, ...]] = {}
    for session_id, group in links.groupby("session_id", sort=False):
        ordered = group.sort_values("order", kind="stable")["email_key"]
        keys[str(session_id)] = tuple(dict.fromkeys(ordered))
    return keys
