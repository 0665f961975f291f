"""The Sessionboard Public API as the pipeline reads it: auth, paging and the endpoints used."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from sb_asp_pipeline.errors import PreconditionError
from sb_asp_pipeline.http import HttpClient, header_secret

log = logging.getLogger(__name__)

PAGE_SIZE = 100  # the API's maximum; fewer round trips on events with thousands of sessions


class SessionboardClient:
    """Reads one organization's events, sessions, speakers, fields and files."""

    def __init__(self, base_url: str, token: str, *, timeout: tuple[float, float] = (5, 30)):
        self.http = HttpClient(base_url, timeout=timeout)
        # The token travels in a header only, so it never appears in a URL or a log line.
        self.http.session.headers["x-access-token"] = header_secret(token, "SESSIONBOARD_API_TOKEN")

    def close(self) -> None:
        self.http.close()

    def events(self) -> list[dict[str, Any]]:
        return list(self._pages("GET", "/v1/events", what="list Sessionboard events"))

    def event(self, event_id: int) -> dict[str, Any]:
        for event in self.events():
            if str(event.get("id")) == str(event_id):
                return event
        raise PreconditionError(
            f"Sessionboard event {event_id} is not visible to this token: check the event id "
            "and that the token is not limited to other events; nothing was written."
        )

    def sessions(self, event_id: int) -> list[dict[str, Any]]:
        return list(
            self._pages("POST", f"/v1/event/{event_id}/sessions", what="search sessions", body={})
        )

    def speakers(self, event_id: int) -> list[dict[str, Any]]:
        return list(
            self._pages("POST", f"/v1/event/{event_id}/speakers", what="search speakers", body={})
        )

    def fields(self, event_id: int) -> list[dict[str, Any]]:
        response = self.http.send("GET", f"/v1/event/{event_id}/fields", what="read fields")
        return _items(response.json())

    def files(self, event_id: int, session_id: str) -> list[dict[str, Any]]:
        response = self.http.send(
            "GET", f"/v1/event/{event_id}/sessions/{session_id}/files", what="read session files"
        )
        return _items(response.json())

    def _pages(
        self, method: str, path: str, *, what: str, body: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every item of a paged endpoint, page by page until the last one."""
        page = 1
        while True:
            # Searches are POSTs, but they only read: retrying them is safe.
            response = self.http.send(
                method,
                path,
                what=what,
                params={"page": page, "pageSize": PAGE_SIZE},
                json=body if method == "POST" else None,
            )
            payload = response.json()
            items = _items(payload)
            yield from items

            pagination = payload.get("pagination") or {} if isinstance(payload, dict) else {}
            total_pages = int(pagination.get("totalPages") or 1)
            log.debug("sessionboard_page path=%s page=%s items=%s", path, page, len(items))
            if page >= total_pages or not items:
                return
            page += 1


def _items(payload: Any) -> list[dict[str, Any]]:
    """The list inside a response: `results` on most endpoints, `data` on some, or bare."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in ("results", "data"):
            if isinstance(payload.get(key), list):
                return list(payload[key])
    raise ValueError(
        f"Sessionboard answered an unexpected shape: expected a list or an object with "
        f"'results' or 'data', got {type(payload).__name__} with keys "
        f"{sorted(payload) if isinstance(payload, dict) else '-'}"
    )
