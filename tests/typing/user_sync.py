"""A typed user of scale_sync: everything here must pass ``mypy --strict`` (test_typing)."""

from __future__ import annotations

import scale_sync
import scale_sync.exceptions
from scale_sync import BatchStatus, TaskReviewStatus, TaskStatus, TaskType


def report(client: scale_sync.ScaleClient) -> list[str]:
    task = client.get_task("t")
    s: TaskStatus = task.status
    kind: TaskType | None = task.type
    lines = [f"{task} {s} {kind}"]
    for t in client.get_tasks(project_name="p", status="completed", task_type="imageannotation"):
        lines.append(t.status)
    for t in client.get_tasks(
        project_name="p",
        status=TaskStatus.Pending,
        review_status=["accepted", TaskReviewStatus.Fixed],
    ):
        t.refresh()
    count: int = client.get_tasks_count(project_name="p", status="canceled")
    lines.append(str(count))
    for batch in client.get_batches("p", batch_status="in_progress"):
        b: BatchStatus = batch.status
        lines.append(b)
    result = client.create_tasks(
        TaskType.Categorization, [{"unique_id": "u"}], project="p", keep_tasks=True
    )
    kept = result.succeeded[0].task  # the sync twin (kept with keep_tasks=True)
    if kept is not None:
        kept.refresh()  # with its blocking helpers
    for created in result.tasks:
        created.add_tags(["x"])
    raw: object = client.api.post_request("projects/p/setOntology", body={"ontology": ["a"]})
    lines.append(repr(raw))
    try:
        client.get_task("t")
    except scale_sync.ScaleResourceNotFound as exc:  # the exceptions, from the package too
        lines.append(exc.message)
    except scale_sync.exceptions.ScaleException as exc:
        lines.append(str(exc))
    return lines
