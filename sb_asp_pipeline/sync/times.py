"""Time rules R10 and R10a: everything is decided in the event's timezone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_UI_TIMEZONE = re.compile(r"^\(GMT[^)]*\)\s*(?P<name>\S+)$")
END_OF_DAY = time(23, 59)
_OLDEST = datetime.min.replace(tzinfo=UTC)


def event_zone(name: str) -> ZoneInfo:
    """The IANA zone of an event; tolerates the UI form `(GMT-5:00) America/New_York`."""
    match = _UI_TIMEZONE.match(name.strip())
    key = match.group("name") if match else name.strip()
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {name!r}: expected an IANA name") from None


def to_local(value: str, zone: ZoneInfo) -> datetime:
    """An ISO-8601 string as a wall time in the event zone (R10a).

    With an offset it is an instant, converted. Without one it already is wall time in the
    event zone; in the autumn overlap the earlier instant is meant, and a time in the spring
    gap is moved forward by the gap, as a clock on the wall would show it."""
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        return parsed.astimezone(zone)

    local = parsed.replace(tzinfo=zone, fold=0)
    round_trip = local.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if round_trip.replace(tzinfo=None) != parsed:  # a wall time that does not exist
        return round_trip
    return local


def stamp(value: object) -> datetime:
    """A record's `created_at` or `updated_at` as an instant, for ordering records in time:
    stamps come with different offsets, so their text does not sort in time order. Without an
    offset a stamp is taken as UTC, the zone Sessionboard writes them in; an unreadable or
    missing one sorts as the oldest."""
    if value is None or (isinstance(value, float) and value != value):
        return _OLDEST
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return _OLDEST
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def ends_after(start: datetime, end: datetime) -> bool:
    """True when `end` is a later instant than `start`. Two times of one zone compare by wall
    clock in Python, fold ignored: 02:15 after the clocks went back would sort before 02:30
    before they did. Comparing in UTC compares the instants."""
    return end.astimezone(UTC) > start.astimezone(UTC)


@dataclass(frozen=True)
class Slot:
    """Where a session lands in ASP: one calendar day with a start and an end time."""

    date: str
    start: str
    end: str
    note: str | None = None


def asp_slot(start: datetime, end: datetime) -> Slot:
    """R10: a session spanning several days is written on its start day."""
    day = start.date()
    if end.date() == day:
        return Slot(day.isoformat(), _hms(start.time()), _hms(end.time()))

    if end.time() > start.time():
        return Slot(
            day.isoformat(),
            _hms(start.time()),
            _hms(end.time()),
            note=f"spans {(end.date() - day).days + 1} days; written on {day} with its end time",
        )
    return Slot(
        day.isoformat(),
        _hms(start.time()),
        _hms(END_OF_DAY),
        note=f"ends on {end.date()}; written on {day} ending at 23:59",
    )


def _hms(moment: time) -> str:
    return moment.replace(microsecond=0).strftime("%H:%M:%S")
