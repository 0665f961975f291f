"""Our errors, handed to Dagster as a `Failure` that keeps their text and says whether a retry
can help."""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from sb_asp_pipeline.errors import SyncError
from sb_asp_pipeline.http import TransientError

# Runs a person waits for at the terminal (`sb-asp sync`, the demo) carry this tag: they fail at
# once with the message, since the HTTP layer has already retried and the schedule tries again.
INTERACTIVE_TAG = "sb_asp/interactive"

Context = dg.OpExecutionContext | dg.AssetExecutionContext


@contextmanager
def as_failure(context: Context | None = None) -> Iterator[None]:
    """Turn our errors into a Failure with their text. Only a transient API error (429, 5xx,
    timeout) is worth the step's retry policy; a wrong setting or mapping needs a person."""
    try:
        yield
    except SyncError as error:
        retry = isinstance(error, TransientError) and not _interactive(context)
        raise dg.Failure(description=str(error), allow_retries=retry) from None


def _interactive(context: Context | None) -> bool:
    return context is not None and context.run.tags.get(INTERACTIVE_TAG) == "true"
