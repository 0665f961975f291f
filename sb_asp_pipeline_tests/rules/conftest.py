"""Each rule of DESIGN.md proven through a real sync: Sessionboard and ASP sandboxes over HTTP,
the Dagster assets, a DuckDB ledger in a temporary folder."""

from collections.abc import Callable
from typing import Any

import pytest

from sb_asp_pipeline_tests.agenda import Agenda


@pytest.fixture
def agenda(sandbox, sync_env_for) -> Callable[..., Agenda]:
    """Load an event document (dates kept as written) and map it; returns its Agenda."""

    def make(doc: dict[str, Any], *, withdrawn: str = "keep") -> Agenda:
        seeded = sandbox.seed(doc, start_in_days=None)
        return Agenda(sync_env_for(seeded, withdrawn=withdrawn))

    return make
