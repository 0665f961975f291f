"""The sandbox ASP Events API (`shared/api/asp.md`) and its admin routes."""

import base64
import binascii
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sb_asp_pipeline.sandbox.asp_records import SESSION_DEFAULTS, SPEAKER_DEFAULTS
from sb_asp_pipeline.sandbox.state import TOKEN_LIFETIME_SECONDS, AspState, Invalid, Record
from sb_asp_pipeline.sandbox.web import (
    ADMIN_PREFIX,
    ApiGate,
    BadRequest,
    error_handlers,
    error_response,
    int_param,
    read_object,
    traffic_routes,
)

_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "rate_limited",
    500: "server_error",
    502: "bad_gateway",
    503: "unavailable",
    504: "gateway_timeout",
}

_TOKEN_PATH = "/public/token"
_DEFAULT_LIMIT = 10
_MAX_LIMIT = 1000
_WINDOW_PARAMS = ("O", "L", "S")


def error_body(status: int, message: str) -> dict[str, Any]:
    """ASP's error shape: `{"error": "<code>", "message": "..."}`."""
    return {"error": _ERROR_CODES.get(status, "error"), "message": message}


def build_asp_app(state: AspState) -> Starlette:
    """The ASP API under `/public` and its admin side under `/_admin`."""
    api = _PublicApi(state)
    admin = _AdminApi(state)
    gate = Middleware(ApiGate, traffic=state.traffic, error_body=error_body, guard=api.guard)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Invalid)
        return JSONResponse({"error": "validation", "fields": exc.fields}, status_code=422)

    return Starlette(
        routes=[*api.routes(), *admin.routes(), *traffic_routes(state.traffic)],
        middleware=[gate],
        exception_handlers={**error_handlers(error_body), Invalid: invalid},
    )


