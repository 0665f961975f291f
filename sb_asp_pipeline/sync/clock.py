"""The one clock of a sync (R9): production reads the wall clock, tests pin a moment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware moment, e.g. 2027-03-14T09:00Z")
        self.moment = moment

    def now(self) -> datetime:
        return self.moment
