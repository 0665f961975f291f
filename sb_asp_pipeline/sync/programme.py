"""The frames a sync passes from stage to stage. Plain pandas, no Dagster."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

SESSION_COLUMNS = [
    "session_id",
    "friendly_id",
    "title",
    "description",
    "status",
    "custom_status",
    "starts_at",
    "ends_at",
    "client_session_id",
    "is_abstract",
    "parent_id",
    "room",
    "format",
    "track",
    "track_color",
    "key_takeaways",
    "content_url",
]
# A session's speaker entry carries the person's name and email too: enough to write a speaker
# whom the speakers list leaves out.
LINK_COLUMNS = [
    "session_id",
    "speaker_id",
    "order",
    "first_name",
    "last_name",
    "email",
    "is_public",
]
SPEAKER_COLUMNS = [
    "speaker_id",
    "first_name",
    "last_name",
    "email",
    "title",
    "company_name",
    "website_url",
    "phone_mobile",
    "about",
    "photo_url",
    "facebook_url",
    "linkedin_url",
    "twitter_url",
    "updated_at",
]
OUTCOME_COLUMNS = ["kind", "record_id", "label", "field", "rule", "value", "message"]


@dataclass
class Programme:
    """What Sessionboard holds for one event: sessions, their speaker links, the speakers."""

    event: dict[str, Any]
    sessions: pd.DataFrame
    links: pd.DataFrame
    speakers: pd.DataFrame
    has_takeaways_field: bool = False


@dataclass
class ValidProgramme:
    """The records that passed validation, plus every record refused or left out, with why."""

    event: dict[str, Any]
    sessions: pd.DataFrame  # adds start_local, end_local (wall times in the event zone)
    links: pd.DataFrame  # only public links to valid speakers, in Sessionboard order
    speakers: pd.DataFrame  # one row per person, keyed by email_key
    rejections: pd.DataFrame = field(default_factory=lambda: outcomes_frame([]))
    skips: pd.DataFrame = field(default_factory=lambda: outcomes_frame([]))
    attempted_sessions: int = 0
    attempted_speakers: int = 0
    has_takeaways_field: bool = False


@dataclass
class AspPlan:
    """The ASP records the mapping should hold, before they are resolved to ASP uuids."""

    sessions: pd.DataFrame
    speakers: pd.DataFrame
    rejections: pd.DataFrame
    skips: pd.DataFrame
    attempted_sessions: int
    attempted_speakers: int


def outcomes_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rejections and skips share one shape: what, which record, which field and rule, why."""
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS)
