"""The target API: ASP Events."""

from sb_asp_pipeline.asp.client import AspClient
from sb_asp_pipeline.asp.records import Seminar, SessionRecord, SpeakerRecord

__all__ = ["AspClient", "Seminar", "SessionRecord", "SpeakerRecord"]
