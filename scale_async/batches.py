"""Batches: the Batch model, its status enum and its page type (``scaleapi.batches``)."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ._engine.model import Model, ValueEnum, absent_keys, tolerant
from ._engine.pages import Paginator

__all__ = ["Batch", "BatchStatus", "BatchStatusValue", "Batchlist"]


class BatchStatus(ValueEnum):
    """A batch's lifecycle state."""

    Staging = "staging"
    InProgress = "in_progress"
    Completed = "completed"


#: The status values as a Literal, so that ``batch_status="completed"`` type-checks.
BatchStatusValue: TypeAlias = Literal["staging", "in_progress", "completed"]

#: ``batch_status`` count keys and the Batch attributes they fill.
STATUS_COUNTS = {
    "pending": "tasks_pending",
    "completed": "tasks_completed",
    "error": "tasks_error",
    "canceled": "tasks_canceled",
}


@attrs.define(kw_only=True, eq=False)
class BatchFields(Model):
    """The data of a batch, shared by the async ``Batch`` and its sync twin.

    The ``tasks_*`` counters stay None until ``get_status()`` fills them.
    """

    name: str
    status: BatchStatus
    project: str
    created_at: str
    metadata: dict[str, Any]
    callback: str | None = None
    completed_at: str | None = None
    tasks_pending: int | None = None
    tasks_completed: int | None = None
    tasks_error: int | None = None
    tasks_canceled: int | None = None

    def __str__(self) -> str:
        return f"Batch(name={self.name})"


# The SDK's Batch has neither attribute: when the server leaves them out, neither do we.
BatchFields._sdk_absent = absent_keys(BatchFields, only=frozenset({"callback", "completed_at"}))


@attrs.define(kw_only=True, eq=False)
class Batch(BatchFields):
    """A batch of tasks. Its helper methods act on the server and update this object."""

    # The sync twin runs these coroutines on its own instances: fields, ``_client`` and
    # ``_update_from`` only, never another public method of ``self``.

    async def finalize(self) -> Batch:
        """Finalize this batch (Rapid and Studio) so that work starts; returns it, updated."""
        self._update_from(await self._client.finalize_batch(self.name))
        return self

    async def get_status(self) -> dict[str, Any]:
        """Fetch the status and task counts, store them on this batch, and return them."""
        status = await self._client.batch_status(self.name)
        if status.get("status"):
            self.status = tolerant(BatchStatus, status["status"])
        for key, attribute in STATUS_COUNTS.items():
            setattr(self, attribute, int(status.get(key, 0)))
        return status  # type: ignore[no-any-return]


class Batchlist(Paginator[Batch]):
    """One page of ``GET /batches``: batches with ``total`` (the server's ``totalDocs``)."""
