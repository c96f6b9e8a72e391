"""Response models: lenient structuring of Task JSON, pages, and the SDK's enums."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest

from scale_async import (
    BatchStatus,
    Paginator,
    ScaleInvalidResponse,
    Task,
    Tasklist,
    TaskReviewStatus,
    TaskStatus,
    TaskType,
    TeammateRole,
)
from scale_async._engine.serde import structure, structure_list


class SentinelClient:
    """Stands in for a client; its repr must never show up in a model's repr."""

    def __repr__(self) -> str:
        return "<SentinelClient secret-key-xyz>"


def task_json(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "task_id": "t_1",
        "type": "categorization",
        "status": "completed",
        "instruction": "Pick one",
        "params": {"attachment": "https://example.com/a.png"},
        "metadata": {"customer": "m-42"},
        "tags": ["a", "b"],
        "callback_succeeded": True,
        "is_test": False,
        "priority": 30,
        "response": {"category": "cat"},
    }
    data.update(extra)
    return data


# -- Task ------------------------------------------------------------------------------------


def test_task_typed_fields() -> None:
    """Documented keys become typed attributes; known enum values become enums."""
    task = structure(task_json(), Task)
    assert task.task_id == "t_1"
    assert task.id == "t_1"
    assert task.type is TaskType.Categorization
    assert task.status is TaskStatus.Completed
    assert task.status == "completed"  # type: ignore[comparison-overlap]  # a str enum
    assert task.tags == ["a", "b"]
    assert task.metadata == {"customer": "m-42"}
    assert task.callback_succeeded is True
    assert task.is_test is False
    assert task.priority == 30
    assert task.batch is None


def test_task_keeps_unknown_keys() -> None:
    """Keys the model does not know are readable as attributes and kept by as_dict()."""
    data = task_json(new_field={"nested": [1, 2]}, sequence=7)
    task = structure(data, Task)
    # Unknown keys read as attributes at run time only; type checkers see the documented fields.
    assert task.new_field == {"nested": [1, 2]}  # type: ignore[attr-defined]
    assert task.sequence == 7  # type: ignore[attr-defined]
    assert task.as_dict() == data


def test_task_as_dict_is_deep_copy() -> None:
    """Changing what as_dict() returns changes neither the task nor later copies."""
    task = structure(task_json(extra={"deep": ["x"]}), Task)
    copy = task.as_dict()
    copy["extra"]["deep"].append("y")
    copy["metadata"]["customer"] = "changed"
    copy["task_id"] = "other"
    assert task.as_dict()["extra"] == {"deep": ["x"]}
    assert task.as_dict()["metadata"] == {"customer": "m-42"}
    assert task.as_dict()["task_id"] == "t_1"
    assert task.extra == {"deep": ["x"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "archived"), ("type", "brandnewtype")],
)
def test_task_unknown_enum_value_becomes_a_pseudo_member(field: str, value: str) -> None:
    """A value the server adds later is kept, not refused, and still of the field's enum
    type (so ``s: TaskStatus = task.status`` is true), without joining the enum's members."""
    task = structure(task_json(**{field: value}), Task)
    got = getattr(task, field)
    enum_cls = {"status": TaskStatus, "type": TaskType}[field]
    assert got == value
    assert isinstance(got, enum_cls)
    assert (str(got), f"{got}", got.value) == (value, value, value)
    assert value not in [m.value for m in enum_cls]
    assert got not in enum_cls
    assert structure(task_json(**{field: value}), Task).__getattribute__(field) is got
    with pytest.raises(ValueError, match="is not a valid"):
        enum_cls(value)


def test_task_error_status() -> None:
    """'error', documented by Scale but not an SDK member, arrives as a pseudo-member."""
    task = structure(task_json(status="error"), Task)
    assert task.status == "error"
    assert isinstance(task.status, TaskStatus)
    assert not hasattr(TaskStatus, "Error")


def test_task_null_type_stays_none_but_status_is_required() -> None:
    """Every task Scale returns has a status (so the field is typed TaskStatus, not
    Optional); a missing or null one is a malformed answer. A missing type stays None."""
    task = structure({"task_id": "t", "status": "pending", "type": None}, Task)
    assert task.status is TaskStatus.Pending
    assert task.type is None
    for bad in ({"task_id": "t"}, {"task_id": "t", "status": None}):
        with pytest.raises(ScaleInvalidResponse, match="status"):
            structure(bad, Task, method="GET", path="task/t")


