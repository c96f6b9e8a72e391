"""A callback receiver's handler, as SDK users write it: models built from the payload.

Scale POSTs ``{"task": {...}, "response": {...}, "task_id": ...}`` to the callback URL; the
handler wraps the task JSON the SDK way, ``Task(json, client)``, and probes what came.
Only the import lines name ``scale_sync``.
"""

# mypy: ignore-errors
# (Untyped legacy code on purpose: mypy sees only keyword construction of models, so the
# SDK's Task(json, client) is an error to it; the point here is how such code behaves.)
import scale_sync as scaleapi
from scale_sync.exceptions import ScaleException
from scale_sync.tasks import Task, TaskStatus, TaskType


def handle(client, payload):  # type: ignore[no-untyped-def]  # legacy code has no annotations
    task = Task(payload["task"], client)
    print(f"callback for {task}: {task.type} is {task.status}")
    if task.status != TaskStatus.Completed.value:
        print("  not complete, ignored")
        return None
    if hasattr(task, "response"):
        print("  response keys:", sorted(task.response))
    else:
        print("  no response")
    try:
        print("  unique id:", task.unique_id)
    except AttributeError:
        print("  no unique id")
    print("  tagged:", getattr(task, "tags", "untagged"))
    task.refresh()
    print("  refreshed:", task.metadata.get("source"), task.as_dict()["status"])
    return task.id


def main(base_url, live_key):  # type: ignore[no-untyped-def]
    client = scaleapi.ScaleClient("test_webhook_key", api_instance_url=base_url)
    client.create_project("hooks", TaskType.Categorization)
    ids = []
    for n, unique in enumerate([None, "hook-1"]):
        extra = {"unique_id": unique} if unique else {}
        task = client.create_task(
            TaskType.Categorization,
            project="hooks",
            callback_url="https://example.invalid/hook",
            attachment=f"https://example.invalid/{n}.jpg",
            categories=["a", "b"],
            instruction="Pick one.",
            metadata={"source": "webhook"},
            **extra,
        )
        ids.append(task.id)
    client.set_task_tags(ids[1], ["seen"])
    for task_id in ids:
        raw = client.api.get_request(f"task/{task_id}")
        handle(client, {"task": raw, "response": raw.get("response"), "task_id": task_id})

    live = scaleapi.ScaleClient(live_key, api_instance_url=base_url)
    live.create_project("hooks", TaskType.Categorization)
    pending = live.create_task(
        TaskType.Categorization,
        project="hooks",
        attachment="https://example.invalid/p.jpg",
        categories=["a", "b"],
        instruction="Pick one.",
    )
    handle(live, {"task": pending.as_dict(), "task_id": pending.id})
    try:
        Task({"status": "completed"}, client)
    except KeyError as err:
        print("payload without task_id:", err)
    except ScaleException as err:
        print("payload without task_id:", type(err).__name__)
