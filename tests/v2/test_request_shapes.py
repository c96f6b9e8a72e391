"""Our v2 requests are the SDK's: method, path, query, JSON body and credentials, operation
by operation, recorded on two identical fakes (the SDK's over loopback, ours in-process)."""

# ruff: noqa: E501  (the operation tables read best one operation per line)
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl

import pytest
import scaleapi
from scaleapi.api_client import v2 as sdk_v2

from scale_async import AsyncScaleClient
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI, run_in_thread
from scale_async.v2 import CreateBatchRequest

pytestmark = pytest.mark.anyio

KEY = "test_shapes"
T0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
AFTER = datetime(2024, 4, 1, 8, 30, 15, 250000, tzinfo=timezone.utc)
BEFORE = datetime(2024, 6, 1, tzinfo=timezone.utc)

Shape = tuple[str, str, list[tuple[str, str]], Any, str | None]


class Recording(FakeScaleAPI):
    """The fake, noting each v2 request's shape before answering it."""

    def __init__(self) -> None:
        super().__init__(seed=5, now=lambda: T0)
        self.shapes: list[Shape] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v2/"):
            await super().__call__(scope, receive, send)
            return
        chunks: list[bytes] = []

        async def recorded() -> Any:
            message = await receive()
            chunks.append(message.get("body", b""))
            return message

        await super().__call__(scope, recorded, send)
        body = b"".join(chunks)
        headers = dict(scope["headers"])
        self.shapes.append(
            (
                scope["method"],
                scope["raw_path"].decode().split("?")[0],
                sorted(parse_qsl(scope["query_string"].decode(), keep_blank_values=True)),
                json.loads(body) if body else None,
                headers.get(b"authorization", b"").decode() or None,
            )
        )


def operations(
    ids: dict[str, Any],
) -> list[tuple[str, tuple[Any, ...], dict[str, Any], dict[str, Any]]]:
    """(operation, the SDK's arguments, its keyword arguments, ours as keywords)."""
    task, batch = ids["task_ids"][0], ids["batch_id"]
    att = ids["attachment"]
    same = [
        ("get_task", (task,), {"expand": [sdk_v2.ExpandableEnumTask.PROJECT, sdk_v2.ExpandableEnumTask.BATCH], "opts": [sdk_v2.Option.SUBMISSIONS]}),
        ("get_tasks", (), {"project_name": "p", "status": sdk_v2.TaskStatus.COMPLETED, "completed_after": AFTER, "completed_before": BEFORE, "limit": 5, "expand": [sdk_v2.ExpandableEnumTask.PROJECT]}),
        ("get_tasks", (), {"batch_id": batch, "next_token": None, "limit": 100}),
        ("get_annotation", (ids["annotation_ids"][3],), {}),
        ("get_batch", (), {"batch_name": ids["batch_name"], "expand": [sdk_v2.ExpandableEnumBatch.PROJECT]}),
        ("get_batches", (), {"project_id": ids["project_id"], "status": sdk_v2.BatchStatus.COMPLETED, "created_after": AFTER, "created_before": BEFORE, "completed_after": AFTER, "completed_before": BEFORE, "limit": 10}),
        ("get_project", (), {"project_id": ids["project_id"]}),
        ("get_projects", (), {"created_after": AFTER, "created_before": BEFORE}),
        ("get_deliveries", (), {"project_name": "p", "delivered_after": AFTER, "expand": [sdk_v2.ExpandableEnumDeliveries.PROJECT]}),
        ("get_delivery", (), {"delivery_id": ids["delivery_id"], "limit": 2, "expand": [sdk_v2.ExpandableEnumDelivery.DELIVERY], "opts": [sdk_v2.Option.MODEL_PARAMETERS, sdk_v2.Option.ATTACHMENT_DETAILS]}),
        ("get_delivery_tasks", (), {"delivery_id": ids["delivery_id"], "status": sdk_v2.TaskStatus.COMPLETED, "completed_before": BEFORE, "limit": 1}),
        ("get_datasets", (), {}),
        ("get_dataset_deliveries", (), {"dataset_id": ids["dataset_id"], "delivered_before": BEFORE, "expand": [sdk_v2.ExpandableEnumDatasetsDeliveries.DATASET]}),
        ("get_dataset_delivery", (), {"delivery_id": ids["dataset_delivery_ids"][0], "limit": 1, "expand": [sdk_v2.ExpandableEnumDatasetsDeliveries.DATASET]}),
        ("get_dataset_task", (ids["dataset_task_ids"][1],), {"expand": [sdk_v2.ExpandableEnumDatasetTask.DATASET, sdk_v2.ExpandableEnumDatasetTask.DELIVERY]}),
        ("get_dataset_tasks", (), {"dataset_id": ids["dataset_id"], "delivered_after": AFTER, "limit": 3}),
        ("get_dataset_task_response_url", (att["task_id"], att["attachment_id"]), {}),
        ("get_schema", (ids["schema_id"],), {}),
    ]  # fmt: skip
    out = [(name, args, kwargs, kwargs) for name, args, kwargs in same]
    bodies: list[tuple[str, str, Any, dict[str, Any]]] = [
        ("create_chat_task", "CreateChatTaskRequest", {"project_name": "p", "batch_name": None, "template_variables": {"prompt": "x", "n": 1}, "metadata": {"k": [1, 2]}, "callback_url": "https://cb.invalid/"}, {}),
        ("set_task_metadata", "SetTaskMetadataRequest", {"task_id": task, "metadata": {"m": True}, "merge": True}, {}),
        ("create_batch", "CreateBatchRequest", {"name": "shape batch", "project_id": ids["project_id"], "callback": "https://cb.invalid/b", "staging_batch": True, "metadata": {"x": "y"}}, {}),
        ("finalize_batch", "BatchOperationRequest", {"batch_name": "shape batch"}, {}),
        ("pause_batch", "BatchOperationRequest", {"batch_name": "shape batch"}, {}),
        ("resume_batch", "BatchOperationRequest", {"batch_name": "shape batch"}, {}),
        ("set_batch_metadata", "SetBatchMetadataRequest", {"batch_name": "shape batch", "metadata": {"z": 1}, "merge": False}, {}),
        ("cancel_batch", "BatchOperationRequest", {"batch_name": "shape batch"}, {}),
    ]  # fmt: skip
    for name, request_class, fields, _ in bodies:
        request = getattr(sdk_v2, request_class)(**fields)
        ours = {k: v for k, v in fields.items() if v is not None}
        out.append((name, (request,), {}, ours))
    return out


