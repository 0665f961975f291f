"""The sandbox Sessionboard Public API (`shared/api/sessionboard.md`) and its admin routes."""

import datetime as dt
import re
import secrets
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sb_asp_pipeline.sandbox.state import (
    SB_MAX_PAGE_SIZE,
    Invalid,
    NotFound,
    Record,
    SessionboardState,
)
from sb_asp_pipeline.sandbox.web import (
    ADMIN_PREFIX,
    ApiGate,
    BadRequest,
    error_handlers,
    error_response,
    int_param,
    read_json,
    read_object,
    traffic_routes,
)

_ERROR_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    429: "TooManyRequests",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}

_DEFAULT_PAGE_SIZE = 25
_FILTERS = ("status", "updatedAt")


def error_body(status: int, message: str) -> dict[str, Any]:
    """Sessionboard's error shape: `{"error": "<Name>", "message": "..."}`."""
    return {"error": _ERROR_NAMES.get(status, "Error"), "message": message}


def build_sessionboard_app(state: SessionboardState) -> Starlette:
    """The Sessionboard API under `/v1` and its admin side under `/_admin`."""
    api = _PublicApi(state)
    admin = _AdminApi(state)
    gate = Middleware(ApiGate, traffic=state.traffic, error_body=error_body, guard=api.guard)

    async def invalid(request: Request, exc: Exception) -> Response:
        return error_response(error_body, 400, str(exc))

    return Starlette(
        routes=[*api.routes(), *admin.routes(), *traffic_routes(state.traffic)],
        middleware=[gate],
        exception_handlers={**error_handlers(error_body), Invalid: invalid},
    )


def mask_email(email: str) -> str:
    """`jane.doe@acme.com` as a token without personal data shows it: `j***@a***.com`."""
    local, _, domain = email.partition("@")
    name, dot, suffix = domain.rpartition(".")
    if not dot:
        name, suffix = domain, ""
    return f"{local[:1]}***@{name[:1]}***{dot}{suffix}"


def mask_phone(phone: str) -> str:
    """A phone number with all but its last four digits hidden: `***-***-4567`."""
    digits = re.sub(r"\D", "", phone)
    return f"***-***-{digits[-4:]}"


