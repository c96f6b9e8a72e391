"""Pure helpers for the v2 wire format: where it lives, and query values as the SDK sends them.

The SDK's v2 client talks to ``https://api.scale.com`` with paths under ``/v2``, whatever
``api_instance_url`` the v1 client got. Ours derives the host from the v1 base URL instead
(``http://host/v1`` -> ``http://host``), so a client pointed at a fake or a proxy sends its v2
calls there too; with the default URL both agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from .._engine.checks import require_int
from .._engine.partitions import Window

__all__ = [
    "COMPLETED",
    "CREATED",
    "DATETIME_FORMAT",
    "DELIVERED",
    "arguments",
    "v2_host",
    "v2_query",
    "v2_time",
    "window_bounds",
]

#: The time filters of the listings, as (after, before) pairs.
COMPLETED = ("completed_after", "completed_before")
CREATED = ("created_after", "created_before")
DELIVERED = ("delivered_after", "delivered_before")

#: The SDK's ``Configuration.datetime_format`` for datetimes in a query.
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f%z"


def v2_host(v1_base_url: str) -> str:
    """The v2 API's root for a v1 base URL: the same URL without its ``/v1``."""
    url = v1_base_url.rstrip("/")
    return url[: -len("/v1")] if url.endswith("/v1") else url


def arguments(local_vars: Mapping[str, Any], *leave_out: str) -> dict[str, Any]:
    """A method's arguments from its ``locals()``, without ``self`` and ``leave_out``: the
    filters an operation passes on as they came."""
    return {k: v for k, v in local_vars.items() if k != "self" and k not in leave_out}


def v2_time(name: str, value: Any) -> str | None:
    """A time filter as the SDK sends it: a datetime in its format, a string as given."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    raise TypeError(f"{name} must be a datetime or an ISO-8601 string, got {value!r}")


def _enum_values(name: str, value: Any, allowed: type[Enum] | None) -> Any:
    items = [value] if isinstance(value, str | Enum) else list(value)
    out = []
    for item in items:
        text = item.value if isinstance(item, Enum) else item
        if not isinstance(text, str):
            raise TypeError(f"{name} must name values as strings or enums, got {item!r}")
        if allowed is not None and text not in {m.value for m in allowed}:
            choices = ", ".join(m.value for m in allowed)
            raise ValueError(f"{name} value {text!r} is not one of {choices}")
        out.append(text)
    return out


def v2_query(
    params: Mapping[str, Any],
    *,
    times: Iterable[str] = (),
    lists: Mapping[str, type[Enum]] | None = None,
    enums: Mapping[str, type[Enum]] | None = None,
) -> dict[str, Any]:
    """The query of a v2 read, checked before any request, with None values left out.

    ``times`` are datetime filters, ``lists`` repeated enum parameters (``expand``, ``opts``)
    and ``enums`` single ones (``status``); the rest must be strings, except ``limit``
    (1-100).
    """
    lists = lists or {}
    enums = enums or {}
    time_names = set(times)
    query: dict[str, Any] = {}
    for name, value in params.items():
        if value is None:
            continue
        if name in time_names:
            query[name] = v2_time(name, value)
        elif name in lists:
            query[name] = _enum_values(name, value, lists[name])
        elif name in enums:
            query[name] = _enum_values(name, value, enums[name])[0]
        elif name == "limit":
            query[name] = require_int("limit", value, high=100)
        elif isinstance(value, str) and value:
            query[name] = value
        else:
            raise TypeError(f"{name} must be a non-empty string, got {value!r}")
    return query


def window_bounds(window: Window, after: str, before: str) -> dict[str, str]:
    """A partition window as the ``after``/``before`` filters of a v2 listing.

    The window's own query already widens it by a millisecond each side (the API does not
    say whether its bounds are inclusive); only the names differ from v1's.
    """
    names = {"start_time": after, "end_time": before}
    return {names[key]: value for key, value in window.query().items()}
