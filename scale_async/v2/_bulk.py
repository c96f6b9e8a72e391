"""Bulk v2 work on the engine's bounded-concurrency ``Job``: many chat tasks, many batches.

The v2 API has no idempotency field (``CreateChatTaskRequest`` carries no ``unique_id`` and
the API documents no idempotency header), so unlike v1's ``create_tasks`` a re-run creates
again what an earlier run created. What the engine does guarantee: every input ends as
exactly one result, in input order, a failure never stops the others (unless
``stop_on_error``, or bad credentials), and no create is replayed after the server may have
acted.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Mapping
from typing import Any, Literal, TypeAlias

import attrs

from .._engine.jobs import BulkStream, Job, Progress, StopRule
from .._engine.limits import RateLimiter
from ..bulk import BulkResult, FailedItem, not_attempted
from ._base import BatchAction, operation
from ._listing import V2Listing
from ._operations import CANCEL, FINALIZE, PAUSE, RESUME
from ._requests import BatchOperationRequest, CreateChatTaskRequest, request_body
from ._resources import Batch
from ._tasks import Task

__all__ = [
    "BatchActionsResult",
    "BatchDone",
    "BatchFailure",
    "BatchRefs",
    "ChatPayloads",
    "ChatTasksResult",
    "CreatedChatTask",
    "V2Bulk",
]

#: What ``create_chat_tasks`` reads: ``create_chat_task`` fields (dicts or request objects).
ChatPayloads: TypeAlias = Iterable[Mapping[str, Any] | Any] | AsyncIterable[Mapping[str, Any] | Any]
#: What the batch operations read: batch ids (or names, with ``by="name"``) or ``Batch``es.
BatchRefs: TypeAlias = Iterable[str | Batch] | AsyncIterable[str | Batch]


@attrs.frozen(kw_only=True)
class CreatedChatTask:
    """A payload that became a task."""

    index: int
    task: Task


@attrs.define(kw_only=True)
class ChatTasksResult(BulkResult[FailedItem]):
    """Every input of a ``create_chat_tasks`` job, in input order: created or failed."""

    succeeded: list[CreatedChatTask] = attrs.field(factory=list)

    _outcomes = ((CreatedChatTask, "succeeded"), (FailedItem, "failed"))
    _noun = "inputs"

    @property
    def tasks(self) -> list[Task]:
        """The created tasks, in input order."""
        return [item.task for item in self.succeeded]

    def _finish(self) -> None:
        self.succeeded.sort(key=lambda item: item.index)
        self.failed.sort(key=lambda item: item.index)


@attrs.frozen(kw_only=True)
class BatchDone:
    """A batch the operation succeeded on, with the server's answer."""

    batch: str
    result: Any


@attrs.frozen(kw_only=True)
class BatchFailure:
    """A batch the operation failed on, with the error."""

    batch: str
    error: BaseException


@attrs.define(kw_only=True)
class BatchActionsResult(BulkResult[BatchFailure]):
    """Every batch of a bulk batch operation: done or failed."""

    done: list[BatchDone] = attrs.field(factory=list)

    _outcomes = ((BatchDone, "done"), (BatchFailure, "failed"))
    _noun = "batches"

    def _label(self, failure: BatchFailure) -> str:
        return failure.batch


