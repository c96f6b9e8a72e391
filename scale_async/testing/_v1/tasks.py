"""Task lifecycle after creation: read, cancel, audit, unique_id, metadata, tags, completion."""

from __future__ import annotations

from typing import Any

from .._clock import format_ms
from .._errors import bad_request, conflict, not_found
from .._params import as_object, opt_str, str_list
from .state import OWNER_EMAIL, Account, Task, World
from .tasktypes import fake_response

NOT_FOUND = "Task with that ID not found."


def check_unique_id(account: Account, value: Any, task_id: str | None = None) -> str | None:
    """Validate a unique_id; 409 naming the holder if another task of the account has it."""
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise bad_request("unique_id must be a non-empty string")
    other = account.unique_ids.get(value)
    if other is not None and other != task_id:
        raise conflict(f'The unique_id ("{value}") is already used for a different task ({other}).')
    return value


def tag_list(value: Any) -> list[str]:
    """A bare JSON array of tags, duplicates dropped, order kept."""
    return list(dict.fromkeys(str_list(value, "tags")))


def get_task(account: Account, task_id: str) -> Task:
    """The task, or 404 with Scale's exact message."""
    task = account.tasks.get(task_id)
    if task is None:
        raise not_found(NOT_FOUND)
    return task


def _touch(world: World, task: Task) -> Task:
    task.updated_ms = world.tick()
    return task


def cancel_task(world: World, account: Account, task_id: str, clear_unique_id: bool) -> Task:
    """Cancel a pending task; idempotent on canceled ones, 400 on finished ones."""
    task = get_task(account, task_id)
    if task.status in ("completed", "error"):
        raise bad_request(f"Task {task_id} is {task.status} and can no longer be canceled.")
    if task.status == "pending":
        task.status = "canceled"
    if clear_unique_id and task.unique_id is not None:
        account.unique_ids.pop(task.unique_id, None)
        task.unique_id = None
    return _touch(world, task)


def audit_task(world: World, account: Account, task_id: str, payload: Any) -> Task:
    """Record a customer audit on a completed task."""
    task = get_task(account, task_id)
    body = as_object(payload)
    if not isinstance(body.get("accepted"), bool):
        raise bad_request("Please include an accepted parameter (boolean).")
    comments = opt_str(body, "comments")
    if task.status != "completed":
        raise bad_request("Only completed tasks can be audited.")
    ms = world.tick()
    audit: dict[str, Any] = {
        "audited_by": OWNER_EMAIL,
        "audited_at": format_ms(ms),
        "audit_time_secs": 0,
        "audit_result": "accepted" if body["accepted"] else "rejected",
        "audit_source": "customer",
    }
    if comments is not None:
        audit["comments"] = comments
    task.audits.append(audit)
    task.updated_ms = ms
    return task


def set_unique_id(world: World, account: Account, task_id: str, payload: Any) -> Task:
    """Give a task a new unique_id (409 if another task holds it)."""
    task = get_task(account, task_id)
    value = as_object(payload).get("unique_id")
    if value is None:
        raise bad_request("Please include a unique_id parameter.")
    new = check_unique_id(account, value, task_id)
    if task.unique_id is not None:
        account.unique_ids.pop(task.unique_id, None)
    task.unique_id = new
    if new is not None:
        account.unique_ids[new] = task_id
    return _touch(world, task)


def clear_unique_id(world: World, account: Account, task_id: str) -> Task:
    """Remove a task's unique_id so the value can be reused."""
    task = get_task(account, task_id)
    if task.unique_id is not None:
        account.unique_ids.pop(task.unique_id, None)
        task.unique_id = None
    return _touch(world, task)


def set_metadata(world: World, account: Account, task_id: str, payload: Any) -> Task:
    """Replace (not merge) a task's metadata with the raw body object."""
    task = get_task(account, task_id)
    task.metadata = as_object(payload, "metadata")
    return _touch(world, task)


def change_tags(world: World, account: Account, task_id: str, payload: Any, how: str) -> Task:
    """``set`` replaces, ``add`` appends new ones in order, ``remove`` drops listed ones."""
    task = get_task(account, task_id)
    tags = tag_list(payload)
    current = task.tags or []
    if how == "set":
        task.tags = tags
    elif how == "add":
        task.tags = list(dict.fromkeys([*current, *tags]))
    else:
        dropped = set(tags)
        task.tags = [t for t in current if t not in dropped]
    return _touch(world, task)


def finish_task(
    world: World, task: Task, *, response: Any = None, status: str = "completed"
) -> Task:
    """Complete (or fail) a pending task, as Scale's workforce eventually does."""
    if status not in ("completed", "error"):
        raise bad_request("status must be completed or error")
    if task.status != "pending":
        raise bad_request(f"Task {task.task_id} is {task.status}, not pending.")
    if response is None:
        if status == "completed":
            response = fake_response(task.type, task.params, world.ids.uuid)
        else:
            response = {
                "error": "One or more attachments could not be downloaded.",
                "attachments": [{"statusCode": 403, "url": task.params.get("attachment")}],
            }
    ms = world.tick()
    task.status = status
    task.response = response
    task.completed_ms = ms
    task.updated_ms = ms
    return task
