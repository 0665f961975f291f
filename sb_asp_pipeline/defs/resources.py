"""Dagster resources: the two API connections, the ledger and the clock. Secrets come from
the environment through EnvVar, so they never appear in run config or the event log."""

from datetime import datetime

import dagster as dg

from sb_asp_pipeline import settings
from sb_asp_pipeline.asp import AspClient
from sb_asp_pipeline.ledger import Ledger
from sb_asp_pipeline.sessionboard import SessionboardClient
from sb_asp_pipeline.sync.clock import Clock, FixedClock, SystemClock


class SessionboardResource(dg.ConfigurableResource):
    """The Sessionboard Public API of one organization."""

    base_url: str
    api_token: str

    def client(self) -> SessionboardClient:
        return SessionboardClient(self.base_url, self.api_token)


class AspResource(dg.ConfigurableResource):
    """The ASP Events API of one organization (its API key and secret)."""

    base_url: str
    api_key: str
    api_secret: str

    def client(self) -> AspClient:
        return AspClient(self.base_url, self.api_key, self.api_secret)


class LedgerResource(dg.ConfigurableResource):
    """The DuckDB sync history. Empty path: $SB_ASP_HOME/ledger.duckdb."""

    path: str = ""

    def ledger(self) -> Ledger:
        ledger = Ledger(self.path or settings.ledger_path())
        ledger.init()
        return ledger


class ClockResource(dg.ConfigurableResource):
    """The moment of the sync (R9). `fixed_now` (ISO-8601 with offset) pins it, for tests."""

    fixed_now: str = ""

    def clock(self) -> Clock:
        if self.fixed_now:
            return FixedClock(datetime.fromisoformat(self.fixed_now))
        return SystemClock()


def resources_from_env() -> dict[str, dg.ConfigurableResource]:
    return {
        "sessionboard": SessionboardResource(
            base_url=dg.EnvVar("SESSIONBOARD_BASE_URL"),
            api_token=dg.EnvVar("SESSIONBOARD_API_TOKEN"),
        ),
        "asp": AspResource(
            base_url=dg.EnvVar("ASP_BASE_URL"),
            api_key=dg.EnvVar("ASP_API_KEY"),
            api_secret=dg.EnvVar("ASP_API_SECRET"),
        ),
        "ledger": LedgerResource(),
        "clock": ClockResource(),
    }
