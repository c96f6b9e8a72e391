"""Pure facts and helpers of the v1 wire format, as the official SDK sends it: the base URL,
the filters each listing accepts and the ``/tasks`` filter mapping.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from .._engine.wire import wire_value

__all__ = ["BATCHES_QUERY_KEYS", "DEFAULT_BASE_URL", "TASKS_QUERY_KEYS", "tasks_query"]


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
        "detailed",
    }
)


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
