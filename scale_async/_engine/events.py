"""What a client tells about its requests: log lines on the ``scale_async`` logger, the server's
request id, and a per-attempt callback for metrics.

The requester calls in here from one place per attempt, so a change of HTTP machinery keeps
the same observability. Nothing here sees the API key: the messages it logs are the
requester's, already redacted.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING

import attrs

from ..exceptions import ScaleException

if TYPE_CHECKING:
    from tenacity import RetryCallState  # tenacity loads with the first retry, not at import

__all__ = [
    "REQUEST_ID_HEADERS",
    "OnRequest",
    "RequestEvent",
    "emit",
    "last_request_id",
    "log_retry",
    "request_id",
    "setup_logging",
]

logger = logging.getLogger("scale_async")

#: Response headers that may carry the server's id for a request, first match wins. Neither
#: Scale's v1 docs nor the official SDK name one; ``x-request-id`` is the common spelling
#: (and what the fake sends).
REQUEST_ID_HEADERS = ("x-request-id", "request-id")


#: The request id of the last response the current task received: a body that turns out
#: malformed after the requester returned it is still reported with its request's id.
last_request_id: ContextVar[str | None] = ContextVar("scale_async_last_request_id", default=None)


@attrs.frozen
class RequestEvent:
    """One attempt at one request, as ``on_request`` callbacks see it.

    ``status`` is None when no response arrived (``error`` then names the transport failure);
    ``attempt`` counts from 1, retries included; ``elapsed`` is this attempt's seconds.
    """

    method: str
    path: str
    status: int | None
    attempt: int
    elapsed: float
    request_id: str | None = None
    error: str | None = None


#: The ``on_request=`` callback: called on the event loop after every attempt; keep it quick.
OnRequest = Callable[[RequestEvent], None]


def request_id(headers: Mapping[str, str]) -> str | None:
    """The server's id for this request, from lower-cased response headers."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


def emit(hook: OnRequest | None, event: RequestEvent) -> None:
    """Hand ``event`` to the user's callback; a failing callback is logged, never raised.

    A metrics callback must not turn a successful call into a failed one.
    """
    if hook is None:
        return
    try:
        hook(event)
    except Exception:
        logger.warning(
            "on_request callback failed for %s %s", event.method, event.path, exc_info=True
        )


def log_retry(method: str, path: str, max_retries: int) -> Callable[[RetryCallState], None]:
    """A tenacity ``before_sleep`` that logs each retry at INFO, with its reason and wait."""

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, ScaleException) and exc.code is not None:
            reason = str(exc.code)
        elif isinstance(exc, ScaleException):
            reason = exc.message.split(":", 1)[0]
        else:
            reason = type(exc).__name__
        logger.info(
            "%s %s %s, retrying in %.1f s (attempt %d of %d)",
            method,
            path,
            reason,
            state.upcoming_sleep,
            state.attempt_number + 1,
            max_retries + 1,
        )

    return before_sleep


_configured = False


def setup_logging(environ: Mapping[str, str] = os.environ) -> None:
    """``SCALE_LOG=debug`` or ``info`` sends the ``scale_async`` log to stderr, as ``OPENAI_LOG``.

    Done once per process, when the first client is made; without the variable nothing is
    configured, so an application's own logging setup decides.
    """
    global _configured
    if _configured:
        return
    level = {"debug": logging.DEBUG, "info": logging.INFO}.get(
        environ.get("SCALE_LOG", "").strip().lower()
    )
    if level is None:
        return
    _configured = True
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("[%(asctime)s - %(name)s - %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
