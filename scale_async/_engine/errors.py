"""The pure mapping from an HTTP answer to the exception it raises, and a readable message."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import unescape

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


_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)


_SPACE = re.compile(r"\s+")


def error_message(body: bytes, reason: str = "") -> str:
    """Extract a readable message from an error body, whatever its shape.

    JSON bodies give their ``error`` (Scale) or ``detail`` (DRF) field; HTML pages are
    reduced to their text; anything else is shown as text, shortened.
    """
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("error", "detail", "message"):
            if data.get(key):
                value = data[key]
                return _shorten(value if isinstance(value, str) else json.dumps(value))
    if text.startswith("<") or "<html" in text[:200].lower():
        text = unescape(_TAG.sub(" ", text))
    text = _SPACE.sub(" ", text).strip()
    return _shorten(text) or reason


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
