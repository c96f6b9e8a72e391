"""Batch operations: create, finalize, read, status counts, offset-paged list, metadata."""

from __future__ import annotations

import copy
from typing import Any

from .._clock import format_ms, within
from .._errors import bad_request, conflict, found
from .._params import (
    Query,
    as_object,
    check_allowed,
    last,
    opt_bool,
    opt_int,
    query_bool,
    query_int,
    query_time,
    req_str,
)
from .paging import offset_envelope
from .projects import get_project
from .state import Account, Batch, Task, World

BATCH_STATUSES = frozenset({"staging", "in_progress", "completed"})
_LIST_PARAMS = (
    "project",
    "status",
    "start_time",
    "end_time",
    "completed_after",
    "completed_before",
    "audited_after",
    "audited_before",
    "exclude_archived",
    "detailed",
    "limit",
    "offset",
)


def batch_tasks(account: Account, batch: Batch) -> list[Task]:
    """The batch's tasks in creation order."""
    return [account.tasks[i] for i in batch.task_ids if i in account.tasks]


def batch_status(account: Account, batch: Batch) -> str:
    """Staging until finalized; completed once it has tasks and none is pending."""
    if batch.staged:
        return "staging"
    tasks = batch_tasks(account, batch)
    if tasks and all(t.status != "pending" for t in tasks):
        return "completed"
    return "in_progress"


def _completed_ms(account: Account, batch: Batch) -> int | None:
    if batch_status(account, batch) != "completed":
        return None
    return max(t.completed_ms or t.updated_ms for t in batch_tasks(account, batch))


def _audited_ms(account: Account, batch: Batch) -> int | None:
    stamps = [t.updated_ms for t in batch_tasks(account, batch) if t.audits]
    return max(stamps) if stamps else None


def batch_json(account: Account, batch: Batch) -> dict[str, Any]:
    """The batch object (the SDK needs name, status, project, created_at, metadata)."""
    out: dict[str, Any] = {
        "id": batch.id,
        "project": batch.project,
        "name": batch.name,
        "status": batch_status(account, batch),
        "callback": batch.callback,
        "created_at": format_ms(batch.created_ms),
        "metadata": copy.deepcopy(batch.metadata),
        "calibration_batch": batch.calibration_batch,
        "self_label_batch": batch.self_label_batch,
    }
    completed = _completed_ms(account, batch)
    if completed is not None:
        out["completed_at"] = format_ms(completed)
    if batch.priority is not None:
        out["priority"] = batch.priority
    return out


def get_batch(account: Account, name: str) -> Batch:
    """The named batch or 404."""
    return found(account.batches.get(name), f"Batch {name} not found.")


def create_batch(world: World, account: Account, payload: Any) -> Batch:
    """A new batch; names are unique across the whole account."""
    body = as_object(payload)
    project_name = req_str(body, "project")
    name = req_str(body, "name")
    project = get_project(account, project_name)
    if name in account.batches:
        existing = account.batches[name]
        raise conflict(f'A batch named "{name}" already exists (in project {existing.project}).')
    callback = body.get("callback")
    if callback is not None and not isinstance(callback, str):
        raise bad_request("callback must be a string")
    ms = world.tick()
    batch = Batch(
        id=world.ids.object_id(ms),
        name=name,
        project=project_name,
        created_ms=ms,
        callback=callback or "",
        metadata=as_object(body.get("metadata"), "metadata"),
        calibration_batch=opt_bool(body, "calibration_batch"),
        self_label_batch=opt_bool(body, "self_label_batch"),
        staged=project.rapid or project.studio,
    )
    account.batches[name] = batch
    return batch


def finalize_batch(account: Account, name: str) -> Batch:
    """Move a staging batch to in_progress; a no-op (still 200) for any other status."""
    batch = get_batch(account, name)
    batch.staged = False
    return batch


def status_counts(account: Account, name: str) -> dict[str, Any]:
    """``{"status", pending?, completed?, error?, canceled?}``: zero counts are left out."""
    batch = get_batch(account, name)
    out: dict[str, Any] = {"status": batch_status(account, batch)}
    for task in batch_tasks(account, batch):
        out[task.status] = out.get(task.status, 0) + 1
    return out


def set_batch_metadata(account: Account, name: str, payload: Any) -> Batch:
    """Replace the batch's metadata with the raw body object."""
    batch = get_batch(account, name)
    batch.metadata = as_object(payload, "metadata")
    return batch


def prioritize_batch(world: World, account: Account, name: str, payload: Any) -> dict[str, Any]:
    """Set a batch priority (10 lowest .. 30 highest); pending tasks take it over."""
    batch = get_batch(account, name)
    priority = opt_int(as_object(payload), "priority")
    if priority is None or not 10 <= priority <= 30:
        raise bad_request("priority must be an integer between 10 and 30")
    batch.priority = priority
    for task in batch_tasks(account, batch):
        if task.status == "pending":
            task.priority = priority
            task.updated_ms = world.tick()
    return {"result": "success"}


def list_batches(account: Account, query: Query) -> dict[str, Any]:
    """``GET /batches``: newest first, offset-paged with ``totalDocs``."""
    check_allowed(query, _LIST_PARAMS, "ScaleClient.batches()")
    limit = query_int(query, "limit", default=100, low=1, high=100)
    offset = query_int(query, "offset", default=0, low=0, high=None)
    query_bool(query, "exclude_archived")
    query_bool(query, "detailed")
    status = last(query, "status") or None
    if status is not None and status not in BATCH_STATUSES:
        raise bad_request(f"Invalid status: {status}")
    project = last(query, "project") or None
    created = (query_time(query, "start_time"), query_time(query, "end_time"))
    completed = (query_time(query, "completed_after"), query_time(query, "completed_before"))
    audited = (query_time(query, "audited_after"), query_time(query, "audited_before"))
    docs = [
        batch_json(account, b)
        for b in reversed(account.batches.values())
        if (project is None or b.project == project)
        and (status is None or batch_status(account, b) == status)
        and within(b.created_ms, *created)
        and within(_completed_ms(account, b), *completed)
        and within(_audited_ms(account, b), *audited)
    ]
    return offset_envelope(docs, limit=limit, offset=offset)
