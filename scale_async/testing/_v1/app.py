"""``FakeScaleAPI``: the ASGI application tying routes, auth, faults, latency and callbacks."""

from __future__ import annotations

import copy
import secrets
import threading
from collections.abc import Iterable
from typing import Any

import anyio
import httpx

from .._asgi import Receive, Reply, Request, Scope, Send, drop_connection, read_request, send_reply
from .._clock import Now
from .._errors import ApiError
from .._faults import (
    MESSAGE_OF,
    STATUS_OF,
    FaultConfig,
    FaultKind,
    FaultPlan,
    Latency,
    check_latency,
)
from .._params import api_key_from_header, key_mode
from .._transport import FakeTransport
from .._v2 import app as v2
from .._v2.seed import seed as v2_seed
from .callbacks import CallbackAttempt, deliver, is_http_url
from .control import CONTROL
from .routes import ROUTES, Ctx
from .state import Account, Stats, World
from .tasks import NOT_FOUND, finish_task

IN_PROCESS_BASE_URL = "http://fake-scale.invalid/v1"


class FakeScaleAPI:
    """An in-memory Scale v1 API as an ASGI app, for tests that must not reach the internet.

    Mount it in-process with :meth:`transport` (no sockets, asyncio or trio) or serve it on
    127.0.0.1 with :func:`scale_async.testing.run_in_thread` so any client, the official SDK
    included, can talk to it. Every API key is its own account; ``test_`` keys get tasks
    completed at once, ``live_`` keys get pending tasks that :meth:`complete_task` finishes.

    Args:
        latency: seconds to wait before answering each v1 request, or a ``(low, high)`` range
            drawn per request; lets timeouts and concurrency be exercised.
        faults: how often v1 requests fail (429, 5xx, dropped connections, commit-then-fail).
        seed: makes fault choice, random latency and generated ids repeatable run to run.
        keys: if given, only these API keys are accepted (others get 401); by default any key
            starting ``test_`` or ``live_`` is.
        callback_auth_key: sent as ``scale-callback-auth`` so receivers can check the sender.
        callback_transport: httpx transport for callback POSTs (e.g. an in-process receiver);
            None means real HTTP.
        callback_attempts: deliveries tried per callback before giving up.
        callback_backoff: first wait between attempts, doubled each time.
        callback_timeout: per-attempt timeout in seconds.
        now: wall clock to stamp records with (UTC); lets tests pin time.
    """

    def __init__(
        self,
        *,
        latency: Latency = 0.0,
        faults: FaultConfig | None = None,
        seed: int | None = None,
        keys: Iterable[str] | None = None,
        callback_auth_key: str = "fake-callback-auth-key",
        callback_transport: httpx.AsyncBaseTransport | None = None,
        callback_attempts: int = 5,
        callback_backoff: float = 0.05,
        callback_timeout: float = 5.0,
        now: Now | None = None,
    ) -> None:
        if callback_attempts < 1:
            raise ValueError("callback_attempts must be at least 1")
        self._lock = threading.RLock()
        self._seed = seed
        self._now = now
        self._world = World(seed=seed, now=now)
        self._v2 = v2.V2World(seed=seed, now=now)
        self._plan = FaultPlan(faults or FaultConfig(), latency, seed)
        self._keys = None if keys is None else frozenset(keys)
        self._callbacks: list[CallbackAttempt] = []
        self.callback_auth_key = callback_auth_key
        self.callback_transport = callback_transport
        self.callback_attempts = callback_attempts
        self.callback_backoff = callback_backoff
        self.callback_timeout = callback_timeout

    # --- public controls ------------------------------------------------------------------

    def transport(self) -> FakeTransport:
        """An httpx transport that calls this app in-process (pass to ``httpx.AsyncClient``)."""
        return FakeTransport(self)

    def client(self, api_key: str, **kwargs: Any) -> httpx.AsyncClient:
        """An ``httpx.AsyncClient`` on the in-process transport, with Basic auth like the SDK."""
        kwargs.setdefault("base_url", IN_PROCESS_BASE_URL)
        return httpx.AsyncClient(transport=self.transport(), auth=(api_key, ""), **kwargs)

    @property
    def stats(self) -> Stats:
        """A snapshot of the counters (requests, faults, tasks created, duplicates refused...)."""
        with self._lock:
            return copy.deepcopy(self._world.stats)

    @property
    def faults(self) -> FaultConfig:
        """The fault rates in force."""
        return self._plan.config

    @property
    def latency(self) -> Latency:
        """The latency in force."""
        return self._plan.latency

    @property
    def queued_faults(self) -> list[FaultKind]:
        """Forced faults not yet injected."""
        with self._lock:
            return self._plan.queued

    @property
    def callbacks(self) -> list[CallbackAttempt]:
        """Every callback POST attempted so far, in order."""
        with self._lock:
            return list(self._callbacks)

    def configure(
        self, *, faults: FaultConfig | None = None, latency: Latency | None = None
    ) -> None:
        """Change fault rates and/or latency while running (the random sequence continues)."""
        with self._lock:
            if faults is not None:
                self._plan.config = faults
            if latency is not None:
                self._plan.latency = check_latency(latency)

    def enqueue_faults(self, *kinds: FaultKind) -> None:
        """Make the next v1 requests fail in exactly this order, whatever the rates say.

        A queued ``commit_then_fail`` waits for the next task creation, so "store the task, answer
        500, then the retry meets a 409" can be staged precisely.
        """
        with self._lock:
            self._plan.enqueue(list(kinds))

    def reset(self) -> None:
        """Forget every account, record, stat and queued fault; restart the seeded sequences."""
        with self._lock:
            self._world = World(seed=self._seed, now=self._now)
            self._v2 = v2.V2World(seed=self._seed, now=self._now)
            self._plan.reseed()
            self._callbacks.clear()

    def get_task(self, task_id: str) -> dict[str, Any] | None:
        """A task's JSON from any account, for assertions; None if unknown."""
        with self._lock:
            found = self._world.find_task(task_id)
            return None if found is None else found[1].to_json()

    async def complete_task(
        self, task_id: str, response: Any = None, *, status: str = "completed"
    ) -> dict[str, Any]:
        """Finish a pending (live) task as Scale's workers would, then deliver its callback.

        ``status="error"`` simulates an attachment failure. Returns the task as it ends up,
        with ``callback_succeeded`` set when a callback URL was attempted.
        """
        task, _ = await self.complete_task_with_report(task_id, response, status=status)
        return task

    async def complete_task_with_report(
        self, task_id: str, response: Any = None, *, status: str = "completed"
    ) -> tuple[dict[str, Any], list[CallbackAttempt]]:
        """As :meth:`complete_task`, also returning the callback attempts made."""
        with self._lock:
            world = self._world
            found = world.find_task(task_id)
            if found is None:
                raise ApiError(404, NOT_FOUND)
            task = finish_task(world, found[1], response=response, status=status)
            snapshot = task.to_json()
        if not task.callback_url or not is_http_url(task.callback_url):
            return snapshot, []
        attempts = await deliver(
            snapshot,
            auth_key=self.callback_auth_key,
            transport=self.callback_transport,
            max_attempts=self.callback_attempts,
            backoff=self.callback_backoff,
            per_attempt_timeout=self.callback_timeout,
        )
        with self._lock:
            succeeded = attempts[-1].ok
            task.callback_succeeded = succeeded
            self._callbacks.extend(attempts)
            if succeeded:
                world.stats.callbacks_delivered += 1
            else:
                world.stats.callbacks_failed += 1
            return task.to_json(), attempts

    def seed_v2(self, api_key: str, project_name: str, *, tasks: int = 0) -> dict[str, Any]:
        """Create on v2, for ``api_key``'s account, what Scale makes on its own.

        In project ``project_name`` (created if missing): a completed batch of three
        completed tasks with threads, responses and one annotation of every type, a delivery
        of them, a response schema, a dataset with two deliveries of two tasks (one task
        with an attachment whose response URL redirects), and ``tasks`` more completed
        tasks for listings. All of it is found through the ordinary v2 reads; the answer
        lists the ids. ``POST /_fake/v2/seed`` does the same over HTTP.
        """
        with self._lock:
            return v2_seed(self._v2, self._v2.account(api_key), project_name, tasks)

    # --- ASGI -----------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = await read_request(scope, receive)
        head = request.segments[:1]
        if head == ["v1"]:
            reply = await self._serve_v1(request, send)
            # Like a real API's, so that clients can report which request failed.
            reply.headers.append((b"x-request-id", f"req_{secrets.token_hex(8)}".encode()))
        elif head == ["v2"]:
            reply = await self._serve_v2(request, send)
        elif head == ["_fake"]:
            reply = await self._serve_control(request)
        else:
            reply = _no_route(request)
        await send_reply(send, reply)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _serve_control(self, request: Request) -> Reply:
        if request.segments[1:2] == ["v2"]:
            return self._serve_v2_control(request)
        matched = CONTROL.match(request.method, request.segments[1:])
        if matched is None:
            return _no_route(request)
        route, request.path_params = matched
        try:
            return await route.handler(self, request)
        except ApiError as exc:
            return Reply(exc.status, exc.body())

    async def _serve_v1(self, request: Request, send: Send) -> Reply:
        matched = ROUTES.match(request.method, request.segments[1:])
        creates_task = matched is not None and matched[0].creates_task
        fault, early = await self._draw_fault(creates_task, send)
        if early is not None:
            return early
        with self._lock:
            world = self._world
            try:
                account = self._authenticate(request, world)
                if matched is None:
                    raise ApiError(404, f"No route for {request.method} {request.path}")
                route, request.path_params = matched
                reply = route.handler(Ctx(world, account), request)
            except ApiError as exc:
                reply = Reply(exc.status, exc.body())
            return self._settle(fault, reply)

    def _serve_v2_control(self, request: Request) -> Reply:
        parts = request.segments[2:]
        try:
            with self._lock:
                if request.method == "POST" and parts == ["seed"]:
                    return v2.seed_reply(self._v2, request.json())
                if request.method == "GET" and len(parts) == 3 and parts[0] == "files":
                    return v2.file_reply(self._v2, parts[1], parts[2])
        except ApiError as exc:
            return Reply(exc.status, exc.body())
        return _no_route(request)

    async def _serve_v2(self, request: Request, send: Send) -> Reply:
        """A v2 request: the same latency, faults and keys as v1, then the v2 routes."""
        creates_task = v2.creates_task(request)
        fault, early = await self._draw_fault(creates_task, send)
        if early is not None:
            return early
        with self._lock:
            try:
                account = self._authenticate(request, self._world)
                reply = v2.answer(self._v2, account.key, account.mode, request)
            except ApiError as exc:
                reply = Reply(exc.status, exc.body())
            return self._settle(fault, reply)

    async def _draw_fault(
        self, creates_task: bool, send: Send
    ) -> tuple[FaultKind | None, Reply | None]:
        """Count the request, wait its latency and draw its fault, v1 and v2 alike.

        A fault that stands in for the answer comes back as the reply to send at once;
        ``commit_then_fail`` comes back alone, for ``_settle`` after the handler ran.
        """
        with self._lock:
            self._world.stats.requests_served += 1
            fault, delay = self._plan.draw(creates_task)
        if delay > 0:
            await anyio.sleep(delay)
        if fault is None or fault == "commit_then_fail":
            return fault, None
        with self._lock:
            self._world.stats.count_fault(fault)
            if fault != "drop_connection":
                self._world.stats.count_response(STATUS_OF[fault])
        if fault == "drop_connection":
            await drop_connection(send)
        return fault, self._fault_reply(fault)

    def _settle(self, fault: FaultKind | None, reply: Reply) -> Reply:
        """The handler's reply, or (``commit_then_fail`` on a success) the fault's; counted.

        Called under the lock, right after the handler, so the commit and the count agree.
        """
        if fault == "commit_then_fail" and reply.status == 200:
            self._world.stats.count_fault(fault)
            reply = self._fault_reply(fault)
        self._world.stats.count_response(reply.status)
        return reply

    def _fault_reply(self, fault: FaultKind) -> Reply:
        status = STATUS_OF[fault]
        headers: list[tuple[bytes, bytes]] = []
        retry_after = self._plan.config.retry_after
        if fault == "rate_limited" and retry_after is not None:
            headers.append((b"retry-after", str(retry_after).encode()))
        return Reply(status, {"status_code": status, "error": MESSAGE_OF[fault]}, headers)

    def _authenticate(self, request: Request, world: World) -> Account:
        key = api_key_from_header(request.headers.get("authorization"))
        if key is None:
            raise ApiError(401, "Please provide a valid API key (HTTP Basic, key as username).")
        mode = key_mode(key)
        if mode is None or (self._keys is not None and key not in self._keys):
            raise ApiError(401, "Invalid API key.")
        return world.account(key, mode)


def _no_route(request: Request) -> Reply:
    return Reply(
        404, {"status_code": 404, "error": f"No route for {request.method} {request.path}"}
    )
