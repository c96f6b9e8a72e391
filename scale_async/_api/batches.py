"""The batch endpoints (``/batches``)."""

from __future__ import annotations

import math
from typing import Any

from .._engine.checks import require_int, require_text
from .._engine.pagination import AsyncPageIterator, fan_out_pages
from .._engine.requester import Call
from .._engine.serde import structure
from .._engine.wire import check_query_keys, segment
from ..batches import Batch, Batchlist, BatchStatus, BatchStatusValue
from ..exceptions import ScaleInvalidResponse
from .base import ClientCore
from .wire import BATCHES_QUERY_KEYS

__all__ = ["BatchesAPI"]

PRIORITY_RANGE = range(10, 31)
#: Batches per page when listing them all (the API's maximum).
PAGE_SIZE = 100


def _require_metadata(metadata: Any) -> dict[str, Any]:
    if not isinstance(metadata, dict):
        raise ValueError(f"metadata must be a dict, got {metadata!r}")
    return metadata


class BatchesAPI(ClientCore):
    """Create, finalize, inspect and list batches."""

    async def create_batch(
        self,
        project: str,
        batch_name: str,
        callback: str = "",
        calibration_batch: bool = False,
        self_label_batch: bool = False,
        metadata: dict[str, Any] | None = None,
    ) -> Batch:
        """Create a batch in ``project``; batch names are unique across the account.

        Retried on transient failures: a 409 after an ambiguous attempt returns the batch
        that attempt created.
        """
        require_text("project", project)
        require_text("batch_name", batch_name)
        body = {
            "project": project,
            "name": batch_name,
            "calibration_batch": calibration_batch,
            "self_label_batch": self_label_batch,
            "callback": callback,
            "metadata": _require_metadata(metadata or {}),
        }
        get = Call(method="GET", path=f"batches/{segment(batch_name)}")
        return await self._one(
            Call(method="POST", path="batches", body=body, recover=lambda: self._call(get)), Batch
        )

    async def finalize_batch(self, batch_name: str) -> Batch:
        """Finalize a batch (Rapid and Studio) so that its tasks are worked on."""
        require_text("batch_name", batch_name)
        return await self._one(
            Call(method="POST", path=f"batches/{segment(batch_name)}/finalize"), Batch
        )

    async def batch_status(self, batch_name: str) -> dict[str, Any]:
        """The batch's status and its task counts by status (``pending``, ``completed``...)."""
        require_text("batch_name", batch_name)
        path = f"batches/{segment(batch_name)}/status"
        data = await self._call(Call(method="GET", path=path))
        if not isinstance(data, dict):
            raise ScaleInvalidResponse("batch status is not an object", method="GET", path=path)
        return data

    async def get_batch(self, batch_name: str) -> Batch:
        """Fetch one batch by name."""
        require_text("batch_name", batch_name)
        return await self._one(Call(method="GET", path=f"batches/{segment(batch_name)}"), Batch)

    async def set_batch_metadata(self, batch_name: str, metadata: dict[str, Any]) -> Batch:
        """Replace a batch's metadata."""
        require_text("batch_name", batch_name)
        return await self._one(
            Call(
                method="POST",
                path=f"batches/{segment(batch_name)}/setMetadata",
                body=_require_metadata(metadata),
            ),
            Batch,
        )

    async def prioritize_batch(self, batch_name: str, priority: int) -> dict[str, Any]:
        """Set the priority (10 lowest to 30 highest) of the batch's tasks not yet started."""
        require_text("batch_name", batch_name)
        require_int("priority", priority, low=PRIORITY_RANGE.start, high=PRIORITY_RANGE.stop - 1)
        path = f"batches/{segment(batch_name)}/prioritize"
        data = await self._call(Call(method="POST", path=path, body={"priority": priority}))
        return data if isinstance(data, dict) else {"result": data}

    async def batches(self, **kwargs: Any) -> Batchlist:
        """One page of ``GET /batches`` with the given filters, as the SDK's ``batches()``.

        Filters: ``start_time``, ``end_time``, ``exclude_archived``, ``status``, ``project``,
        ``limit`` (1-100), ``offset``, and the API's ``completed_after``, ``completed_before``,
        ``audited_after``, ``audited_before`` and ``detailed`` (progress details per batch).
        Any other name raises ``ScaleInvalidRequest``
        before a request is sent.
        """
        check_query_keys("batches", kwargs, BATCHES_QUERY_KEYS)
        data = await self._call(Call(method="GET", path="batches", params=kwargs))
        if not isinstance(data, dict) or "docs" not in data or "has_more" not in data:
            raise ScaleInvalidResponse(
                "batch page lacks docs or has_more", method="GET", path="batches"
            )
        docs = [
            structure(doc, Batch, client=self, method="GET", path="batches") for doc in data["docs"]
        ]
        return Batchlist(
            docs,
            data.get("totalDocs", data.get("total")),
            data.get("limit"),
            data.get("offset", kwargs.get("offset", 0)),
            bool(data["has_more"]),
        )

    def get_batches(
        self,
        project_name: str | None = None,
        batch_status: BatchStatus | BatchStatusValue | None = None,
        created_after: str | None = None,
        created_before: str | None = None,
        exclude_archived: bool = False,
        *,
        detailed: bool | None = None,
        concurrency: int = 4,
    ) -> AsyncPageIterator[Batch]:
        """Every batch matching the filters, newest first: ``async for batch in ...``.

        The first page tells how many batches there are; the other pages are then fetched
        ``concurrency`` at a time and yielded in order. Offsets are taken from the first
        answer, so batches created during the listing may be missed or repeated, as with
        any offset paging. ``detailed=True`` asks for each batch's progress details.
        """
        if detailed is not None and not isinstance(detailed, bool):
            raise ValueError(f"detailed must be a bool, got {detailed!r}")
        query: dict[str, Any] = {
            "project": project_name,
            "status": batch_status,
            "start_time": created_after,
            "end_time": created_before,
            "exclude_archived": exclude_archived,
            "detailed": detailed,
        }
        query = {key: value for key, value in query.items() if value is not None}

        async def fetch(index: int) -> tuple[list[Batch], int]:
            page = await self.batches(**query, offset=index * PAGE_SIZE, limit=PAGE_SIZE)
            if page.total is None:
                raise ScaleInvalidResponse(
                    "batch page lacks totalDocs", method="GET", path="batches"
                )
            return list(page), math.ceil(page.total / PAGE_SIZE)

        return fan_out_pages(fetch, concurrency=concurrency)
