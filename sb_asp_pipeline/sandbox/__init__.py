"""Local Sessionboard and ASP servers with an admin side, seeded with a realistic event."""

from sb_asp_pipeline.sandbox.admin import SandboxAdmin
from sb_asp_pipeline.sandbox.events import load_event_file, sample_event_path, shift_event
from sb_asp_pipeline.sandbox.server import Sandbox, SeededEvent, serve_forever

__all__ = [
    "Sandbox",
    "SandboxAdmin",
    "SeededEvent",
    "load_event_file",
    "sample_event_path",
    "serve_forever",
    "shift_event",
]
