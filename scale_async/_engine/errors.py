"""The pure mapping from an HTTP answer to the exception it raises, and a readable message."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from ..exceptions import (
    _MAX_MESSAGE,
    ScaleDuplicateResource,
    ScaleException,
    ScaleForbidden,
    ScaleInternalError,
    ScaleInvalidRequest,
    ScaleNotEnabled,
    ScaleResourceNotFound,
    ScaleServiceUnavailable,
    ScaleTimeoutError,
    ScaleTooManyRequests,
    ScaleUnauthorized,
)
from .html import MAX_EXAMINED, html_text, looks_like_html
from .redact import redact

__all__ = ["STATUS_ERRORS", "error_for_status", "error_message"]


STATUS_ERRORS: Mapping[int, type[ScaleException]] = {
    cls.code: cls
    for cls in (
        ScaleInvalidRequest,
        ScaleUnauthorized,
        ScaleNotEnabled,
        ScaleForbidden,
        ScaleResourceNotFound,
        ScaleDuplicateResource,
        ScaleTooManyRequests,
        ScaleInternalError,
        ScaleServiceUnavailable,
        ScaleTimeoutError,
    )
    if cls.code is not None
}


_SPACE = re.compile(r"\s+")


def error_message(body: bytes, reason: str = "") -> str:
    """Extract a readable message from an error body, whatever its shape.

    JSON bodies give their ``error`` (Scale) or ``detail`` (DRF) field; HTML pages are
    reduced to their text; anything else is shown as text, shortened. Only the first
    ``MAX_EXAMINED`` bytes are looked at, in linear time, so a 50 MB or hostile page costs no
    more than a small one; keys are masked before the cut, so no tail of one survives it.
    """
    text = body[:MAX_EXAMINED].decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text) if text else None
    except (ValueError, RecursionError):
        data = None  # not JSON, cut short, or nested too deep to parse
    if isinstance(data, dict):
        for key in ("error", "detail", "message"):
            if data.get(key):
                value = data[key]
                try:
                    shown = value if isinstance(value, str) else json.dumps(value)
                except (ValueError, RecursionError):
                    shown = type(value).__name__
                return _shorten(redact(shown))
    if looks_like_html(text):
        text = html_text(text)
    text = _SPACE.sub(" ", text).strip()
    return _shorten(redact(text)) or reason


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def error_for_status(
    status: int,
    message: str,
    *,
    method: str | None = None,
    path: str | None = None,
    retry_after: float | None = None,
) -> ScaleException:
    """Build the exception for a non-2xx status; unknown statuses give a plain ScaleException."""
    cls = STATUS_ERRORS.get(status, ScaleException)
    exc = cls(message, status, method=method, path=path)
    exc.retry_after = retry_after
    return exc