class _PublicApi:
    """The `/v1` routes: events, sessions, speakers, fields and files."""

    def __init__(self, state: SessionboardState) -> None:
        self._state = state

    def routes(self) -> list[Route]:
        event = "/v1/event/{event_id}"
        return [
            Route("/v1/events", self.events, methods=["GET"]),
            Route(f"{event}/sessions", self.sessions, methods=["POST"]),
            Route(f"{event}/speakers", self.speakers, methods=["POST"]),
            Route(f"{event}/fields", self.fields, methods=["GET"]),
            Route(f"{event}/sessions/{{session_id}}/files", self.files, methods=["GET"]),
        ]

    def guard(self, request: Request) -> Response | None:
        """401 unless `x-access-token` is the organization's token."""
        given = request.headers.get("x-access-token", "")
        if secrets.compare_digest(given.encode(), self._state.token.encode()):
            return None
        return error_response(error_body, 401, "missing or invalid x-access-token header")

    async def events(self, request: Request) -> Response:
        return self._page(self._state.events(), request, {})

    async def sessions(self, request: Request) -> Response:
        body = await read_object(request, empty=True)
        found = _filtered(self._state.sessions(_event_id(request)), body.get("filters"))
        shown = [self._shown_session(s) for s in _sorted(found, body.get("sort"))]
        return self._page(shown, request, body)

    async def speakers(self, request: Request) -> Response:
        body = await read_object(request, empty=True)
        # Contacts have no status: a status filter meant for sessions does not narrow them.
        filters = body.get("filters")
        if isinstance(filters, dict):
            filters = {key: value for key, value in filters.items() if key != "status"}
        found = _filtered(self._state.speakers(_event_id(request)), filters)
        shown = [self._shown_contact(c) for c in _sorted(found, body.get("sort"))]
        return self._page(shown, request, body)

    async def fields(self, request: Request) -> Response:
        return JSONResponse(self._state.fields(_event_id(request)))

    async def files(self, request: Request) -> Response:
        session_id = request.path_params["session_id"]
        return JSONResponse(self._state.files(_event_id(request), session_id))

    def _page(self, records: list[Record], request: Request, body: dict[str, Any]) -> Response:
        query = request.query_params
        page = int_param(query.get("page", body.get("page", 1)), "page", 1)
        size = query.get("pageSize", body.get("pageSize", _DEFAULT_PAGE_SIZE))
        size = min(int_param(size, "pageSize", 1, SB_MAX_PAGE_SIZE), self._state.max_page_size)

        pagination = {
            "currentPage": page,
            "pageSize": size,
            "totalPages": -(-len(records) // size),
            "totalResults": len(records),
        }
        chunk = records[(page - 1) * size : page * size]
        if self._state.repeat_across_pages and page > 1 and chunk:
            # The last record of the page before shows again, as after an insert mid-paging.
            chunk = [records[(page - 1) * size - 1], *chunk]
        return JSONResponse({self._state.list_key: chunk, "pagination": pagination})

    def _shown_session(self, session: Record) -> Record:
        if self._state.mask_personal_data:
            for entry in session.get("speakers") or []:
                _mask(entry)
        return session

    def _shown_contact(self, contact: Record) -> Record:
        return _mask(contact) if self._state.mask_personal_data else contact


def _mask(person: Record) -> Record:
    if isinstance(person.get("email"), str):
        person["email"] = mask_email(person["email"])
    if isinstance(person.get("phone_mobile"), str):
        person["phone_mobile"] = mask_phone(person["phone_mobile"])
    return person


def _event_id(request: Request) -> int:
    raw = request.path_params["event_id"]
    if not raw.isdigit():
        raise NotFound(f"event {raw} not found")
    return int(raw)


def _filtered(records: list[Record], filters: Any) -> list[Record]:
    if not filters:
        return records
    if not isinstance(filters, dict) or any(key not in _FILTERS for key in filters):
        raise BadRequest(f"filters must be an object with keys among {', '.join(_FILTERS)}")

    if filters.get("status") is not None:
        wanted = _statuses(filters["status"])
        records = [r for r in records if _status_of(r) & wanted]
    after = (filters.get("updatedAt") or {}).get("after")
    if after is not None:
        moment = _instant(after, "filters.updatedAt.after")
        records = [r for r in records if _instant(r["updated_at"], "updated_at") > moment]
    return records


def _statuses(value: Any) -> set[str]:
    wanted = [value] if isinstance(value, str) else value
    if not isinstance(wanted, list) or not all(isinstance(s, str) for s in wanted):
        raise BadRequest("filters.status must be a status or a list of statuses")
    return set(wanted)


def _status_of(session: Record) -> set[str]:
    """The session's status and the category of its custom status: a filter matches either."""
    custom = session.get("custom_status") or {}
    return {s for s in (session.get("status"), custom.get("status")) if isinstance(s, str)}


def _instant(text: Any, name: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise BadRequest(f"{name} must be an ISO-8601 date-time, got {text!r}") from exc
    # An instant without offset is read as UTC, as the API documents its stamps in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _sorted(records: list[Record], sort: Any) -> list[Record]:
    if not sort:
        return records
    direction = sort.get("sort", "asc") if isinstance(sort, dict) else None
    if direction not in ("asc", "desc") or not isinstance(sort.get("order"), str):
        raise BadRequest('sort must be {"order": "<field>", "sort": "asc" or "desc"}')

    # The API names fields in camelCase (updatedAt) while records use snake_case.
    key = re.sub(r"(?<!^)(?=[A-Z])", "_", sort["order"]).lower()
    return sorted(records, key=lambda r: _sort_key(r.get(key), key), reverse=direction == "desc")


def _sort_key(value: Any, key: str) -> tuple[bool, Any]:
    if value is None:
        return (True, "")
    if key.endswith("_at"):
        return (False, _instant(value, key))
    return (False, str(value))


class _AdminApi:
    """The `/_admin` routes that shape the sandbox organization."""

    def __init__(self, state: SessionboardState) -> None:
        self._state = state

    def routes(self) -> list[Route]:
        events = f"{ADMIN_PREFIX}/events"
        event = f"{events}/{{event_id}}"
        return [
            Route(events, self.load_event, methods=["POST"]),
            Route(event, self.event, methods=["GET"]),
            Route(event, self.update_event, methods=["PATCH"]),
            Route(f"{event}/sessions", self.add_session, methods=["POST"]),
            Route(f"{event}/sessions/{{session_id}}", self.update_session, methods=["PATCH"]),
            Route(f"{event}/sessions/{{session_id}}", self.delete_session, methods=["DELETE"]),
            Route(f"{event}/speakers", self.add_speaker, methods=["POST"]),
            Route(f"{event}/speakers/{{contact_id}}", self.update_speaker, methods=["PATCH"]),
            Route(f"{event}/files/{{session_id}}", self.put_files, methods=["PUT"]),
            Route(f"{ADMIN_PREFIX}/config", self.config, methods=["GET"]),
            Route(f"{ADMIN_PREFIX}/config", self.configure, methods=["PATCH"]),
        ]

    async def load_event(self, request: Request) -> Response:
        event_id = self._state.load_event(await read_object(request))
        return JSONResponse({"id": event_id}, status_code=201)

    async def event(self, request: Request) -> Response:
        return JSONResponse(self._state.event_doc(_event_id(request)))

    async def update_event(self, request: Request) -> Response:
        changes = await read_object(request)
        return JSONResponse(self._state.update_event(_event_id(request), changes))

    async def add_session(self, request: Request) -> Response:
        session = self._state.add_session(_event_id(request), await read_object(request))
        return JSONResponse(session, status_code=201)

    async def update_session(self, request: Request) -> Response:
        changes = await read_object(request)
        session_id = request.path_params["session_id"]
        return JSONResponse(self._state.update_session(_event_id(request), session_id, changes))

    async def delete_session(self, request: Request) -> Response:
        self._state.delete_session(_event_id(request), request.path_params["session_id"])
        return Response(status_code=204)

    async def add_speaker(self, request: Request) -> Response:
        contact = self._state.add_speaker(_event_id(request), await read_object(request))
        return JSONResponse(contact, status_code=201)

    async def update_speaker(self, request: Request) -> Response:
        changes = await read_object(request)
        contact_id = request.path_params["contact_id"]
        return JSONResponse(self._state.update_speaker(_event_id(request), contact_id, changes))

    async def put_files(self, request: Request) -> Response:
        files = await read_json(request)
        if not isinstance(files, list):
            raise BadRequest("the body must be a JSON list of files")
        session_id = request.path_params["session_id"]
        return JSONResponse(self._state.put_files(_event_id(request), session_id, files))

    async def config(self, request: Request) -> Response:
        return JSONResponse(self._state.config())

    async def configure(self, request: Request) -> Response:
        return JSONResponse(self._state.configure(await read_object(request)))
