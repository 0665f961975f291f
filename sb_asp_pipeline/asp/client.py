"""The ASP Events API as the project uses it: the token flow, paging and every path."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import requests

from sb_asp_pipeline.asp.records import SESSIONBOARD_ID_FIELD, Seminar
from sb_asp_pipeline.errors import AuthenticationError, NotFoundError
from sb_asp_pipeline.http import HttpClient, header_secret

log = logging.getLogger(__name__)

PAGE_LIMIT = 1000  # ASP's maximum `L`


class AspClient:
    """One organization's connection to ASP. Holds a bearer token and renews it once on 401."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str,
        *,
        timeout: tuple[float, float] = (5, 30),
    ) -> None:
        self.http = HttpClient(base_url, timeout=timeout)
        # Basic auth encodes them, but a newline would still break the header: clean them once.
        self._credentials = (
            header_secret(api_key, "ASP_API_KEY"),
            header_secret(api_secret, "ASP_API_SECRET"),
        )
        self._token: str | None = None
        self._token_lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    # --- reads ---------------------------------------------------------------------------

    def events(self) -> list[dict[str, Any]]:
        return self._call("GET", "/public/events", what="list ASP events").json()

    def event(self, event_uuid: str) -> dict[str, Any] | None:
        return next((e for e in self.events() if e.get("uuid") == event_uuid), None)

    def seminar(self, seminar_id: str) -> Seminar:
        """The seminar with its custom fields, session types, locations and streams."""
        base = f"/public/seminars/{seminar_id}"
        seminar = self._call("GET", base, what=f"read seminar {seminar_id}").json()
        locations, streams = self.places(seminar_id)
        return Seminar.from_api(
            seminar,
            session_types=self._call("GET", f"{base}/session-types", what="list types").json(),
            locations=locations,
            streams=streams,
        )

    def places(self, seminar_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The seminar's locations and streams, as ASP lists them now."""
        base = f"/public/seminars/{seminar_id}"
        return (
            list(self._pages(f"{base}/locations", what="list locations")),
            list(self._pages(f"{base}/streams", what="list streams")),
        )

    def sessions(self, seminar_id: str) -> list[dict[str, Any]]:
        path = f"/public/seminars/{seminar_id}/sessions"
        return list(self._pages(path, what="list sessions"))

    def find_session(self, seminar_id: str, sessionboard_id: str) -> dict[str, Any] | None:
        path = f"/public/seminars/{seminar_id}/sessions"
        params = {f"customField.{SESSIONBOARD_ID_FIELD}": sessionboard_id}
        found = list(self._pages(path, what="find session", params=params))
        return found[0] if found else None

    def find_speaker(self, email: str) -> dict[str, Any] | None:
        found = list(self._pages("/public/speakers", what="find speaker", params={"email": email}))
        return found[0] if found else None

    def speaker(self, uuid: str) -> dict[str, Any] | None:
        """One speaker; None once deleted in ASP."""
        try:
            return self._call("GET", f"/public/speakers/{uuid}", what=f"read speaker {uuid}").json()
        except NotFoundError:
            return None

    # --- writes: never retried blindly, the caller looks the record up first ---------------

    def create_location(self, seminar_id: str, name: str) -> str:
        path = f"/public/seminars/{seminar_id}/locations"
        return self._create(path, {"name": name}, what=f"create location {name!r}")

    def create_stream(self, seminar_id: str, name: str, colour: str | None) -> str:
        path = f"/public/seminars/{seminar_id}/streams"
        return self._create(path, {"name": name, "colour": colour}, what=f"create stream {name!r}")

    def create_session(self, seminar_id: str, payload: dict[str, Any]) -> str:
        path = f"/public/seminars/{seminar_id}/sessions"
        return self._create(path, payload, what="create session")

    def replace_session(self, seminar_id: str, uuid: str, payload: dict[str, Any]) -> None:
        path = f"/public/seminars/{seminar_id}/sessions/{uuid}"
        self._call("PUT", path, what=f"update session {uuid}", json=payload)

    def create_speaker(self, payload: dict[str, Any]) -> str:
        return self._create("/public/speakers", payload, what="create speaker")

    def replace_speaker(self, uuid: str, payload: dict[str, Any]) -> None:
        self._call("PUT", f"/public/speakers/{uuid}", what=f"update speaker {uuid}", json=payload)

    # --- mechanics -----------------------------------------------------------------------

    def check_credentials(self) -> None:
        """Fetch a token now, so wrong credentials fail here with a clear message."""
        self._renew_token()

    def _create(self, path: str, payload: dict[str, Any], *, what: str) -> str:
        # A POST that timed out may have landed: no retry here, the load step looks it up.
        return self._call("POST", path, what=what, json=payload, retry=False).json()["uuid"]

    def _pages(
        self, path: str, *, what: str, params: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            page_params = {**(params or {}), "O": offset, "L": PAGE_LIMIT}
            response = self._call("GET", path, what=what, params=page_params)
            items = response.json()
            yield from items

            total = int(response.headers.get("X-Records-Total", len(items)))
            offset += len(items)
            if not items or offset >= total:
                return

    def _call(self, method: str, path: str, *, what: str, **kwargs: Any) -> requests.Response:
        token = self._token or self._renew_token()
        try:
            return self.http.send(method, path, what=what, headers=_bearer(token), **kwargs)
        except AuthenticationError as error:
            if error.status != 401:
                raise
        # The token expired or was revoked: one new token, then give up with the error.
        return self.http.send(
            method, path, what=what, headers=_bearer(self._renew_token()), **kwargs
        )

    def _renew_token(self) -> str:
        with self._token_lock:
            try:
                response = self.http.send(
                    "POST", "/public/token", what="get an ASP token", auth=self._credentials
                )
            except AuthenticationError as error:
                raise AuthenticationError(
                    "ASP refused the API key and secret: set ASP_API_KEY and ASP_API_SECRET to "
                    "the organization's credentials (ASP admin > API access) and reconnect",
                    status=error.status,
                    url=error.url,
                ) from None
            self._token = str(response.json()["token"])
            return self._token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