class _PublicApi:
    """The `/public` routes: token, events, seminars and their records, speakers."""

    def __init__(self, state: AspState) -> None:
        self._state = state

    def routes(self) -> list[Route]:
        seminar = "/public/seminars/{seminar_id}"
        session = f"{seminar}/sessions/{{session_uuid}}"
        speaker = "/public/speakers/{speaker_uuid}"
        return [
            Route(_TOKEN_PATH, self.token, methods=["POST"]),
            Route("/public/events", self.events, methods=["GET"]),
            Route(seminar, self.seminar, methods=["GET"]),
            Route(f"{seminar}/session-types", self.session_types, methods=["GET"]),
            Route(f"{seminar}/locations", self.locations, methods=["GET", "POST"]),
            Route(f"{seminar}/streams", self.streams, methods=["GET", "POST"]),
            Route(f"{seminar}/sessions", self.sessions, methods=["GET"]),
            Route(f"{seminar}/sessions", self.create_session, methods=["POST"]),
            Route(session, self.session, methods=["GET"]),
            Route(session, self.replace_session, methods=["PUT"]),
            Route("/public/speakers", self.speakers, methods=["GET"]),
            Route("/public/speakers", self.create_speaker, methods=["POST"]),
            Route(speaker, self.speaker, methods=["GET"]),
            Route(speaker, self.replace_speaker, methods=["PUT"]),
        ]

    def guard(self, request: Request) -> Response | None:
        """401 unless the call is the token call or carries a live bearer token."""
        if request.url.path == _TOKEN_PATH:
            return None
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and self._state.token_valid(token.strip()):
            return None
        return error_response(error_body, 401, "missing, expired or revoked bearer token")

    async def token(self, request: Request) -> Response:
        credentials = _basic_credentials(request.headers.get("authorization", ""))
        token = self._state.issue_token(*credentials) if credentials else None
        if token is None:
            return error_response(error_body, 401, "wrong API key or secret")
        return JSONResponse({"token": token, "expires_in": TOKEN_LIFETIME_SECONDS})

    async def events(self, request: Request) -> Response:
        return _listing(self._state.events())

    async def seminar(self, request: Request) -> Response:
        return JSONResponse(self._state.seminar(request.path_params["seminar_id"]))

    async def session_types(self, request: Request) -> Response:
        return _listing(self._state.catalog(request.path_params["seminar_id"], "sessionTypes"))

    async def locations(self, request: Request) -> Response:
        return await self._catalog(request, "locations")

    async def streams(self, request: Request) -> Response:
        return await self._catalog(request, "streams")

    async def sessions(self, request: Request) -> Response:
        seminar_id = request.path_params["seminar_id"]
        slugs = [field["slug"] for field in self._state.seminar(seminar_id)["customFields"]]
        filters = {f"customField.{slug}": slug for slug in slugs}
        _check_params(request, [*_WINDOW_PARAMS, *filters])

        query = request.query_params
        wanted = {slug: query[name] for name, slug in filters.items() if name in query}
        found = self._state.sessions(
            seminar_id,
            lambda record: all(_custom(record, slug) == value for slug, value in wanted.items()),
        )
        return _window(found, request, SESSION_DEFAULTS)

    async def create_session(self, request: Request) -> Response:
        body = await read_object(request)
        record = self._state.save_session(request.path_params["seminar_id"], body)
        return JSONResponse(record, status_code=201)

    async def session(self, request: Request) -> Response:
        params = request.path_params
        return JSONResponse(self._state.session(params["seminar_id"], params["session_uuid"]))

    async def replace_session(self, request: Request) -> Response:
        body = await read_object(request)
        params = request.path_params
        record = self._state.save_session(params["seminar_id"], body, params["session_uuid"])
        return JSONResponse(record)

    async def speakers(self, request: Request) -> Response:
        _check_params(request, [*_WINDOW_PARAMS, "email"])
        email = request.query_params.get("email")
        found = self._state.speakers(
            None if email is None else lambda speaker: _same_email(speaker.get("email"), email)
        )
        return _window(found, request, SPEAKER_DEFAULTS)

    async def create_speaker(self, request: Request) -> Response:
        record = self._state.save_speaker(await read_object(request))
        return JSONResponse(record, status_code=201)

    async def speaker(self, request: Request) -> Response:
        return JSONResponse(self._state.speaker(request.path_params["speaker_uuid"]))

    async def replace_speaker(self, request: Request) -> Response:
        body = await read_object(request)
        record = self._state.save_speaker(body, request.path_params["speaker_uuid"])
        return JSONResponse(record)

    async def _catalog(self, request: Request, kind: str) -> Response:
        seminar_id = request.path_params["seminar_id"]
        if request.method == "GET":
            return _listing(self._state.catalog(seminar_id, kind))
        record = self._state.add_to_catalog(seminar_id, kind, await read_object(request))
        return JSONResponse(record, status_code=201)


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    key, colon, secret = decoded.partition(":")
    return (key, secret) if colon else None


def _custom(record: Record, slug: str) -> Any:
    fields = record.get("customFields")
    return fields.get(slug) if isinstance(fields, dict) else None


def _same_email(stored: Any, wanted: str) -> bool:
    """ASP compares emails without case and surrounding spaces."""
    return isinstance(stored, str) and stored.strip().casefold() == wanted.strip().casefold()


def _listing(records: list[Record]) -> Response:
    """A short unpaged list; the total header is there too, as on paged lists."""
    return JSONResponse(records, headers={"X-Records-Total": str(len(records))})


def _check_params(request: Request, allowed: list[str]) -> None:
    # A misspelt filter would otherwise return every record, which looks like a match.
    unknown = [name for name in request.query_params if name not in allowed]
    if unknown:
        names = ", ".join(unknown)
        raise BadRequest(f"unknown query parameter {names}; allowed: {', '.join(allowed)}")


def _window(records: list[Record], request: Request, fields: Record) -> Response:
    """One page of a list: `S` sorts, `O` skips, `L` limits; the header counts them all."""
    query = request.query_params
    offset = int_param(query.get("O", 0), "O", 0)
    limit = int_param(query.get("L", _DEFAULT_LIMIT), "L", 1, _MAX_LIMIT)
    ordered = _sorted(records, query.get("S"), ["uuid", *fields])

    page = ordered[offset : offset + limit]
    return JSONResponse(page, headers={"X-Records-Total": str(len(records))})


