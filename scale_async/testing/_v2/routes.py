"""The 25 routes of the v2 API, over the fake's v2 world (one account per API key).

Shapes, defaults and errors follow the API reference and what the official SDK's models
require; errors are v1's ``{"status_code", "error"}`` bodies, as the v2 API's are.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from .._asgi import Reply, Request
from .._clock import within
from .._errors import ApiError
from .._params import Mode, as_object, many
from .._router import Router
from . import queries as q
from .paging import page, scan
from .tasks import chat_thread
from .world import V2Account, V2Batch, V2Task, V2World

T = TypeVar("T")

TASK_OPTIONS = ("annotation_details", "attachment_details", "model_parameters", "submissions")


@dataclass
class Ctx:
    """What a handler works on: the world, the caller's account, and where files are served."""

    world: V2World
    account: V2Account
    mode: Mode
    files_url: str


ROUTES: Router[Callable[[Ctx, Request], Reply]] = Router()


def found(table: Mapping[str, T], key: str, what: str) -> T:
    """``table[key]``, or the API's 404 ``{what} not found``."""
    item = table.get(key)
    if item is None:
        raise ApiError(404, f"{what} not found")
    return item


def paged(body: dict[str, Any], token: str | None) -> Reply:
    """A page of a listing: ``next_token`` is there only when another page is."""
    return Reply(200, {**body, "next_token": token} if token else body)


def _options(req: Request) -> None:
    for value in many(req.query, "opts"):
        if value not in TASK_OPTIONS:
            raise ApiError(400, f"opts must name {', '.join(TASK_OPTIONS)}, got {value!r}")


def _body(req: Request) -> dict[str, Any]:
    return as_object(req.json())


