"""``GET /tasks``: filters, newest-first order and keyset paging by ``next_token``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._clock import format_ms, within
from .._errors import bad_request
from .._params import Query, check_allowed, last, many, query_bool, query_int, query_time
from .paging import decode_cursor, encode_cursor
from .state import Account, Task
from .tasktypes import require_task_type

TASK_STATUSES = frozenset({"pending", "completed", "canceled", "error"})
REVIEW_STATUSES = frozenset({"pending", "fixed", "accepted", "rejected", "commented"})
_LIST_PARAMS = (
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
    "offset",
)


def _list_filter(query: Query) -> Callable[[Task], bool]:
    status = last(query, "status")
    if status and status not in TASK_STATUSES:
        raise bad_request(f"Invalid status: {status}")
    type_name = last(query, "type")
    task_type = require_task_type(type_name) if type_name else None
    reviews: set[str] = set()
    for raw in many(query, "customer_review_status"):
        for value in raw.split(","):
            if value.strip() not in REVIEW_STATUSES:
                raise bad_request(f"Invalid customer_review_status: {value}")
            reviews.add(value.strip())
    project, batch = last(query, "project") or None, last(query, "batch") or None
    uids, tags = set(many(query, "unique_id")), set(many(query, "tags"))
    ranges = {
        "created": (query_time(query, "start_time"), query_time(query, "end_time")),
        "completed": (query_time(query, "completed_after"), query_time(query, "completed_before")),
        "updated": (query_time(query, "updated_after"), query_time(query, "updated_before")),
    }

    def keep(task: Task) -> bool:
        return (
            (not status or task.status == status)
            and (task_type is None or task.type == task_type)
            and (project is None or task.project == project)
            and (batch is None or task.batch == batch)
            and (not reviews or task.review_status in reviews)
            and (not uids or task.unique_id in uids)
            and (not tags or bool(tags.intersection(task.tags or ())))
            and within(task.created_ms, *ranges["created"])
            and within(task.completed_ms, *ranges["completed"])
            and within(task.updated_ms, *ranges["updated"])
        )

    return keep


def list_tasks(account: Account, query: Query) -> dict[str, Any]:
    """``GET /tasks``: newest first, filtered, keyset-paged by ``next_token``."""
    check_allowed(query, _LIST_PARAMS, "ScaleClient.tasks()")
    limit = query_int(query, "limit", default=100, low=1, high=100)
    offset = query_int(query, "offset", default=0, low=0, high=None)
    limited = query_bool(query, "limited_response")
    query_bool(query, "include_attachment_url")
    keep = _list_filter(query)
    matches = [t for t in reversed(account.tasks.values()) if keep(t)]
    total = len(matches)
    token = last(query, "next_token")
    if token:
        cursor = decode_cursor(token)
        matches = [t for t in matches if (t.created_ms, t.task_id) < cursor]
    else:
        matches = matches[offset:]
    page = matches[:limit]
    has_more = len(matches) > limit
    next_token = None
    if has_more:
        tail = page[-1]
        next_token = encode_cursor(tail.task_id, format_ms(tail.created_ms))
    docs = [_limited(t) if limited else t.to_json() for t in page]
    return {
        "docs": docs,
        "total": total,
        "offset": 0 if token else offset,
        "limit": limit,
        "has_more": has_more,
        "next_token": next_token,
    }


def _limited(task: Task) -> dict[str, Any]:
    full = task.to_json()
    return {k: full[k] for k in ("task_id", "status", "metadata", "project") if k in full}