def _sorted(records: list[Record], sort: str | None, fields: list[str]) -> list[Record]:
    if not sort:
        return records
    name = sort.removeprefix("-")
    if name not in fields:
        raise BadRequest(f"S must name a field, optionally with a leading '-': got {sort!r}")

    def key(record: Record) -> tuple[bool, str]:
        value = record.get(name)
        return (value is None, "" if value is None else str(value))

    return sorted(records, key=key, reverse=sort.startswith("-"))


class _AdminApi:
    """The `/_admin` routes that shape the sandbox ASP site."""

    def __init__(self, state: AspState) -> None:
        self._state = state

    def routes(self) -> list[Route]:
        seminar = f"{ADMIN_PREFIX}/seminars/{{seminar_id}}"
        session = f"{seminar}/sessions/{{session_uuid}}"
        speaker = f"{ADMIN_PREFIX}/speakers/{{speaker_uuid}}"
        return [
            Route(f"{ADMIN_PREFIX}/events", self.add_event, methods=["POST"]),
            Route(f"{ADMIN_PREFIX}/events/{{event_uuid}}", self.update_event, methods=["PATCH"]),
            Route(f"{ADMIN_PREFIX}/seminars", self.add_seminar, methods=["POST"]),
            Route(seminar, self.update_seminar, methods=["PATCH"]),
            Route(f"{ADMIN_PREFIX}/state", self.snapshot, methods=["GET"]),
            Route(session, self.patch_session, methods=["PATCH"]),
            Route(session, self.delete_session, methods=["DELETE"]),
            Route(speaker, self.patch_speaker, methods=["PATCH"]),
            Route(speaker, self.delete_speaker, methods=["DELETE"]),
            Route(f"{ADMIN_PREFIX}/credentials", self.set_credentials, methods=["PUT"]),
            Route(f"{ADMIN_PREFIX}/tokens/revoke", self.revoke_tokens, methods=["POST"]),
        ]

    async def add_event(self, request: Request) -> Response:
        body = await read_object(request)
        name, timezone = _text(body, "name"), _text(body, "timezone")
        record = self._state.add_event(name, timezone, body.get("uuid"))
        return JSONResponse(record, status_code=201)

    async def update_event(self, request: Request) -> Response:
        changes = await read_object(request)
        return JSONResponse(self._state.update_event(request.path_params["event_uuid"], changes))

    async def add_seminar(self, request: Request) -> Response:
        body = await read_object(request)
        seminar = self._state.add_seminar(
            event_uuid=_text(body, "eventUuid"),
            name=_text(body, "name"),
            custom_fields=body.get("customFields", []),
            session_types=body.get("sessionTypes", []),
            seminar_uuid=body.get("uuid"),
        )
        return JSONResponse(seminar, status_code=201)

    async def update_seminar(self, request: Request) -> Response:
        changes = await read_object(request)
        seminar_id = request.path_params["seminar_id"]
        return JSONResponse(self._state.update_seminar(seminar_id, changes))

    async def snapshot(self, request: Request) -> Response:
        return JSONResponse(self._state.snapshot())

    async def patch_session(self, request: Request) -> Response:
        changes = await read_object(request)
        params = request.path_params
        record = self._state.patch_session(params["seminar_id"], params["session_uuid"], changes)
        return JSONResponse(record)

    async def delete_session(self, request: Request) -> Response:
        params = request.path_params
        self._state.delete_session(params["seminar_id"], params["session_uuid"])
        return Response(status_code=204)

    async def patch_speaker(self, request: Request) -> Response:
        changes = await read_object(request)
        return JSONResponse(self._state.patch_speaker(request.path_params["speaker_uuid"], changes))

    async def delete_speaker(self, request: Request) -> Response:
        self._state.delete_speaker(request.path_params["speaker_uuid"])
        return Response(status_code=204)

    async def set_credentials(self, request: Request) -> Response:
        body = await read_object(request)
        self._state.set_credentials(_text(body, "key"), _text(body, "secret"))
        return Response(status_code=204)

    async def revoke_tokens(self, request: Request) -> Response:
        self._state.revoke_tokens()
        return Response(status_code=204)


def _text(body: Record, key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{key} is required and must be text")
    return value
