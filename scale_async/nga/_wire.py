"""Pure helpers for NGA Scale's wire format: ISO-8601 date-times and durations, list filters.

NGA's Scale is a Django REST framework service. It writes durations as ISO-8601 strings
(``PT9M2S``), accepts a date-time *or* a duration (meaning "that long ago") for the
``started``/``ended`` filters, reads booleans as ``true``/``false`` and repeats a key for
several values. No I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from .._engine.checks import require_int
from .._engine.times import parse_datetime
from ..exceptions import ScaleInvalidRequest

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "LIST_FILTERS",
    "MAX_PAGE_SIZE",
    "check_id",
    "format_datetime",
    "format_duration",
    "list_query",
    "parse_datetime",
    "parse_duration",
]

#: DRF's page size when the request names none, and the largest it honours.
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

#: The filters ``GET /v6/batches/`` reads.
LIST_FILTERS = frozenset(
    {
        "started",
        "ended",
        "recipe_type_id",
        "is_creation_done",
        "is_superseded",
        "root_batch_id",
        "order",
        "page",
        "page_size",
    }
)

_NUMBER = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"(?P<sign>[-+])?P(?!$)(?:(?P<weeks>{_NUMBER})W)?(?:(?P<days>{_NUMBER})D)?"
    rf"(?:T(?=\d)(?:(?P<hours>{_NUMBER})H)?(?:(?P<minutes>{_NUMBER})M)?(?:(?P<seconds>{_NUMBER})S)?)?"
)
_CALENDAR = re.compile(r"[-+]?P[^T]*[YM].*")
_ORDER_FIELD = re.compile(r"-?[A-Za-z_][A-Za-z0-9_]*")


def parse_duration(text: str) -> timedelta:
    """An ISO-8601 duration (``PT9M2S``, ``P1DT2H``, Django's ``P0DT00H09M02S``) as a timedelta.

    Weeks, days, hours, minutes and seconds are accepted, with fractions and a sign. Years
    and months are refused: they have no fixed length, so no timedelta can hold them.
    """
    if not isinstance(text, str):
        raise ValueError(f"an ISO-8601 duration must be a string, got {text!r}")
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        if _CALENDAR.fullmatch(text.strip()):
            raise ValueError(f"years and months have no fixed length: {text!r}")
        raise ValueError(f"not an ISO-8601 duration: {text!r}")
    parts = {
        unit: Decimal(value.replace(",", "."))
        for unit, value in match.groupdict().items()
        if unit != "sign" and value is not None
    }
    micros = (
        parts.get("weeks", Decimal(0)) * 604_800_000_000
        + parts.get("days", Decimal(0)) * 86_400_000_000
        + parts.get("hours", Decimal(0)) * 3_600_000_000
        + parts.get("minutes", Decimal(0)) * 60_000_000
        + parts.get("seconds", Decimal(0)) * 1_000_000
    )
    duration = timedelta(microseconds=int(micros.to_integral_value()))
    return -duration if match.group("sign") == "-" else duration


def format_duration(value: timedelta) -> str:
    """A timedelta as the shortest ISO-8601 duration: ``PT3H``, ``P1DT0.5S``, ``PT0S``."""
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}P{value.days}D" if value.days else f"{sign}P"
    clock = ""
    if hours:
        clock += f"{hours}H"
    if minutes:
        clock += f"{minutes}M"
    if seconds or value.microseconds:
        fraction = f".{value.microseconds:06d}".rstrip("0") if value.microseconds else ""
        clock += f"{seconds}{fraction}S"
    if clock:
        return f"{text}T{clock}"
    return text if value.days else f"{sign}PT0S"


def format_datetime(value: datetime) -> str:
    """A datetime in UTC with ``Z``, as DRF writes them; a naive one is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    fraction = f".{value.microsecond:06d}" if value.microsecond else ""
    return value.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def check_id(name: str, value: Any) -> int:
    """Refuse an id that is not a positive integer before any request is made."""
    return require_int(name, value)


def _time_filter(name: str, value: Any) -> str:
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise ValueError(f"{name} as a duration means 'that long ago'; got {value}")
        return format_duration(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError(f"{name} must be a datetime, a timedelta or an ISO-8601 string, got {value!r}")


def _many(value: Any) -> list[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _ids_filter(name: str, value: Any) -> list[str]:
    ids = _many(value)
    if not ids:
        raise ValueError(f"{name} must name at least one id")
    return [str(check_id(name, item)) for item in ids]


def _bool_filter(name: str, value: Any) -> str:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return "true" if value else "false"


def _order_filter(value: Any) -> list[str]:
    fields = _many(value)
    for field in fields:
        if not isinstance(field, str) or not _ORDER_FIELD.fullmatch(field):
            raise ValueError(f"order takes field names, '-' first to sort down; got {field!r}")
    if not fields:
        raise ValueError("order must name at least one field")
    return fields


def _page_filter(name: str, value: Any, high: int | None) -> str:
    return str(require_int(name, value, high=high))


def list_query(
    method: str, filters: Mapping[str, Any], allowed: Iterable[str] = LIST_FILTERS
) -> dict[str, str | list[str]]:
    """Check and encode the filters of ``GET /v6/batches/``; None means "not given".

    An unknown name is ``ScaleInvalidRequest`` (as the Scale AI client's filters); a known
    name with an unusable value is ``ValueError``. Both happen before any request.
    """
    known = frozenset(allowed)
    for name in filters:
        if name not in known:
            raise ScaleInvalidRequest(
                f"Illegal parameter {name} for NGAScaleClient.{method}(); "
                f"the filters are {', '.join(sorted(known))}"
            )
    query: dict[str, str | list[str]] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if name in ("started", "ended"):
            query[name] = _time_filter(name, value)
        elif name in ("recipe_type_id", "root_batch_id"):
            query[name] = _ids_filter(name, value)
        elif name in ("is_creation_done", "is_superseded"):
            query[name] = _bool_filter(name, value)
        elif name == "order":
            query[name] = _order_filter(value)
        else:
            query[name] = _page_filter(name, value, MAX_PAGE_SIZE if name == "page_size" else None)
    return query
