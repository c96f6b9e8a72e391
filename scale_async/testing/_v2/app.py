"""Answering one v2 request: route it, run the handler on the caller's account.

``FakeScaleAPI`` serves ``/v2/...`` through ``answer`` after its own authentication, latency
and faults (the same as v1's, so a v2 client meets 429s and 5xx too), and the control
routes ``POST /_fake/v2/seed`` and ``GET /_fake/v2/files/...`` through ``seed_reply`` and
``file_reply``.
"""

from __future__ import annotations

from typing import Any

from .._asgi import Reply, Request
from .._errors import ApiError
from .._params import Mode, as_object
from . import deliveries as _deliveries  # noqa: F401  (registers the delivery routes)
from .routes import ROUTES, Ctx
from .seed import seed
from .world import V2World

__all__ = ["V2World", "answer", "creates_task", "file_reply", "seed_reply"]


def creates_task(request: Request) -> bool:
    """Whether the request creates a task (where a queued commit-then-fail fault waits)."""
    return request.method == "POST" and request.segments[1:] == ["task", "chat"]


def answer(world: V2World, key: str, mode: Mode, request: Request) -> Reply:
    """The reply to an authenticated ``/v2/...`` request."""
    matched = ROUTES.match(request.method, request.segments[1:])
    if matched is None:
        raise ApiError(404, f"No route for {request.method} {request.path}")
    route, request.path_params = matched
    host = request.headers.get("host", "127.0.0.1")
    ctx = Ctx(world, world.account(key), mode, f"http://{host}/_fake/v2/files")
    return route.handler(ctx, request)


def seed_reply(world: V2World, body: Any) -> Reply:
    """``POST /_fake/v2/seed`` ``{"api_key", "project_name", "tasks"?}``."""
    data = as_object(body)
    key, project = data.get("api_key"), data.get("project_name")
    count = data.get("tasks", 0)
    if not isinstance(key, str) or not key or not isinstance(project, str) or not project:
        raise ApiError(400, "api_key and project_name must be non-empty strings")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 1_000_000:
        raise ApiError(400, "tasks must be an integer from 0 to 1000000")
    return Reply(200, seed(world, world.account(key), project, count))


def file_reply(world: V2World, task_id: str, attachment_id: str) -> Reply:
    """A stored response file, where a response URL redirects (no key: a signed URL)."""
    stored = world.files.get((task_id, attachment_id))
    if stored is None:
        raise ApiError(404, "No such file")
    return Reply(200, stored)
