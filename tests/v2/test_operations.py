"""Every v2 operation through both clients, on asyncio and trio, in-process and over loopback."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from scale_async import ScaleInvalidRequest, ScaleResourceNotFound
from scale_async.v2 import (
    Annotation,
    AnnotationFile,
    AnnotationInteger,
    AnnotationWorkspaceContainer,
    BasicFile,
    Batch,
    BatchStatus,
    CancelBatch200Response,
    CreateBatchRequest,
    DatasetDelivery,
    DatasetTask,
    Delivery,
    ExpandableEnumBatch,
    ExpandableEnumDatasetTask,
    ExpandableEnumTask,
    GetDeliveredTasksResponse,
    GetSchemaResponse,
    GetTasksResponse,
    Option,
    PauseBatch200Response,
    Project,
    ResumeBatch200Response,
    Task,
    TaskStatus,
)
from tests.v2.support import V2

pytestmark = pytest.mark.anyio


async def test_all_25_operations_and_v2_get_tasks(v2: V2, seeded: dict[str, Any]) -> None:
    first = seeded["task_ids"][0]

    # tasks
    task = await v2.call(
        "get_task", first, expand=[ExpandableEnumTask.PROJECT], opts=[Option.ANNOTATION_DETAILS]
    )
    assert isinstance(task, Task)
    assert task.task_id == first
    assert task.status is TaskStatus.COMPLETED
    assert isinstance(task.project, Project)
    assert task.project.name == "p"
    assert task.batch == seeded["batch_id"]  # not expanded: the id
    assert task.threads
    assert task.threads[0].turns[0].messages[1].annotations
    page = await v2.call("get_tasks", project_name="p", limit=10)
    assert isinstance(page, GetTasksResponse)
    assert len(page.tasks) == 10
    assert page.next_token
    rest = await v2.call("get_tasks", project_name="p", limit=100, next_token=page.next_token)
    assert rest.next_token is None
    assert len(rest.tasks) == 33 - 10
    assert {t.task_id for t in page.tasks}.isdisjoint(t.task_id for t in rest.tasks)
    everything = await v2.client_call("v2_get_tasks", project_name="p", limit=7)
    assert len(everything) == 33
    assert len({t.task_id for t in everything}) == 33
    chat = await v2.call("create_chat_task", project_name="p", template_variables={"prompt": "hi"})
    assert chat.status == "completed"
    assert chat.project == seeded["project_id"]
    changed = await v2.call("set_task_metadata", task_id=chat.task_id, metadata={"a": 1})
    merged = await v2.call("set_task_metadata", task_id=chat.task_id, metadata={"b": 2}, merge=True)
    assert changed.metadata == {"a": 1}
    assert merged.metadata == {"a": 1, "b": 2}
    annotation = await v2.call("get_annotation", seeded["annotation_ids"][0])
    assert isinstance(annotation, AnnotationInteger)
    assert annotation.value == 4

    # batches
    batch = await v2.call(
        "create_batch", CreateBatchRequest(name="b1", project_name="p", staging_batch=True)
    )
    assert isinstance(batch, Batch)
    assert batch.status is BatchStatus.STAGING
    fetched = await v2.call("get_batch", batch_name="b1", expand=[ExpandableEnumBatch.PROJECT])
    assert fetched.id == batch.id
    assert isinstance(fetched.project, Project)
    listed = await v2.call("get_batches", project_name="p", status=BatchStatus.STAGING)
    assert [b.id for b in listed.batches] == [batch.id]
    assert (await v2.call("finalize_batch", batch_id=batch.id)).status == "in_progress"
    paused = await v2.call("pause_batch", batch_name="b1")
    assert isinstance(paused, PauseBatch200Response)
    assert paused.batch
    assert paused.batch.status == "paused"
    resumed = await v2.call("resume_batch", batch_id=batch.id)
    assert isinstance(resumed, ResumeBatch200Response)
    assert resumed.message
    meta = await v2.call("set_batch_metadata", batch_id=batch.id, metadata={"k": "v"})
    assert meta.metadata == {"k": "v"}
    cancelled = await v2.call("cancel_batch", batch_id=batch.id)
    assert isinstance(cancelled, CancelBatch200Response)
    assert cancelled.batch
    assert cancelled.batch.status is BatchStatus.CANCELLED

    # projects
    project = await v2.call("get_project", project_name="p")
    assert project.id == seeded["project_id"]
    assert project.created_at is not None
    since = project.created_at - timedelta(seconds=1)
    assert [p.id for p in (await v2.call("get_projects", created_after=since)).projects] == [
        project.id
    ]
    later = datetime.now(timezone.utc) + timedelta(days=1)
    assert (await v2.call("get_projects", created_after=later)).projects == []

    # deliveries
    deliveries = (await v2.call("get_deliveries", project_name="p")).deliveries
    assert [d.id for d in deliveries] == [seeded["delivery_id"]]
    assert deliveries[0].task_count == 3
    delivered = await v2.call(
        "get_delivery", delivery_id=seeded["delivery_id"], expand=["delivery"]
    )
    assert isinstance(delivered, GetDeliveredTasksResponse)
    assert isinstance(delivered.delivery, Delivery)
    assert delivered.delivery.name == seeded["delivery_name"]
    assert [t.task_id for t in delivered.tasks] == seeded["task_ids"]
    docs = await v2.call("get_delivery_tasks", delivery_id=seeded["delivery_id"])
    assert docs.total == 3
    assert {d.response_schema_id for d in docs.docs} == {seeded["schema_id"]}
    assert docs.docs[0].response == {"quality": 4, "rewrite": "Answer 0"}

    # datasets
    datasets = (await v2.call("get_datasets")).datasets
    assert [d.id for d in datasets] == [seeded["dataset_id"]]
    ds_deliveries = (
        await v2.call("get_dataset_deliveries", dataset_id=seeded["dataset_id"])
    ).deliveries
    assert [d.id for d in ds_deliveries] == seeded["dataset_delivery_ids"]
    assert ds_deliveries[0].metadata
    assert ds_deliveries[0].metadata.task_count == 2
    one = await v2.call(
        "get_dataset_delivery", delivery_id=seeded["dataset_delivery_ids"][0], expand=["dataset"]
    )
    assert isinstance(one.delivery, DatasetDelivery)
    assert len(one.tasks) == 2
    ds_task = await v2.call(
        "get_dataset_task",
        seeded["dataset_task_ids"][0],
        expand=[ExpandableEnumDatasetTask.DELIVERY],
    )
    assert isinstance(ds_task, DatasetTask)
    assert isinstance(ds_task.delivery, DatasetDelivery)
    ds_tasks = await v2.call("get_dataset_tasks", dataset_id=seeded["dataset_id"])
    assert [t.task_id for t in ds_tasks.tasks] == seeded["dataset_task_ids"]
    attachment = seeded["attachment"]
    url = await v2.call(
        "get_dataset_task_response_url", attachment["task_id"], attachment["attachment_id"]
    )
    assert url.endswith(f"/_fake/v2/files/{attachment['task_id']}/{attachment['attachment_id']}")
    schema = await v2.call("get_schema", seeded["schema_id"])
    assert isinstance(schema, GetSchemaResponse)
    assert schema.var_schema.id == seeded["schema_id"]
    assert '"quality"' in (schema.schema.json or "")


async def test_errors_map_onto_the_same_exceptions(v2: V2, seeded: dict[str, Any]) -> None:
    with pytest.raises(ScaleResourceNotFound) as missing:
        await v2.call("get_task", "no-such-task")
    assert missing.value.code == 404
    assert "not found" in missing.value.message.lower()
    with pytest.raises(ScaleInvalidRequest):
        await v2.call("pause_batch", batch_id=seeded["batch_id"])  # completed: cannot pause


async def test_every_annotation_type_reads_as_its_class(v2: V2, seeded: dict[str, Any]) -> None:
    task = await v2.call("get_task", seeded["task_ids"][1])
    answers = task.threads[0].turns[0].messages[1].annotations
    assert len({type(a) for a in answers}) == 12
    assert all(isinstance(a, Annotation) for a in answers)
    by_key = {a.key: a for a in answers}
    evidence = by_key["evidence"]
    assert isinstance(evidence, AnnotationFile)
    assert isinstance(evidence.value, list)
    assert isinstance(evidence.value[0], BasicFile)
    assert evidence.value[0].name == "e.png"
    workspace = by_key["workspace"]
    assert isinstance(workspace, AnnotationWorkspaceContainer)
    assert workspace.value
    assert workspace.value.output_files
    assert workspace.value.output_files[0].file_name == "out.txt"
