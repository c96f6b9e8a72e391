"""``client.api``: the SDK's raw requests, on the same retries, errors and redaction."""

from __future__ import annotations

import io

import httpx
import pytest

import scale_sync
from scale_async import (
    AsyncScaleClient,
    ScaleInternalError,
    ScaleInvalidRequest,
    ScaleServiceUnavailable,
)
from scale_async._api.legacy import process_tasks_endpoint_args, request_files
from tests.drivers import Sleeps, fast_policy, make_driver
from tests.scripted import Scripted, fail, ok

KEY = "test_raw_secret_key"


async def raw(kind: str, script: Scripted, method: str, *args: object, **kwargs: object) -> object:
    driver = make_driver(kind, script, api_key=KEY, retry=fast_policy(Sleeps()))
    try:
        return await driver.method(driver.client.api, method, *args, **kwargs)
    finally:
        await driver.aclose()


async def test_get_request_sends_the_query_and_returns_the_json(client_kind: str) -> None:
    script = Scripted(ok({"docs": [], "total": 0}))
    got = await raw(
        client_kind, script, "get_request", "tasks", params={"project": "p q", "tags": ["a", "b"]}
    )
    assert got == {"docs": [], "total": 0}
    request = script.requests[0]
    assert request.method == "GET"
    assert request.url.path == "/v1/tasks"
    assert request.url.params.multi_items() == [("project", "p q"), ("tags", "a"), ("tags", "b")]
    assert request.headers["authorization"].startswith("Basic ")


async def test_post_request_sends_a_json_body(client_kind: str) -> None:
    script = Scripted(ok({"name": "p"}))
    body = {"ontology": ["a"], "name": "v1"}
    got = await raw(client_kind, script, "post_request", "projects/p/setOntology", body=body)
    assert got == {"name": "p"}
    assert script.paths == ["POST /v1/projects/p/setOntology"]
    assert script.body() == body


async def test_an_empty_body_is_no_body_as_in_the_sdk(client_kind: str) -> None:
    script = Scripted(ok({}))
    await raw(client_kind, script, "post_request", "batches/b/finalize", body={})
    assert script.requests[0].content == b""


async def test_put_and_delete_carry_their_bodies(client_kind: str) -> None:
    script = Scripted(ok({"task_id": "t"}))
    await raw(client_kind, script, "put_request", "task/t/tags", body=["x"])
    await raw(client_kind, script, "delete_request", "/task/t/tags", body=["x"])
    assert script.paths == ["PUT /v1/task/t/tags", "DELETE /v1/task/t/tags"]
    assert script.body(0) == script.body(1) == ["x"]


async def test_a_success_without_json_returns_none(client_kind: str) -> None:
    script = Scripted(httpx.Response(200, text="OK"))
    assert await raw(client_kind, script, "post_request", "task/t/audit", body={"a": 1}) is None


async def test_get_is_retried_like_every_call(client_kind: str) -> None:
    script = Scripted(fail(503), fail(500), ok([1, 2]))
    assert await raw(client_kind, script, "get_request", "teams") == [1, 2]
    assert len(script.requests) == 3


async def test_a_post_without_unique_id_is_not_replayed_after_a_5xx(client_kind: str) -> None:
    script = Scripted(fail(500), ok({}))
    with pytest.raises(ScaleInternalError):
        await raw(client_kind, script, "post_request", "task/imageannotation", body={"a": 1})
    assert len(script.requests) == 1


async def test_a_post_with_unique_id_is_replayed(client_kind: str) -> None:
    script = Scripted(fail(503), ok({"task_id": "t"}))
    got = await raw(client_kind, script, "post_request", "task/x", body={"unique_id": "u"})
    assert got == {"task_id": "t"}
    assert len(script.requests) == 2


async def test_errors_are_the_sdk_classes_with_the_key_redacted(client_kind: str) -> None:
    script = Scripted(fail(400, f"bad key {KEY} here"))
    with pytest.raises(ScaleInvalidRequest) as info:
        await raw(client_kind, script, "get_request", "tasks")
    assert info.value.code == 400
    assert KEY not in info.value.message
    assert KEY not in str(info.value)
    assert "[redacted]" in info.value.message


async def test_exhausted_retries_raise(client_kind: str) -> None:
    script = Scripted(fail(503))
    with pytest.raises(ScaleServiceUnavailable):
        await raw(client_kind, script, "delete_request", "task/t/unique_id")


async def test_files_and_data_go_as_multipart(client_kind: str) -> None:
    script = Scripted(ok({"id": "f", "attachment_url": "u"}))
    files = {"file": ("cow.png", io.BytesIO(b"\x89PNG"), "image/png")}
    got = await raw(client_kind, script, "post_request", "files/upload", files=files, data={"n": 3})
    assert got == {"id": "f", "attachment_url": "u"}
    request = script.requests[0]
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b'filename="cow.png"' in request.content
    assert b"\x89PNG" in request.content
    assert b'name="n"\r\n\r\n3' in request.content


async def test_an_empty_endpoint_is_refused_before_any_request(client_kind: str) -> None:
    script = Scripted(ok({}))
    with pytest.raises(ValueError, match="endpoint"):
        await raw(client_kind, script, "get_request", "/")
    assert script.requests == []


async def test_request_files_reads_each_spelling() -> None:
    parts = await request_files(
        [("a", b"raw"), ("b", ("b.txt", b"bee")), ("c", io.BytesIO(b"sea"))]
    )
    assert parts == {"a": ("file", b"raw"), "b": ("b.txt", b"bee"), "c": ("file", b"sea")}
    with pytest.raises(ValueError, match="file name, content"):
        await request_files({"x": ("only-a-name",)})


def test_the_client_api_is_one_object_per_client() -> None:
    client = AsyncScaleClient("test_k")
    assert client.api is client.api
    with scale_sync.ScaleClient("test_k") as sync:
        assert sync.api is sync.api
        assert isinstance(sync.api, scale_sync._generated.Api)


def test_process_tasks_endpoint_args_is_the_sdks() -> None:
    """Same keys in the same order, None values kept, enums as values, reviews joined."""
    args = scale_sync.ScaleClient._process_tasks_endpoint_args(
        batch_name="b",
        status=scale_sync.TaskStatus.Completed,
        task_type="imageannotation",
        review_status=[scale_sync.TaskReviewStatus.Accepted, "fixed"],
    )
    assert list(args) == [
        "start_time",
        "end_time",
        "project",
        "batch",
        "completed_before",
        "completed_after",
        "tags",
        "updated_before",
        "updated_after",
        "unique_id",
        "include_attachment_url",
        "status",
        "type",
        "customer_review_status",
    ]
    assert args["project"] is None
    assert (args["status"], args["type"]) == ("completed", "imageannotation")
    assert args["customer_review_status"] == "accepted,fixed"
    assert AsyncScaleClient._process_tasks_endpoint_args is process_tasks_endpoint_args
    with pytest.raises(ValueError, match=r"^At least one of project_name or batch_name"):
        process_tasks_endpoint_args()
