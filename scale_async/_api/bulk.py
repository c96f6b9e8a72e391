"""Bulk operations: create and cancel many tasks concurrently, losing and duplicating nothing."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeAlias, TypeVar

from .._engine.checks import require_text
from .._engine.idempotency import derive_unique_id
from .._engine.jobs import BulkStream, Job, Progress, StopRule
from .._engine.limits import RateLimiter
from .._engine.retry import backoff_delay
from ..bulk import (
    BulkCancelResult,
    BulkCreateResult,
    BulkUpdateResult,
    CancelledTask,
    CreatedTask,
    FailedItem,
    SkippedTask,
    TaskFailure,
    UpdatedTask,
    not_attempted,
)
from ..exceptions import (
    ScaleClientClosed,
    ScaleDuplicateResource,
    ScaleInvalidRequest,
)
from ..tasks import Task, TaskFields, TaskStatus, TaskType
from .tasks import TasksAPI, require_tags

__all__ = ["BulkAPI", "MetadataUpdates", "Payloads", "TaskRefs"]

#: What ``create_tasks`` reads: dicts as ``create_task`` takes them, from any (async) iterable.
Payloads: TypeAlias = Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]]
#: What ``cancel_tasks`` reads: task ids or Task objects, from any (async) iterable.
TaskRefs: TypeAlias = Iterable[str | TaskFields] | AsyncIterable[str | TaskFields]
#: What ``set_tasks_metadata`` reads: ``{task_id: metadata}`` or (task, metadata) pairs.
MetadataUpdates: TypeAlias = (
    Mapping[str, dict[str, Any]]
    | Iterable[tuple[str | TaskFields, dict[str, Any]]]
    | AsyncIterable[tuple[str | TaskFields, dict[str, Any]]]
)
R = TypeVar("R")

CreateResult = CreatedTask[Task] | FailedItem
CancelResult = CancelledTask[Task] | SkippedTask | TaskFailure
UpdateResult = UpdatedTask[Task] | TaskFailure

_FINISHED = {TaskStatus.Completed.value, TaskStatus.Canceled.value}


def _task_id(ref: Any) -> str | None:
    """The id a task reference names, or None when it names none."""
    task_id = ref.task_id if isinstance(ref, TaskFields) else ref
    return task_id if isinstance(task_id, str) and task_id else None


def _not_a_task(ref: Any) -> TaskFailure:
    return TaskFailure(
        task_id=str(ref), error=ValueError(f"expected a task id or a Task, got {ref!r}")
    )


def _stopped(ref: Any, reason: BaseException) -> TaskFailure:
    return TaskFailure(task_id=_task_id(ref) or str(ref), error=not_attempted(reason))


async def _pairs_async(refs: AsyncIterable[Any], value: Any) -> AsyncIterator[tuple[Any, Any]]:
    async for ref in refs:
        yield ref, value


def _with_each(refs: TaskRefs, value: Any) -> Any:
    """Each task reference paired with the same ``value``, lazily, sync or async alike."""
    if isinstance(refs, AsyncIterable):
        return _pairs_async(refs, value)
    return ((ref, value) for ref in refs)


#: What a bulk create method takes that its job does not: the client and the inputs.
_NOT_JOB_ARGS = ("self", "payloads")


class BulkAPI(TasksAPI):
    """Many tasks at once: bounded concurrency, shared rate-limit pauses, per-item results."""

    def _job(
        self,
        handle: Callable[[int, Any], Awaitable[R]],
        skipped: Callable[[int, Any, BaseException], R],
        failure: type,
        *,
        stop_on_error: bool,
        concurrency: int,
        progress: Callable[[Progress], object] | None,
    ) -> Job[Any, R]:
        """A job on this client's clock whose ``failure`` results end it as ``_Fatal`` says."""
        return Job(
            handle=handle,
            failed=lambda result: isinstance(result, failure),
            fatal=StopRule(stop_on_error),
            skipped=skipped,
            concurrency=concurrency,
            progress=progress,
            clock=self.retry.clock,
        )

    def _create_job(
        self,
        task_type: TaskType | str,
        *,
        project: str | None,
        batch: str | None,
        concurrency: int,
        namespace: str | None,
        stop_on_error: bool,
        rate_limit: float | None,
        progress: Callable[[Progress], object] | None,
        keep_tasks: bool,
    ) -> Job[Any, CreateResult]:
        kind = require_text(
            "task_type", task_type.value if isinstance(task_type, TaskType) else task_type
        )
        limiter = (
            RateLimiter(rate_limit, self.retry.clock, self.retry.sleep) if rate_limit else None
        )
        defaults = {key: value for key, value in (("project", project), ("batch", batch)) if value}
        # A create job's recovery (second chances, coalesced lookups): loaded with the first job.
        from .._engine.chances import SecondChances, is_transient
        from .._engine.lookup import Coalesced

        chances = SecondChances(clock=self.retry.clock)
        lookup: Coalesced[Task] = Coalesced(self._find_tasks_by_unique_ids)

        in_flight = self._requester.in_flight
        closings = in_flight.closings

        async def stored(unique_id: str) -> Task | None:
            """The task the server holds under ``unique_id``, if it can tell (else None)."""
            if not chances.may_look_up():
                return None
            try:
                found = await lookup.find(unique_id)
            except ScaleClientClosed:
                raise
            except Exception:
                chances.lookup_failed()  # the server cannot tell now: stop asking it
                return None
            chances.succeeded()
            return found

        def created(
            index: int, task: Task, unique_id: str, *, duplicate: bool = False
        ) -> CreatedTask[Task]:
            # The whole Task only when asked: else a few hundred bytes per input.
            return CreatedTask(
                index=index,
                task_id=task.task_id,
                unique_id=unique_id,
                duplicate=duplicate,
                task=task if keep_tasks else None,
            )

        async def create(index: int, payload: Any, body: dict[str, Any]) -> CreateResult:
            unique_id = body["unique_id"]
            extra = 0
            while True:
                if limiter is not None:
                    await limiter.acquire()
                if in_flight.closings != closings:
                    # Closed while this item waited (a rate limit, a second chance's pause).
                    closed = ScaleClientClosed("the client was closed before this create")
                    return FailedItem(index=index, payload=payload, error=closed)
                try:
                    task = await self.create_task(kind, **body)
                except ScaleDuplicateResource as duplicate:
                    # Created by an earlier run of this job (or the unique_id was reused):
                    # the input is already present, which is what the caller wants.
                    try:
                        found = await lookup.find(unique_id)
                    except Exception as exc:
                        return FailedItem(index=index, payload=payload, error=exc)
                    if found is None:
                        return FailedItem(index=index, payload=payload, error=duplicate)
                    return created(index, found, unique_id, duplicate=True)
                except Exception as exc:
                    if not is_transient(exc):
                        return FailedItem(index=index, payload=payload, error=exc)
                    # The create may have been stored all the same (a 500 after the commit, a
                    # dropped answer): ask before reporting it failed, or trying it again.
                    try:
                        found = await stored(unique_id)
                    except ScaleClientClosed as closed:
                        return FailedItem(index=index, payload=payload, error=closed)
                    if found is not None:
                        return created(index, found, unique_id)
                    if not chances.allow(exc, extra):
                        return FailedItem(index=index, payload=payload, error=exc)
                    extra += 1
                    await self.retry.sleep(backoff_delay(self.retry, extra, self.retry.random()))
                    continue
                chances.succeeded()
                return created(index, task, unique_id)

        async def handle(index: int, payload: Any) -> CreateResult:
            if not isinstance(payload, Mapping):
                error = ValueError(f"a task payload must be a dict, got {type(payload).__name__}")
                return FailedItem(index=index, payload=payload, error=error)
            body = {**defaults, **payload}
            try:
                unique_id = body.get("unique_id") or derive_unique_id(kind, body, namespace)
            except TypeError as exc:
                return FailedItem(index=index, payload=payload, error=exc)
            body["unique_id"] = unique_id
            chances.started()
            return await create(index, payload, body)

        def skipped(index: int, payload: Any, reason: BaseException) -> CreateResult:
            return FailedItem(index=index, payload=payload, error=not_attempted(reason))

        return self._job(
            handle,
            skipped,
            FailedItem,
            stop_on_error=stop_on_error,
            concurrency=concurrency,
            progress=progress,
        )

    async def create_tasks(
        self,
        task_type: TaskType | str,
        payloads: Payloads,
        *,
        project: str | None = None,
        batch: str | None = None,
        concurrency: int = 32,
        namespace: str | None = None,
        stop_on_error: bool = False,
        rate_limit: float | None = None,
        progress: Callable[[Progress], object] | None = None,
        keep_tasks: bool = False,
    ) -> BulkCreateResult[Task]:
        """Create one task per payload, ``concurrency`` at a time, and account for every input.

        ``payloads`` is any iterable or async iterable of dicts as ``create_task`` takes them
        (``project``/``batch`` fill in when a payload lacks them); it is read lazily. Each
        task gets the payload's ``unique_id`` or one derived from the task type, project,
        batch, payload and ``namespace``, so running the same job again creates only what is
        missing: tasks already there come back as successes marked ``duplicate``.

        A failure never stops the other inputs unless ``stop_on_error``; bad credentials end
        the job early. A 429 pauses every request of the client until its ``Retry-After``;
        ``rate_limit`` caps task creations per second. ``progress`` is called with a
        ``Progress`` after each input. The result lists are in input order; each success
        holds its task id, and its whole Task too with ``keep_tasks=True`` (memory grows with
        the input then: use ``stream_create_tasks`` to have every Task without holding them).
        """
        # The parameters but ``payloads`` are exactly _create_job's; pass them on as they came.
        job = self._create_job(**{k: v for k, v in locals().items() if k not in _NOT_JOB_ARGS})
        return await BulkCreateResult()._run(job, payloads)

    def stream_create_tasks(
        self,
        task_type: TaskType | str,
        payloads: Payloads,
        *,
        project: str | None = None,
        batch: str | None = None,
        concurrency: int = 32,
        namespace: str | None = None,
        stop_on_error: bool = False,
        rate_limit: float | None = None,
        progress: Callable[[Progress], object] | None = None,
        keep_tasks: bool = True,
    ) -> BulkStream[CreatedTask[Task] | FailedItem]:
        """``create_tasks``, yielding each input's result as soon as it is known.

        Results arrive in completion order and carry their input ``index``; leaving the loop
        early cancels the work in flight.

        From async code, use it as a block: ``async with client.stream_create_tasks(...) as
        results: async for r in results``.

        Each result holds its whole Task (a stream holds none of them for long);
        ``keep_tasks=False`` gives the compact records of ``create_tasks`` instead.
        """
        # The parameters but ``payloads`` are exactly _create_job's; pass them on as they came.
        job = self._create_job(**{k: v for k, v in locals().items() if k not in _NOT_JOB_ARGS})

        def run(emit: Callable[[CreateResult], Awaitable[None]]) -> Awaitable[object]:
            return job.run(payloads, emit)

        return BulkStream(run, buffer=max(1, concurrency) * 2)

    async def _find_tasks_by_unique_ids(self, unique_ids: list[str]) -> dict[str, Task]:
        """The tasks that carry these ``unique_id`` values (at most 100: one page), by id."""
        page = await self.tasks(unique_id=unique_ids, limit=max(1, min(100, len(unique_ids))))
        return {task.unique_id: task for task in page if task.unique_id in unique_ids}

    def _cancel_job(
        self,
        *,
        concurrency: int,
        clear_unique_id: bool,
        stop_on_error: bool,
        progress: Callable[[Progress], object] | None,
    ) -> Job[Any, CancelResult]:
        async def handle(_: int, ref: Any) -> CancelResult:
            task_id = _task_id(ref)
            if task_id is None:
                return _not_a_task(ref)
            if isinstance(ref, TaskFields) and ref.status in _FINISHED:
                return SkippedTask(task_id=task_id, reason=f"already {ref.status}")
            try:
                task = await self.cancel_task(task_id, clear_unique_id)
            except ScaleInvalidRequest as refused:
                # Scale refuses to cancel completed or started tasks with a 400.
                return SkippedTask(task_id=task_id, reason=refused.message)
            except Exception as exc:
                return TaskFailure(task_id=task_id, error=exc)
            return CancelledTask(task_id=task_id, task=task)

        def skipped(_: int, ref: Any, reason: BaseException) -> CancelResult:
            return _stopped(ref, reason)

        return self._job(
            handle,
            skipped,
            TaskFailure,
            stop_on_error=stop_on_error,
            concurrency=concurrency,
            progress=progress,
        )

    async def cancel_tasks(
        self,
        tasks: TaskRefs,
        *,
        concurrency: int = 32,
        clear_unique_id: bool = False,
        stop_on_error: bool = False,
        progress: Callable[[Progress], object] | None = None,
    ) -> BulkCancelResult[Task]:
        """Cancel many tasks concurrently: task ids or Task objects, from any (async) iterable.

        Tasks already completed or cancelled, and those Scale refuses to cancel (400), are
        reported as skipped, not failed. ``clear_unique_id`` also frees each task's
        ``unique_id`` so that it can be created again.
        """
        job = self._cancel_job(
            concurrency=concurrency,
            clear_unique_id=clear_unique_id,
            stop_on_error=stop_on_error,
            progress=progress,
        )
        return await BulkCancelResult()._run(job, tasks)

    async def cancel_batch(
        self,
        batch_name: str,
        *,
        concurrency: int = 32,
        clear_unique_id: bool = False,
        progress: Callable[[Progress], object] | None = None,
    ) -> BulkCancelResult[Task]:
        """Cancel every pending task of a batch, cancelling while the listing is still running.

        The v1 API has no batch cancellation: this lists the batch's pending tasks and
        cancels them concurrently. Tasks that finish meanwhile are reported as skipped.
        """
        require_text("batch_name", batch_name)
        # In a block, so that the next pages are fetched while the cancels run: listed on
        # demand, the workers would wait out a page's round trip every page.
        async with self.get_tasks(batch_name=batch_name, status=TaskStatus.Pending) as pending:
            return await self.cancel_tasks(
                pending, concurrency=concurrency, clear_unique_id=clear_unique_id, progress=progress
            )

    async def _update_tasks(
        self,
        items: Any,
        act: Callable[[str, Any], Awaitable[Task]],
        *,
        concurrency: int,
        progress: Callable[[Progress], object] | None,
    ) -> BulkUpdateResult[Task]:
        """Apply ``act(task_id, argument)`` to every (task, argument) pair concurrently."""

        async def handle(_: int, item: Any) -> UpdateResult:
            ref, argument = item
            task_id = _task_id(ref)
            if task_id is None:
                return _not_a_task(ref)
            try:
                return UpdatedTask(task_id=task_id, task=await act(task_id, argument))
            except Exception as exc:
                return TaskFailure(task_id=task_id, error=exc)

        def skipped(_: int, item: Any, reason: BaseException) -> UpdateResult:
            return _stopped(item[0], reason)

        job = self._job(
            handle,
            skipped,
            TaskFailure,
            stop_on_error=False,
            concurrency=concurrency,
            progress=progress,
        )
        return await BulkUpdateResult()._run(job, items)

    async def add_tasks_tags(
        self,
        tasks: TaskRefs,
        tags: list[str],
        *,
        concurrency: int = 32,
        progress: Callable[[Progress], object] | None = None,
    ) -> BulkUpdateResult[Task]:
        """Add ``tags`` to many tasks concurrently (tags a task already has are ignored)."""
        checked = require_tags(tags)
        return await self._update_tasks(
            _with_each(tasks, checked),
            self.add_task_tags,
            concurrency=concurrency,
            progress=progress,
        )

    async def set_tasks_metadata(
        self,
        updates: MetadataUpdates,
        *,
        concurrency: int = 32,
        progress: Callable[[Progress], object] | None = None,
    ) -> BulkUpdateResult[Task]:
        """Replace the metadata of many tasks concurrently: ``{task_id: metadata}`` or pairs."""
        items = updates.items() if isinstance(updates, Mapping) else updates
        return await self._update_tasks(
            items, self.set_task_metadata, concurrency=concurrency, progress=progress
        )
