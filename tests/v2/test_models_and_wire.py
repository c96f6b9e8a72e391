"""The pure parts of v2: query and body building, and reading responses into models."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from scaleapi.api_client import v2 as sdk_v2

from scale_async import AsyncScaleClient, ScaleInvalidResponse
from scale_async._engine.partitions import Window
from scale_async._engine.serde import structure
from scale_async.v2 import (
    Annotation,
    AnnotationText,
    Batch,
    BatchOperationRequest,
    CreateBatchRequest,
    CreateChatTaskRequest,
    DetailedFile,
    ExpandableEnumTask,
    GetSchemaResponse,
    GetTasksResponse,
    Project,
    SetTaskMetadataRequest,
    Task,
    TaskStatus,
)
from scale_async.v2._hooks import parse_timestamp
from scale_async.v2._requests import request_body
from scale_async.v2._wire import v2_host, v2_query, v2_time, window_bounds

T = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("v1", "v2"),
    [
        ("https://api.scale.com/v1", "https://api.scale.com"),
        ("http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080"),
        ("https://proxy.example/scale", "https://proxy.example/scale"),
    ],
)
def test_the_v2_host_is_the_v1_url_without_v1(v1: str, v2: str) -> None:
    assert v2_host(v1) == v2


def test_times_are_sent_as_the_sdk_formats_them() -> None:
    assert v2_time("t", T) == "2024-05-01T12:00:00.123456+0000"
    assert v2_time("t", datetime(2024, 5, 1)) == "2024-05-01T00:00:00.000000"
    assert v2_time("t", "2024-05-01") == "2024-05-01"
    with pytest.raises(TypeError, match="t must be a datetime"):
        v2_time("t", 1714564800)


def test_queries_are_checked_and_shaped() -> None:
    query = v2_query(
        {"task_id": "t1", "expand": [ExpandableEnumTask.PROJECT, "batch"], "status": None},
        lists={"expand": ExpandableEnumTask},
    )
    assert query == {"task_id": "t1", "expand": ["project", "batch"]}
    assert v2_query({"status": TaskStatus.ERROR}, enums={"status": TaskStatus}) == {
        "status": "error"
    }
    for bad in (0, 101, True, "5"):
        with pytest.raises(ValueError, match="limit"):
            v2_query({"limit": bad})
    with pytest.raises(ValueError, match="expand value 'delivery' is not one of project, batch"):
        v2_query({"expand": ["delivery"]}, lists={"expand": ExpandableEnumTask})
    with pytest.raises(ValueError, match="status value 'done'"):
        v2_query({"status": "done"}, enums={"status": TaskStatus})
    with pytest.raises(TypeError, match="project_id must be a non-empty string"):
        v2_query({"project_id": 5})


def test_window_bounds_rename_the_windows_query() -> None:
    window = Window(T, T + timedelta(hours=1))
    bounds = window_bounds(window, "completed_after", "completed_before")
    assert bounds == {
        "completed_after": "2024-05-01T12:00:00.122Z",
        "completed_before": "2024-05-01T13:00:00.124Z",
    }
    assert window_bounds(Window(None, None), "a", "b") == {}


def test_request_bodies_from_any_spelling() -> None:
    expected: dict[str, Any] = {"name": "b", "project_name": "p", "metadata": {"k": 1}}
    assert request_body(CreateBatchRequest, None, expected) == expected
    assert request_body(CreateBatchRequest, CreateBatchRequest(**expected), {}) == expected
    sdk = sdk_v2.CreateBatchRequest(name="b", project_name="p", metadata={"k": 1})
    assert request_body(CreateBatchRequest, sdk, {}) == {**expected, "staging_batch": False}
    assert request_body(BatchOperationRequest, {"batch_id": "x"}, {"batch_id": "y"}) == {
        "batch_id": "y"
    }
    assert request_body(CreateChatTaskRequest, {}, {}, {"project_id": "p1"}) == {"project_id": "p1"}


def test_bad_request_bodies_fail_before_sending() -> None:
    with pytest.raises(TypeError, match="has no field 'nme'"):
        request_body(CreateBatchRequest, None, {"nme": "b", "project_name": "p"})
    with pytest.raises(ValueError, match="needs batch_id or batch_name"):
        request_body(BatchOperationRequest, None, {})
    with pytest.raises(ValueError, match="needs project_id or project_name"):
        request_body(CreateBatchRequest, None, {"name": "b"})
    with pytest.raises(TypeError, match="metadata"):
        request_body(SetTaskMetadataRequest, None, {"task_id": "t", "metadata": [1]})
    with pytest.raises(TypeError, match="request object or a dict"):
        request_body(CreateBatchRequest, 42, {})


@pytest.mark.anyio
async def test_bad_arguments_never_reach_the_network() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(500)

    transport = httpx.MockTransport(answer)
    async with AsyncScaleClient("test_k", transport=transport) as client:
        with pytest.raises(ValueError, match="limit"):
            await client.v2.get_tasks(project_name="p", limit=500)
        with pytest.raises(ValueError, match="get_batch needs"):
            await client.v2.get_batch()
        with pytest.raises(ValueError, match="task_id"):
            await client.v2.get_task("")
        with pytest.raises(TypeError, match="no field"):
            await client.v2.cancel_batch(batch_id="b", force=True)
        with pytest.raises(ValueError, match="partitions"):
            client.v2_get_tasks(project_name="p", status="completed", partitions=-1)
    assert seen == []


TASK: dict[str, Any] = {
    "task_id": "t1",
    "project": {"id": "p1", "name": "p", "created_at": "2024-05-01T12:00:00.000Z", "new": 1},
    "batch": "b1",
    "status": "archived",
    "created_at": "2024-05-01T12:00:00.250Z",
    "metadata": {"k": "v"},
    "threads": [
        {
            "id": "th1",
            "turns": [
                {
                    "id": "tu1",
                    "messages": [
                        {
                            "role": "critic",
                            "content": {"text": "hi", "attachments": [{"url": "u", "duration": 2}]},
                            "source_id": "s",
                            "annotations": [
                                {"id": "a1", "key": "k", "type": "text", "value": "x"},
                                {"id": "a2", "key": "k2", "type": "hologram", "value": [1]},
                            ],
                        }
                    ],
                    "annotations": [],
                }
            ],
            "annotations": [],
        }
    ],
    "brand_new_field": {"x": 1},
}


def test_tasks_read_leniently_and_keep_everything() -> None:
    task = structure(TASK, Task)
    assert task.task_id == "t1"
    assert isinstance(task.project, Project)
    assert task.project.created_at == datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    assert task.batch == "b1"
    # An unknown status is kept, as the shared enum rule keeps it (a pseudo-member today).
    assert task.status == "archived"
    assert task.status not in list(TaskStatus)
    assert task.brand_new_field == {"x": 1}  # type: ignore[attr-defined]
    assert task.as_dict() == TASK
    message = task.threads[0].turns[0].messages[0]  # type: ignore[index]
    assert message.role == "critic"
    assert message.content is not None
    assert message.content.attachments is not None
    attachment = message.content.attachments[0]
    assert isinstance(attachment, DetailedFile)
    assert attachment.duration == 2.0
    known, unknown = message.annotations
    assert isinstance(known, AnnotationText)
    assert known.value == "x"
    assert isinstance(unknown, Annotation)
    assert not isinstance(unknown, AnnotationText)
    assert unknown.value == [1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T12:00:00.123Z", datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=timezone.utc)),
        ("2024-05-01T12:00:00z", datetime(2024, 5, 1, 12, tzinfo=timezone.utc)),
        ("2024-05-01T14:00:00+02:00", datetime(2024, 5, 1, 12, tzinfo=timezone.utc)),
        ("2024-05-01T12:00:00", datetime(2024, 5, 1, 12, tzinfo=timezone.utc)),  # no zone: UTC
        (
            "2024-05-01T12:00:00.1234567Z",
            datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=timezone.utc),
        ),
    ],
)
def test_timestamps_are_aware_datetimes(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize("bad", ["yesterday", "", 1714564800, None])
def test_bad_timestamps_are_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="ISO-8601 date-time"):
        parse_timestamp(bad)


def test_malformed_responses_are_our_exception() -> None:
    with pytest.raises(ScaleInvalidResponse, match="GetTasksResponse"):
        structure({"next_token": None}, GetTasksResponse)
    with pytest.raises(ScaleInvalidResponse):
        structure({"task_id": "t", "project": 5}, Task)
    with pytest.raises(ScaleInvalidResponse):
        structure({"id": "b", "created_at": "yesterday"}, Batch)


def test_the_sdks_renamed_fields_read_both_ways() -> None:
    schema = structure({"schema": {"id": "s", "json": "{}"}}, GetSchemaResponse)
    assert schema.var_schema.id == schema.schema.id == "s"
    assert schema.var_schema.var_json == schema.schema.json == "{}"


@pytest.mark.anyio
async def test_v2_calls_carry_the_clients_settings() -> None:
    """The key as a Bearer token, the ``source`` in the User-Agent, the v2 host."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"datasets": []})

    async with AsyncScaleClient(
        "test_settings",
        source="my-pipeline",
        api_instance_url="https://proxy.example/scale/v1",
        transport=httpx.MockTransport(answer),
    ) as client:
        assert (await client.v2.get_datasets()).datasets == []
    [request] = seen
    assert str(request.url) == "https://proxy.example/scale/v2/datasets"
    assert request.headers["authorization"] == "Bearer test_settings"
    assert request.headers["user-agent"].endswith(" my-pipeline")
