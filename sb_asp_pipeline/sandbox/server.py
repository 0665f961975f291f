"""The sandbox: a local Sessionboard API and a local ASP API on 127.0.0.1, seeded with an event.

with Sandbox() as sandbox:
    seeded = sandbox.seed(load_event_file(sample_event_path()))
    settings = sandbox.settings(seeded)  # base URLs, credentials, ids
"""

import datetime as dt
import secrets
import signal
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette

from sb_asp_pipeline.sandbox.asp_app import build_asp_app
from sb_asp_pipeline.sandbox.events import (
    event_zone,
    load_event_file,
    sample_event_path,
    seminar_session_types,
    shift_event,
)
from sb_asp_pipeline.sandbox.sessionboard_app import build_sessionboard_app
from sb_asp_pipeline.sandbox.state import AspState, SessionboardState

SEMINAR_CUSTOM_FIELDS = [
    {"slug": "sessionboard_id", "type": "text"},
    {"slug": "sessionboard_content", "type": "text"},
    {"slug": "key-takeaways", "type": "text"},
]

_HOST = "127.0.0.1"
_START_TIMEOUT_SECONDS = 5.0
_STOP_TIMEOUT_SECONDS = 5.0
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True)
class SeededEvent:
    """The ids of one event loaded into both sandbox servers."""

    sb_event_id: int
    asp_event_id: str
    seminar_id: str


class _BackgroundServer:
    """One uvicorn server on 127.0.0.1, serving from a daemon thread."""

    def __init__(self, app: Starlette, port: int, name: str) -> None:
        # Binding here, before uvicorn runs, turns port 0 into a real port at once.
        self._socket = socket.create_server((_HOST, port))
        config = uvicorn.Config(
            app,
            lifespan="off",
            log_level="warning",
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name=name, daemon=True
        )
        self.url = f"http://{_HOST}:{self._socket.getsockname()[1]}"

    def start(self) -> None:
        self._thread.start()

    def wait_started(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"sandbox server {self._thread.name} did not start")
            time.sleep(0.005)

    def request_stop(self) -> None:
        self._server.should_exit = True

    def join(self) -> None:
        if self._thread.is_alive():
            self._thread.join(_STOP_TIMEOUT_SECONDS)
        self._socket.close()


class Sandbox:
    """Both sandbox servers with fresh random credentials; a context manager."""

    def __init__(self, ports: tuple[int, int] = (0, 0)) -> None:
        self.sessionboard_state = SessionboardState(token=secrets.token_urlsafe(24))
        self.asp_state = AspState(key=secrets.token_urlsafe(12), secret=secrets.token_urlsafe(24))
        self.sessionboard_url = ""
        self.asp_url = ""
        self._ports = ports
        self._servers: list[_BackgroundServer] = []

    @property
    def sessionboard_token(self) -> str:
        """The Sessionboard API token (admin may change it)."""
        return self.sessionboard_state.token

    @property
    def asp_key(self) -> str:
        """The ASP API key (admin may change it)."""
        return self.asp_state.key

    @property
    def asp_secret(self) -> str:
        """The ASP API secret (admin may change it)."""
        return self.asp_state.secret

    def start(self) -> "Sandbox":
        """Serve both APIs; returns once both accept connections."""
        if self._servers:
            raise RuntimeError("the sandbox is already running")
        sessionboard = _BackgroundServer(
            build_sessionboard_app(self.sessionboard_state), self._ports[0], "sandbox-sessionboard"
        )
        try:
            asp = _BackgroundServer(build_asp_app(self.asp_state), self._ports[1], "sandbox-asp")
        except OSError:
            sessionboard.join()
            raise

        self._servers = [sessionboard, asp]
        for server in self._servers:
            server.start()
        for server in self._servers:
            server.wait_started()
        self.sessionboard_url, self.asp_url = sessionboard.url, asp.url
        return self

    def stop(self) -> None:
        """Stop both servers; both shut down at the same time."""
        for server in self._servers:
            server.request_stop()
        for server in self._servers:
            server.join()
        self._servers = []

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def seed(
        self, doc: dict[str, Any], start_in_days: int | None = 30, today: dt.date | None = None
    ) -> SeededEvent:
        """Load an event into Sessionboard and create its ASP event and seminar.

        The event is moved so that it starts `start_in_days` after `today` (today in the
        event's timezone by default); `None` keeps its dates.
        """
        event = doc["event"]
        if start_in_days is not None:
            today = today or dt.datetime.now(event_zone(event["timezone"])).date()
            doc = shift_event(doc, start_in_days, today)

        sb_event_id = self.sessionboard_state.load_event(doc)
        asp_event = self.asp_state.add_event(event["name"], event["timezone"])
        seminar = self.asp_state.add_seminar(
            asp_event["uuid"], event["name"], SEMINAR_CUSTOM_FIELDS, seminar_session_types(doc)
        )
        return SeededEvent(sb_event_id, asp_event["uuid"], seminar["uuid"])

    def settings(self, seeded: SeededEvent | None = None) -> dict[str, str]:
        """The environment the pipeline needs to talk to this sandbox."""
        values = {
            "SESSIONBOARD_BASE_URL": self.sessionboard_url,
            "SESSIONBOARD_API_TOKEN": self.sessionboard_token,
            "ASP_BASE_URL": self.asp_url,
            "ASP_API_KEY": self.asp_key,
            "ASP_API_SECRET": self.asp_secret,
        }
        if seeded is not None:
            values["ASP_EVENT_ID"] = seeded.asp_event_id
            values["ASP_SEMINAR_ID"] = seeded.seminar_id
            values["SB_EVENT_ID"] = str(seeded.sb_event_id)
        return values


def serve_forever(
    event_file: Path | None, start_in_days: int, ports: tuple[int, int] = (0, 0)
) -> None:
    """Serve a seeded sandbox, print its settings as NAME=value lines, stop on SIGINT/SIGTERM."""
    doc = load_event_file(event_file or sample_event_path())
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in _STOP_SIGNALS}
    try:
        with Sandbox(ports) as sandbox:
            seeded = sandbox.seed(doc, start_in_days)
            for name, value in sandbox.settings(seeded).items():
                print(f"{name}={value}", flush=True)
            # A short timeout keeps the main thread where signal handlers run.
            while not stop.wait(0.5):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
