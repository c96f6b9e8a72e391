"""The generated fast builders give exactly what cattrs gives, and step aside when they can't."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from cattrs.gen import make_dict_structure_fn, override

from scale_async import Batch, Project, Task, TaskStatus
from scale_async._engine.model import Model
from scale_async._engine.serde import (
    _fast_builder,
    _optional,
    _Slow,
    converter,
    structure,
    structure_list,
)

TASK: dict[str, Any] = {
    "task_id": "t1",
    "type": "categorization",
    "status": "completed",
    "instruction": "pick",
    "params": {"attachment": "a", "categories": ["x", "y"]},
    "created_at": "2024-05-01T12:00:00.000Z",
    "metadata": {"row": 1, "nested": {"a": [1, 2]}},
    "callback_succeeded": True,
    "audits": [{"by": "me"}],
    "tags": ["a", "b"],
    "priority": 3,
    "unknown_key": 1,
}


def _cattrs(cls: type[Model], data: dict[str, Any]) -> Model:
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name.startswith("_"):
            overrides[field.name] = override(omit=True)
        elif "wire" in field.metadata:
            overrides[field.name] = override(rename=field.metadata["wire"])
    built: Model = make_dict_structure_fn(cls, converter, **overrides)(data, cls)
    return built


def _fields(obj: Model) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in attrs.fields(type(obj)) if f.name[0] != "_"}


@pytest.mark.parametrize("cls", [Task, Batch, Project])
def test_every_model_has_a_fast_builder(cls: type[Model]) -> None:
    assert _fast_builder(cls) is not None


def test_fast_task_equals_cattrs_task() -> None:
    fast = _fast_builder(Task)
    assert fast is not None
    built = fast(TASK)
    assert _fields(built) == _fields(_cattrs(Task, TASK))
    assert built.status is TaskStatus.Completed
    # Nested containers are the server's own, shared with the raw JSON as the SDK shares them.
    assert built.metadata is TASK["metadata"]
    assert built.tags is TASK["tags"]


@pytest.mark.parametrize(
    "change",
    [
        {"callback_succeeded": "true"},  # a boolean as a string: the bool hook decides
        {"priority": True},  # a bool where an int goes: cattrs converts
        {"instruction": 5},  # a number where a str goes: cattrs converts
        {"tags": ["a", 1]},  # a list item of another type
        {"metadata": [1]},  # a list where an object goes: cattrs raises
    ],
)
def test_values_of_other_types_take_the_slow_path(change: dict[str, Any]) -> None:
    fast = _fast_builder(Task)
    assert fast is not None
    with pytest.raises(_Slow):
        fast({**TASK, **change})


def test_a_missing_required_key_takes_the_slow_path() -> None:
    fast = _fast_builder(Task)
    assert fast is not None
    with pytest.raises(KeyError):
        fast({k: v for k, v in TASK.items() if k != "task_id"})


def test_absent_and_null_optional_fields_are_none() -> None:
    fast = _fast_builder(Task)
    assert fast is not None
    data = {"task_id": "t2", "status": "pending", "type": None}
    built = fast(data)
    assert _fields(built) == _fields(_cattrs(Task, data))
    assert built.type is None
    assert built.tags is None


@pytest.mark.parametrize(
    ("tp", "expected"),
    [
        (str, (str, False)),
        (str | None, (str, True)),
        (Any, (Any, True)),
        (TaskStatus | None, (TaskStatus, True)),
        (TaskStatus | str | None, (TaskStatus | str | None, True)),
        (TaskStatus | str, (TaskStatus | str, False)),
        (int | str | None, (int | str | None, False)),
    ],
)
def test_optional_strips_none_only_where_the_builder_checks_it(tp: Any, expected: Any) -> None:
    assert _optional(tp) == expected


def test_a_fast_page_is_bound_and_keeps_its_json() -> None:
    client = object()
    docs = [dict(TASK, task_id=f"t{i}") for i in range(3)]
    tasks = structure_list(docs, Task, client=client)
    assert [t.task_id for t in tasks] == ["t0", "t1", "t2"]
    assert all(t._client is client for t in tasks)
    assert all(t._raw is doc for t, doc in zip(tasks, docs, strict=True))


def test_a_page_with_an_item_for_cattrs_builds_every_item_as_alone() -> None:
    docs = [TASK, {**TASK, "task_id": "t2", "callback_succeeded": "false"}]
    tasks = structure_list(docs, Task, client="c")
    alone = [structure(doc, Task, client="c") for doc in docs]
    assert [_fields(t) for t in tasks] == [_fields(t) for t in alone]
    assert tasks[1].callback_succeeded is False
    assert all(t._client == "c" for t in tasks)


def test_new_enum_values_are_remembered_as_the_hook_answers_them() -> None:
    fast = _fast_builder(Task)
    assert fast is not None
    first = fast({**TASK, "status": "archived-for-this-test"})
    again = fast({**TASK, "status": "archived-for-this-test"})
    assert first.status is again.status
    assert first.status == converter.structure("archived-for-this-test", TaskStatus)
    assert isinstance(first.status, TaskStatus)


@attrs.define(kw_only=True, eq=False)
class _Defaults(Model):
    name: str
    flag: bool = False
    items: list[str] = attrs.Factory(list)
    count: int | None = None
    anything: Any = None


@attrs.define(kw_only=True, eq=False)
class _Validated(Model):
    name: str = attrs.field(validator=attrs.validators.min_len(1))
    size: int | None = None


@pytest.mark.parametrize(
    "data",
    [
        {"name": "n"},
        {"name": "n", "flag": True, "items": ["a"], "count": 2, "anything": [1]},
        {"name": "n", "count": None, "anything": None},
    ],
)
def test_defaults_absent_and_present_as_cattrs_gives_them(data: dict[str, Any]) -> None:
    fast = _fast_builder(_Defaults)
    assert fast is not None
    built = fast(data)
    assert _fields(built) == _fields(_cattrs(_Defaults, data))
    assert built._raw is data
    if "items" not in data:
        assert built.items == []
        assert built.items is not fast(data).items  # a new default each time


@pytest.mark.parametrize("change", [{"flag": None}, {"items": None}, {"count": "2"}])
def test_a_null_or_other_type_where_none_is_no_value_takes_the_slow_path(
    change: dict[str, Any],
) -> None:
    fast = _fast_builder(_Defaults)
    assert fast is not None
    with pytest.raises(_Slow):
        fast({"name": "n", **change})


def test_a_model_with_a_validator_is_built_through_its_init() -> None:
    fast = _fast_builder(_Validated)
    assert fast is not None
    built = fast({"name": "n", "size": 3}, "client")
    assert (built.name, built.size, built._client) == ("n", 3, "client")
    with pytest.raises(ValueError, match="name"):
        fast({"name": ""})


def _task_json() -> dict[str, Any]:
    return {**TASK, "metadata": {"row": 1, "nested": {"a": [1, 2]}}, "tags": ["a", "b"]}


@pytest.mark.parametrize("path", ["fast", "slow", "page"])
def test_fields_share_the_raw_json_and_as_dict_is_an_independent_copy(path: str) -> None:
    """As the SDK's models do, fields are the server's values themselves; as_dict() copies."""
    data = _task_json()
    if path == "slow":
        data["callback_succeeded"] = "true"  # a value only cattrs reads: the slow path
        task = structure(data, Task)
    elif path == "page":
        (task,) = structure_list([data], Task)
    else:
        task = structure(data, Task)
    assert task._raw is data
    assert task.metadata is data["metadata"]
    assert task.tags is data["tags"]
    assert task.params is data["params"]
    copied = task.as_dict()
    assert copied == data
    copied["metadata"]["nested"]["a"].append(3)
    copied["tags"].append("c")
    assert task.metadata == {"row": 1, "nested": {"a": [1, 2]}}
    assert task.tags == ["a", "b"]
    assert task.as_dict()["tags"] == ["a", "b"]


def test_a_converted_value_is_a_new_one_and_the_raw_json_stays_as_sent() -> None:
    data = {**_task_json(), "tags": ["a", 1]}  # an item cattrs must convert
    task = structure(data, Task)
    assert task.tags == ["a", "1"]
    assert data["tags"] == ["a", 1]
    assert task.metadata is data["metadata"]