def _str(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise ApiError(400, f"{name} must be a string")
    return value or None


def _dict(body: dict[str, Any], name: str, *, required: bool = False) -> dict[str, Any] | None:
    value = body.get(name)
    if value is None and required:
        raise ApiError(400, f"{name} is required")
    if value is not None and not isinstance(value, dict):
        raise ApiError(400, f"{name} must be an object")
    return value


def _project_id(ctx: Ctx, project_id: str | None, project_name: str | None) -> str | None:
    """The project named by id or name; None if neither is given, 404 if unknown."""
    if project_id is not None:
        if project_id not in ctx.account.projects:
            raise ApiError(404, f"Project {project_id} not found")
        return project_id
    if project_name is not None:
        project = ctx.account.project_named(project_name)
        if project is None:
            raise ApiError(404, f"Project {project_name} not found")
        return project.id
    return None


def _batch(ctx: Ctx, batch_id: str | None, batch_name: str | None) -> V2Batch | None:
    if batch_id is not None:
        batch = ctx.account.batches.get(batch_id)
    elif batch_name is not None:
        batch = ctx.account.batch_named(batch_name)
    else:
        return None
    if batch is None:
        raise ApiError(404, f"Batch {batch_id or batch_name} not found")
    return batch


def _named_batch(ctx: Ctx, batch_id: str | None, batch_name: str | None) -> V2Batch:
    batch = _batch(ctx, batch_id, batch_name)
    if batch is None:
        raise ApiError(400, "batch_id or batch_name is required")
    return batch


def _task_key(task: V2Task) -> str:
    return f"{task.created_ms:015d}{task.task_id}"


# -- tasks -------------------------------------------------------------------------------------


@ROUTES.add("GET", "task")
def _get_task(ctx: Ctx, req: Request) -> Reply:
    expand = q.expand(req.query, ("project", "batch"))
    _options(req)
    task = found(ctx.account.tasks, q.required(req.query, "task_id"), "Task")
    return Reply(200, ctx.world.task_json(ctx.account, task, expand))


@ROUTES.add("GET", "tasks")
def _get_tasks(ctx: Ctx, req: Request) -> Reply:
    query = req.query
    expand = q.expand(query, ("project", "batch"))
    _options(req)
    project_id = _project_id(ctx, q.text(query, "project_id"), q.text(query, "project_name"))
    batch = _batch(ctx, q.text(query, "batch_id"), q.text(query, "batch_name"))
    if project_id is None and batch is None:
        raise ApiError(400, "One of project_id, project_name, batch_id or batch_name is required")
    status = q.choice(query, "status", q.TASK_STATUSES)
    after, before = q.moment(query, "completed_after"), q.moment(query, "completed_before")
    size = q.limit(query)

    def wanted(task: V2Task) -> bool:
        return (
            (project_id is None or task.project_id == project_id)
            and (batch is None or task.batch_id == batch.id)
            and (status is None or task.status == status)
            and within(task.completed_ms, after, before)
        )

    chunk, token = scan(ctx.account.ordered, _task_key, q.text(query, "next_token"), size, wanted)
    return paged({"tasks": [ctx.world.task_json(ctx.account, t, expand) for t in chunk]}, token)


@ROUTES.add("POST", "task/chat")
def _create_chat_task(ctx: Ctx, req: Request) -> Reply:
    body = _body(req)
    batch = _batch(ctx, _str(body, "batch_id"), _str(body, "batch_name"))
    project_id = _project_id(ctx, _str(body, "project_id"), _str(body, "project_name"))
    if batch is not None and project_id is not None and batch.project_id != project_id:
        raise ApiError(400, "The batch does not belong to the project")
    if project_id is None and batch is None:
        raise ApiError(400, "One of project_id, project_name, batch_id or batch_name is required")
    if batch is not None and batch.status in ("completed", "cancelled"):
        raise ApiError(400, f"Batch {batch.name} is {batch.status}")
    variables = _dict(body, "template_variables") or {}
    stamp = ctx.world.clock.tick()
    task = V2Task(
        task_id=ctx.world.ids.object_id(stamp),
        project_id=project_id or (batch.project_id if batch else ""),
        batch_id=batch.id if batch else None,
        created_ms=stamp,
        status="pending",
        metadata=copy.deepcopy(_dict(body, "metadata") or {}),
        template_variables=copy.deepcopy(variables),
        callback_url=_str(body, "callback_url"),
    )
    if ctx.mode == "test":  # test keys are answered at once, as on v1
        task.threads = [chat_thread(ctx.world, ctx.account, variables)]
        task.status = "completed"
        task.completed_ms = ctx.world.clock.tick()
    ctx.account.add_task(task)
    return Reply(200, ctx.world.task_json(ctx.account, task))


@ROUTES.add("POST", "task/metadata")
def _set_task_metadata(ctx: Ctx, req: Request) -> Reply:
    body = _body(req)
    task = found(ctx.account.tasks, _str(body, "task_id") or "", "Task")
    metadata = _dict(body, "metadata", required=True) or {}
    task.metadata = {**task.metadata, **metadata} if body.get("merge") else copy.deepcopy(metadata)
    return Reply(200, ctx.world.task_json(ctx.account, task))


@ROUTES.add("GET", "annotation")
def _get_annotation(ctx: Ctx, req: Request) -> Reply:
    annotation_id = q.required(req.query, "annotation_id")
    annotation = found(ctx.account.annotations, annotation_id, "Annotation")
    return Reply(200, copy.deepcopy(annotation))


# -- batches -----------------------------------------------------------------------------------


@ROUTES.add("GET", "batch")
def _get_batch(ctx: Ctx, req: Request) -> Reply:
    expand = q.expand(req.query, ("project",))
    batch = _named_batch(ctx, q.text(req.query, "batch_id"), q.text(req.query, "batch_name"))
    return Reply(200, ctx.world.batch_json(ctx.account, batch, expand))


@ROUTES.add("GET", "batches")
def _get_batches(ctx: Ctx, req: Request) -> Reply:
    query = req.query
    expand = q.expand(query, ("project",))
    project_id = _project_id(ctx, q.text(query, "project_id"), q.text(query, "project_name"))
    status = q.choice(query, "status", q.BATCH_STATUSES)
    created = q.moment(query, "created_after"), q.moment(query, "created_before")
    completed = q.moment(query, "completed_after"), q.moment(query, "completed_before")
    matching = [
        batch
        for batch in ctx.account.batches.values()
        if (project_id is None or batch.project_id == project_id)
        and (status is None or batch.status == status)
        and within(batch.created_ms, *created)
        and within(batch.completed_ms, *completed)
    ]
    chunk, token = page(
        matching,
        lambda b: f"{b.created_ms:015d}{b.id}",
        q.text(query, "next_token"),
        q.limit(query),
    )
    return paged({"batches": [ctx.world.batch_json(ctx.account, b, expand) for b in chunk]}, token)


@ROUTES.add("POST", "batch")
def _create_batch(ctx: Ctx, req: Request) -> Reply:
    body = _body(req)
    name = _str(body, "name")
    if name is None:
        raise ApiError(400, "name is required")
    project_id = _project_id(ctx, _str(body, "project_id"), _str(body, "project_name"))
    if project_id is None:
        raise ApiError(400, "project_id or project_name is required")
    if ctx.account.batch_named(name) is not None:
        raise ApiError(409, f"A batch named {name} already exists")
    stamp = ctx.world.clock.tick()
    batch = V2Batch(
        id=ctx.world.ids.object_id(stamp),
        name=name,
        project_id=project_id,
        created_ms=stamp,
        status="staging" if body.get("staging_batch") else "in_progress",
        metadata=copy.deepcopy(_dict(body, "metadata") or {}),
        callback=_str(body, "callback"),
    )
    ctx.account.batches[batch.id] = batch
    return Reply(200, ctx.world.batch_json(ctx.account, batch))


def _operated(ctx: Ctx, req: Request) -> V2Batch:
    body = _body(req)
    return _named_batch(ctx, _str(body, "batch_id"), _str(body, "batch_name"))


def _move(batch: V2Batch, allowed: tuple[str, ...], to: str, verb: str) -> None:
    if batch.status not in allowed:
        raise ApiError(400, f"Cannot {verb} batch {batch.name}: it is {batch.status}")
    batch.status = to


@ROUTES.add("POST", "batch/finalize")
def _finalize(ctx: Ctx, req: Request) -> Reply:
    batch = _operated(ctx, req)
    if batch.status != "in_progress":
        _move(batch, ("staging",), "in_progress", "finalize")
    return Reply(200, ctx.world.batch_json(ctx.account, batch))


@ROUTES.add("POST", "batch/pause")
def _pause(ctx: Ctx, req: Request) -> Reply:
    batch = _operated(ctx, req)
    _move(batch, ("in_progress", "staging"), "paused", "pause")
    json = ctx.world.batch_json(ctx.account, batch)
    return Reply(200, {"batch": json, "message": f"Batch {batch.name} paused"})


@ROUTES.add("POST", "batch/resume")
def _resume(ctx: Ctx, req: Request) -> Reply:
    batch = _operated(ctx, req)
    _move(batch, ("paused",), "in_progress", "resume")
    json = ctx.world.batch_json(ctx.account, batch)
    return Reply(200, {"batch": json, "message": f"Batch {batch.name} resumed"})


@ROUTES.add("POST", "batch/cancel")
def _cancel(ctx: Ctx, req: Request) -> Reply:
    batch = _operated(ctx, req)
    _move(batch, ("staging", "in_progress", "paused"), "cancelled", "cancel")
    for task in ctx.account.tasks.values():
        if task.batch_id == batch.id and task.status == "pending":
            task.status = "canceled"
    json = ctx.world.batch_json(ctx.account, batch)
    return Reply(200, {"batch": json, "message": f"Batch {batch.name} cancelled"})


@ROUTES.add("POST", "batch/metadata")
def _set_batch_metadata(ctx: Ctx, req: Request) -> Reply:
    body = _body(req)
    batch = _operated(ctx, req)
    metadata = _dict(body, "metadata", required=True) or {}
    batch.metadata = (
        {**batch.metadata, **metadata} if body.get("merge") else copy.deepcopy(metadata)
    )
    return Reply(200, ctx.world.batch_json(ctx.account, batch))


# -- projects ----------------------------------------------------------------------------------


@ROUTES.add("GET", "project")
def _get_project(ctx: Ctx, req: Request) -> Reply:
    project_id = _project_id(
        ctx, q.text(req.query, "project_id"), q.text(req.query, "project_name")
    )
    if project_id is None:
        raise ApiError(400, "project_id or project_name is required")
    return Reply(200, ctx.world.project_json(ctx.account.projects[project_id]))


@ROUTES.add("GET", "projects")
def _get_projects(ctx: Ctx, req: Request) -> Reply:
    after, before = q.moment(req.query, "created_after"), q.moment(req.query, "created_before")
    projects = [
        ctx.world.project_json(p)
        for p in ctx.account.projects.values()
        if within(p.created_ms, after, before)
    ]
    return Reply(200, {"projects": projects})
