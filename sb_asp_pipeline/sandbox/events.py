"""Event documents for the sandbox: loading them and moving them to a date near today.

An event document has the shape of the files in `shared/data`: `event`, `fields`, `sessions`,
`speakers` and `files` (content files per session id). Two optional keys drive the sandbox:
`first_day` (ISO date of the event's first day) and `asp` (`{"session_types": [...]}`, the
session types of the seminar the sandbox creates).

The bundled sample (`sample_event.json`) is PyConFR 2025 with `first_day` 2025-10-30 and four
extra sessions for what the real programme lacks:

- PYFR-901 is `pending` and PYFR-902 is `declined`: not accepted, never synced.
- PYFR-903 is accepted and dated 2025-09-29, 31 days before `first_day`: shifted with
  `start_in_days=30` it falls on yesterday, so it has already ended.
- PYFR-904 is accepted with no start and no end (not scheduled yet).
"""

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

_SAMPLE = Path(__file__).with_name("sample_event.json")


def load_event_file(path: Path | str) -> dict[str, Any]:
    """Read an event document from a JSON file."""
    with Path(path).open(encoding="utf-8") as handle:
        doc: dict[str, Any] = json.load(handle)
    return doc


def sample_event_path() -> Path:
    """The bundled sample event (PyConFR 2025 plus the extra sessions above)."""
    return _SAMPLE


def event_zone(timezone: str) -> ZoneInfo:
    """The zone of an IANA name, also in Sessionboard's UI form `(GMT-5:00) America/New_York`.

    The sandbox does not borrow the pipeline's own time helpers on purpose: a fake that shares
    the code under test shares its bugs too.
    """
    return ZoneInfo(timezone.rsplit(")", 1)[-1].strip())


def shift_event(doc: dict[str, Any], start_in_days: int, today: dt.date) -> dict[str, Any]:
    """A copy of `doc` whose first day is `today + start_in_days`.

    Sessions move by whole days in the event's local wall time: each keeps its time of day in
    the event's timezone and gets the offset valid on its new date, so a move across a DST
    change keeps 10:00 at 10:00. Times without an offset stay without one; null stays null.
    """
    zone = event_zone(doc["event"]["timezone"])
    shifted = copy.deepcopy(doc)
    first_day = _first_day(doc, zone)
    if first_day is None:
        return shifted

    days = today + dt.timedelta(days=start_in_days) - first_day
    for session in shifted["sessions"]:
        for key in ("starts_at", "ends_at"):
            if session.get(key):
                session[key] = _move(session[key], days, zone)

    shifted["first_day"] = (first_day + days).isoformat()
    return shifted


def seminar_session_types(doc: dict[str, Any]) -> list[str]:
    """The session types of the seminar made for `doc`: its `asp` list, else its formats."""
    names = doc.get("asp", {}).get("session_types")
    if names is None:
        names = [
            s["format"]["name"] for s in doc["sessions"] if (s.get("format") or {}).get("name")
        ]

    # ASP always has "Session"; dict.fromkeys drops repeats and keeps the order.
    return list(dict.fromkeys(["Session", *names]))


def _first_day(doc: dict[str, Any], zone: ZoneInfo) -> dt.date | None:
    if doc.get("first_day"):
        return dt.date.fromisoformat(doc["first_day"])

    starts = [_wall_time(s["starts_at"], zone) for s in doc["sessions"] if s.get("starts_at")]
    return min(starts).date() if starts else None


def _wall_time(text: str, zone: ZoneInfo) -> dt.datetime:
    """The naive local time in the event's zone that `text` stands for."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone).replace(tzinfo=None)


def _move(text: str, days: dt.timedelta, zone: ZoneInfo) -> str:
    wall = _wall_time(text, zone) + days
    if dt.datetime.fromisoformat(text).tzinfo is None:
        return wall.isoformat()

    # The round trip through UTC moves a wall time that falls in a spring-forward gap to the
    # real instant after it, instead of keeping an offset that does not exist on that day.
    local = wall.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone)
    return local.isoformat()