def test_task_missing_task_id() -> None:
    """A task without task_id is an invalid response that names the field."""
    with pytest.raises(ScaleInvalidResponse) as info:
        structure({"status": "pending"}, Task, method="GET", path="task/x")
    assert "task_id" in info.value.message
    assert "Task" in info.value.message
    assert (info.value.method, info.value.path) == ("GET", "task/x")


@pytest.mark.parametrize("data", [["t_1"], "t_1", 42, None])
def test_task_not_an_object(data: Any) -> None:
    """A non-object where a task is expected is an invalid response saying so."""
    with pytest.raises(ScaleInvalidResponse) as info:
        structure(data, Task)
    assert "JSON object" in info.value.message


@pytest.mark.parametrize("value", ["yes", 1, "1", "on", [True]])
def test_task_bool_field_is_strict(value: Any) -> None:
    """A boolean field only accepts booleans (or 'true'/'false' strings)."""
    with pytest.raises(ScaleInvalidResponse) as info:
        structure(task_json(is_test=value), Task)
    assert "is_test" in info.value.message


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("False", False), (True, True)])
def test_task_bool_field_accepts_true_false_strings(value: Any, expected: bool) -> None:
    """'true'/'false' (any case) are read as booleans."""
    assert structure(task_json(callback_succeeded=value), Task).callback_succeeded is expected


def test_task_unknown_attribute_raises() -> None:
    """An attribute that is neither a field nor a key raises AttributeError naming it."""
    task = structure(task_json(), Task)
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = task.no_such_thing  # type: ignore[attr-defined]
    assert not hasattr(task, "no_such_thing")
    with pytest.raises(AttributeError):
        _ = task._hidden  # type: ignore[attr-defined]


def test_task_str_and_repr() -> None:
    """str() is short; repr() shows fields but never the bound client or unknown keys."""
    client = SentinelClient()
    task = structure(task_json(unlisted_secret="hidden-value"), Task, client=client)
    assert str(task) == "Task(id=t_1)"
    text = repr(task)
    assert text.startswith("Task(")
    assert "task_id='t_1'" in text
    assert "SentinelClient" not in text
    assert "secret-key-xyz" not in text
    assert "hidden-value" not in text
    assert "_raw" not in text
    assert "_client" not in text


def test_task_bound_to_client() -> None:
    """structure() binds the model to the client it was fetched with."""
    client = SentinelClient()
    task = structure(task_json(), Task, client=client)
    assert task._client is client


def test_tasks_compare_by_identity() -> None:
    """Two tasks built from the same JSON are distinct objects, as in the SDK."""
    a = structure(task_json(), Task)
    b = structure(task_json(), Task)
    assert a == a
    assert a != b


def test_structure_list() -> None:
    """A JSON array becomes a list of tasks; anything else is an invalid response."""
    tasks = structure_list([task_json(), task_json(task_id="t_2")], Task)
    assert [t.id for t in tasks] == ["t_1", "t_2"]
    assert all(isinstance(t, Task) for t in tasks)
    assert structure_list([], Task) == []
    with pytest.raises(ScaleInvalidResponse) as info:
        structure_list({"docs": []}, Task, method="GET", path="tasks")
    assert "JSON array" in info.value.message
    assert "dict" in info.value.message
    assert info.value.path == "tasks"


def test_structure_list_bad_item() -> None:
    """One malformed item makes the whole list an invalid response."""
    with pytest.raises(ScaleInvalidResponse, match="task_id"):
        structure_list([task_json(), {"status": "pending"}], Task)


# -- Paginator -----------------------------------------------------------------------------


def test_paginator_attributes_and_list_behaviour() -> None:
    """A page is a list of its items plus total, limit, offset, has_more and next_token."""
    page = Paginator(["a", "b", "c"], total=10, limit=3, offset=3, has_more=True, next_token="n1")
    assert isinstance(page, list)
    assert len(page) == 3
    assert page[0] == "a"
    assert page[-1] == "c"
    assert list(page) == ["a", "b", "c"]
    assert page == ["a", "b", "c"]
    assert "b" in page
    assert (page.total, page.limit, page.offset, page.has_more, page.next_token) == (
        10,
        3,
        3,
        True,
        "n1",
    )
    docs = page.docs
    assert docs == ["a", "b", "c"]
    assert type(docs) is list
    docs.append("d")
    assert len(page) == 3


