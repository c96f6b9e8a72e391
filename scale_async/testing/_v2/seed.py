"""``seed``: what Scale creates on its own, made for one account and project at once.

A v2 account's deliveries, datasets, annotations and completed tasks come from Scale's
workforce and delivery pipeline, not from API calls, so tests have no other way to get them.
Everything made is reachable through the ordinary v2 reads; the answer lists the ids.
"""

from __future__ import annotations

import json
from typing import Any

from .tasks import chat_thread
from .world import (
    V2Account,
    V2Batch,
    V2DatasetDelivery,
    V2DatasetTask,
    V2Delivery,
    V2Project,
    V2Task,
    V2World,
)

#: What a seeded response follows, as the schema ``get_schema`` returns.
RESPONSE_SCHEMA = {
    "type": "object",
    "properties": {"quality": {"type": "integer"}, "rewrite": {"type": "string"}},
    "required": ["quality"],
}


#: How far apart seeded bulk tasks were completed: a long listing spans hours, as on Scale.
SPACING_MS = 1000


def _project(world: V2World, account: V2Account, name: str, age_ms: int) -> V2Project:
    project = account.project_named(name)
    if project is None:
        stamp = world.clock.ago(age_ms)
        project = V2Project(id=world.ids.object_id(stamp), name=name, created_ms=stamp)
        account.projects[project.id] = project
    return project


def completed_tasks(
    world: V2World,
    account: V2Account,
    project: V2Project,
    count: int,
    batch: V2Batch | None,
    spacing_ms: int = 0,
) -> list[V2Task]:
    """``count`` completed tasks, light (metadata only) so that large listings stay cheap;
    with ``spacing_ms``, completed that far apart in the past, the last one just now."""
    made = []
    for index in range(count):
        stamp = world.clock.ago((count - index) * spacing_ms) if spacing_ms else world.clock.tick()
        task = V2Task(
            task_id=world.ids.object_id(stamp),
            project_id=project.id,
            batch_id=batch.id if batch else None,
            created_ms=stamp,
            status="completed",
            completed_ms=stamp,
            metadata={"index": index},
        )
        account.add_task(task)
        made.append(task)
    return made


def seed(world: V2World, account: V2Account, project_name: str, tasks: int = 0) -> dict[str, Any]:
    """Create, in project ``project_name`` (made if missing): a batch of three completed,
    annotated tasks with responses, a delivery of them, a response schema, a dataset with
    two deliveries of two tasks each (one with an attachment whose response URL redirects),
    and ``tasks`` more completed tasks (for listings), completed a second apart until now.
    Returns every id made."""
    # A new project is as old as the seeded history; the bulk tasks come first, spread
    # over that past, then the annotated ones, deliveries and datasets, now.
    project = _project(world, account, project_name, (tasks + 1) * SPACING_MS)
    bulk = completed_tasks(world, account, project, tasks, None, SPACING_MS)
    schema_id = world.new_id("schema_")
    account.schemas[schema_id] = {"id": schema_id, "json": json.dumps(RESPONSE_SCHEMA)}
    stamp = world.clock.tick()
    batch = V2Batch(
        id=world.ids.object_id(stamp),
        name=f"{project_name} seeded batch {stamp}",
        project_id=project.id,
        created_ms=stamp,
        status="completed",
    )
    account.batches[batch.id] = batch
    rich = completed_tasks(world, account, project, 3, batch)
    for number, task in enumerate(rich):
        task.threads = [chat_thread(world, account, {"prompt": f"Question {number}"}, rich=True)]
        task.response = {"quality": 4, "rewrite": f"Answer {number}"}
        task.response_schema_id = schema_id
        task.metadata = {"seeded": True, "number": number}
    batch.completed_ms = world.clock.tick()
    delivery = V2Delivery(
        id=world.new_id("delivery_"),
        name=f"{project_name} delivery {batch.completed_ms}",
        project_id=project.id,
        delivered_ms=world.clock.tick(),
        task_ids=[t.task_id for t in rich],
    )
    account.deliveries[delivery.id] = delivery
    dataset_id = world.new_id("dataset_")
    account.datasets[dataset_id] = f"{project_name} dataset"
    dataset_deliveries, dataset_tasks = [], []
    for number in range(2):
        made = V2DatasetDelivery(
            id=world.new_id("dsdelivery_"),
            name=f"{project_name} dataset delivery {number}",
            dataset_id=dataset_id,
            delivered_ms=world.clock.tick(),
            turn_count=2,
        )
        account.dataset_deliveries[made.id] = made
        dataset_deliveries.append(made.id)
        for item in range(2):
            dataset_task = V2DatasetTask(
                task_id=world.new_id("dstask_"),
                dataset_id=dataset_id,
                delivery_id=made.id,
                response={"answer": f"Dataset answer {number}.{item}"},
            )
            account.dataset_tasks[dataset_task.task_id] = dataset_task
            made.task_ids.append(dataset_task.task_id)
            dataset_tasks.append(dataset_task.task_id)
    attachment_id = world.new_id("att_")
    attached = account.dataset_tasks[dataset_tasks[0]]
    attached.response["attachments"] = [{"id": attachment_id, "name": "response.json"}]
    stored = {"task_id": attached.task_id, "response": {"answer": "stored in a file"}}
    account.attachments[(attached.task_id, attachment_id)] = stored
    world.files[(attached.task_id, attachment_id)] = stored
    return {
        "project_id": project.id,
        "project_name": project.name,
        "batch_id": batch.id,
        "batch_name": batch.name,
        "task_ids": [t.task_id for t in rich],
        "annotation_ids": [
            annotation["id"]
            for task in rich
            for thread in task.threads or []
            for turn in thread["turns"]
            for message in turn["messages"]
            for annotation in message["annotations"]
        ],
        "delivery_id": delivery.id,
        "delivery_name": delivery.name,
        "schema_id": schema_id,
        "dataset_id": dataset_id,
        "dataset_delivery_ids": dataset_deliveries,
        "dataset_task_ids": dataset_tasks,
        "attachment": {"task_id": attached.task_id, "attachment_id": attachment_id},
        "tasks_added": len(bulk),
    }
