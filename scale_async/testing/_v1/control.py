"""Control routes under ``/_fake``: never faulted, never delayed, no API key needed.

They let a test (or a process talking to the fake over HTTP) read stats, reset the fake, change
fault settings and finish live tasks, which is what Scale's workforce would do.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

from .._asgi import Reply, Request
from .._errors import bad_request
from .._faults import FAULT_KINDS, FaultKind, latency_from_json
from .._params import as_object, opt_str
from .._router import Router

if TYPE_CHECKING:
    from .app import FakeScaleAPI

Control = Callable[["FakeScaleAPI", Request], Awaitable[Reply]]
CONTROL: Router[Control] = Router()


def _settings(fake: FakeScaleAPI) -> dict[str, Any]:
    latency = fake.latency
    return {
        "faults": fake.faults.as_dict(),
        "latency": list(latency) if isinstance(latency, tuple) else latency,
        "queued": list(fake.queued_faults),
    }


@CONTROL.add("GET", "stats")
async def _stats(fake: FakeScaleAPI, req: Request) -> Reply:
    return Reply(200, fake.stats.as_dict())


@CONTROL.add("POST", "reset")
async def _reset(fake: FakeScaleAPI, req: Request) -> Reply:
    fake.reset()
    return Reply(200, {"result": "success"})


@CONTROL.add("GET", "faults")
async def _get_faults(fake: FakeScaleAPI, req: Request) -> Reply:
    return Reply(200, _settings(fake))


@CONTROL.add("PUT", "faults")
async def _put_faults(fake: FakeScaleAPI, req: Request) -> Reply:
    body = dict(as_object(req.json()))
    latency = latency_from_json(body.pop("latency")) if "latency" in body else None
    fake.configure(faults=fake.faults.updated(body), latency=latency)
    return Reply(200, _settings(fake))


@CONTROL.add("POST", "faults/queue")
async def _queue_faults(fake: FakeScaleAPI, req: Request) -> Reply:
    kinds = req.json()
    if not isinstance(kinds, list) or any(k not in FAULT_KINDS for k in kinds):
        raise bad_request(f"Body must be an array of fault kinds: {', '.join(FAULT_KINDS)}")
    fake.enqueue_faults(*cast("list[FaultKind]", kinds))
    return Reply(200, _settings(fake))


@CONTROL.add("POST", "tasks/{task_id}/complete")
async def _complete(fake: FakeScaleAPI, req: Request) -> Reply:
    body = as_object(req.json())
    status = opt_str(body, "status") or "completed"
    task, attempts = await fake.complete_task_with_report(
        req.path_params["task_id"], response=body.get("response"), status=status
    )
    return Reply(200, {"task": task, "callbacks": [a.as_dict() for a in attempts]})


@CONTROL.add("GET", "callbacks")
async def _callbacks(fake: FakeScaleAPI, req: Request) -> Reply:
    return Reply(200, [a.as_dict() for a in fake.callbacks])
