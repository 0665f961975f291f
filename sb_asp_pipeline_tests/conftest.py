"""Fixtures shared by every test: the sandbox servers, their admin client, the sample event."""

from collections.abc import Iterator
from typing import Any

import pytest

from sb_asp_pipeline.sandbox.admin import SandboxAdmin
from sb_asp_pipeline.sandbox.events import load_event_file, sample_event_path
from sb_asp_pipeline.sandbox.server import Sandbox, SeededEvent


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """Both sandbox servers, running, empty; stopped after the test."""
    with Sandbox() as running:
        yield running


@pytest.fixture
def sample_doc() -> dict[str, Any]:
    """The sample event document (PyConFR 2025 plus the extra sessions), not shifted."""
    return load_event_file(sample_event_path())


@pytest.fixture
def seeded(sandbox: Sandbox, sample_doc: dict[str, Any]) -> SeededEvent:
    """The sample event loaded into both servers, its first day 30 days from today."""
    return sandbox.seed(sample_doc, start_in_days=30)


@pytest.fixture
def admin(sandbox: Sandbox) -> Iterator[SandboxAdmin]:
    """The admin client of the running sandbox."""
    with SandboxAdmin(sandbox.sessionboard_url, sandbox.asp_url) as client:
        yield client
