"""What bulk operations report: one outcome per input, in input order, and the totals."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Protocol

import attrs
from typing_extensions import Self, TypeVar

from ._engine.jobs import Job, Progress
from .exceptions import ScaleException
from .tasks import TaskFields

#: The task class a result holds: ``Task`` from the async client, ``scale_sync.Task`` from
#: the sync one, so that ``result.succeeded[0].task.refresh()`` is typed for each; a bare
#: ``BulkCreateResult`` annotation means any.
T = TypeVar("T", bound=TaskFields, default=Any)

__all__ = [
    "BulkError",
    "BulkResult",
    "JobStopped",
    "BulkCancelResult",
    "BulkCreateResult",
    "BulkUpdateResult",
    "CancelledTask",
    "CreatedTask",
    "FailedItem",
    "Progress",
    "SkippedTask",
    "TaskFailure",
    "UpdatedTask",
]


class JobStopped(ScaleException):
    """The job stopped before this item was attempted (``stop_on_error`` or a fatal error)."""


def not_attempted(reason: BaseException) -> JobStopped:
    """The error of an input a job read but did not attempt, because it stopped early."""
    return JobStopped(f"not attempted: the job stopped early ({reason})")


class BulkError(ScaleException):
    """Raised by ``raise_for_errors()``: some items failed. ``result`` holds every outcome."""

    def __init__(self, message: str, result: Any) -> None:
        super().__init__(message)
        self.result = result


@attrs.frozen(kw_only=True)
class CreatedTask(Generic[T]):
    """A payload that has its task: ``duplicate`` when the task already existed before.

    ``task`` is the whole Task only when the job was asked to keep it (``keep_tasks=True``,
    and always in ``stream_create_tasks``); otherwise None, so that a job of millions of
    inputs holds a few hundred bytes per input, not the task's whole JSON.
    """

    index: int
    task_id: str
    unique_id: str
    duplicate: bool = False
    task: T | None = None


@attrs.frozen(kw_only=True)
class FailedItem:
    """An input that did not succeed, with its position, the input itself and the error."""

    index: int
    payload: Any
    error: BaseException


@attrs.frozen(kw_only=True)
class _TaskOutcome(Generic[T]):
    task_id: str
    task: T


@attrs.frozen(kw_only=True)
class CancelledTask(_TaskOutcome[T]):
    """A task this job cancelled."""


@attrs.frozen(kw_only=True)
class SkippedTask:
    """A task left alone: already completed or cancelled, or refused as not cancellable."""

    task_id: str
    reason: str


@attrs.frozen(kw_only=True)
class TaskFailure:
    """A task that could not be cancelled or changed, with the error."""

    task_id: str
    error: BaseException


@attrs.frozen(kw_only=True)
class UpdatedTask(_TaskOutcome[T]):
    """A task this job changed, as the server returned it."""


class _Failure(Protocol):
    """What every failed outcome carries, whatever it names its item by."""

    @property
    def error(self) -> BaseException: ...


#: A result's failure class: ``FailedItem``, ``TaskFailure``, or a product's own (v2's
#: ``BatchFailure``), so that every bulk result stands on this one base.
F = TypeVar("F", bound=_Failure)


@attrs.define(kw_only=True)
class BulkResult(Generic[F]):
    """What every bulk job reports: each item in one outcome list, and why it stopped early.

    ``stopped_early`` holds the error that ended the job (``stop_on_error``, or an
    authentication failure), in which case inputs not yet read were not consumed.
    """

    failed: list[F] = attrs.field(factory=list)
    stopped_early: BaseException | None = None

    #: Each outcome class and the list that holds it; ``failed`` last.
    _outcomes: ClassVar[tuple[tuple[type, str], ...]]
    #: What a failed item is, in the ``raise_for_errors`` message.
    _noun: ClassVar[str]

    @property
    def total(self) -> int:
        """Items accounted for."""
        return sum(len(getattr(self, name)) for _, name in self._outcomes)

    def raise_for_errors(self) -> None:
        """Raise ``BulkError`` if any item failed."""
        if self.failed:
            first = self.failed[0]
            raise BulkError(
                f"{len(self.failed)} of {self.total} {self._noun} failed; first, "
                f"{self._label(first)}: {first.error}",
                self,
            )

    def _label(self, failure: F) -> str:
        """How the ``raise_for_errors`` message names a failed item; a product may override."""
        if isinstance(failure, FailedItem):
            return f"input {failure.index}"
        if isinstance(failure, TaskFailure):
            return f"task {failure.task_id}"
        return repr(failure)

    def _add(self, item: object) -> None:
        for cls, name in self._outcomes:
            if isinstance(item, cls):
                getattr(self, name).append(item)
                return
        raise TypeError(f"not an outcome of {type(self).__name__}: {item!r}")

    def _finish(self) -> None:
        """Put every list in input order (results arrive in completion order)."""

    async def _run(self, job: Job[Any, Any], source: Any) -> Self:
        """Run ``job`` over ``source`` with every outcome going into this result, in order."""

        async def collect(item: Any) -> None:
            self._add(item)

        self.stopped_early = await job.run(source, collect)
        self._finish()
        return self


@attrs.define(kw_only=True)
class BulkCreateResult(BulkResult[FailedItem], Generic[T]):
    """Every input of a ``create_tasks`` job, accounted for, in input order."""

    succeeded: list[CreatedTask[T]] = attrs.field(factory=list)

    _outcomes = ((CreatedTask, "succeeded"), (FailedItem, "failed"))
    _noun = "inputs"

    @property
    def created(self) -> int:
        """Tasks this job created."""
        return sum(not item.duplicate for item in self.succeeded)

    @property
    def duplicates(self) -> int:
        """Inputs whose task already existed (a re-run, or a ``unique_id`` reused)."""
        return sum(item.duplicate for item in self.succeeded)

    @property
    def task_ids(self) -> list[str]:
        """The task ids of the successful inputs, in input order."""
        return [item.task_id for item in self.succeeded]

    @property
    def tasks(self) -> list[T]:
        """The tasks of the successful inputs, in input order (``keep_tasks=True`` only)."""
        tasks = [item.task for item in self.succeeded if item.task is not None]
        if len(tasks) != len(self.succeeded):
            raise ValueError(
                "this result holds task ids only (task_ids): pass keep_tasks=True to "
                "create_tasks to keep every Task"
            )
        return tasks

    def _finish(self) -> None:
        self.succeeded.sort(key=lambda item: item.index)
        self.failed.sort(key=lambda item: item.index)


@attrs.define(kw_only=True)
class BulkCancelResult(BulkResult[TaskFailure], Generic[T]):
    """Every task of a cancellation job: cancelled, skipped or failed (skips are no failure)."""

    cancelled: list[CancelledTask[T]] = attrs.field(factory=list)
    skipped: list[SkippedTask] = attrs.field(factory=list)

    _outcomes = ((CancelledTask, "cancelled"), (SkippedTask, "skipped"), (TaskFailure, "failed"))
    _noun = "cancellations"


@attrs.define(kw_only=True)
class BulkUpdateResult(BulkResult[TaskFailure], Generic[T]):
    """Every task of a bulk tag or metadata job: updated or failed."""

    updated: list[UpdatedTask[T]] = attrs.field(factory=list)

    _outcomes = ((UpdatedTask, "updated"), (TaskFailure, "failed"))
    _noun = "updates"
