"""Every ``next_token`` listing of v2 as an iterator, with prefetch, and time-window fan-out.

The one-page methods keep the SDK's names; these walk all pages: ``iter_tasks``,
``iter_batches``, ``iter_delivery``, ``iter_delivery_tasks``, ``iter_dataset_delivery``,
``iter_dataset_tasks``. Inside ``async with`` (and always from the sync client) up to
``prefetch`` pages are fetched while the caller works on the current one.

``partitions=`` splits a time range into disjoint windows walked at once, one cursor each,
where the API filters by time and the items carry that time: tasks by ``completed_at``,
batches by ``created_at``, dataset tasks by their delivery's ``delivered_at``. Each window
asks for a millisecond more on each side and keeps only what it owns, so every item comes
exactly once. The engine's ``Partitioned`` and ``AsyncPageIterator`` do the walking.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from functools import partial
from typing import Any, Generic, TypeVar

import attrs

from .._engine.checks import require_int
from .._engine.cursors import CursorTrail
from .._engine.model import Model
from .._engine.pagination import AsyncPageIterator, Partitioned
from .._engine.partitions import Window, parse_time, split
from ._deliveries import (
    DatasetTask,
    GetDatasetDeliveryResponse,
    GetDatasetTasksResponse,
    GetDeliveredTasksResponse,
    GetDeliveryTasksResponse,
    GetDeliveryTasksResponseDocsInner,
)
from ._enums import (
    BatchStatus,
    ExpandableEnumBatch,
    ExpandableEnumDatasetsDeliveries,
    ExpandableEnumDatasetTask,
    ExpandableEnumDelivery,
    ExpandableEnumTask,
    Option,
    TaskStatus,
)
from ._operations import V2Operations
from ._resources import Batch, DatasetDelivery, GetBatchesResponse
from ._tasks import GetTasksResponse, Task
from ._wire import COMPLETED, CREATED, DELIVERED, arguments, window_bounds

__all__ = ["V2Listing"]

T = TypeVar("T")
P = TypeVar("P", bound=Model)
WHOLE = Window(None, None)


def _moment(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)
    return parse_time(value)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _delivered_at(task: DatasetTask) -> str | None:
    delivery = task.delivery
    return _iso(delivery.delivered_at) if isinstance(delivery, DatasetDelivery) else None


@attrs.frozen
class Listing(Generic[P, T]):
    """A ``next_token`` listing: its path, its page, and how a page reads (items, cursor)."""

    path: str
    page: type[P]
    read: Callable[[P], tuple[list[T], str | None]]


TASKS = Listing("tasks", GetTasksResponse, lambda p: (p.tasks, p.next_token))
BATCHES = Listing("batches", GetBatchesResponse, lambda p: (p.batches, p.next_token))
DELIVERY = Listing("delivery", GetDeliveredTasksResponse, lambda p: (p.tasks, p.next_token))
DELIVERY_TASKS = Listing(
    "delivery/tasks", GetDeliveryTasksResponse, lambda p: (p.docs, p.next_token)
)
DATASET_DELIVERY = Listing(
    "datasets/delivery", GetDatasetDeliveryResponse, lambda p: (p.tasks, p.next_token)
)
DATASET_TASKS = Listing(
    "datasets/tasks", GetDatasetTasksResponse, lambda p: (p.tasks, p.next_token)
)


def _windows(
    start: Callable[[], Awaitable[datetime | None]], end: datetime | str | None, count: int
) -> Callable[[], Awaitable[list[Window]]]:
    async def windows() -> list[Window]:
        first = await start()
        if first is None:
            return [WHOLE]
        last = _moment(end) or datetime.now(timezone.utc)
        return split(first, last, count)

    return windows


class V2Listing(V2Operations):
    """Iterators over every v2 cursor."""

    def _walk(
        self,
        listing: Listing[Any, T],
        query: dict[str, Any],
        *,
        prefetch: int,
        partitions: int = 1,
        bounds: tuple[str, str] | None = None,
        windows: Callable[[], Awaitable[list[Window]]] | None = None,
        moment: Callable[[T], str | None] | None = None,
    ) -> AsyncPageIterator[T]:
        """The pages of ``listing``, one ``next_token`` at a time; with ``partitions`` and
        ``bounds`` (the after/before filter names), per window."""
        path = listing.path
        # A server that hands out a cursor twice would be paged forever: refuse it.
        trail = CursorTrail("next_token", method="GET", path=path)

        async def fetch(window: Window, token: str | None) -> tuple[list[T], str | None]:
            within = window_bounds(window, *bounds) if bounds else {}
            page = await self._get(path, {**query, **within, "next_token": token}, listing.page)
            found, cursor = listing.read(page)
            if cursor is not None:
                trail.follow((window, cursor), shown=cursor)
            return found, cursor

        if partitions == 1 or windows is None or moment is None:
            return AsyncPageIterator(partial(fetch, WHOLE), prefetch=prefetch)
        return AsyncPageIterator(Partitioned(fetch, windows, moment), prefetch=prefetch)

    async def _created(
        self,
        after: datetime | str | None,
        batch: tuple[str | None, str | None],
        project: tuple[str | None, str | None],
    ) -> datetime | None:
        """Where a window on a time starts by default: ``after``, else when the batch (or
        the project) was created; None when nothing names it."""
        if after is not None:
            return _moment(after)
        if any(batch):
            return (await self.get_batch(*batch)).created_at
        if any(project):
            return (await self.get_project(*project)).created_at
        return None

    def iter_tasks(
        self,
        project_id: str | None = None,
        project_name: str | None = None,
        batch_id: str | None = None,
        batch_name: str | None = None,
        status: TaskStatus | str | None = None,
        completed_after: datetime | str | None = None,
        completed_before: datetime | str | None = None,
        limit: int | None = None,
        expand: list[ExpandableEnumTask | str] | None = None,
        opts: list[Option | str] | None = None,
        *,
        prefetch: int = 2,
        partitions: int = 1,
    ) -> AsyncPageIterator[Task]:
        """Every task ``get_tasks`` would page through: ``async for task in ...``.

        ``partitions`` windows ``completed_at`` (from ``completed_after``, else the batch's
        or project's creation, to ``completed_before``, else now), so it needs
        ``status=completed``: other tasks have no ``completed_at`` and would be missed.
        """
        args = arguments(locals(), "prefetch", "partitions")
        require_int("partitions", partitions)
        if partitions > 1 and TaskStatus(status or "pending") is not TaskStatus.COMPLETED:
            raise ValueError("partitions window completed_at, so they need status='completed'")
        batch, project = (batch_id, batch_name), (project_id, project_name)
        start = partial(self._created, completed_after, batch, project)
        return self._walk(
            TASKS,
            self._tasks_query(args),
            prefetch=prefetch,
            partitions=partitions,
            bounds=COMPLETED,
            windows=_windows(start, completed_before, partitions),
            moment=lambda task: _iso(task.completed_at),
        )

    def iter_batches(
        self,
        project_id: str | None = None,
        project_name: str | None = None,
        status: BatchStatus | str | None = None,
        created_after: datetime | str | None = None,
        created_before: datetime | str | None = None,
        completed_after: datetime | str | None = None,
        completed_before: datetime | str | None = None,
        limit: int | None = None,
        expand: list[ExpandableEnumBatch | str] | None = None,
        *,
        prefetch: int = 2,
        partitions: int = 1,
    ) -> AsyncPageIterator[Batch]:
        """Every batch ``get_batches`` would page through.

        ``partitions`` windows ``created_at``, from ``created_after`` (else the project's
        creation) to ``created_before`` (else now).
        """
        args = arguments(locals(), "prefetch", "partitions")
        require_int("partitions", partitions)
        start = partial(self._created, created_after, (None, None), (project_id, project_name))
        return self._walk(
            BATCHES,
            self._batches_query(args),
            prefetch=prefetch,
            partitions=partitions,
            bounds=CREATED,
            windows=_windows(start, created_before, partitions),
            moment=lambda batch: _iso(batch.created_at),
        )

    def iter_delivery(
        self,
        delivery_id: str | None = None,
        delivery_name: str | None = None,
        project_id: str | None = None,
        project_name: str | None = None,
        limit: int | None = None,
        expand: list[ExpandableEnumDelivery | str] | None = None,
        opts: list[Option | str] | None = None,
        *,
        prefetch: int = 2,
    ) -> AsyncPageIterator[Task]:
        """Every task of a delivery, as ``get_delivery`` pages them."""
        query = self._delivery_query(arguments(locals(), "prefetch"))
        return self._walk(DELIVERY, query, prefetch=prefetch)

    def iter_delivery_tasks(
        self,
        delivery_id: str | None = None,
        project_id: str | None = None,
        project_name: str | None = None,
        status: TaskStatus | str | None = None,
        completed_after: datetime | str | None = None,
        completed_before: datetime | str | None = None,
        limit: int | None = None,
        *,
        prefetch: int = 2,
    ) -> AsyncPageIterator[GetDeliveryTasksResponseDocsInner]:
        """Every delivered task with its response, as ``get_delivery_tasks`` pages them.

        No ``partitions``: these items do not say when they were completed, so a window
        could not tell which items are its own.
        """
        query = self._delivery_tasks_query(arguments(locals(), "prefetch"))
        return self._walk(DELIVERY_TASKS, query, prefetch=prefetch)

    def iter_dataset_delivery(
        self,
        delivery_id: str | None = None,
        limit: int | None = None,
        expand: list[ExpandableEnumDatasetsDeliveries | str] | None = None,
        *,
        prefetch: int = 2,
    ) -> AsyncPageIterator[DatasetTask]:
        """Every task of a dataset delivery, as ``get_dataset_delivery`` pages them."""
        query = self._dataset_delivery_query(arguments(locals(), "prefetch"))
        return self._walk(DATASET_DELIVERY, query, prefetch=prefetch)

    def iter_dataset_tasks(
        self,
        dataset_id: str | None = None,
        delivery_id: str | None = None,
        delivered_after: datetime | str | None = None,
        delivered_before: datetime | str | None = None,
        limit: int | None = None,
        expand: list[ExpandableEnumDatasetTask | str] | None = None,
        *,
        prefetch: int = 2,
        partitions: int = 1,
    ) -> AsyncPageIterator[DatasetTask]:
        """Every dataset task ``get_dataset_tasks`` would page through.

        ``partitions`` windows the deliveries' ``delivered_at`` (from ``delivered_after``,
        else the dataset's first delivery, to ``delivered_before``, else its last one); to
        know each task's time it adds ``delivery`` to ``expand``.
        """
        require_int("partitions", partitions)
        if partitions > 1:
            expand = [*(expand or []), ExpandableEnumDatasetTask.DELIVERY]
        query = self._dataset_tasks_query(arguments(locals(), "prefetch", "partitions"))
        deliveries: list[datetime] = []

        async def start() -> datetime | None:
            if dataset_id is None:
                return _moment(delivered_after)
            found = await self.get_dataset_deliveries(dataset_id, delivered_after, delivered_before)
            deliveries.extend(d.delivered_at for d in found.deliveries if d.delivered_at)
            return _moment(delivered_after) or (min(deliveries) if deliveries else None)

        async def windows() -> list[Window]:
            first = await start()
            if first is None:
                return [WHOLE]
            last = _moment(delivered_before) or (max(deliveries) if deliveries else None)
            if last is None:
                last = datetime.now(timezone.utc)
            return split(first, last, partitions)

        return self._walk(
            DATASET_TASKS,
            query,
            prefetch=prefetch,
            partitions=partitions,
            bounds=DELIVERED,
            windows=windows,
            moment=_delivered_at,
        )
