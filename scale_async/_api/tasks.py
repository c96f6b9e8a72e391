"""The task endpoints (``/task``, ``/tasks``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timezone
from functools import partial
from typing import Any

from .._engine.checks import require_int, require_text
from .._engine.cursors import CursorTrail
from .._engine.pagination import AsyncPageIterator, Partitioned, keyset_cursor
from .._engine.partitions import Window, parse_time, split
from .._engine.requester import Call
from .._engine.serde import structure_list, structurer
from .._engine.wire import check_query_keys, segment
from ..exceptions import ScaleDuplicateResource, ScaleInvalidResponse
from ..tasks import (
    Task,
    Tasklist,
    TaskReviewStatus,
    TaskReviewStatusValue,
    TaskStatus,
    TaskStatusValue,
    TaskType,
    TaskTypeValue,
)
from .base import ClientCore
from .wire import TASKS_QUERY_KEYS, tasks_query

__all__ = ["TasksAPI", "require_tags"]

#: The SDK's words when neither a project nor a batch is given; scripts match on them.
PROJECT_OR_BATCH = "At least one of project_name or batch_name must be provided."

_PAGE_KEYS = ("docs", "total", "limit", "offset", "has_more")


def _created_at(doc: Any) -> str | None:
    """A listed task's ``created_at`` as the server sent it (None if it is not text)."""
    created = doc.get("created_at") if type(doc) is dict else None
    return created if type(created) is str else None


def check_task_page(data: Any) -> None:
    """Refuse a ``GET /tasks`` answer that is not a page, before anything reads it.

    A ``docs`` that is not an array, a count that is not a count (``"many"``, ``Infinity``,
    ``true``) or a ``has_more`` that is not a boolean would otherwise surface as a bare
    ``TypeError``/``OverflowError`` far from the request.
    """

    def refuse(why: str) -> ScaleInvalidResponse:
        return ScaleInvalidResponse(f"task page {why}", method="GET", path="tasks")

    if not isinstance(data, dict) or any(key not in data for key in _PAGE_KEYS):
        raise refuse(f"lacks one of {', '.join(_PAGE_KEYS)}")
    if not isinstance(data["docs"], list):
        raise refuse(f"has docs of type {type(data['docs']).__name__}, not an array")
    for key in ("total", "limit", "offset"):
        value = data[key]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise refuse(f"has a {key} that is not a whole number: {value!r}")
        if value is not None and value < 0:
            raise refuse(f"has a negative {key}: {value!r}")
    if not isinstance(data["has_more"], bool):
        raise refuse(f"has a has_more that is not a boolean: {data['has_more']!r}")
    token = data.get("next_token")
    if token is not None and not isinstance(token, str):
        raise refuse(f"has a next_token that is not a string: {token!r}")
    if data["has_more"] and not token:
        raise refuse("says has_more but carries no next_token")


def require_tags(tags: Any) -> list[str]:
    """Refuse anything but a list of strings as tags, before any request."""
    if isinstance(tags, str) or not all(isinstance(t, str) for t in tags):
        raise ValueError(f"tags must be a list of strings, got {tags!r}")
    return list(tags)


