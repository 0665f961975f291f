"""HTTP mechanics shared by both API clients: one session, timeouts, retries that honour
Retry-After, and errors that name the call without ever including credentials."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

import requests
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from sb_asp_pipeline.errors import (
    ApiError,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    ValidationRefused,
)

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
# A server asking for a longer pause than this is treated as down for now: better to fail the
# run and let the schedule try again than to hold a run slot for many minutes.
MAX_RETRY_AFTER_SECONDS = 60.0
DEFAULT_TIMEOUT = (5.0, 30.0)


def header_secret(value: str, variable: str) -> str:
    """A credential as it may travel in a header. Surrounding spaces and a trailing newline are
    dropped (a pasted value often has them); anything else requests would refuse, quoting the
    value in its error, is refused here naming only the variable."""
    secret = value.strip()
    if not secret or any(ord(char) < 32 or ord(char) == 127 for char in secret):
        raise ConfigurationError(
            f"{variable} is empty or holds control characters: set it to the credential alone"
        )
    return secret


class TransientError(ApiError):
    """A 429, 5xx, timeout or dropped connection: trying again may help."""

    def __init__(
        self, message: str, *, status: int | None, url: str, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status, url=url)
        self.retry_after = retry_after


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header; None when absent or not a usable number."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    if seconds != seconds or seconds < 0:  # NaN or negative: ignore, fall back to backoff
        return None
    return min(seconds, MAX_RETRY_AFTER_SECONDS)


def _wait_for(backoff: Callable[[RetryCallState], float]) -> Callable[[RetryCallState], float]:
    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, TransientError) and error.retry_after is not None:
            return error.retry_after
        return backoff(state)

    return wait


def _error_message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        parts = [str(body.get(key)) for key in ("error", "message") if body.get(key)]
        if body.get("fields"):
            parts.append(str(body["fields"]))
        return ": ".join(parts)
    return str(body)[:200]


def raise_for_status(response: requests.Response, what: str) -> None:
    """Turn an error response into the project's exception for it."""
    status = response.status_code
    if status < 400:
        return
    url = f"{response.request.method} {response.request.path_url}"
    detail = _error_message(response)
    if status in RETRYABLE_STATUS:
        raise TransientError(
            f"{what} failed with {status} ({detail}) at {url}",
            status=status,
            url=url,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
    if status in (401, 403):
        raise AuthenticationError(
            f"{what} was refused with {status} ({detail}) at {url}: check the credentials "
            "in the environment and their scopes",
            status=status,
            url=url,
        )
    if status == 404:
        raise NotFoundError(f"{what}: not found at {url} ({detail})", status=status, url=url)
    if status == 422:
        fields = {}
        with contextlib.suppress(ValueError, AttributeError):
            fields = dict(response.json().get("fields") or {})
        raise ValidationRefused(f"{what} was refused at {url}: {detail}", fields=fields, url=url)
    raise ApiError(f"{what} failed with {status} at {url}: {detail}", status=status, url=url)


class HttpClient:
    """One requests.Session for one API: every call has a timeout and transient failures are
    retried with exponential backoff, honouring Retry-After."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        attempts: int = 5,
        backoff_max: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.attempts = attempts
        self.backoff_max = backoff_max
        self.session = requests.Session()

    def close(self) -> None:
        self.session.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        what: str,
        retry: bool = True,
        **kwargs: Any,
    ) -> requests.Response:
        """Send one request. With retry=False (a create, whose first try may have landed) a
        transient failure is raised at once so the caller can look the record up first."""
        url = f"{self.base_url}{path}"
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts if retry else 1),
            wait=_wait_for(wait_exponential_jitter(initial=0.5, max=self.backoff_max)),
            retry=retry_if_exception(lambda error: isinstance(error, TransientError)),
            before_sleep=self._log_retry,
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                return self._send_once(method, url, what=what, **kwargs)
        raise AssertionError("unreachable: tenacity reraises the last error")

    def _send_once(self, method: str, url: str, *, what: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self.session.request(method, url, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as error:
            path = requests.PreparedRequest()
            path.prepare_url(url, kwargs.get("params"))
            raise TransientError(
                f"{what} could not reach {method} {path.path_url}: {type(error).__name__}",
                status=None,
                url=f"{method} {path.path_url}",
            ) from None
        log.debug("http method=%s url=%s status=%s", method, url, response.status_code)
        raise_for_status(response, what)
        return response

    @staticmethod
    def _log_retry(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "http_retry attempt=%s wait_s=%.1f reason=%s",
            state.attempt_number,
            state.upcoming_sleep,
            error,
        )
