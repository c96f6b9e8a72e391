"""Argument checks that run before any request, so bad input never costs a round trip."""

from __future__ import annotations

from typing import Any

__all__ = ["require_int", "require_text"]


def require_text(name: str, value: Any) -> str:
    """Refuse an empty or non-string identifier before any request is made."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def require_int(name: str, value: Any, *, low: int = 1, high: int | None = None) -> int:
    """Refuse anything but an integer from ``low`` to ``high`` (``True`` is no integer here)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be {_integers(low, high)}, got {value!r}")
    if high is not None and not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, got {value}")
    if value < low:
        raise ValueError(f"{name} must be {_integers(low, high)}, got {value!r}")
    return value


def _integers(low: int, high: int | None) -> str:
    if high is not None:
        return f"an integer from {low} to {high}"
    if low == 1:
        return "a positive integer"
    if low == 0:
        return "a non-negative integer"
    return f"an integer of at least {low}"
