"""The delivery and dataset routes of the fake's v2 API (registered on ``routes.ROUTES``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .._asgi import Reply, Request
from .._clock import format_ms, within
from .._errors import ApiError
from . import queries as q
from .paging import page
from .routes import ROUTES, Ctx, _options, _project_id, _task_key, found, paged
from .world import V2DatasetDelivery, V2DatasetTask, V2Delivery

D = TypeVar("D", V2Delivery, V2DatasetDelivery)


def _deliveries_reply(req: Request, deliveries: list[D], to_json: Callable[[D], Any]) -> Reply:
    """A listing of project or dataset deliveries: those delivered within the query's window."""
    after, before = q.moment(req.query, "delivered_after"), q.moment(req.query, "delivered_before")
    kept = [to_json(d) for d in deliveries if within(d.delivered_ms, after, before)]
    return Reply(200, {"deliveries": kept})


def _delivery(ctx: Ctx, req: Request) -> V2Delivery:
    delivery_id, name = q.text(req.query, "delivery_id"), q.text(req.query, "delivery_name")
    if delivery_id is None and name is None:
        raise ApiError(400, "delivery_id or delivery_name is required")
    delivered = (
        ctx.account.deliveries.get(delivery_id)
        if delivery_id is not None
        else ctx.account.delivery_named(name or "")
    )
    if delivered is None:
        raise ApiError(404, f"Delivery {delivery_id or name} not found")
    return delivered


@ROUTES.add("GET", "deliveries")
def _get_deliveries(ctx: Ctx, req: Request) -> Reply:
    expand = q.expand(req.query, ("project",))
    project_id = _project_id(
        ctx, q.text(req.query, "project_id"), q.text(req.query, "project_name")
    )
    return _deliveries_reply(
        req,
        [d for d in ctx.account.deliveries.values() if project_id in (None, d.project_id)],
        lambda d: ctx.world.delivery_json(ctx.account, d, expand),
    )


@ROUTES.add("GET", "delivery")
def _get_delivery(ctx: Ctx, req: Request) -> Reply:
    expand = q.expand(req.query, ("project", "batch", "delivery"))
    _options(req)
    delivery = _delivery(ctx, req)
    tasks = [ctx.account.tasks[t] for t in delivery.task_ids if t in ctx.account.tasks]
    tasks.sort(key=_task_key)
    chunk, token = page(tasks, _task_key, q.text(req.query, "next_token"), q.limit(req.query))
    body = {
        "delivery": (
            ctx.world.delivery_json(ctx.account, delivery, expand)
            if "delivery" in expand
            else delivery.id
        ),
        "tasks": [ctx.world.task_json(ctx.account, task, expand) for task in chunk],
    }
    return paged(body, token)


@ROUTES.add("GET", "delivery/tasks")
def _get_delivery_tasks(ctx: Ctx, req: Request) -> Reply:
    query = req.query
    project_id = _project_id(ctx, q.text(query, "project_id"), q.text(query, "project_name"))
    delivery_id = q.text(query, "delivery_id")
    if delivery_id is None and project_id is None:
        raise ApiError(400, "delivery_id, project_id or project_name is required")
    if delivery_id is not None and delivery_id not in ctx.account.deliveries:
        raise ApiError(404, f"Delivery {delivery_id} not found")
    status = q.choice(query, "status", q.TASK_STATUSES)
    after, before = q.moment(query, "completed_after"), q.moment(query, "completed_before")
    docs = []
    for delivery in ctx.account.deliveries.values():
        if delivery_id is not None and delivery.id != delivery_id:
            continue
        if project_id is not None and delivery.project_id != project_id:
            continue
        for task_id in delivery.task_ids:
            task = ctx.account.tasks.get(task_id)
            if task is None or (status is not None and task.status != status):
                continue
            if within(task.completed_ms, after, before):
                docs.append((delivery, task))
    docs.sort(key=lambda pair: _task_key(pair[1]) + pair[0].id)
    chunk, token = page(
        docs,
        lambda pair: _task_key(pair[1]) + pair[0].id,
        q.text(query, "next_token"),
        q.limit(query),
    )
    body = {
        "docs": [
            {
                "task_id": task.task_id,
                "created_at": format_ms(task.created_ms),
                "delivery_id": delivery.id,
                "delivered_at": format_ms(delivery.delivered_ms),
                "response_schema_id": task.response_schema_id,
                "response": task.response or {},
            }
            for delivery, task in chunk
        ],
        "total": len(docs),
    }
    return paged(body, token)


# -- datasets ----------------------------------------------------------------------------------


