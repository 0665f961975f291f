"""A small client of the sandbox admin routes, for tests and the demo.

Every admin route is plain HTTP without auth, so `curl` works as well:

    curl -X POST $ASP_BASE_URL/_admin/faults -d '{"path": "/public/speakers", "status": 429}'
"""

from types import TracebackType
from typing import Any, Literal

import requests

Server = Literal["sessionboard", "asp"]
Record = dict[str, Any]

_TIMEOUT_SECONDS = 10
_WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class SandboxAdmin:
    """Shapes and inspects a running sandbox through its `/_admin` routes."""

    def __init__(self, sessionboard_url: str, asp_url: str) -> None:
        self._urls: dict[Server, str] = {"sessionboard": sessionboard_url, "asp": asp_url}
        self._http = requests.Session()

    def close(self) -> None:
        """Close the HTTP session."""
        self._http.close()

    def __enter__(self) -> "SandboxAdmin":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # Sessionboard: the source an event team edits

    def load_event(self, doc: Record) -> int:
        """Load an event document (replaces the event with the same id); its id."""
        return int(self._call("sessionboard", "POST", "/events", doc)["id"])

    def sessionboard_event(self, event_id: int) -> Record:
        """The stored event document, never masked."""
        return self._record("sessionboard", "GET", f"/events/{event_id}")

    def update_event(self, event_id: int, changes: Record) -> Record:
        """Change `name`, `timezone` or `fields` of an event."""
        return self._record("sessionboard", "PATCH", f"/events/{event_id}", changes)

    def add_session(self, event_id: int, session: Record) -> Record:
        """Add a session; a missing `id` is generated and `status` defaults to `pending`."""
        return self._record("sessionboard", "POST", f"/events/{event_id}/sessions", session)

    def update_session(self, event_id: int, session_id: str, changes: Record) -> Record:
        """Merge top-level fields into a session (nested values replaced); bumps `updated_at`."""
        path = f"/events/{event_id}/sessions/{session_id}"
        return self._record("sessionboard", "PATCH", path, changes)

    def delete_session(self, event_id: int, session_id: str) -> None:
        """Delete a session and its files."""
        self._call("sessionboard", "DELETE", f"/events/{event_id}/sessions/{session_id}")

    def add_speaker(self, event_id: int, contact: Record) -> Record:
        """Add a contact; it is listed as a speaker once a session names it."""
        return self._record("sessionboard", "POST", f"/events/{event_id}/speakers", contact)

    def update_speaker(self, event_id: int, contact_id: str, changes: Record) -> Record:
        """Merge fields into a contact; the session entries that name it follow."""
        path = f"/events/{event_id}/speakers/{contact_id}"
        return self._record("sessionboard", "PATCH", path, changes)

    def put_files(self, event_id: int, session_id: str, files: list[Record]) -> list[Record]:
        """Replace the content files of a session."""
        path = f"/events/{event_id}/files/{session_id}"
        files_put: list[Record] = self._call("sessionboard", "PUT", path, files)
        return files_put

    def configure_sessionboard(
        self,
        *,
        mask_personal_data: bool | None = None,
        list_key: Literal["results", "data"] | None = None,
        token: str | None = None,
        max_page_size: int | None = None,
        repeat_across_pages: bool | None = None,
    ) -> Record:
        """Change the API's behaviour; only the arguments given change.

        `max_page_size` serves smaller pages than asked for (the API caps at 100), and
        `repeat_across_pages` shows the last record of each page again atop the next one.
        """
        given = {
            "mask_personal_data": mask_personal_data,
            "list_key": list_key,
            "token": token,
            "max_page_size": max_page_size,
            "repeat_across_pages": repeat_across_pages,
        }
        changes = {key: value for key, value in given.items() if value is not None}
        return self._record("sessionboard", "PATCH", "/config", changes)

    # ASP

    def asp_add_event(self, name: str, timezone: str) -> Record:
        """Create an ASP event."""
        return self._record("asp", "POST", "/events", {"name": name, "timezone": timezone})

    def asp_update_event(self, event_uuid: str, changes: Record) -> Record:
        """Change `name` or `timezone` of an ASP event."""
        return self._record("asp", "PATCH", f"/events/{event_uuid}", changes)

    def asp_add_seminar(
        self,
        event_uuid: str,
        name: str,
        custom_fields: list[Record],
        session_types: list[str],
    ) -> Record:
        """Create a seminar; "Session" is always added to its session types."""
        body = {
            "eventUuid": event_uuid,
            "name": name,
            "customFields": custom_fields,
            "sessionTypes": session_types,
        }
        return self._record("asp", "POST", "/seminars", body)

    def asp_update_seminar(self, seminar_id: str, changes: Record) -> Record:
        """Change `name`, `customFields` (replaced whole) or `sessionTypes` of a seminar."""
        return self._record("asp", "PATCH", f"/seminars/{seminar_id}", changes)

    def asp_state(self) -> Record:
        """Everything the ASP sandbox holds, deleted ids included."""
        return self._record("asp", "GET", "/state")

    def asp_sessions(self, seminar_id: str) -> list[Record]:
        """Every session of a seminar, active and inactive."""
        for seminar in self.asp_state()["seminars"]:
            if seminar["uuid"] == seminar_id:
                sessions: list[Record] = seminar["sessions"]
                return sessions
        raise LookupError(f"seminar {seminar_id} is not in the ASP sandbox")

    def asp_speakers(self) -> list[Record]:
        """Every speaker of the ASP site, active and inactive."""
        speakers: list[Record] = self.asp_state()["speakers"]
        return speakers

    def asp_update_session(self, seminar_id: str, session_uuid: str, changes: Record) -> Record:
        """Edit a session as someone would in the CMS (no validation)."""
        path = f"/seminars/{seminar_id}/sessions/{session_uuid}"
        return self._record("asp", "PATCH", path, changes)

    def asp_delete_session(self, seminar_id: str, session_uuid: str) -> None:
        """Delete a session in ASP for good."""
        self._call("asp", "DELETE", f"/seminars/{seminar_id}/sessions/{session_uuid}")

    def asp_update_speaker(self, speaker_uuid: str, changes: Record) -> Record:
        """Edit a speaker as someone would in the CMS (no validation)."""
        return self._record("asp", "PATCH", f"/speakers/{speaker_uuid}", changes)

    def asp_delete_speaker(self, speaker_uuid: str) -> None:
        """Delete a speaker in ASP for good."""
        self._call("asp", "DELETE", f"/speakers/{speaker_uuid}")

    def asp_set_credentials(self, key: str, secret: str) -> None:
        """Replace the ASP key and secret; every issued token stops working."""
        self._call("asp", "PUT", "/credentials", {"key": key, "secret": secret})

    def asp_revoke_tokens(self) -> None:
        """Make every issued ASP token answer 401."""
        self._call("asp", "POST", "/tokens/revoke")

    def asp_writes(self) -> list[Record]:
        """The logged writes to the ASP API, token calls left out."""
        return [
            entry
            for entry in self.requests("asp")
            if entry["method"] in _WRITE_METHODS and entry["path"] != "/public/token"
        ]

    # Both servers

    def requests(self, server: Server) -> list[Record]:
        """The API calls a server answered: method, path, query and status, oldest first."""
        log: list[Record] = self._call(server, "GET", "/requests")
        return log

    def reset_requests(self, server: Server | None = None) -> None:
        """Forget the logged calls of one server, or of both."""
        for name in self._servers(server):
            self._call(name, "DELETE", "/requests")

    def add_fault(
        self,
        server: Server,
        path: str,
        status: int,
        *,
        method: str = "*",
        retry_after: str | None = None,
        count: int = 1,
        delay_seconds: float = 0.0,
    ) -> Record:
        """Answer the next `count` matching calls (path prefix) with `status`.

        Status 0 serves the calls normally after `delay_seconds`, for timeout tests.
        """
        body = {
            "method": method,
            "path": path,
            "status": status,
            "retry_after": retry_after,
            "count": count,
            "delay_seconds": delay_seconds,
        }
        return self._record(server, "POST", "/faults", body)

    def clear_faults(self, server: Server | None = None) -> None:
        """Drop the queued faults of one server, or of both."""
        for name in self._servers(server):
            self._call(name, "DELETE", "/faults")

    def _servers(self, server: Server | None) -> list[Server]:
        return [server] if server is not None else ["sessionboard", "asp"]

    def _record(self, server: Server, method: str, path: str, body: Any = None) -> Record:
        record: Record = self._call(server, method, path, body)
        return record

    def _call(self, server: Server, method: str, path: str, body: Any = None) -> Any:
        url = f"{self._urls[server]}/_admin{path}"
        response = self._http.request(method, url, json=body, timeout=_TIMEOUT_SECONDS)
        if not response.ok:
            message = f"{method} {url} answered {response.status_code}: {response.text}"
            raise requests.HTTPError(message, response=response)
        return response.json() if response.content else None
