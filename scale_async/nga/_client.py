"""``AsyncNGAScaleClient``: NGA Scale's v6 Batch Services on this package's HTTP core."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._engine.config import Auth, Proxies, TimeoutArg, Transport
from .._engine.core import HttpCore
from .._engine.cursors import CursorTrail
from .._engine.events import OnRequest
from .._engine.options import ClientOptions
from .._engine.pagination import AsyncPageIterator, fan_out_pages
from .._engine.requester import Call
from .._engine.retry import RetryPolicy
from .._engine.serde import structure_list
from .._engine.tls import Cert, Verify
from .._engine.wire import normalise_base_url
from ..exceptions import ScaleInvalidResponse, ScaleResourceNotFound
from ._models import (
    BatchComparison,
    BatchConfiguration,
    BatchDefinition,
    BatchDetails,
    BatchListItem,
    BatchPage,
    ForcedNodes,
    ValidationResult,
)
from ._outgoing import configuration_json, definition_json, to_wire
from ._wire import DEFAULT_PAGE_SIZE, LIST_FILTERS, check_id, list_query

__all__ = ["AsyncNGAScaleClient"]

BATCHES = "v6/batches/"
#: The database column behind ``title`` holds 50 characters; longer titles fail server-side.
MAX_TITLE = 50


def _text(name: str, value: Any, limit: int | None = None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {value!r}")
    if limit is not None and len(value) > limit:
        raise ValueError(f"{name} holds at most {limit} characters, got {len(value)}")
    return value


def _batch_body(
    recipe_type_id: int,
    definition: BatchDefinition | Mapping[str, Any],
    configuration: BatchConfiguration | Mapping[str, Any] | None,
    title: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """The body of a create or a validation, every part checked before any request."""
    body: dict[str, Any] = {
        "recipe_type_id": check_id("recipe_type_id", recipe_type_id),
        "definition": definition_json(definition),
    }
    if configuration is not None:
        body["configuration"] = configuration_json(configuration)
    for name, value, limit in (("title", title, MAX_TITLE), ("description", description, None)):
        if _text(name, value, limit) is not None:
            body[name] = value
    return body


class AsyncNGAScaleClient(HttpCore):
    """A client for the v6 Batch Services of NGA's Scale (ngageoint/scale), not Scale AI.

    ``base_url`` is where the REST API is served, without the version (``http://host/api``;
    requests go to ``{base_url}/v6/batches/...``). ``token`` is a Django REST framework token,
    sent as ``Authorization: Token <token>``; leave it None for a server without
    authentication or with public reads. The other arguments are those of the Scale AI
    client: ``source`` joins the User-Agent, ``verify``/``proxies``/``cert``
    shape TLS and proxies, ``timeout`` bounds each request phase (seconds, a ``Timeout`` or
    an ``httpx.Timeout``), ``retry`` is the ``RetryPolicy`` (``max_retries`` overrides its
    count), ``max_connections`` bounds the pool and the requests in flight, and
    ``transport`` replaces the HTTP transport (``FakeNGAScaleAPI().transport()`` in tests);
    ``on_request`` is told about every attempt (a ``RequestEvent``).

    Errors are the Scale AI client's classes, with DRF's ``detail`` as the message: 400
    ``ScaleInvalidRequest``, 401 ``ScaleUnauthorized``, 403 ``ScaleForbidden``, 404
    ``ScaleResourceNotFound``, 500 ``ScaleInternalError``; 405 is a plain ``ScaleException``
    with ``code == 405``. Creating a batch is not retried after an ambiguous failure (it
    would create a second batch); reads, edits and validations are.

    Use it as ``async with AsyncNGAScaleClient(url) as client:`` or call ``aclose()``.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        source: str | None = None,
        verify: Verify = None,
        proxies: Proxies = None,
        cert: Cert = None,
        timeout: TimeoutArg = None,
        retry: RetryPolicy | None = None,
        max_retries: int | None = None,
        max_connections: int = 64,
        transport: Transport | None = None,
        on_request: OnRequest | None = None,
    ) -> None:
        if token is not None and (not isinstance(token, str) or not token):
            raise ValueError("token must be a non-empty string, or None for no authentication")
        super().__init__(
            base_url=normalise_base_url(base_url, "base_url"),
            auth=Auth.token(token) if token is not None else None,
            options=ClientOptions.among(locals()),
        )

    async def _page(self, query: Mapping[str, str | list[str]], page: int, size: int) -> BatchPage:
        data = await self._call(Call(method="GET", path=BATCHES, params=query))
        if not isinstance(data, dict) or not isinstance(data.get("count"), int):
            raise ScaleInvalidResponse("batch page lacks count", method="GET", path=BATCHES)
        items = structure_list(
            data.get("results"), BatchListItem, client=self, method="GET", path=BATCHES
        )
        return BatchPage(
            results=items,
            count=data["count"],
            page=page,
            page_size=size,
            next_url=data.get("next"),
            previous_url=data.get("previous"),
        )

    async def list_batches(self, **filters: Any) -> BatchPage:
        """One page of ``GET /v6/batches/``, oldest change first unless ``order`` says otherwise.

        Filters: ``started``/``ended`` (a ``datetime``, a ``timedelta`` meaning "that long
        ago", or an ISO-8601 string of either; they bound ``last_modified``),
        ``recipe_type_id`` and ``root_batch_id`` (an id or a list of ids),
        ``is_creation_done`` and ``is_superseded`` (booleans), ``order`` (a field name or a
        list of them, ``-`` first to sort down), ``page`` and ``page_size`` (1-1000). An
        unknown name is ``ScaleInvalidRequest`` and a bad value ``ValueError``, both before
        any request; a page past the end is ``ScaleResourceNotFound``.
        """
        query = list_query("list_batches", filters)
        size = filters.get("page_size") or DEFAULT_PAGE_SIZE
        return await self._page(query, filters.get("page") or 1, size)

    def get_batches(
        self, *, concurrency: int = 4, **filters: Any
    ) -> AsyncPageIterator[BatchListItem]:
        """Every batch matching the filters, in ``list_batches`` order, one by one.

        The first page says how many there are; the rest are then fetched ``concurrency``
        pages at a time and yielded in order, so a long listing costs a few round trips, not
        one per page. Leaving the loop early stops the fetching. The filters are
        ``list_batches``'s except ``page``; ``page_size`` defaults to 100. Batches that change
        while the listing runs may move between pages, as with any paged listing.
        """
        query = list_query("get_batches", filters, LIST_FILTERS - {"page"})
        size = filters.get("page_size") or DEFAULT_PAGE_SIZE
        query["page_size"] = str(size)

        trail = CursorTrail("next link", method="GET", path=BATCHES)

        async def fetch(index: int) -> tuple[list[BatchListItem], int]:
            try:
                page = await self._page({**query, "page": str(index + 1)}, index + 1, size)
            except ScaleResourceNotFound:
                if index == 0:
                    raise
                return [], 0  # "Invalid page.": the listing shrank since the first page
            # ``count`` may overstate the listing (it shrank, or the server lies): an empty
            # page, or a short one with no next link, is its end whatever count said.
            if not page.results and index > 0:
                return [], 0
            if page.next_url is None and len(page) < size:
                return list(page), index + 1
            if page.next_url is not None:
                # Every page links to a page of its own; a link met twice means a loop.
                trail.follow(page.next_url)
            return list(page), page.pages

        return fan_out_pages(fetch, concurrency=concurrency)

    async def create_batch(
        self,
        recipe_type_id: int,
        definition: BatchDefinition | Mapping[str, Any],
        configuration: BatchConfiguration | Mapping[str, Any] | None = None,
        title: str | None = None,
        description: str | None = None,
    ) -> BatchDetails:
        """Create a batch of recipes of one recipe type (``POST /v6/batches/``, 201).

        ``definition`` and ``configuration`` are the model objects or plain dicts; a dict is
        checked against the v6 schema first, so a misspelt key is a ``ValueError`` naming it,
        before any request. ``title`` holds at most 50 characters. Not retried once the
        server may have acted: a replay would create a second batch.
        """
        body = _batch_body(recipe_type_id, definition, configuration, title, description)
        return await self._one(
            Call(method="POST", path=BATCHES, body=body, replay_safe=False), BatchDetails
        )

    async def create_batch_from_previous(
        self,
        root_batch_id: int,
        recipe_type_id: int,
        configuration: BatchConfiguration | Mapping[str, Any] | None = None,
        title: str | None = None,
        description: str | None = None,
        forced_nodes: ForcedNodes | Mapping[str, Any] | None = None,
    ) -> BatchDetails:
        """Re-process the latest batch of the chain rooted at ``root_batch_id``.

        The new batch joins the chain and supersedes that batch, which must have the same
        recipe type and have finished creating its recipes. ``forced_nodes`` forces nodes of
        the previous batch's recipes to run again even if unchanged.
        """
        previous: dict[str, Any] = {"root_batch_id": check_id("root_batch_id", root_batch_id)}
        if forced_nodes is not None:
            previous["forced_nodes"] = to_wire(forced_nodes)
        return await self.create_batch(
            recipe_type_id, {"previous_batch": previous}, configuration, title, description
        )

    async def get_batch(self, batch_id: int) -> BatchDetails:
        """One batch with its definition, configuration and per-job metrics."""
        path = f"{BATCHES}{check_id('batch_id', batch_id)}/"
        return await self._one(Call(method="GET", path=path), BatchDetails)

    async def edit_batch(
        self,
        batch_id: int,
        title: str | None = None,
        description: str | None = None,
        configuration: BatchConfiguration | Mapping[str, Any] | None = None,
    ) -> None:
        """Change a batch's title, description or configuration (``PATCH``, 204).

        Only what is given is sent; giving nothing is a ``ValueError``, as is a title longer
        than 50 characters or a configuration the v6 schema refuses.
        """
        path = f"{BATCHES}{check_id('batch_id', batch_id)}/"
        body: dict[str, Any] = {}
        if _text("title", title, MAX_TITLE) is not None:
            body["title"] = title
        if _text("description", description) is not None:
            body["description"] = description
        if configuration is not None:
            body["configuration"] = configuration_json(configuration)
        if not body:
            raise ValueError("edit_batch needs a title, a description or a configuration")
        await self._call(Call(method="PATCH", path=path, body=body))

    async def validate_batch(
        self,
        recipe_type_id: int,
        definition: BatchDefinition | Mapping[str, Any],
        configuration: BatchConfiguration | Mapping[str, Any] | None = None,
    ) -> ValidationResult:
        """Ask whether ``create_batch`` would succeed, without creating anything.

        A definition or configuration the server finds wrong is not an exception: it comes
        back as ``is_valid == False`` with named errors. Only an unknown or missing recipe
        type is a 400 (``ScaleInvalidRequest``).
        """
        body = _batch_body(recipe_type_id, definition, configuration)
        path = f"{BATCHES}validation/"
        return await self._one(Call(method="POST", path=path, body=body), ValidationResult)

    async def compare_batches(self, root_batch_id: int) -> BatchComparison:
        """The metrics of every batch of a chain side by side (empty for an unknown root)."""
        path = f"{BATCHES}comparison/{check_id('root_batch_id', root_batch_id)}/"
        return await self._one(Call(method="GET", path=path), BatchComparison)
