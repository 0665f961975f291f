"""Raw HTTP access to the sandbox APIs, the way the pipeline's clients reach them."""

from typing import Any

import requests

from sb_asp_pipeline.sandbox.server import Sandbox


class Api:
    """`requests` bound to one base URL, with a timeout on every call."""

    def __init__(self, base_url: str, headers: dict[str, str] | None = None) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers.update(headers or {})

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 5)
        return self.http.request(method, f"{self.base_url}{path}", **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("PUT", path, **kwargs)


def asp_token(sandbox: Sandbox) -> str:
    """A fresh ASP bearer token from the sandbox's key and secret."""
    auth = (sandbox.asp_key, sandbox.asp_secret)
    response = requests.post(f"{sandbox.asp_url}/public/token", auth=auth, timeout=5)
    response.raise_for_status()
    token: str = response.json()["token"]
    return token
