"""Validate: keep the sessions and speakers that can be synced; name the rule for every other."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from sb_asp_pipeline.sync.programme import Programme, ValidProgramme, outcomes_frame
from sb_asp_pipeline.sync.rules import RULES, left_off_sessions, shorten
from sb_asp_pipeline.sync.schemas import (
    SESSION_CONTRACT,
    SESSION_SCOPE,
    SPEAKER_CONTRACT,
    failing_checks,
)
from sb_asp_pipeline.sync.text import clean_text, email_key, is_blank
from sb_asp_pipeline.sync.times import ends_after, event_zone, stamp, to_local

log = logging.getLogger(__name__)


def validate_programme(programme: Programme, now: datetime) -> ValidProgramme:
    """Split the programme into what can be written and what cannot, with reasons."""
    zone = event_zone(programme.event["timezone"])
    sessions = programme.sessions.copy()
    skips: list[dict[str, Any]] = []
    rejections: list[dict[str, Any]] = []

    in_scope = _drop_failing(sessions, SESSION_SCOPE, "session", skips, "skipped")
    timed = _with_local_times(in_scope, zone)
    valid = _drop_failing(timed, SESSION_CONTRACT, "session", rejections)
    upcoming = _drop_ended(valid, now, skips)

    links, speakers = _valid_speakers(programme, upcoming, rejections)
    log.info(
        "validate sessions=%s valid=%s skipped=%s rejected=%s speakers=%s",
        len(sessions),
        len(upcoming),
        sum(1 for s in skips if s["kind"] == "session"),
        sum(1 for r in rejections if r["kind"] == "session"),
        len(speakers),
    )
    return ValidProgramme(
        event=programme.event,
        sessions=upcoming,
        links=links,
        speakers=speakers,
        rejections=outcomes_frame(rejections),
        skips=outcomes_frame(skips),
        attempted_sessions=len(sessions),
        attempted_speakers=speakers["email_key"].nunique()
        + sum(1 for r in rejections if r["kind"] == "speaker"),
        has_takeaways_field=programme.has_takeaways_field,
    )


def _drop_failing(
    frame: pd.DataFrame,
    schema: Any,
    kind: str,
    outcomes: list[dict[str, Any]],
    verdict: str = "rejected",
) -> pd.DataFrame:
    """Run a schema and move each failing row to `outcomes`, once, under its first rule."""
    failures = failing_checks(schema, frame)
    first_failure = failures.drop_duplicates("index")
    for index, check in zip(first_failure["index"], first_failure["check"], strict=True):
        outcomes.append(_outcome(kind, frame.loc[index], check, verdict))
    return frame.drop(index=list(first_failure["index"]))


def _outcome(kind: str, row: pd.Series, check: str, verdict: str) -> dict[str, Any]:
    rule = RULES.get(check) or RULES["asp_refused"]
    record_id = row.get("session_id") if kind == "session" else row.get("speaker_id")
    label = row.get("friendly_id") if kind == "session" else _full_name(row)
    value = row.get(rule.field) if rule.field in row.index else None
    message = f"{kind} {label or record_id}: {rule.message}"
    log.warning(
        "%s kind=%s id=%s rule=%s field=%s reason=%r",
        verdict,
        kind,
        record_id,
        rule.code,
        rule.field,
        rule.message,
    )
    return {
        "kind": kind,
        "record_id": record_id,
        "label": label,
        "field": rule.field,
        "rule": rule.code,
        "value": shorten(value),
        "message": message,
    }


def _with_local_times(sessions: pd.DataFrame, zone: ZoneInfo) -> pd.DataFrame:
    """Add wall times in the event zone (R10a), one row at a time so that one bad value (or a
    time in a DST gap) never fails the whole frame."""
    timed = sessions.copy()
    for edge in ("start", "end"):
        parsed = [_parse_time(value, zone) for value in timed[f"{edge}s_at"]]
        timed[f"{edge}_local"] = pd.Series([p[0] for p in parsed], index=timed.index, dtype=object)
        timed[f"{edge}_error"] = pd.Series([p[1] for p in parsed], index=timed.index, dtype=object)
    return timed


def _parse_time(value: Any, zone: ZoneInfo) -> tuple[datetime | None, str | None]:
    if value is None or is_blank(value):
        return None, "missing"
    try:
        return to_local(str(value), zone), None
    except (ValueError, OverflowError):
        return None, "unreadable"


def _drop_ended(sessions: pd.DataFrame, now: datetime, skips: list[dict[str, Any]]) -> pd.DataFrame:
    """R9: a session whose end is at or before the moment of the sync is left out."""
    ended = pd.Series(
        [not ends_after(now, end) for end in sessions["end_local"]],
        index=sessions.index,
        dtype=bool,
    )
    for _, row in sessions.loc[ended].iterrows():
        skips.append(_outcome("session", row, "session_ended", "skipped"))
    return sessions.loc[~ended]


def _valid_speakers(
    programme: Programme,
    sessions: pd.DataFrame,
    rejections: list[dict[str, Any]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Public links of the valid sessions, and one valid speaker per person (R14, R14a)."""
    links = programme.links[programme.links["session_id"].isin(sessions["session_id"])]
    public = links["is_public"].astype(bool)
    log.info("validate hidden_speaker_links=%s", int((~public).sum()))
    links = links[public]

    first_new = len(rejections)
    people = _drop_failing(
        _people(programme.speakers, links), SPEAKER_CONTRACT, "speaker", rejections
    )
    _name_sessions(rejections[first_new:], links, sessions)

    people = _one_per_person(people)
    links = links.merge(people[["speaker_id", "email_key"]], on="speaker_id", how="inner")
    links = links.sort_values(["session_id", "order"], kind="stable")
    return links.reset_index(drop=True), people.reset_index(drop=True)


