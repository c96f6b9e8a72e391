"""A model reaches sync callers as its twin by a change of class; runners follow clients."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

import scale_async
import scale_sync
from scale_async._engine.model import Model
from scale_async._engine.serde import structure, structure_list
from scale_sync._base import SyncModelMixin
from scale_sync._convert import _converter, register_runner, runner_for, to_sync

TASK = {"task_id": "t1", "status": "completed", "tags": ["a"], "metadata": {"k": 1}}


def test_a_task_becomes_its_twin_in_place() -> None:
    task: Any = structure(TASK, scale_async.Task, client="async-client")
    twin: Any = to_sync(task)
    twin.note = "set by the caller"  # as on the SDK's plain objects
    assert twin.note == "set by the caller"
    assert twin is task
    assert type(twin) is scale_sync.Task
    assert (twin.task_id, twin.tags, twin.metadata, twin._client) == (
        "t1",
        ["a"],
        {"k": 1},
        "async-client",
    )
    assert str(twin) == "Task(id=t1)"


def test_a_page_of_tasks_becomes_a_page_of_twins() -> None:
    tasks = structure_list([TASK, {**TASK, "task_id": "t2"}], scale_async.Task)
    page = scale_async.Tasklist(tasks, 2, 100, 0, False, None)
    twins = to_sync(page)
    assert type(twins) is scale_sync.Tasklist
    assert [type(t) for t in twins] == [scale_sync.Task, scale_sync.Task]
    assert [t.task_id for t in twins] == ["t1", "t2"]
    assert to_sync([*tasks, "other"])[2] == "other"


@attrs.define(kw_only=True, eq=False)
class _Plain(Model):
    name: str


@attrs.define(kw_only=True, eq=False)
class _WithState(SyncModelMixin, _Plain):
    extra: int = 0


def test_a_twin_with_other_slots_is_a_copy_through_its_init() -> None:
    convert = _converter(_Plain, _WithState)
    model = _Plain(name="n")
    twin = convert(model)
    assert twin is not model
    assert type(twin) is _WithState
    assert (twin.name, twin.extra) == ("n", 0)


def test_the_runner_follows_the_async_client() -> None:
    class Client:
        pass

    client, runner = Client(), object()
    assert runner_for(client) is None
    register_runner(client, runner)
    assert runner_for(client) is runner
    assert runner_for(["not", "hashable"]) is None
    twin = to_sync(structure(TASK, scale_async.Task, client=client))
    assert twin._runner is runner


def test_a_twin_of_no_sync_client_says_so() -> None:
    twin: Any = to_sync(structure(TASK, scale_async.Task, client=None))
    with pytest.raises(RuntimeError, match="not bound to a sync client"):
        twin.refresh()
