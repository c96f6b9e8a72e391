"""The official SDK's own v2 client, pointed at the fake over loopback (served in a thread, and
as the ``scale-async fake-server`` process): all 25 operations answer with bodies its pydantic
models accept, and the seed route makes what they read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import scaleapi
from scaleapi.api_client.v2 import (
    Annotation,
    BatchOperationRequest,
    CreateBatchRequest,
    CreateChatTaskRequest,
    ExpandableEnumBatch,
    ExpandableEnumDatasetsDeliveries,
    ExpandableEnumDatasetTask,
    ExpandableEnumDeliveries,
    ExpandableEnumDelivery,
    ExpandableEnumTask,
    Option,
    SetBatchMetadataRequest,
    SetTaskMetadataRequest,
)
from scaleapi.api_client.v2.exceptions import NotFoundException

from scale_async.testing import FakeServer


@pytest.fixture(scope="module")
def cli_server() -> Iterator[str]:
    """``scale-async fake-server`` as users start it, in its own process; its root URL."""
    from tests.cli.loopback import serving

    with serving() as running:
        yield running.root


@pytest.fixture(params=["run_in_thread", "scale-async fake-server"])
def root(request: pytest.FixtureRequest, loopback: FakeServer) -> str:
    if request.param == "run_in_thread":
        return loopback.root_url
    url: str = request.getfixturevalue("cli_server")
    return url


@pytest.fixture
def sdk(root: str, key: str) -> scaleapi.ScaleClient:
    client = scaleapi.ScaleClient(key, api_instance_url=f"{root}/v1")
    # The SDK's v2 client ignores api_instance_url and talks to https://api.scale.com.
    client.v2.api_client.configuration.host = root
    return client


@pytest.fixture
def seeded_over_http(root: str, key: str) -> dict[str, Any]:
    """``POST /_fake/v2/seed``, as a test in another process would do it."""
    reply = httpx.post(
        f"{root}/_fake/v2/seed",
        json={"api_key": key, "project_name": "sdk project", "tasks": 5},
    )
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def test_seed_route_refuses_bad_bodies(root: str) -> None:
    reply = httpx.post(f"{root}/_fake/v2/seed", json={"api_key": "k"})
    assert reply.status_code == 400
    assert "project_name" in reply.json()["error"]


def test_all_25_operations_validate(
    sdk: scaleapi.ScaleClient, seeded_over_http: dict[str, Any]
) -> None:
    ids = seeded_over_http
    v2 = sdk.v2
    task = v2.get_task(
        ids["task_ids"][0], expand=[ExpandableEnumTask.PROJECT], opts=[Option.SUBMISSIONS]
    )
    assert task.task_id == ids["task_ids"][0]
    assert task.project.actual_instance.name == "sdk project"
    page = v2.get_tasks(project_name="sdk project", limit=3)
    assert len(page.tasks) == 3
    assert page.next_token
    assert len(list(sdk.v2_get_tasks(project_name="sdk project", limit=2))) == 8
    chat = v2.create_chat_task(
        CreateChatTaskRequest(project_id=ids["project_id"], template_variables={"prompt": "x"})
    )
    assert chat.status.value == "completed"
    assert v2.set_task_metadata(
        SetTaskMetadataRequest(task_id=chat.task_id, metadata={"a": 1})
    ).metadata == {"a": 1}
    kinds = {
        type(v2.get_annotation(a).actual_instance).__name__ for a in ids["annotation_ids"][:12]
    }
    assert len(kinds) == 12
    assert isinstance(v2.get_annotation(ids["annotation_ids"][0]), Annotation)

    batch = v2.create_batch(
        CreateBatchRequest(name="sdk batch", project_name="sdk project", staging_batch=True)
    )
    assert v2.get_batch(batch_id=batch.id, expand=[ExpandableEnumBatch.PROJECT]).name == "sdk batch"
    assert len(v2.get_batches(project_name="sdk project").batches) == 2
    assert v2.finalize_batch(BatchOperationRequest(batch_id=batch.id)).status.value == "in_progress"
    assert v2.pause_batch(BatchOperationRequest(batch_id=batch.id)).batch.status.value == "paused"
    assert (
        v2.resume_batch(BatchOperationRequest(batch_name="sdk batch")).batch.status.value
        == "in_progress"
    )
    assert v2.set_batch_metadata(
        SetBatchMetadataRequest(batch_id=batch.id, metadata={"m": 2})
    ).metadata == {"m": 2}
    assert (
        v2.cancel_batch(BatchOperationRequest(batch_id=batch.id)).batch.status.value == "cancelled"
    )

    assert v2.get_project(project_id=ids["project_id"]).name == "sdk project"
    assert [p.id for p in v2.get_projects().projects] == [ids["project_id"]]
    deliveries = v2.get_deliveries(
        project_name="sdk project", expand=[ExpandableEnumDeliveries.PROJECT]
    )
    assert [d.id for d in deliveries.deliveries] == [ids["delivery_id"]]
    delivered = v2.get_delivery(
        delivery_id=ids["delivery_id"],
        expand=[ExpandableEnumDelivery.DELIVERY],
        opts=[Option.ANNOTATION_DETAILS],
    )
    assert len(delivered.tasks) == 3
    assert delivered.delivery.actual_instance.task_count == 3
    docs = v2.get_delivery_tasks(delivery_id=ids["delivery_id"], limit=2)
    assert docs.total == 3
    assert len(docs.docs) == 2
    assert [d.name for d in v2.get_datasets().datasets] == ["sdk project dataset"]
    ds_deliveries = v2.get_dataset_deliveries(
        dataset_id=ids["dataset_id"], expand=[ExpandableEnumDatasetsDeliveries.DATASET]
    )
    assert len(ds_deliveries.deliveries) == 2
    ds_delivery = v2.get_dataset_delivery(delivery_id=ids["dataset_delivery_ids"][1], limit=1)
    assert len(ds_delivery.tasks) == 1
    assert ds_delivery.next_token
    ds_task = v2.get_dataset_task(
        ids["dataset_task_ids"][0], expand=[ExpandableEnumDatasetTask.DATASET]
    )
    assert ds_task.dataset.actual_instance.id == ids["dataset_id"]
    assert len(v2.get_dataset_tasks(dataset_id=ids["dataset_id"]).tasks) == 4
    # The SDK follows the 302 (the fake serves the stored file there) and returns None.
    attachment = ids["attachment"]
    assert (
        v2.get_dataset_task_response_url(attachment["task_id"], attachment["attachment_id"]) is None
    )
    assert v2.get_schema(ids["schema_id"]).var_schema.id == ids["schema_id"]


def test_sdk_sees_v2_errors_as_its_own(sdk: scaleapi.ScaleClient) -> None:
    with pytest.raises(NotFoundException) as raised:
        sdk.v2.get_task("missing")
    assert raised.value.status == 404
