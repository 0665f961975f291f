"""The source API: Sessionboard."""

from sb_asp_pipeline.sessionboard.client import SessionboardClient

__all__ = ["SessionboardClient"]
