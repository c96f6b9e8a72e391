"""``FakeNGAScaleAPI``: NGA Scale's v6 Batch Services as an in-memory ASGI app.

A second product, so a second app rather than routes inside ``FakeScaleAPI``: other paths,
other errors (DRF's ``{"detail"}``), other auth (an optional DRF token), other successes
(201 with ``Location``, 204 with no body). It shares the fake's router, request reading and
in-process transport.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import anyio
import httpx

from .._asgi import Receive, Reply, Request, Scope, Send, encode, read_request
from .._clock import Now
from .._router import Router
from .._transport import FakeTransport
from .checks import Checked
from .errors import NGAError, ServerCrash
from .listing import list_page
from .world import NGAWorld

IN_PROCESS_NGA_BASE_URL = "http://fake-nga-scale.invalid/api"
VERSIONS = ("v6", "v7")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_ROUTED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass
class Ctx:
    """What a handler works on: the world and the request's absolute URLs."""

    world: NGAWorld
    url: str
    api_root: str


Handler = Callable[[Ctx, Request], Reply]
ROUTES: Router[Handler] = Router()


def _json_body(request: Request) -> Any:
    """The body as DRF's JSONParser reads it; malformed JSON is a 400 ``JSON parse error``."""
    if not request.body.strip():
        return None
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise NGAError(400, f"JSON parse error - {exc}") from None


def _id(request: Request, name: str) -> int:
    return int(request.path_params[name])


@ROUTES.add("GET", "batches")
def _list(ctx: Ctx, req: Request) -> Reply:
    return Reply(200, list_page(ctx.world, req.query, ctx.url))


@ROUTES.add("POST", "batches")
def _create(ctx: Ctx, req: Request) -> Reply:
    batch = ctx.world.create(ctx.world.parse_body(_json_body(req), for_create=True))
    location = f"{ctx.api_root}/batches/{batch.id}/".encode()
    return Reply(201, ctx.world.details_json(batch), [(b"location", location)])


@ROUTES.add("POST", "batches/validation")
def _validate(ctx: Ctx, req: Request) -> Reply:
    checked: Checked = ctx.world.parse_body(_json_body(req), for_create=False)
    return Reply(200, ctx.world.validation_json(checked))


@ROUTES.add("GET", "batches/comparison/{root_batch_id}")
def _compare(ctx: Ctx, req: Request) -> Reply:
    return Reply(200, ctx.world.comparison_json(_id(req, "root_batch_id")))


@ROUTES.add("GET", "batches/{batch_id}")
def _details(ctx: Ctx, req: Request) -> Reply:
    return Reply(200, ctx.world.details_json(ctx.world.get(_id(req, "batch_id"))))


@ROUTES.add("PATCH", "batches/{batch_id}")
def _edit(ctx: Ctx, req: Request) -> Reply:
    ctx.world.edit(_id(req, "batch_id"), _json_body(req))
    return Reply(204, None)


@dataclass
class _Answer:
    status: int
    body: bytes
    headers: list[tuple[bytes, bytes]]


def _json(status: int, body: Any, headers: list[tuple[bytes, bytes]] | None = None) -> _Answer:
    if status == 204:
        return _Answer(204, b"", headers or [])
    payload = encode(body)
    return _Answer(status, payload, [(b"content-type", b"application/json"), *(headers or [])])


def _html(status: int, title: str) -> _Answer:
    """Django's own pages (an unknown URL, an uncaught exception) are HTML, not DRF JSON."""
    page = f"<!doctype html><html><body><h1>{title}</h1></body></html>".encode()
    return _Answer(status, page, [(b"content-type", b"text/html; charset=utf-8")])