class V2Bulk(V2Listing):
    """Many chat tasks, or one operation on many batches, concurrently."""

    def _chat_job(
        self,
        *,
        project_id: str | None,
        project_name: str | None,
        batch_id: str | None,
        batch_name: str | None,
        concurrency: int,
        stop_on_error: bool,
        rate_limit: float | None,
        progress: Callable[[Progress], object] | None,
    ) -> Job[Any, CreatedChatTask | FailedItem]:
        limiter = (
            RateLimiter(rate_limit, self.retry.clock, self.retry.sleep) if rate_limit else None
        )
        defaults = {
            "project_id": project_id,
            "project_name": project_name,
            "batch_id": batch_id,
            "batch_name": batch_name,
        }
        filled = {key: value for key, value in defaults.items() if value}

        async def handle(index: int, payload: Any) -> CreatedChatTask | FailedItem:
            try:
                body = request_body(CreateChatTaskRequest, payload, {}, filled)
            except (TypeError, ValueError) as exc:
                return FailedItem(index=index, payload=payload, error=exc)
            if limiter is not None:
                await limiter.acquire()
            try:
                task = await self._post("task/chat", body, Task, replay_safe=False)
            except Exception as exc:
                return FailedItem(index=index, payload=payload, error=exc)
            return CreatedChatTask(index=index, task=task)

        return Job(
            handle=handle,
            failed=lambda result: isinstance(result, FailedItem),
            fatal=StopRule(stop_on_error),
            skipped=lambda index, payload, reason: FailedItem(
                index=index, payload=payload, error=not_attempted(reason)
            ),
            concurrency=concurrency,
            progress=progress,
            clock=self.retry.clock,
        )

    async def create_chat_tasks(
        self,
        payloads: ChatPayloads,
        *,
        project_id: str | None = None,
        project_name: str | None = None,
        batch_id: str | None = None,
        batch_name: str | None = None,
        concurrency: int = 32,
        stop_on_error: bool = False,
        rate_limit: float | None = None,
        progress: Callable[[Progress], object] | None = None,
    ) -> ChatTasksResult:
        """Create one chat task per payload, ``concurrency`` at a time, accounting for each.

        A payload is what ``create_chat_task`` takes (a dict of its fields or a request
        object); the project and batch arguments fill in what a payload lacks. Payloads are
        read lazily. Not idempotent: v2 has no field for it, so a re-run creates again.
        """
        # The parameters but ``payloads`` are exactly _chat_job's; pass them on as they came.
        job = self._chat_job(**{k: v for k, v in locals().items() if k not in ("self", "payloads")})
        return await ChatTasksResult()._run(job, payloads)

    def stream_create_chat_tasks(
        self,
        payloads: ChatPayloads,
        *,
        project_id: str | None = None,
        project_name: str | None = None,
        batch_id: str | None = None,
        batch_name: str | None = None,
        concurrency: int = 32,
        stop_on_error: bool = False,
        rate_limit: float | None = None,
        progress: Callable[[Progress], object] | None = None,
    ) -> BulkStream[CreatedChatTask | FailedItem]:
        """``create_chat_tasks``, yielding each input's result as soon as it is known."""
        # The parameters but ``payloads`` are exactly _chat_job's; pass them on as they came.
        job = self._chat_job(**{k: v for k, v in locals().items() if k not in ("self", "payloads")})

        def run(
            emit: Callable[[CreatedChatTask | FailedItem], Awaitable[None]],
        ) -> Awaitable[object]:
            return job.run(payloads, emit)

        return BulkStream(run, buffer=max(1, concurrency) * 2)

    async def _on_batches(
        self,
        action: BatchAction[Any],
        /,
        batches: BatchRefs,
        *,
        by: Literal["id", "name"] = "id",
        concurrency: int = 16,
        progress: Callable[[Progress], object] | None = None,
    ) -> BatchActionsResult:
        if by not in ("id", "name"):
            raise ValueError(f"by must be 'id' or 'name', got {by!r}")

        def ref(item: Any) -> str:
            if isinstance(item, Batch):
                return item.id if by == "id" else str(item.name)
            return str(item)

        async def handle(_: int, item: Any) -> BatchDone | BatchFailure:
            name = ref(item)
            try:
                if not isinstance(item, str | Batch) or not name:
                    raise ValueError(f"expected a batch {by} or a Batch, got {item!r}")
                body = request_body(BatchOperationRequest, {f"batch_{by}": name}, {})
                answer = await self._post(action.path, body, action.answer)
            except Exception as exc:
                return BatchFailure(batch=name, error=exc)
            return BatchDone(batch=name, result=answer)

        job: Job[Any, BatchDone | BatchFailure] = Job(
            handle=handle,
            failed=lambda result: isinstance(result, BatchFailure),
            fatal=StopRule(False),
            skipped=lambda _, item, reason: BatchFailure(
                batch=ref(item), error=not_attempted(reason)
            ),
            concurrency=concurrency,
            progress=progress,
            clock=self.retry.clock,
        )
        return await BatchActionsResult()._run(job, batches)

    finalize_batches = operation(_on_batches, FINALIZE, FINALIZE.doc(many=True))
    pause_batches = operation(_on_batches, PAUSE, PAUSE.doc(many=True))
    resume_batches = operation(_on_batches, RESUME, RESUME.doc(many=True))
    cancel_batches = operation(_on_batches, CANCEL, CANCEL.doc(many=True))
