"""The generated fast builders give exactly what cattrs gives, and step aside when they can't."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from cattrs.gen import make_dict_structure_fn, override

from scale_async import Batch, Project, Task, TaskStatus
from scale_async._engine.model import Model
from scale_async._engine.serde import _SLOW, _fast_builder, converter

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
    assert built is not _SLOW
    assert _fields(built) == _fields(_cattrs(Task, TASK))
    assert built.status is TaskStatus.Completed
    # Nested containers are new objects, as cattrs makes them: the raw JSON stays intact.
    assert built.metadata is not TASK["metadata"]
    assert built.tags is not TASK["tags"]


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
    assert fast({**TASK, **change}) is _SLOW


def test_a_missing_required_key_takes_the_slow_path() -> None:
    fast = _fast_builder(Task)
    assert fast is not None
    assert fast({k: v for k, v in TASK.items() if k != "task_id"}) is _SLOW


def test_absent_and_null_optional_fields_are_none() -> None:
    fast = _fast_builder(Task)
    assert fast is not None
    data = {"task_id": "t2", "status": "pending", "type": None}
    built = fast(data)
    assert built is not _SLOW
    assert _fields(built) == _fields(_cattrs(Task, data))
    assert built.type is None
    assert built.tags is None