async def test_every_operation_sends_what_the_sdk_sends() -> None:
    theirs_fake, ours_fake = Recording(), Recording()
    theirs_ids = theirs_fake.seed_v2(KEY, "p")
    ids = ours_fake.seed_v2(KEY, "p")
    assert ids == theirs_ids  # same seed, same frozen clock: the same world
    ops = operations(ids)
    assert len({name for name, *_ in ops}) == 25
    with run_in_thread(theirs_fake) as server:
        sdk = scaleapi.ScaleClient(KEY, api_instance_url=server.base_url)
        sdk.v2.api_client.configuration.host = server.root_url
        for name, args, kwargs, _ in ops:
            getattr(sdk.v2, name)(*args, **kwargs)
    async with AsyncScaleClient(
        KEY, api_instance_url=IN_PROCESS_BASE_URL, transport=ours_fake.transport()
    ) as client:
        for name, args, kwargs, ours in ops:
            positional = () if kwargs is not ours else args
            await getattr(client.v2, name)(*positional, **ours)
    # The SDK follows get_dataset_task_response_url's redirect to /_fake, not recorded here.
    assert len(theirs_fake.shapes) == len(ops)
    for op, mine, sdks in zip(ops, ours_fake.shapes, theirs_fake.shapes, strict=True):
        assert mine == sdks, op[0]
    assert all(shape[4] == f"Bearer {KEY}" for shape in ours_fake.shapes)


async def test_request_objects_and_keywords_send_the_same_body() -> None:
    """The SDK's request object, ours, a dict and plain keywords are interchangeable."""
    fake = Recording()
    fake.seed_v2(KEY, "p")
    async with AsyncScaleClient(
        KEY, api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport()
    ) as client:
        for n, request in enumerate(
            [
                sdk_v2.CreateBatchRequest(name="b0", project_name="p", metadata={"a": 1}),
                CreateBatchRequest(name="b1", project_name="p", metadata={"a": 1}),
                {"name": "b2", "project_name": "p", "metadata": {"a": 1}},
            ]
        ):
            await client.v2.create_batch(request)
            expected: dict[str, Any] = {"name": f"b{n}", "project_name": "p", "metadata": {"a": 1}}
            if n == 0:  # the SDK's object has staging_batch=False by default, and sends it
                expected["staging_batch"] = False
            assert fake.shapes[-1][3] == expected
        await client.v2.create_batch(name="b3", project_name="p", metadata={"a": 1})
        await client.v2.create_batch({"name": "ignored", "project_name": "p"}, name="b4")
    assert fake.shapes[-2][3] == {"name": "b3", "project_name": "p", "metadata": {"a": 1}}
    assert fake.shapes[-1][3] == {"name": "b4", "project_name": "p"}
