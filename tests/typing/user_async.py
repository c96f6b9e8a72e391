"""A typed user of scale_async: everything here must pass ``mypy --strict`` (test_typing)."""

from __future__ import annotations

import scale_async
from scale_async import TaskStatus, TaskType


async def report(client: scale_async.AsyncScaleClient) -> list[str]:
    task = await client.get_task("t")
    s: TaskStatus = task.status
    lines = [f"{task} {s}"]
    async for t in client.get_tasks(project_name="p", status="completed"):
        lines.append(t.status)
    count: int = await client.get_tasks_count(batch_name="b", status=TaskStatus.Completed)
    lines.append(str(count))
    result = await client.create_tasks(
        TaskType.Categorization, [{"unique_id": "u"}], keep_tasks=True
    )
    kept = result.succeeded[0].task  # None unless keep_tasks=True
    if kept is not None:
        await kept.refresh()
    lines.append(result.succeeded[0].task_id)
    raw: object = await client.api.get_request("tasks", params={"project": "p"})
    lines.append(repr(raw))
    return lines