def test_paginator_defaults_and_repr() -> None:
    """A bare page has no totals and says it has no more."""
    page = Paginator(iter([1, 2]))
    assert page == [1, 2]
    assert (page.total, page.limit, page.offset, page.has_more, page.next_token) == (
        None,
        None,
        None,
        False,
        None,
    )
    assert repr(page) == "Paginator(docs=2, total=None, has_more=False, next_token=None)"


def test_tasklist_is_a_paginator() -> None:
    """Tasklist is the SDK-named page of tasks."""
    task = structure(task_json(), Task)
    page = Tasklist([task], 1, 100, 0, False, None)
    assert isinstance(page, Paginator)
    assert page[0] is task
    assert page.docs == [task]
    assert repr(page).startswith("Tasklist(docs=1")


# -- enums ---------------------------------------------------------------------------------

SDK_TASK_TYPES = {
    "Annotation": "annotation",
    "Categorization": "categorization",
    "Comparison": "comparison",
    "CuboidAnnotation": "cuboidannotation",
    "DataCollection": "datacollection",
    "DocumentModel": "documentmodel",
    "DocumentTranscription": "documenttranscription",
    "ImageAnnotation": "imageannotation",
    "LaneAnnotation": "laneannotation",
    "LidarAnnotation": "lidarannotation",
    "LidarLinking": "lidarlinking",
    "LidarSegmentation": "lidarsegmentation",
    "LidarTopdown": "lidartopdown",
    "LineAnnotation": "lineannotation",
    "NamedEntityRecognition": "namedentityrecognition",
    "PointAnnotation": "pointannotation",
    "PolygonAnnotation": "polygonannotation",
    "SegmentAnnotation": "segmentannotation",
    "Transcription": "transcription",
    "TextCollection": "textcollection",
    "VideoAnnotation": "videoannotation",
    "VideoBoxAnnotation": "videoboxannotation",
    "VideoPlaybackAnnotation": "videoplaybackannotation",
    "VideoCuboidAnnotation": "videocuboidannotation",
    "SensorFusion": "sensorfusion",
    "Chat": "chat",
    "ChatExperimental": "chatexperimental",
    "ChatLite": "chatlite",
    "MultiChat": "multichat",
    "MultiStage": "multistage",
    "Federal2dVideoAnnotation": "federal2dvideoannotation",
}


def members(enum: Any) -> dict[str, str]:
    return {member.name: member.value for member in enum}


def test_task_type_matches_sdk() -> None:
    """TaskType has the SDK's 31 members with its exact values."""
    assert len(TaskType) == 31
    assert members(TaskType) == SDK_TASK_TYPES


def test_task_status_values() -> None:
    """TaskStatus is the SDK's three states; iteration lists nothing else."""
    assert members(TaskStatus) == {
        "Pending": "pending",
        "Completed": "completed",
        "Canceled": "canceled",
    }


def test_task_review_status_values() -> None:
    """TaskReviewStatus matches the SDK."""
    assert members(TaskReviewStatus) == {
        "Accepted": "accepted",
        "Fixed": "fixed",
        "Commented": "commented",
        "Rejected": "rejected",
        "Pending": "pending",
    }


def test_batch_status_values() -> None:
    """BatchStatus matches the SDK."""
    assert members(BatchStatus) == {
        "Staging": "staging",
        "InProgress": "in_progress",
        "Completed": "completed",
    }


def test_teammate_role_values() -> None:
    """TeammateRole matches the SDK."""
    assert members(TeammateRole) == {
        "Labeler": "labeler",
        "Member": "member",
        "Manager": "manager",
        "Admin": "admin",
    }


@pytest.mark.parametrize(
    "enum", [TaskType, TaskStatus, TaskReviewStatus, BatchStatus, TeammateRole]
)
def test_enums_compare_equal_to_their_values(enum: type[Enum]) -> None:
    """Every member is a str equal to its value, so plain strings keep working."""
    for member in enum:
        assert isinstance(member, str)
        assert member == member.value
        assert enum(member.value) is member


def test_a_string_where_a_list_belongs_is_refused() -> None:
    """cattrs alone would read "abc" as ["a", "b", "c"]; a malformed answer must say so."""
    from scale_async import ScaleInvalidResponse, Task
    from scale_async._engine.serde import structure

    with pytest.raises(ScaleInvalidResponse, match="tags"):
        structure({"task_id": "t", "status": "pending", "tags": "abc"}, Task)
    assert structure({"task_id": "t", "status": "pending", "tags": ["a"]}, Task).tags == ["a"]
