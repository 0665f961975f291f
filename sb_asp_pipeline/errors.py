"""One small exception tree, so callers can tell configuration mistakes from API failures."""


class SyncError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class ConfigurationError(SyncError):
    """A setting, mapping or connection is missing or wrong; fixing it needs a person."""


class PreconditionError(SyncError):
    """The mapping cannot be synced as it stands (timezones differ, seminar lacks a field)."""


class ApiError(SyncError):
    """An API answered with an error that retrying did not cure."""

    def __init__(self, message: str, *, status: int | None = None, url: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.url = url


class NotFoundError(ApiError):
    """The API answered 404: the record does not exist, or was deleted."""


class AuthenticationError(ApiError):
    """The API refused the credentials (401) or their scope (403)."""


class ValidationRefused(ApiError):
    """ASP refused a record (422); `fields` names what it refused and why."""

    def __init__(self, message: str, *, fields: dict[str, str], url: str = "") -> None:
        super().__init__(message, status=422, url=url)
        self.fields = fields
