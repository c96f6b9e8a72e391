"""A nightly status report, written as users of the official ``scaleapi`` SDK write them.

It prints: statuses and types through print, f-strings and %-format; models through str();
absent keys probed with hasattr and ``except AttributeError``; raw ``client.api`` calls;
exceptions by class with ``.code``/``.message``; pages, filters, counts, batch status,
templates, tags, metadata and cancel. Only the import lines name ``scale_sync``: the test
runs it again on the official SDK and compares the two transcripts line by line.
"""

# mypy: ignore-errors
# (Untyped legacy code on purpose: mypy sees only keyword construction of models, so the
# SDK's Task(json, client) is an error to it; the point here is how such code behaves.)
# ruff: noqa: UP031  # legacy code %-formats, and that is what is being checked
import scale_sync as scaleapi
from scale_sync.batches import BatchStatus
from scale_sync.exceptions import (
    ScaleDuplicateResource,
    ScaleException,
    ScaleInvalidRequest,
    ScaleResourceNotFound,
)
from scale_sync.tasks import TaskReviewStatus, TaskStatus, TaskType

PROJECT = "cow counting"
BATCH = "cows/2026-12-01"


def make_task(client, n, **extra):  # type: ignore[no-untyped-def]
    return client.create_task(
        TaskType.ImageAnnotation,
        project=PROJECT,
        batch=BATCH,
        attachment=f"https://example.invalid/cow-{n}.jpg",
        geometries={"box": {"objects_to_annotate": ["cow"]}},
        unique_id=f"cow-{n}",
        metadata={"n": n},
        **extra,
    )


