"""The exception hierarchy, under the import path of the official SDK (``scaleapi.exceptions``).

The names and the status mapping are the official SDK's, so ``except ScaleDuplicateResource``
keeps working after a switch. What the SDK lacks is added as subclasses of the same base:
403, transport failures, unparseable responses and the bulk engine's outcomes; every error
carries the request it belongs to and how many retries were spent on it.
"""

from __future__ import annotations

from typing import Any

from ._engine.redact import redact

__all__ = [
    "ScaleClientClosed",
    "ScaleDuplicateResource",
    "ScaleException",
    "ScaleForbidden",
    "ScaleInternalError",
    "ScaleInvalidRequest",
    "ScaleInvalidResponse",
    "ScaleNotEnabled",
    "ScaleResourceNotFound",
    "ScaleServiceUnavailable",
    "ScaleTimeoutError",
    "ScaleTooManyRequests",
    "ScaleTransportError",
    "ScaleUnauthorized",
]


_MAX_MESSAGE = 300


class ScaleException(Exception):
    """Base class of every error this client raises about the API.

    ``code`` is the HTTP status (``None`` when no response was received), ``message`` the
    server's own words, with every form of a client's key masked. ``method`` and ``path``
    name the request, ``retries`` counts the retries spent before giving up, ``request_id``
    is the server's id for the failed request (from its ``x-request-id`` header; quote it to
    support), None when there was no response.
    """

    code: int | None = None
    #: The server's ``Retry-After`` advice in seconds, when the response carried one.
    retry_after: float | None = None
    #: The server's id for the request that failed, when the response carried one.
    request_id: str | None = None

    def __init__(
        self,
        message: str = "",
        errcode: int | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        retries: int = 0,
    ) -> None:
        # Every error this package raises passes here: the one place a key is masked.
        self.message = redact(message) if message else type(self).__name__
        if errcode is not None:
            self.code = errcode
        self.method = method
        self.path = path
        self.retries = retries
        super().__init__(self.message)

    @property
    def status_code(self) -> int | None:
        """The HTTP status, an alias of ``code``."""
        return self.code

    def __str__(self) -> str:
        head = f"<Response [{self.code}]>" if self.code is not None else "<Response>"
        text = f"{head} {self.message}"
        notes = [f"{self.method} {self.path}"] if self.method and self.path else []
        if self.retries and notes:
            notes.append(f"after {self.retries} retries")
        if self.request_id:
            notes.append(f"request id {self.request_id}")
        return f"{text} ({', '.join(notes)})" if notes else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class ScaleInvalidRequest(ScaleException):
    """400: a parameter is missing or invalid (also raised before sending bad arguments)."""

    code = 400


class ScaleUnauthorized(ScaleException):
    """401: the API key is missing or not valid."""

    code = 401


class ScaleNotEnabled(ScaleException):
    """402: the account must contact sales before using this task type or endpoint."""

    code = 402


class ScaleForbidden(ScaleException):
    """403: the key is valid but not allowed to do this (the SDK gives a bare ScaleException)."""

    code = 403


class ScaleResourceNotFound(ScaleException):
    """404: no such task, batch, project or group."""

    code = 404


class ScaleDuplicateResource(ScaleException):
    """409: the ``unique_id``, idempotency key, project name or batch name is taken."""

    code = 409


class ScaleTooManyRequests(ScaleException):
    """429: rate limited. ``retry_after`` holds the server's advice in seconds, if any."""

    code = 429


class ScaleInternalError(ScaleException):
    """500: the server failed. For creates the object may have been stored all the same."""

    code = 500


class ScaleServiceUnavailable(ScaleException):
    """503: the server is overloaded or queueing timed out."""

    code = 503


class ScaleTimeoutError(ScaleException):
    """504: the gateway gave up waiting (a server-side timeout, not a client one)."""

    code = 504


class ScaleTransportError(ScaleException):
    """No usable response: connection refused or reset, TLS failure, or a client-side timeout.

    ``sent`` is False only when the request provably never reached the server (for example,
    the connection was refused), which is what makes a retry of a create safe.
    ``retryable`` is False when another attempt cannot help: a certificate that does not
    verify, a deadline already spent.
    """

    def __init__(
        self, message: str = "", *, sent: bool = True, retryable: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.sent = sent
        self.retryable = retryable


class ScaleInvalidResponse(ScaleException):
    """A 2xx response whose body is not what the endpoint documents (bad JSON, wrong shape)."""


class ScaleClientClosed(ScaleException):
    """The client was closed (perhaps from another thread) while this call was in flight.

    A create cut this way may have reached the server; a bulk job stops and reports the
    inputs it had not attempted.
    """
