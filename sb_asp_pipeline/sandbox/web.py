"""Starlette plumbing shared by the two sandbox servers.

A gate in front of each app logs every API call, plays queued faults and checks credentials.
Routes under `/_admin` pass straight through: no auth, no log, no faults.
"""

import asyncio
import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from sb_asp_pipeline.sandbox.state import Fault, NotFound, Traffic

ADMIN_PREFIX = "/_admin"

_logger = logging.getLogger(__name__)

ErrorBody = Callable[[int, str], dict[str, Any]]
Guard = Callable[[Request], Response | None]
Handler = Callable[[Request, Exception], Awaitable[Response]]


class BadRequest(ValueError):
    """A request the server cannot read: malformed JSON or a bad parameter."""


def error_response(
    error_body: ErrorBody, status: int, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """An error in the API's own body shape."""
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


def error_handlers(error_body: ErrorBody) -> dict[Any, Handler]:
    """Exception handlers that answer in the API's error shape (404, 405, 400 and the rest)."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(error_body, exc.status_code, str(exc.detail), exc.headers)

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_response(error_body, 404, str(exc.args[0]) if exc.args else "not found")

    async def bad_request(request: Request, exc: Exception) -> Response:
        return error_response(error_body, 400, str(exc))

    return {HTTPException: http_error, NotFound: not_found, BadRequest: bad_request}


class ApiGate(BaseHTTPMiddleware):
    """Logs each API call with its status, plays queued faults, then asks the guard."""

    def __init__(self, app: ASGIApp, traffic: Traffic, error_body: ErrorBody, guard: Guard) -> None:
        super().__init__(app)
        self._traffic = traffic
        self._error_body = error_body
        self._guard = guard

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        if path.startswith(ADMIN_PREFIX):
            return await call_next(request)

        try:
            response = await self._answer(request, call_next)
        except Exception as exc:
            # A sandbox bug answers like a server error of the real API, and the test sees it.
            _logger.exception("sandbox error on %s %s", request.method, path)
            response = error_response(self._error_body, 500, f"sandbox error: {exc!r}")
        self._traffic.log(request.method, path, request.url.query, response.status_code)
        return response

    async def _answer(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        fault = self._traffic.take_fault(request.method, request.url.path)
        if fault is not None:
            # Sleeping on the event loop keeps the server answering other calls meanwhile.
            await asyncio.sleep(fault.delay_seconds)
            if fault.status:
                return self._fault_response(fault)

        refused = self._guard(request)
        if refused is not None:
            return refused
        return await call_next(request)

    def _fault_response(self, fault: Fault) -> Response:
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
        message = f"sandbox fault: status {fault.status} injected for {fault.method} {fault.path}"
        return error_response(self._error_body, fault.status, message, headers)


async def read_object(request: Request, *, empty: bool = False) -> dict[str, Any]:
    """The JSON object in the body; `empty` allows a missing body, read as `{}`."""
    value = await read_json(request, default={} if empty else None)
    if not isinstance(value, dict):
        raise BadRequest("the body must be a JSON object")
    return value


async def read_json(request: Request, default: Any = None) -> Any:
    """The JSON body; `default` stands in for an empty body when given."""
    raw = await request.body()
    if not raw.strip() and default is not None:
        return default
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}") from exc


def int_param(value: Any, name: str, low: int, high: int | None = None) -> int:
    """An integer parameter within bounds, from a query string or a JSON body."""
    number = _as_int(value)
    if number is None or number < low or (high is not None and number > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadRequest(f"{name} must be an integer {bounds}, got {value!r}")
    return number


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def traffic_routes(traffic: Traffic) -> list[Route]:
    """Admin routes every sandbox server has: the request log and the fault queue."""

    async def requests_log(request: Request) -> Response:
        if request.method == "DELETE":
            traffic.clear_requests()
            return Response(status_code=204)
        return JSONResponse(traffic.requests())

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            traffic.clear_faults()
            return Response(status_code=204)
        fault = parse_fault(await read_object(request))
        traffic.add_fault(fault)
        return JSONResponse(dataclasses.asdict(fault), status_code=201)

    return [
        Route(f"{ADMIN_PREFIX}/requests", requests_log, methods=["GET", "DELETE"]),
        Route(f"{ADMIN_PREFIX}/faults", faults, methods=["POST", "DELETE"]),
    ]


def parse_fault(body: dict[str, Any]) -> Fault:
    """A fault from its admin body; status 0 means "delay only"."""
    status = int_param(body.get("status"), "status", 0, 599)
    if 0 < status < 400:
        raise BadRequest("status must be 0 (delay only) or an error status, 400 to 599")

    delay = body.get("delay_seconds") or 0
    if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
        raise BadRequest(f"delay_seconds must be a number of seconds >= 0, got {delay!r}")

    retry_after = body.get("retry_after")
    return Fault(
        status=status,
        method=str(body.get("method") or "*").upper(),
        path=str(body.get("path") or "/"),
        retry_after=None if retry_after is None else str(retry_after),
        count=int_param(body.get("count", 1), "count", 1),
        delay_seconds=float(delay),
    )
