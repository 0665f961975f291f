"""The rules of DESIGN.md that refuse or leave out a record, each with a message a person can
act on. Checks are named after these keys, so a failure maps to its rule without parsing text."""

from __future__ import annotations

from dataclasses import dataclass

from sb_asp_pipeline.sync.text import is_invisible


@dataclass(frozen=True)
class Rule:
    code: str
    field: str
    message: str


RULES: dict[str, Rule] = {
    # Sessions left out on purpose (skips).
    "session_not_accepted": Rule(
        "R7", "status", "status is not accepted; it is synced once accepted in Sessionboard"
    ),
    "session_is_abstract": Rule(
        "R15a", "is_abstract", "abstracts are not program sessions, so they are not synced"
    ),
    "session_is_subsession": Rule("R15a", "parent_id", "subsessions are not synced"),
    "session_ended": Rule("R9", "ends_at", "the session has already ended"),
    "session_deleted_in_asp": Rule(
        "R18", "uuid", "deleted in ASP; never written again (the ledger keeps a tombstone)"
    ),
    # Sessions refused (rejections).
    "title_blank": Rule(
        "R15", "title", "title is empty or only invisible characters: give it a title"
    ),
    "client_session_id_missing": Rule(
        "R11", "client_session_id", "client session id is required: set it in Sessionboard"
    ),
    "start_missing": Rule("R7", "starts_at", "no start time: schedule the session in Sessionboard"),
    "end_missing": Rule("R7", "ends_at", "no end time: schedule the session in Sessionboard"),
    "start_unreadable": Rule(
        "R10a", "starts_at", "start is not an ISO-8601 date-time: set it again in Sessionboard"
    ),
    "end_unreadable": Rule(
        "R10a", "ends_at", "end is not an ISO-8601 date-time: set it again in Sessionboard"
    ),
    "end_not_after_start": Rule(
        "R15", "ends_at", "the session ends before it starts: fix its times in Sessionboard"
    ),
    "wall_end_not_after_start": Rule(
        "R10a",
        "ends_at",
        "on the event's wall clock the session ends at or before its start time (the clocks go "
        "back during it, or it starts at 23:59 and runs past midnight), which ASP cannot show: "
        "move it off that time in Sessionboard",
    ),
    "asp_refused": Rule("R15", "", "ASP refused the record"),
    "write_failed": Rule(
        "R15", "", "ASP could not be reached for this record; the next sync retries it"
    ),
    # Speakers refused.
    "first_name_missing": Rule(
        "R14", "first_name", "first name is required: add it to the contact in Sessionboard"
    ),
    "last_name_missing": Rule(
        "R14", "last_name", "last name is required: add it to the contact in Sessionboard"
    ),
    "email_missing": Rule(
        "R14", "email", "email is required: add it to the contact in Sessionboard"
    ),
    "email_masked": Rule(
        "R15",
        "email",
        "email is masked because the Sessionboard token hides personal data: use a token "
        "with access to contact details",
    ),
    "email_invalid": Rule(
        "R15", "email", "email is not a valid address: correct it on the contact in Sessionboard"
    ),
    "speaker_deleted_in_asp": Rule(
        "R18", "uuid", "deleted in ASP; never written again (the ledger keeps a tombstone)"
    ),
}


def shorten(value: object, limit: int = 80) -> str:
    """The offending value as a rejection row shows it: invisible characters spelled out
    (a title of one zero-width space reads `<U+200B>`), long text cut."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = "".join(
        f"<U+{ord(char):04X}>" if char != " " and is_invisible(char) else char
        for char in str(value)
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def left_off_sessions(labels: list[str]) -> str:
    """R15: a session whose speaker is refused is written without it; say which sessions."""
    if not labels:
        return ""
    return f"left off session(s) {', '.join(labels)}, which are still written"