def _people(contacts: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Contact details of every linked speaker; a speaker missing from the contacts list is
    taken from its link (which carries name and email)."""
    linked = links.drop_duplicates("speaker_id")
    known = contacts[contacts["speaker_id"].isin(linked["speaker_id"])]
    missing = linked[~linked["speaker_id"].isin(contacts["speaker_id"])]
    fallback = missing[["speaker_id", "first_name", "last_name", "email"]].astype(object)
    people = pd.concat([known, fallback], ignore_index=True).reindex(columns=contacts.columns)
    return people.astype(object).reset_index(drop=True)


def _one_per_person(people: pd.DataFrame) -> pd.DataFrame:
    """R14a: two contacts with one email are one ASP speaker; the latest updated one wins."""
    people = people.assign(email_key=people["email"].map(email_key))
    latest = people.sort_values(
        "updated_at", key=lambda s: s.map(stamp), ascending=False, kind="stable"
    )
    winners = latest.drop_duplicates("email_key")[["email_key", "speaker_id"]]
    merged = people.drop(columns=["speaker_id"]).merge(
        winners.rename(columns={"speaker_id": "winner"}), on="email_key"
    )
    # Keep every contact id (links point at them) but the details of the winner.
    details = people.set_index("speaker_id")
    rows = details.loc[merged["winner"]].reset_index(drop=True)
    rows["speaker_id"] = people["speaker_id"].to_numpy()
    return rows


def _name_sessions(
    speaker_rejections: list[dict[str, Any]], links: pd.DataFrame, sessions: pd.DataFrame
) -> None:
    """R15: a session whose speaker is rejected is written without it; say which sessions."""
    labels = dict(zip(sessions["session_id"], sessions["friendly_id"], strict=True))
    sessions_of = links.groupby("speaker_id", sort=False)["session_id"].agg(list).to_dict()
    for rejection in speaker_rejections:
        on = sessions_of.get(rejection["record_id"], [])
        left_off = left_off_sessions([str(labels.get(s) or s) for s in on])
        if left_off:
            rejection["message"] += f"; {left_off}"


def _full_name(row: pd.Series) -> str:
    name = f"{clean_text(row.get('first_name'))} {clean_text(row.get('last_name'))}".strip()
    return name or clean_text(row.get("email"))
