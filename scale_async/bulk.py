"""What bulk operations report: one outcome per input, in input order, and the totals."""

from __future__ import annotations

from typing import Any

import attrs

from ._engine.jobs import Progress
from .exceptions import ScaleException
from .tasks import TaskFields

__all__ = [
    "BulkError",
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


class BulkError(ScaleException):
    """Raised by ``raise_for_errors()``: some items failed. ``result`` holds every outcome."""

    def __init__(self, message: str, result: Any) -> None:
        super().__init__(message)
        self.result = result


@attrs.frozen(kw_only=True)
class CreatedTask:
    """A payload that has its task: ``duplicate`` when the task already existed before."""

    index: int
    task: TaskFields
    unique_id: str
    duplicate: bool = False


@attrs.frozen(kw_only=True)
class FailedItem:
    """An input that did not succeed, with its position, the input itself and the error."""

    index: int
    payload: Any
    error: BaseException


@attrs.define(kw_only=True)
class BulkCreateResult:
    """Every input of a ``create_tasks`` job, accounted for, in input order.

    ``stopped_early`` holds the error that ended the job (``stop_on_error``, or an
    authentication failure), in which case inputs not yet read were not consumed.
    """

    succeeded: list[CreatedTask] = attrs.field(factory=list)
    failed: list[FailedItem] = attrs.field(factory=list)
    stopped_early: BaseException | None = None

    @property
    def created(self) -> int:
        """Tasks this job created."""
        return sum(not item.duplicate for item in self.succeeded)

    @property
    def duplicates(self) -> int:
        """Inputs whose task already existed (a re-run, or a ``unique_id`` reused)."""
        return sum(item.duplicate for item in self.succeeded)

    @property
    def total(self) -> int:
        """Inputs accounted for."""
        return len(self.succeeded) + len(self.failed)

    @property
    def tasks(self) -> list[TaskFields]:
        """The tasks of the successful inputs, in input order."""
        return [item.task for item in self.succeeded]

    def raise_for_errors(self) -> None:
        """Raise ``BulkError`` if any input failed."""
        if self.failed:
            first = self.failed[0]
            raise BulkError(
                f"{len(self.failed)} of {self.total} inputs failed; first, input "
                f"{first.index}: {first.error}",
                self,
            )

    def _add(self, item: CreatedTask | FailedItem) -> None:
        (self.succeeded if isinstance(item, CreatedTask) else self.failed).append(item)  # type: ignore[arg-type]

    def _finish(self) -> None:
        self.succeeded.sort(key=lambda item: item.index)
        self.failed.sort(key=lambda item: item.index)


@attrs.frozen(kw_only=True)
class CancelledTask:
    """A task this job cancelled."""

    task_id: str
    task: TaskFields


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


@attrs.define(kw_only=True)
class BulkCancelResult:
    """Every task of a cancellation job: cancelled, skipped or failed."""

    cancelled: list[CancelledTask] = attrs.field(factory=list)
    skipped: list[SkippedTask] = attrs.field(factory=list)
    failed: list[TaskFailure] = attrs.field(factory=list)
    stopped_early: BaseException | None = None

    @property
    def total(self) -> int:
        """Tasks accounted for."""
        return len(self.cancelled) + len(self.skipped) + len(self.failed)

    def raise_for_errors(self) -> None:
        """Raise ``BulkError`` if any cancellation failed (skips are not failures)."""
        if self.failed:
            first = self.failed[0]
            raise BulkError(
                f"{len(self.failed)} of {self.total} cancellations failed; first, task "
                f"{first.task_id}: {first.error}",
                self,
            )

    def _add(self, item: CancelledTask | SkippedTask | TaskFailure) -> None:
        if isinstance(item, CancelledTask):
            self.cancelled.append(item)
        elif isinstance(item, SkippedTask):
            self.skipped.append(item)
        else:
            self.failed.append(item)


@attrs.frozen(kw_only=True)
class UpdatedTask:
    """A task this job changed, as the server returned it."""

    task_id: str
    task: TaskFields


@attrs.define(kw_only=True)
class BulkUpdateResult:
    """Every task of a bulk tag or metadata job: updated or failed."""

    updated: list[UpdatedTask] = attrs.field(factory=list)
    failed: list[TaskFailure] = attrs.field(factory=list)
    stopped_early: BaseException | None = None

    @property
    def total(self) -> int:
        """Tasks accounted for."""
        return len(self.updated) + len(self.failed)

    def raise_for_errors(self) -> None:
        """Raise ``BulkError`` if any update failed."""
        if self.failed:
            first = self.failed[0]
            raise BulkError(
                f"{len(self.failed)} of {self.total} updates failed; first, task "
                f"{first.task_id}: {first.error}",
                self,
            )

    def _add(self, item: UpdatedTask | TaskFailure) -> None:
        (self.updated if isinstance(item, UpdatedTask) else self.failed).append(item)  # type: ignore[arg-type]