def _dataset_delivery(ctx: Ctx, delivery_id: str) -> V2DatasetDelivery:
    return found(ctx.account.dataset_deliveries, delivery_id, f"Dataset delivery {delivery_id}")


def _dataset_task_key(task: V2DatasetTask) -> str:
    return task.delivery_id + task.task_id


@ROUTES.add("GET", "datasets")
def _get_datasets(ctx: Ctx, req: Request) -> Reply:
    datasets = [ctx.world.dataset_json(ctx.account, d) for d in ctx.account.datasets]
    return Reply(200, {"datasets": datasets})


@ROUTES.add("GET", "datasets/deliveries")
def _get_dataset_deliveries(ctx: Ctx, req: Request) -> Reply:
    expand = q.expand(req.query, ("dataset",))
    dataset_id = q.text(req.query, "dataset_id")
    if dataset_id is not None and dataset_id not in ctx.account.datasets:
        raise ApiError(404, f"Dataset {dataset_id} not found")
    return _deliveries_reply(
        req,
        [d for d in ctx.account.dataset_deliveries.values() if dataset_id in (None, d.dataset_id)],
        lambda d: ctx.world.dataset_delivery_json(ctx.account, d, expand),
    )


@ROUTES.add("GET", "datasets/delivery")
def _get_dataset_delivery(ctx: Ctx, req: Request) -> Reply:
    expand = q.expand(req.query, ("dataset",))
    delivery = _dataset_delivery(ctx, q.required(req.query, "delivery_id"))
    tasks = [ctx.account.dataset_tasks[t] for t in delivery.task_ids]
    tasks.sort(key=_dataset_task_key)
    chunk, token = page(
        tasks, _dataset_task_key, q.text(req.query, "next_token"), q.limit(req.query)
    )
    body = {
        "delivery": ctx.world.dataset_delivery_json(ctx.account, delivery, expand),
        "tasks": [ctx.world.dataset_task_json(ctx.account, t, expand) for t in chunk],
    }
    return paged(body, token)


@ROUTES.add("GET", "datasets/task")
def _get_dataset_task(ctx: Ctx, req: Request) -> Reply:
    expand = q.expand(req.query, ("dataset", "delivery"))
    task = found(ctx.account.dataset_tasks, q.required(req.query, "task_id"), "Dataset task")
    return Reply(200, ctx.world.dataset_task_json(ctx.account, task, expand))


@ROUTES.add("GET", "datasets/tasks")
def _get_dataset_tasks(ctx: Ctx, req: Request) -> Reply:
    query = req.query
    expand = q.expand(query, ("dataset", "delivery"))
    dataset_id, delivery_id = q.text(query, "dataset_id"), q.text(query, "delivery_id")
    if dataset_id is None and delivery_id is None:
        raise ApiError(400, "dataset_id or delivery_id is required")
    if dataset_id is not None and dataset_id not in ctx.account.datasets:
        raise ApiError(404, f"Dataset {dataset_id} not found")
    if delivery_id is not None:
        _dataset_delivery(ctx, delivery_id)
    after, before = q.moment(query, "delivered_after"), q.moment(query, "delivered_before")
    matching = []
    for task in ctx.account.dataset_tasks.values():
        delivery = ctx.account.dataset_deliveries[task.delivery_id]
        if (
            (dataset_id is None or task.dataset_id == dataset_id)
            and (delivery_id is None or task.delivery_id == delivery_id)
            and within(delivery.delivered_ms, after, before)
        ):
            matching.append(task)
    matching.sort(key=_dataset_task_key)
    chunk, token = page(matching, _dataset_task_key, q.text(query, "next_token"), q.limit(query))
    return paged(
        {"tasks": [ctx.world.dataset_task_json(ctx.account, t, expand) for t in chunk]}, token
    )


@ROUTES.add("GET", "datasets/task/{task_id}/response_url/{attachment_id}")
def _get_response_url(ctx: Ctx, req: Request) -> Reply:
    task_id, attachment_id = req.path_params["task_id"], req.path_params["attachment_id"]
    if (task_id, attachment_id) not in ctx.account.attachments:
        raise ApiError(404, "Attachment not found")
    location = f"{ctx.files_url}/{task_id}/{attachment_id}"
    return Reply(302, None, [(b"location", location.encode())])


@ROUTES.add("GET", "schema")
def _get_schema(ctx: Ctx, req: Request) -> Reply:
    schema = found(ctx.account.schemas, q.required(req.query, "schema_id"), "Schema")
    return Reply(200, {"schema": dict(schema)})
