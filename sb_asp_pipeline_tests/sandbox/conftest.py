"""Raw HTTP clients of the two sandbox APIs, already authenticated."""

from collections.abc import Iterator

import pytest

from sb_asp_pipeline.sandbox.server import Sandbox
from sb_asp_pipeline_tests.sandbox.apis import Api, asp_token


@pytest.fixture
def sessionboard_api(sandbox: Sandbox) -> Iterator[Api]:
    """The Sessionboard API with the organization's token."""
    api = Api(sandbox.sessionboard_url, {"x-access-token": sandbox.sessionboard_token})
    yield api
    api.http.close()


@pytest.fixture
def asp_api(sandbox: Sandbox) -> Iterator[Api]:
    """The ASP API with a bearer token fetched from the key and secret."""
    api = Api(sandbox.asp_url, {"Authorization": f"Bearer {asp_token(sandbox)}"})
    yield api
    api.http.close()