class TasksAPI(ClientCore):
    """Create, fetch, list and change tasks."""

    async def _task(self, call: Call) -> Task:
        return await self._one(call, Task)

    async def create_task(self, task_type: TaskType | str, **kwargs: Any) -> Task:
        """Create a task of ``task_type``; ``kwargs`` are the task's parameters as Scale documents.

        A create that carries ``unique_id`` is retried on any transient failure, and a 409
        after an ambiguous attempt (a 5xx, a timeout, a dropped connection) returns the task
        that attempt created. Without ``unique_id`` it is retried only when the server
        provably did not act (connection refused, 429), so it is never duplicated.
        """
        kind = TaskType(task_type).value if isinstance(task_type, TaskType) else task_type
        require_text("task_type", kind)
        unique_id = kwargs.get("unique_id")
        recover = None
        if unique_id:

            async def recover() -> Any:
                return await self._find_by_unique_id(str(unique_id))

        return await self._task(
            Call(
                method="POST",
                path=f"task/{segment(kind)}",
                body=kwargs,
                headers={"Idempotency-Key": str(uuid.uuid4())},
                replay_safe=bool(unique_id),
                recover=recover,
            )
        )

    async def _find_by_unique_id(self, unique_id: str) -> Any:
        page = await self.tasks(unique_id=unique_id, limit=1)
        if not page:
            raise ScaleDuplicateResource(
                f"unique_id {unique_id!r} is taken but no task carries it",
                method="GET",
                path="tasks",
            )
        return page[0]._raw

    async def get_task(self, task_id: str) -> Task:
        """Fetch one task by id."""
        require_text("task_id", task_id)
        return await self._task(Call(method="GET", path=f"task/{segment(task_id)}"))

    async def cancel_task(self, task_id: str, clear_unique_id: bool = False) -> Task:
        """Cancel a pending task; ``clear_unique_id`` also frees its ``unique_id`` for reuse.

        Scale refuses (400) to cancel a task that is already completed.
        """
        require_text("task_id", task_id)
        return await self._task(
            Call(
                method="POST",
                path=f"task/{segment(task_id)}/cancel",
                params={"clear_unique_id": "true"} if clear_unique_id else None,
            )
        )

    async def audit_task(self, task_id: str, accepted: bool, comments: str | None = None) -> None:
        """Accept or reject a completed task, with optional comments."""
        require_text("task_id", task_id)
        if not isinstance(accepted, bool):
            raise ValueError(f"accepted must be a bool, got {accepted!r}")
        await self._call(
            Call(
                method="POST",
                path=f"task/{segment(task_id)}/audit",
                body={"accepted": accepted, "comments": comments},
                replay_safe=False,
                allow_text=True,
            )
        )

    async def update_task_unique_id(self, task_id: str, unique_id: str) -> Task:
        """Set a task's ``unique_id`` (409 if another task holds it)."""
        require_text("task_id", task_id)
        require_text("unique_id", unique_id)
        return await self._task(
            Call(
                method="POST",
                path=f"task/{segment(task_id)}/unique_id",
                body={"unique_id": unique_id},
            )
        )

    async def clear_task_unique_id(self, task_id: str) -> Task:
        """Remove a task's ``unique_id``."""
        require_text("task_id", task_id)
        return await self._task(Call(method="DELETE", path=f"task/{segment(task_id)}/unique_id"))

    async def set_task_metadata(self, task_id: str, metadata: dict[str, Any]) -> Task:
        """Replace a task's metadata with ``metadata``."""
        require_text("task_id", task_id)
        if not isinstance(metadata, dict):
            raise ValueError(f"metadata must be a dict, got {metadata!r}")
        return await self._task(
            Call(method="POST", path=f"task/{segment(task_id)}/setMetadata", body=metadata)
        )

    async def set_task_tags(self, task_id: str, tags: list[str]) -> Task:
        """Replace a task's tags."""
        return await self._tags("POST", task_id, tags)

    async def add_task_tags(self, task_id: str, tags: list[str]) -> Task:
        """Add tags to a task; tags it already has are ignored."""
        return await self._tags("PUT", task_id, tags)

    async def delete_task_tags(self, task_id: str, tags: list[str]) -> Task:
        """Remove tags from a task; tags it does not have are ignored."""
        return await self._tags("DELETE", task_id, tags)

    async def _tags(self, method: str, task_id: str, tags: list[str]) -> Task:
        require_text("task_id", task_id)
        body = require_tags(tags)
        return await self._task(
            Call(method=method, path=f"task/{segment(task_id)}/tags", body=body)
        )

    async def tasks(self, **kwargs: Any) -> Tasklist:
        """One page of ``GET /tasks`` with the given filters, as the SDK's ``tasks()``.

        Filters: ``start_time``, ``end_time``, ``status``, ``type``, ``project``, ``batch``,
        ``limit`` (1-100), ``completed_before``, ``completed_after``, ``next_token``,
        ``customer_review_status``, ``tags``, ``updated_before``, ``updated_after``,
        ``unique_id``, ``include_attachment_url``, ``limited_response``. Any other name raises
        ``ScaleInvalidRequest`` before a request is sent.
        """
        data = await self._task_page(kwargs)
        docs = structure_list(data["docs"], Task, client=self, method="GET", path="tasks")
        return Tasklist(
            docs,
            data["total"],
            data["limit"],
            data["offset"],
            data["has_more"],
            data.get("next_token"),
        )

    async def _task_page(self, query: dict[str, Any]) -> dict[str, Any]:
        """One ``GET /tasks`` page as JSON, its shape checked (not its tasks)."""
        check_query_keys("tasks", query, TASKS_QUERY_KEYS)
        data = await self._call(Call(method="GET", path="tasks", params=query))
        check_task_page(data)
        return data  # type: ignore[no-any-return]

    def get_tasks(
        self,
        project_name: str | None = None,
        batch_name: str | None = None,
        task_type: TaskType | TaskTypeValue | None = None,
        status: TaskStatus | TaskStatusValue | None = None,
        review_status: TaskReviewStatus
        | TaskReviewStatusValue
        | Sequence[TaskReviewStatus | TaskReviewStatusValue]
        | None = None,
        unique_id: str | list[str] | None = None,
        completed_after: str | None = None,
        completed_before: str | None = None,
        updated_after: str | None = None,
        updated_before: str | None = None,
        created_after: str | None = None,
        created_before: str | None = None,
        tags: str | list[str] | None = None,
        include_attachment_url: bool = True,
        limited_response: bool | None = None,
        limit: int | None = None,
        *,
        prefetch: int = 2,
        partitions: int = 1,
    ) -> AsyncPageIterator[Task]:
        """Every task matching the filters: ``async for task in ...``.

        ``project_name`` or ``batch_name`` is required (``ValueError`` otherwise, before any
        request). ``limit`` is the page size (1-100). Dates are ISO-8601 strings;
        ``created_after``/``created_before`` bound ``created_at``.

        Up to ``prefetch`` pages are fetched while the caller works on the current one.
        ``partitions`` splits the ``created_at`` range (the filters' bounds, else from the
        batch's or project's creation to now) into that many windows walked at once: each
        task still comes exactly once, newest first within its window. Inside a block each
        window is its own cursor, pages come as they arrive, and a window whose walk ends
        takes over part of a busy one (a smaller window, also newest first).

        From async code, prefetching needs a block whose end cancels the fetching:
        ``async with client.get_tasks(...) as tasks: async for task in tasks``.
        """
        # The filters are exactly tasks_query's parameters; pass them on as they came.
        filters = {k: v for k, v in locals().items() if k not in ("self", "prefetch", "partitions")}
        if not project_name and not batch_name:
            raise ValueError(PROJECT_OR_BATCH)
        require_int("partitions", partitions)
        if partitions > 1 and limited_response:
            raise ValueError("partitions need created_at, which limited_response leaves out")
        query = tasks_query(**filters)

        trail = CursorTrail("next_token", method="GET", path="tasks")

        async def fetch(window: Window, token: str | None) -> tuple[list[Any], str | None]:
            # The tasks are built as the caller reaches them (``finish``), not with the page:
            # pages fetched ahead hold only their JSON.
            data = await self._task_page({**query, **window.query(), "next_token": token})
            cursor = keyset_cursor(data)
            if cursor is not None:
                trail.follow((window, cursor), shown=cursor)
            return data["docs"], cursor

        finish = structurer(Task, client=self, method="GET", path="tasks")
        if partitions == 1:
            whole = Window(None, None)
            return AsyncPageIterator(partial(fetch, whole), prefetch=prefetch, finish=finish)

        async def windows() -> list[Window]:
            start = created_after or await self._listing_start(project_name, batch_name)
            if start is None:
                return [Window(None, None)]
            end = parse_time(created_before) if created_before else datetime.now(timezone.utc)
            return split(parse_time(start), end, partitions)

        # GET /tasks lists newest first, so a busy window's rest can be split among walks.
        walk = Partitioned(fetch, windows, _created_at, newest_first=True)
        return AsyncPageIterator(walk, prefetch=prefetch, finish=finish)

    async def _listing_start(self, project_name: str | None, batch_name: str | None) -> str | None:
        """When the tasks of a batch (or else a project) can start: its own creation."""
        if batch_name:
            batch = await self._call(Call(method="GET", path=f"batches/{segment(batch_name)}"))
            return batch.get("created_at") if isinstance(batch, dict) else None
        project = await self._call(
            Call(method="GET", path=f"projects/{segment(project_name or '')}")
        )
        return project.get("created_at") if isinstance(project, dict) else None

    async def get_tasks_count(
        self,
        project_name: str | None = None,
        batch_name: str | None = None,
        task_type: TaskType | TaskTypeValue | None = None,
        status: TaskStatus | TaskStatusValue | None = None,
        review_status: TaskReviewStatus
        | TaskReviewStatusValue
        | Sequence[TaskReviewStatus | TaskReviewStatusValue]
        | None = None,
        unique_id: str | list[str] | None = None,
        completed_after: str | None = None,
        completed_before: str | None = None,
        updated_after: str | None = None,
        updated_before: str | None = None,
        created_after: str | None = None,
        created_before: str | None = None,
        tags: str | list[str] | None = None,
        include_attachment_url: bool = True,
    ) -> int:
        """How many tasks match the filters (one request with ``limit=1``)."""
        # The parameters are exactly tasks_query's filters; pass them on as they came.
        filters = {name: value for name, value in locals().items() if name != "self"}
        if not project_name and not batch_name:
            raise ValueError(PROJECT_OR_BATCH)
        page = await self.tasks(**tasks_query(**filters, limit=1))
        return int(page.total or 0)
