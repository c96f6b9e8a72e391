"""Pure helpers that turn Python arguments into Scale's wire format, as the official SDK does.

No I/O here: URL pieces, query strings, the User-Agent and the ``/tasks`` filter mapping.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any
from urllib.parse import quote, urlsplit

from ._errors import ScaleInvalidRequest
from ._version import __version__

DEFAULT_BASE_URL = "https://api.scale.com/v1"

#: The filters ``GET /tasks`` accepts; the SDK refuses anything else before sending.
TASKS_QUERY_KEYS = frozenset(
    {
        "start_time",
        "end_time",
        "status",
        "type",
        "project",
        "batch",
        "limit",
        "completed_before",
        "completed_after",
        "next_token",
        "customer_review_status",
        "tags",
        "updated_before",
        "updated_after",
        "unique_id",
        "include_attachment_url",
        "limited_response",
    }
)

#: The filters ``GET /batches`` accepts: the SDK's set plus the documented date filters.
BATCHES_QUERY_KEYS = frozenset(
    {
        "start_time",
        "end_time",
        "exclude_archived",
        "status",
        "project",
        "limit",
        "offset",
        "completed_after",
        "completed_before",
        "audited_after",
        "audited_before",
    }
)


def segment(value: str) -> str:
    """Quote one path segment: names may hold ``/`` or spaces (``a b/c`` -> ``a%20b%2Fc``)."""
    return quote(str(value), safe="")


def normalise_base_url(url: str, name: str = "api_instance_url") -> str:
    """Check and normalise a base URL such as ``https://api.scale.com/v1``.

    ``name`` is the argument the URL came from, for the error message.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an http(s) URL, got {url!r}")
    return url.rstrip("/")


def user_agent(source: str | None = None) -> str:
    """``scale-async/<v> Python/<v> OS/<platform> [source]``, the SDK's format under our name."""
    agent = f"scale-async/{__version__} Python/{platform.python_version()} OS/{platform.platform()}"
    return f"{agent} {source}" if source else agent


def wire_value(value: Any) -> str:
    """One query value as the SDK's ``requests`` sends it (``True``, enum values, str)."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def encode_query(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Encode a query: None is dropped, a list or tuple repeats its key, bools read ``True``."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            pairs.extend((key, wire_value(item)) for item in value)
        else:
            pairs.append((key, wire_value(value)))
    return pairs


def check_query_keys(method_name: str, params: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse unknown filters before sending, with the SDK's exception and wording."""
    allowed_set = frozenset(allowed)
    for key in params:
        if key not in allowed_set:
            raise ScaleInvalidRequest(f"Illegal parameter {key} for ScaleClient.{method_name}()")


def _joined(value: Any) -> str | None:
    """One value or a list of them, comma-joined (``customer_review_status=accepted,fixed``)."""
    if value is None:
        return None
    if isinstance(value, str | Enum):
        return wire_value(value)
    return ",".join(wire_value(item) for item in value)


def tasks_query(
    *,
    project_name: str | None = None,
    batch_name: str | None = None,
    task_type: Any = None,
    status: Any = None,
    review_status: Any = None,
    unique_id: Any = None,
    completed_after: str | None = None,
    completed_before: str | None = None,
    updated_after: str | None = None,
    updated_before: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    tags: Any = None,
    include_attachment_url: bool = True,
    limited_response: bool | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Map ``get_tasks`` arguments to ``/tasks`` filters exactly as the SDK does.

    ``created_after``/``created_before`` travel as ``start_time``/``end_time``, review
    statuses are comma-joined, ``include_attachment_url`` is always sent and
    ``limited_response`` only when true.
    """
    if limit is not None and not 1 <= limit <= 100:
        raise ValueError(f"limit must be between 1 and 100, got {limit}")
    query: dict[str, Any] = {
        "project": project_name,
        "batch": batch_name,
        "type": task_type,
        "status": status,
        "customer_review_status": _joined(review_status),
        "unique_id": unique_id,
        "completed_after": completed_after,
        "completed_before": completed_before,
        "updated_after": updated_after,
        "updated_before": updated_before,
        "start_time": created_after,
        "end_time": created_before,
        "tags": [tags] if isinstance(tags, str) else tags,
        "include_attachment_url": include_attachment_url,
        "limit": limit,
    }
    if limited_response:
        query["limited_response"] = True
    return {key: value for key, value in query.items() if value is not None}
