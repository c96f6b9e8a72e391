"""The one bulk result base: v1's and v2's results account and report alike."""

from __future__ import annotations

from typing import Any, cast

import pytest

from scale_async.bulk import BulkCancelResult, BulkError, SkippedTask, TaskFailure
from scale_async.v2._bulk import BatchActionsResult, BatchDone, BatchFailure


def test_batch_results_stand_on_the_bulk_base() -> None:
    result = BatchActionsResult()
    result._add(BatchDone(batch="b1", result={"ok": True}))
    result._add(BatchFailure(batch="b2", error=RuntimeError("boom")))
    result._add(BatchFailure(batch="b3", error=RuntimeError("later")))
    assert [item.batch for item in result.done] == ["b1"]
    assert [item.batch for item in result.failed] == ["b2", "b3"]
    assert result.total == 3
    with pytest.raises(BulkError, match=r"2 of 3 batches failed; first, b2: boom$") as caught:
        result.raise_for_errors()
    assert caught.value.result is result


def test_a_batch_result_refuses_an_outcome_it_does_not_hold() -> None:
    result = BatchActionsResult()
    with pytest.raises(TypeError, match="not an outcome of BatchActionsResult"):
        result._add(SkippedTask(task_id="t1", reason="completed"))
    assert result.total == 0


def test_task_failures_are_named_by_task_id() -> None:
    result: BulkCancelResult = BulkCancelResult()
    result._add(SkippedTask(task_id="t0", reason="completed"))
    result._add(TaskFailure(task_id="t9", error=ValueError("nope")))
    with pytest.raises(BulkError, match=r"1 of 2 cancellations failed; first, task t9: nope$"):
        result.raise_for_errors()


def test_no_failure_raises_nothing() -> None:
    result = BatchActionsResult()
    result._add(BatchDone(batch="b1", result=None))
    result.raise_for_errors()
    assert result.failed == []


class _Job:
    """A stand-in for the engine's Job: emits its outcomes out of order, then stops early."""

    def __init__(self, outcomes: list[object], stopped: BaseException | None) -> None:
        self.outcomes, self.stopped = outcomes, stopped
        self.source: object = None

    async def run(self, source: object, emit: Any) -> BaseException | None:
        self.source = source
        for outcome in self.outcomes:
            await emit(outcome)
        return self.stopped


async def test_run_collects_every_outcome_in_input_order_and_why_it_stopped() -> None:
    from scale_async.bulk import BulkCreateResult, CreatedTask, FailedItem

    stop = RuntimeError("bad key")
    job = _Job(
        [
            FailedItem(index=2, payload={"p": 2}, error=ValueError("x")),
            CreatedTask(index=1, task_id="t1", task=cast(Any, "t1"), unique_id="u1"),
            CreatedTask(index=0, task_id="t0", task=cast(Any, "t0"), unique_id="u0"),
        ],
        stop,
    )
    result: BulkCreateResult[Any] = BulkCreateResult()
    returned = await result._run(job, ["in"])  # type: ignore[arg-type]
    assert returned is result
    assert job.source == ["in"]
    assert [item.index for item in result.succeeded] == [0, 1]
    assert [item.index for item in result.failed] == [2]
    assert result.stopped_early is stop
