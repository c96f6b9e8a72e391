"""Reading the fake's v2 query strings as the API would: ids, times, enums, limits."""

from __future__ import annotations

from collections.abc import Iterable

from .._clock import parse_iso, within
from .._errors import ApiError
from .._params import Query, last, many
from .paging import DEFAULT_LIMIT, MAX_LIMIT

TASK_STATUSES = ("pending", "completed", "canceled", "error", "deleted")
BATCH_STATUSES = ("staging", "in_progress", "completed", "paused", "cancelled")

#: Whether a stamp passes ``*_after``/``*_before`` (inclusive; an absent stamp fails a bound).
between = within


def text(query: Query, name: str) -> str | None:
    """A string parameter, or None."""
    value = last(query, name)
    return value if value else None


def required(query: Query, name: str) -> str:
    """A parameter the operation cannot do without."""
    value = text(query, name)
    if value is None:
        raise ApiError(400, f"{name} is required")
    return value


def moment(query: Query, name: str) -> int | None:
    """A date-time filter in epoch milliseconds."""
    value = text(query, name)
    if value is None:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        raise ApiError(400, f"{name} must be an ISO 8601 date-time, got {value!r}") from None


def limit(query: Query) -> int:
    """The page size, 1 to 100."""
    value = text(query, "limit")
    if value is None:
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise ApiError(400, f"limit must be an integer from 1 to {MAX_LIMIT}, got {value!r}")
    return int(value)


def choice(query: Query, name: str, allowed: Iterable[str]) -> str | None:
    """An enum parameter."""
    value = text(query, name)
    allowed = tuple(allowed)
    if value is not None and value not in allowed:
        raise ApiError(400, f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def expand(query: Query, allowed: Iterable[str]) -> set[str]:
    """The ``expand`` list (repeated parameter), each value checked."""
    allowed = tuple(allowed)
    values = set(many(query, "expand"))
    for value in values:
        if value not in allowed:
            raise ApiError(400, f"expand must name {', '.join(allowed)}, got {value!r}")
    return values
