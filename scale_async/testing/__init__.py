"""A faithful in-memory fake of the Scale AI REST API v1, for tests that must stay offline.

Why it exists: the official SDK can only be tested against Scale's live service, so retries,
pagination, idempotency and error handling go unexercised. This fake answers every v1 endpoint
with the documented wire shapes and quirks (200 for every success, ``{"status_code", "error"}``
bodies, keyset ``next_token`` paging on tasks, offset paging on batches, bare-array tag bodies,
absent ``tags``/``unique_id`` keys...), and can misbehave on purpose (latency, 429 with
``Retry-After``, 5xx, commit-then-fail task creation, dropped connections), repeatably by seed.

Two ways to run it::

    fake = FakeScaleAPI(seed=1)
    async with fake.client("test_key") as api:   # httpx.AsyncClient on fake.transport()
        await api.get("/tasks")                  # in-process, no sockets, asyncio or trio

    with run_in_thread(faults=FaultConfig(rate_limited=0.1), seed=1) as server:
        scaleapi.ScaleClient("test_key", api_instance_url=server.base_url)  # real HTTP on 127.0.0.1

Control routes (no key, never faulted): ``GET /_fake/stats``, ``POST /_fake/reset``,
``GET|PUT /_fake/faults``, ``POST /_fake/faults/queue``, ``POST /_fake/tasks/{id}/complete``,
``GET /_fake/callbacks``, ``POST /_fake/v2/seed``.

The same app serves Scale's v2 API under ``/v2`` (Bearer key, same latency and faults), with
bodies the official SDK's v2 models accept. What Scale makes on its own there (completed,
annotated tasks with responses, deliveries, datasets, a response schema) is seeded with
``fake.seed_v2(key, project_name)`` or ``POST /_fake/v2/seed``.

``FakeNGAScaleAPI`` is the same kind of fake for a different product, NGA Scale's v6 Batch
Services (``scale_async.nga``): ``FakeNGAScaleAPI().transport()`` in-process, or any ASGI server.
"""

from __future__ import annotations

from ._errors import ApiError
from ._faults import FAULT_KINDS, FaultConfig, FaultKind, Latency
from ._nga.app import IN_PROCESS_NGA_BASE_URL, FakeNGAScaleAPI
from ._server import FakeServer, run_in_thread, serve
from ._transport import FakeTransport
from ._v1.app import IN_PROCESS_BASE_URL, FakeScaleAPI
from ._v1.callbacks import CallbackAttempt, callback_body
from ._v1.state import Stats

__all__ = [
    "FAULT_KINDS",
    "IN_PROCESS_BASE_URL",
    "IN_PROCESS_NGA_BASE_URL",
    "ApiError",
    "CallbackAttempt",
    "FakeNGAScaleAPI",
    "FakeScaleAPI",
    "FakeServer",
    "FakeTransport",
    "FaultConfig",
    "FaultKind",
    "Latency",
    "Stats",
    "callback_body",
    "run_in_thread",
    "serve",
]