class FakeNGAScaleAPI:
    """An in-memory NGA Scale (v6 Batch Services) for the NGA client's tests.

    Seeded with recipe types 208 (jobs ``job_a``/``job_b``, sub-recipe ``recipe_a``, input
    ``INPUT_FILE``), 209 (``ingest``/``ndvi``/``publish``, input ``SCENE``) and 210
    (``detect``, input ``IMAGE``), and datasets 1 (3 ``INPUT_FILE`` members), 2 (5 ``SCENE``),
    3 (2 ``NAME_FILE``, matching nothing without an ``inputMap``) and 4 (empty).

    Args:
        tokens: None serves everyone, as NGA with authentication disabled. Otherwise maps each
            valid token to whether its user is staff: reads and validations need a valid
            token, other writes a staff one (401 without a token, 403 for non-staff).
        public_read: with ``tokens``, let anyone read (NGA's ``PUBLIC_READ_API``).
        prefix: the path the API is served under (``/api``: ``/api/v6/batches/``).
        latency: seconds each request waits before it is answered, so that concurrency shows.
        instant_creation: batches finish creating their recipes at once; otherwise they stay
            ``is_creation_done: false`` until :meth:`finish_batch_creation`.
        now: the wall clock (UTC) for stamps and for duration filters.
    """

    def __init__(
        self,
        *,
        tokens: Mapping[str, bool] | None = None,
        public_read: bool = False,
        prefix: str = "/api",
        latency: float = 0.0,
        instant_creation: bool = True,
        now: Now | None = None,
    ) -> None:
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise ValueError("prefix must start with '/' and not end with one, e.g. '/api'")
        self._lock = threading.RLock()
        self._tokens = None if tokens is None else dict(tokens)
        self.public_read = public_read
        self.prefix = prefix
        self.latency = latency
        self._world = NGAWorld(instant_creation=instant_creation, now=now)
        self._requests: list[str] = []
        self._in_flight = 0
        self._peak = 0

    # --- controls and inspection ------------------------------------------------------

    def transport(self) -> FakeTransport:
        """An httpx transport that calls this app in-process (no sockets, asyncio or trio)."""
        return FakeTransport(self)

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.AsyncClient:
        """An ``httpx.AsyncClient`` on the in-process transport, with the token if given."""
        kwargs.setdefault("base_url", IN_PROCESS_NGA_BASE_URL)
        headers = {"Authorization": f"Token {token}"} if token else {}
        return httpx.AsyncClient(transport=self.transport(), headers=headers, **kwargs)

    @property
    def requests(self) -> list[str]:
        """``METHOD path?query`` of every request received, in order."""
        with self._lock:
            return list(self._requests)

    @property
    def peak_in_flight(self) -> int:
        """The most requests this app was answering at the same time."""
        with self._lock:
            return self._peak

    def reset_counters(self) -> None:
        """Forget the request log and the peak (the batches stay)."""
        with self._lock:
            self._requests.clear()
            self._peak = self._in_flight

    @property
    def instant_creation(self) -> bool:
        """Whether new batches finish creating their recipes at once."""
        return self._world.instant_creation

    @instant_creation.setter
    def instant_creation(self, value: bool) -> None:
        with self._lock:
            self._world.instant_creation = value

    def add_legacy_batch(
        self, recipe_type_id: int, title: str | None = None, recipes: int = 2
    ) -> int:
        """Store a batch from before v6 (``definition: {}``, never reprocessable); its id."""
        with self._lock:
            return self._world.add_legacy(recipe_type_id, title, recipes).id

    def finish_batch_creation(self, batch_id: int) -> None:
        """Let a batch finish creating its recipes, as Scale's scheduler would."""
        with self._lock:
            self._world.finish_creation(batch_id)

    def batch(self, batch_id: int) -> dict[str, Any] | None:
        """A batch's details JSON, for assertions; None if unknown."""
        with self._lock:
            found = self._world.batches.get(batch_id)
            return None if found is None else copy.deepcopy(self._world.details_json(found))

    # --- ASGI ---------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point (HTTP only)."""
        if scope["type"] != "http":
            return
        request = await read_request(scope, receive)
        raw = scope.get("raw_path")
        path = raw.decode("latin-1") if isinstance(raw, bytes) and raw else str(scope["path"])
        path = path.split("?", 1)[0]
        query = scope.get("query_string", b"").decode("latin-1")
        with self._lock:
            self._requests.append(f"{request.method} {path}{'?' + query if query else ''}")
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
        try:
            if self.latency > 0:
                await anyio.sleep(self.latency)
            answer = self._answer(scope, request, path, query)
            headers = [(b"content-length", str(len(answer.body)).encode()), *answer.headers]
            await send({"type": "http.response.start", "status": answer.status, "headers": headers})
            body = b"" if request.method == "HEAD" else answer.body
            await send({"type": "http.response.body", "body": body})
        finally:
            with self._lock:
                self._in_flight -= 1

    def _answer(self, scope: Scope, request: Request, path: str, query: str) -> _Answer:
        if not path.startswith(self.prefix + "/"):
            return _html(404, "Not Found")
        segments = [unquote(p) for p in path[len(self.prefix) :].split("/") if p]
        if not segments or segments[0] not in VERSIONS:
            return _html(404, "Not Found")
        version, route = segments[0], segments[1:]
        allowed = [m for m in _ROUTED_METHODS if self._match(m, route) is not None]
        if not allowed:
            return _html(404, "Not Found")
        if not path.endswith("/"):
            # Django's APPEND_SLASH: every route ends in '/', so redirect there.
            target = quote(path, safe="/%") + "/" + (f"?{query}" if query else "")
            return _Answer(301, b"", [(b"location", target.encode())])
        host = request.headers.get("host") or "{}:{}".format(*scope.get("server") or ("", 0))
        base = f"{scope.get('scheme', 'http')}://{host}"
        ctx = Ctx(self._world, base + path, f"{base}{self.prefix}/{version}")
        allow = ", ".join([*allowed, *(["HEAD"] if "GET" in allowed else []), "OPTIONS"])
        with self._lock:
            try:
                self._authorise(request, path)
                method = "GET" if request.method == "HEAD" else request.method
                if method == "OPTIONS":
                    return _json(200, {"name": "Batches", "parses": ["application/json"]})
                matched = self._match(method, route)
                if matched is None:
                    message = f'Method "{request.method}" not allowed.'
                    return _json(405, {"detail": message}, [(b"allow", allow.encode())])
                handler, request.path_params = matched
                reply = handler(ctx, request)
            except NGAError as exc:
                headers = [(b"www-authenticate", b"Token")] if exc.status == 401 else []
                return _json(exc.status, exc.body(), headers)
            except ServerCrash:
                return _html(500, "Server Error (500)")
        return _json(reply.status, reply.body, reply.headers)

    def _match(self, method: str, route: list[str]) -> tuple[Handler, dict[str, str]] | None:
        found = ROUTES.match(method, route)
        if found is None or not all(v.isdigit() for v in found[1].values()):
            return None  # ids match \d+ in NGA's urls.py; anything else is an unknown URL
        return found[0].handler, found[1]

    def _authorise(self, request: Request, path: str) -> None:
        """DRF's token authentication, then NGA's permission rule."""
        if self._tokens is None:
            return
        header = request.headers.get("authorization", "")
        scheme, _, token = header.strip().partition(" ")
        is_staff: bool | None = None
        if scheme.lower() == "token":
            if not token.strip():
                raise NGAError(401, "Invalid token header. No credentials provided.")
            if token.strip() not in self._tokens:
                raise NGAError(401, "Invalid token.")
            is_staff = self._tokens[token.strip()]
        if request.method in SAFE_METHODS:
            allowed = is_staff is not None or self.public_read
        elif "/validation" in path:
            allowed = is_staff is not None
        else:
            allowed = bool(is_staff)
        if allowed:
            return
        if is_staff is None:
            raise NGAError(401, "Authentication credentials were not provided.")
        raise NGAError(403, "You do not have permission to perform this action.")
