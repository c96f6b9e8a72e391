"""``GET /tasks``: filters, newest-first order and keyset paging by ``next_token``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from .._clock import format_ms, within
from .._errors import bad_request
from .._keyset import take
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


class _Plan(NamedTuple):
    """A ``GET /tasks`` query read: what the index answers and what is left to test."""

    project: str | None
    batch: str | None
    created: tuple[int | None, int | None]
    #: The filters the index does not answer; None when there are none.
    wanted: Callable[[Task], bool] | None


def _plan(query: Query) -> _Plan:
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
    created = (query_time(query, "start_time"), query_time(query, "end_time"))
    completed = (query_time(query, "completed_after"), query_time(query, "completed_before"))
    updated = (query_time(query, "updated_after"), query_time(query, "updated_before"))
    # The batch's list answers the batch; the project is then one more test.
    of_project = project if batch is not None else None
    tests: list[Callable[[Task], bool]] = []
    if status:
        tests.append(lambda task: task.status == status)
    if task_type is not None:
        tests.append(lambda task: task.type == task_type)
    if of_project is not None:
        tests.append(lambda task: task.project == of_project)
    if reviews:
        tests.append(lambda task: task.review_status in reviews)
    if uids:
        tests.append(lambda task: task.unique_id in uids)
    if tags:
        tests.append(lambda task: bool(tags.intersection(task.tags or ())))
    if completed != (None, None):
        tests.append(lambda task: within(task.completed_ms, *completed))
    if updated != (None, None):
        tests.append(lambda task: within(task.updated_ms, *updated))

    def wanted(task: Task) -> bool:
        return all(test(task) for test in tests)

    return _Plan(project, batch, created, wanted if tests else None)


def list_tasks(account: Account, query: Query) -> dict[str, Any]:
    """``GET /tasks``: newest first, filtered, keyset-paged by ``next_token``.

    The project's (or batch's) tasks in creation order, bisected on the ``created_at`` range
    and the cursor, walked backwards until the page is full: a page costs what it walks. The
    ``total`` is the range's length when no other filter is set, else a count over the range.
    """
    check_allowed(query, _LIST_PARAMS, "ScaleClient.tasks()")
    limit = query_int(query, "limit", default=100, low=1, high=100)
    offset = query_int(query, "offset", default=0, low=0, high=None)
    limited = query_bool(query, "limited_response")
    query_bool(query, "include_attachment_url")
    plan = _plan(query)
    index = account.listing.narrowest(plan.project, plan.batch)
    tasks = index.items
    low, high = plan.created
    # Keys are (created_ms, task_id): ("",) sorts before every id of the same millisecond.
    window = index.span(
        None if low is None else (low, ""), None if high is None else (high + 1, "")
    )
    wanted = plan.wanted
    total = len(window) if wanted is None else sum(1 for i in window if wanted(tasks[i]))
    token = last(query, "next_token")
    if token:
        cursor = decode_cursor(token)
        stop = min(window.stop, max(window.start, index.span(None, tuple(cursor)).stop))
        walk = range(stop - 1, window.start - 1, -1)
        page, has_more = take(tasks, walk, limit, wanted)
    else:
        page, has_more = take(tasks, reversed(window), limit, wanted, skip=offset)
    next_token = None
    if has_more:
        tail = page[-1]
        next_token = encode_cursor(tail.task_id, format_ms(tail.created_ms))
    # Encoded as soon as it is returned: the page need not copy what the store holds.
    docs = [_limited(t) if limited else t.to_json(copy_values=False) for t in page]
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
