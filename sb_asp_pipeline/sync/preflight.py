"""Preconditions that stop a mapping's sync before anything is written (R8, R13)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sb_asp_pipeline.asp import AspClient
from sb_asp_pipeline.asp.records import SESSIONBOARD_ID_FIELD, Seminar
from sb_asp_pipeline.errors import NotFoundError, PreconditionError
from sb_asp_pipeline.ledger import Mapping
from sb_asp_pipeline.sessionboard import SessionboardClient
from sb_asp_pipeline.sync.times import event_zone


def check_timezones(sb_event: dict[str, Any], asp_event: dict[str, Any]) -> None:
    """R8: both events keep time in one zone, or every session would land at the wrong hour."""
    sb_zone = _zone(sb_event.get("timezone"), f"Sessionboard event {sb_event.get('id')}")
    asp_zone = _zone(asp_event.get("timezone"), f"ASP event {asp_event.get('uuid')}")
    if sb_zone != asp_zone:
        raise PreconditionError(
            f"timezones differ: Sessionboard event {sb_event.get('id')} is in {sb_zone} but ASP "
            f"event {asp_event.get('uuid')} is in {asp_zone}. Set both events to the same "
            "timezone; nothing was written."
        )


def _zone(name: object, owner: str) -> str:
    try:
        return event_zone(str(name or "")).key
    except ValueError:
        raise PreconditionError(
            f"{owner} has the timezone {name!r}, which is not an IANA timezone name such as "
            "Europe/Paris: set the event's timezone; nothing was written."
        ) from None


def check_seminar(seminar: Seminar, asp_event_id: str) -> None:
    """R13: the seminar belongs to the mapped event and can hold the Sessionboard id."""
    if seminar.event_uuid and seminar.event_uuid != asp_event_id:
        raise PreconditionError(
            f"seminar {seminar.uuid} belongs to ASP event {seminar.event_uuid}, not to the "
            f"mapped event {asp_event_id}: fix the mapping; nothing was written."
        )
    if SESSIONBOARD_ID_FIELD not in seminar.custom_fields:
        raise PreconditionError(
            f"seminar {seminar.uuid} ({seminar.name}) has no custom field "
            f"'{SESSIONBOARD_ID_FIELD}': add a custom text field with that slug in ASP "
            "(Seminar settings > Custom fields), then sync again; nothing was written."
        )


@dataclass(frozen=True)
class Target:
    """Everything the sync needs to know of both sides before it reads the programme."""

    mapping: Mapping
    sb_event: dict[str, Any]
    asp_event: dict[str, Any]
    seminar: Seminar


def read_target(sessionboard: SessionboardClient, asp: AspClient, mapping: Mapping) -> Target:
    """Both events and the seminar, read but not judged: the precondition checks above judge
    them. An event or seminar that cannot be read leaves nothing to check, so it fails here."""
    sb_event = sessionboard.event(mapping.sb_event_id)
    asp_event = asp.event(mapping.asp_event_id)
    if asp_event is None:
        raise PreconditionError(
            f"ASP event {mapping.asp_event_id} is not visible to this API key: check the "
            "mapping's ASP event id; nothing was written."
        )
    try:
        seminar = asp.seminar(mapping.seminar_id)
    except NotFoundError:
        raise PreconditionError(
            f"ASP seminar {mapping.seminar_id} does not exist: re-add the mapping with the id "
            "of an existing seminar of the event; nothing was written."
        ) from None
    return Target(mapping=mapping, sb_event=sb_event, asp_event=asp_event, seminar=seminar)