def main(base_url, live_key):  # type: ignore[no-untyped-def]  # legacy code has no annotations
    client = scaleapi.ScaleClient("test_report_key", "report/1.0", api_instance_url=base_url)

    project = client.create_project(PROJECT, TaskType.ImageAnnotation, {"instruction": "Box."})
    print("project:", project, project.type, project.version, project.instruction)
    print(f"project {project.name!r} is an {project.type} project")
    print("type %s, version %d" % (project.type, project.version))
    project = client.update_project(PROJECT, patch=True, instruction="Box every cow.")
    print("updated:", project.version, project.instruction)

    batch = client.create_batch(PROJECT, BATCH, metadata={"owner": "ops"})
    print("batch:", batch, batch.status, batch.metadata)
    print(f"batch status is {batch.status}; in progress: {batch.status == 'in_progress'}")
    print("is InProgress:", batch.status == BatchStatus.InProgress.value)

    tasks = [make_task(client, n) for n in range(3)]
    for task in tasks:
        print(task, task.status, task.type, task.metadata, task.unique_id)
        print(f"  {task.type}/{task.status:>12}|{task.status:<12}|")
        print("  status %s type %s" % (task.status, task.type))
        print("  completed?", task.status == TaskStatus.Completed.value, task.status == "completed")
    task = tasks[0]

    print("has response:", hasattr(task, "response"), "has tags:", hasattr(task, "tags"))
    try:
        print("tags:", task.tags)
    except AttributeError:
        print("no tags yet")
    try:
        print(task.no_such_field)
    except AttributeError:
        print("no such field")
    print("keys:", sorted(k for k in task.as_dict() if k != "task_id"))

    copy = scaleapi.Task(task.as_dict(), client)
    print("rebuilt:", copy, copy.status, copy.id == task.id)
    copy.refresh()
    print("refreshed:", copy.metadata)
    built_batch = scaleapi.Batch(batch.as_dict(), client)
    print("rebuilt batch:", built_batch, built_batch.status, built_batch.tasks_pending)
    built_project = scaleapi.Project(project.as_dict(), client)
    print("rebuilt project:", built_project, built_project.version, built_project.type)

    try:
        make_task(client, 0)
    except ScaleDuplicateResource as err:
        print("duplicate:", err.code, err.message)
    try:
        client.create_task(TaskType.ImageAnnotation, project=PROJECT)
    except ScaleInvalidRequest as err:
        print("invalid:", err.code, err.message)
    try:
        client.get_task("nope")
    except ScaleResourceNotFound as err:
        print("missing:", err.code, err.message)
    try:
        task.cancel()
    except ScaleException as err:
        print("cancel refused:", type(err).__name__, err.code, err.message)

    client.add_task_tags(task.id, ["cow", "field"])
    task.refresh()
    print("tags now:", task.tags, hasattr(task, "tags"))
    client.delete_task_tags(task.id, ["field"])
    print("tags after delete:", client.get_task(task.id).tags)
    client.set_task_metadata(task.id, {"checked": True})
    task.refresh()
    print("metadata now:", task.metadata)
    client.audit_task(tasks[1].id, True, "fine")
    audited = client.get_task(tasks[1].id)
    print("audits:", len(audited.audits), audited.customer_review_status)

    raw = client.api.get_request(f"task/{task.id}")
    print("raw task:", raw["status"], raw["type"], raw["metadata"])
    raw_page = client.api.get_request("tasks", params={"project": PROJECT, "limit": 2})
    print("raw page:", len(raw_page["docs"]), raw_page["total"], raw_page["has_more"])
    try:
        client.api.post_request("task/nope/cancel")
    except ScaleResourceNotFound as err:
        print("raw missing:", err.code, err.message)

    page = client.tasks(project=PROJECT, limit=2)
    print("page:", len(page), page.total, page.has_more, page.next_token is not None)
    print("page docs:", [str(t) == f"Task(id={t.id})" for t in page.docs])
    print("page 2:", len(client.tasks(project=PROJECT, limit=2, next_token=page.next_token)))
    every = client.get_tasks(
        project_name=PROJECT,
        batch_name=BATCH,
        status=TaskStatus.Completed,
        task_type=TaskType.ImageAnnotation,
        limit=1,
    )
    print("every:", sorted(t.metadata.get("n", -1) for t in every))
    accepted = client.get_tasks(PROJECT, review_status=[TaskReviewStatus.Accepted])
    print("accepted:", [t.unique_id for t in accepted])
    print("count:", client.get_tasks_count(project_name=PROJECT))
    print("completed:", client.get_tasks_count(PROJECT, status=TaskStatus.Completed))
    print("pending:", client.get_tasks_count(batch_name=BATCH, status=TaskStatus.Pending))
    try:
        client.get_tasks_count()
    except ValueError as err:
        print("count refused:", err)
    try:
        client.tasks(project=PROJECT, colour="blue")
    except ScaleInvalidRequest as err:
        print("bad filter:", err.message)

    batch = client.get_batch(BATCH)
    status = batch.get_status()
    print("batch status:", status["status"], batch.status, batch.tasks_completed)
    print("batch counts:", batch.tasks_pending, batch.tasks_error, batch.tasks_canceled)
    print("status call:", client.batch_status(BATCH)["completed"])
    batches = client.batches(project=PROJECT, limit=1)
    print("batches page:", len(batches), batches.total, batches.has_more, batches.offset)
    print("batches:", [str(b) for b in client.get_batches(project_name=PROJECT)])
    in_progress = client.get_batches(PROJECT, batch_status=BatchStatus.Completed)
    print("completed batches:", [f"{b.name}:{b.status}" for b in in_progress])
    client.set_batch_metadata(BATCH, {"owner": "someone else"})
    print("batch metadata:", client.get_batch(BATCH).metadata)

    client.create_project("cow poems", TaskType.TextCollection, {"instruction": "Write."})
    template = client.get_project_template("cow poems")
    print("template:", template, template.version, template.get_template_variables())
    print("onboardable:", template.is_auto_onboardable(), template.get_response_schema())
    print("projects:", sorted(str(p) for p in client.get_projects()))

    live = scaleapi.ScaleClient(live_key, api_instance_url=base_url)
    live.create_project(PROJECT, TaskType.Categorization)
    pending = live.create_task(
        TaskType.Categorization,
        project=PROJECT,
        attachment="https://example.invalid/a.jpg",
        categories=["cow", "not a cow"],
        instruction="Is it a cow?",
    )
    print("live task:", pending.status, f"{pending.status}", hasattr(pending, "response"))
    cancelled = live.cancel_task(pending.id)
    print("cancelled:", cancelled.status, "%s" % cancelled.status)
    print("cancelled count:", live.get_tasks_count(PROJECT, status=TaskStatus.Canceled))
