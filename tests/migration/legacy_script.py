"""Code written the way users of the official ``scaleapi`` SDK write it.

Only the import lines name ``scale_sync``; ``test_migration.py`` also runs this very file with
them pointing at the official SDK, and both runs must tell the same story.
"""

import scale_sync as scaleapi
from scale_sync.batches import BatchStatus
from scale_sync.exceptions import (
    ScaleDuplicateResource,
    ScaleInvalidRequest,
    ScaleResourceNotFound,
    ScaleUnauthorized,
)
from scale_sync.tasks import TaskReviewStatus, TaskStatus, TaskType

PROJECT = "legacy project"
BATCH = "legacy batch/1"
IMAGE = "https://example.invalid/cow.jpg"


def run(base_url):  # type: ignore[no-untyped-def]  # legacy code carries no annotations
    report = {}
    client = scaleapi.ScaleClient("test_legacy_key", "migration-test", api_instance_url=base_url)

    try:
        project = client.get_project(PROJECT)
    except ScaleResourceNotFound:
        project = client.create_project(
            PROJECT, TaskType.ImageAnnotation, params={"instruction": "Box the cows."}
        )
    report["project"] = (project.name, project.version, project.instruction)
    project = client.update_project(PROJECT, patch=True, instruction="Box every cow.")
    report["project_version"] = (project.version, project.instruction)

    batch = client.create_batch(PROJECT, BATCH, metadata={"owner": "legacy"})
    report["batch"] = (batch.name, batch.status == BatchStatus.InProgress.value, batch.metadata)

    created = []
    for n in range(3):
        task = client.create_task(
            TaskType.ImageAnnotation,
            project=PROJECT,
            batch=BATCH,
            attachment=IMAGE,
            geometries={"box": {"objects_to_annotate": ["cow"], "min_height": 5}},
            unique_id=f"legacy-{n}",
            metadata={"n": n},
        )
        created.append(task)
    task = created[0]
    report["created"] = [(t.status, t.metadata, t.unique_id) for t in created]
    report["completed_enum"] = task.status == TaskStatus.Completed.value
    report["as_dict"] = sorted(k for k in task.as_dict() if k != "task_id")
    report["same_id"] = task.id == task.task_id == task.as_dict()["task_id"]

    try:
        client.create_task(
            TaskType.ImageAnnotation,
            project=PROJECT,
            attachment=IMAGE,
            geometries={"box": {"objects_to_annotate": ["x"]}},
            unique_id="legacy-0",
        )
        report["duplicate"] = "created twice"
    except ScaleDuplicateResource as err:
        report["duplicate"] = err.code

    try:
        client.create_task(TaskType.ImageAnnotation, project=PROJECT)
        report["missing_params"] = "accepted"
    except ScaleInvalidRequest as err:
        report["missing_params"] = err.code

    client.set_task_metadata(task.id, {"reviewed": True})
    task.refresh()
    report["metadata"] = task.metadata

    client.add_task_tags(task.id, ["a", "b", "c"])
    client.delete_task_tags(task.id, ["a"])
    report["tags"] = client.get_task(task.id).tags
    client.set_task_tags(task.id, ["only"])
    task.refresh()
    report["tags_after_set"] = task.tags

    client.update_task_unique_id(task.id, "legacy-renamed")
    report["renamed"] = client.get_task(task.id).unique_id
    client.clear_task_unique_id(task.id)
    report["cleared"] = "unique_id" in client.get_task(task.id).as_dict()

    try:
        client.cancel_task(created[1].id)
        report["cancel_completed"] = "cancelled"
    except ScaleInvalidRequest as err:
        report["cancel_completed"] = err.code

    client.audit_task(created[2].id, True)
    report["audited"] = len(client.get_task(created[2].id).audits)

    page = client.tasks(project=PROJECT, limit=2)
    report["page"] = (len(page.docs), page.total, page.has_more, page.next_token is not None)
    every = list(client.get_tasks(project_name=PROJECT, batch_name=BATCH, limit=1))
    report["every"] = sorted(t.metadata.get("n", -1) for t in every)
    report["count"] = client.get_tasks_count(project_name=PROJECT, status=TaskStatus.Completed)
    report["by_review"] = len(
        list(
            client.get_tasks(
                project_name=PROJECT,
                review_status=[TaskReviewStatus.Accepted, TaskReviewStatus.Fixed],
            )
        )
    )

    try:
        client.tasks(project=PROJECT, colour="blue")
        report["bad_filter"] = "sent"
    except ScaleInvalidRequest:
        report["bad_filter"] = "refused"
    try:
        list(client.get_tasks())
        report["no_project"] = "listed"
    except ValueError:
        report["no_project"] = "refused"
    try:
        client.get_task("does-not-exist")
        report["unknown_task"] = "found"
    except ScaleResourceNotFound as err:
        report["unknown_task"] = err.code

    batch = client.get_batch(BATCH)
    status = batch.get_status()
    report["batch_status"] = (status["status"], batch.tasks_completed, batch.tasks_pending)
    report["batch_status_call"] = client.batch_status(BATCH)["completed"]
    client.set_batch_metadata(BATCH, {"owner": "someone else"})
    report["batch_metadata"] = client.get_batch(BATCH).metadata
    report["batches"] = [b.name for b in client.get_batches(project_name=PROJECT)]
    batch_page = client.batches(project=PROJECT, limit=1)
    report["batch_page"] = (len(batch_page), batch_page.total, batch_page.has_more)
    report["projects"] = [p.name for p in client.projects()]

    try:
        scaleapi.ScaleClient("wrong", api_instance_url=base_url).batches(limit=1)
        report["bad_key"] = "accepted"
    except ScaleUnauthorized as err:
        report["bad_key"] = err.code
    return report
