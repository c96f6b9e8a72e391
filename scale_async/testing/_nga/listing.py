"""``GET /v6/batches/`` of the fake NGA Scale: NGA's filters, ordering and DRF's page numbers.

DRF quirks kept on purpose: a bad ``page_size`` falls back to 100 and a large one is cut to
1000 (no 400), a page past the end is 404 ``Invalid page.``, and ``next``/``previous`` are
absolute URLs whose query keys come out sorted (``previous`` drops ``page`` for page 1).
Unknown query keys are ignored, as DRF ignores them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from .._clock import parse_iso
from .._params import Query, last, many
from .errors import NGAError, ServerCrash
from .metrics import JOB_COUNTS, RECIPE_COUNTS, duration_ms
from .world import Batch, NGAWorld

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
_TRUE = frozenset({"true", "t", "1"})
_FALSE = frozenset({"false", "f", "0"})

SortKey = Callable[[Batch], Any]
_SORTABLE: dict[str, SortKey] = {
    "id": lambda b: b.id,
    "title": lambda b: b.title,
    "description": lambda b: b.description,
    "created": lambda b: b.created_ms,
    "last_modified": lambda b: b.last_modified_ms,
    "superseded": lambda b: b.superseded_ms,
    "is_superseded": lambda b: b.is_superseded,
    "is_creation_done": lambda b: b.is_creation_done,
    "recipe_type": lambda b: b.recipe_type.id,
    "recipe_type_id": lambda b: b.recipe_type.id,
    "root_batch": lambda b: b.root_id,
    "root_batch_id": lambda b: b.root_id,
}


def _count_key(name: str) -> SortKey:
    return lambda b: b.counts()[name]


_SORTABLE.update({name: _count_key(name) for name in (*JOB_COUNTS, *RECIPE_COUNTS)})


def _time(query: Query, name: str, now_ms: int) -> int | None:
    """``started``/``ended``: an ISO-8601 date-time, or a duration meaning "that long ago"."""
    value = last(query, name)
    if value is None or value == "":
        return None
    ago = duration_ms(value)
    if ago is not None:
        return now_ms - ago
    try:
        return parse_iso(value)
    except ValueError:
        raise NGAError(400, f"Invalid ISO timestamp format for parameter: {name}") from None


def _ints(query: Query, name: str) -> list[int] | None:
    values = many(query, name)
    if not values:
        return None
    try:
        return [int(v) for v in values]
    except ValueError:
        raise NGAError(400, f'Parameter must be a valid integer: "{name}"') from None


def _bool(query: Query, name: str) -> bool | None:
    value = last(query, name)
    if value is None or value == "":
        return None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise NGAError(400, f'Parameter must be a valid boolean: "{name}"')


def _sorted(batches: list[Batch], order: list[str]) -> list[Batch]:
    """Django's ``order_by``: NULLs last going up and first going down.

    Plain ``title``/``description`` compare case-insensitively (NGA wraps them in ``Lower()``);
    the ``-`` forms miss that branch, so they compare case-sensitively.
    """
    result = sorted(batches, key=lambda b: b.id)
    for spec in reversed(order):
        descending = spec.startswith("-")
        name = spec.lstrip("-")
        getter = _SORTABLE.get(name)
        if getter is None:
            raise ServerCrash(f"FieldError: Cannot resolve keyword '{name}' into field.")
        fold = name in ("title", "description") and not descending

        def key(batch: Batch, getter: SortKey = getter, fold: bool = fold) -> tuple[bool, Any]:
            value = getter(batch)
            if fold and isinstance(value, str):
                value = value.lower()
            return value is None, value if value is not None else 0

        result.sort(key=key, reverse=descending)
    return result


def _filtered(world: NGAWorld, query: Query) -> list[Batch]:
    now_ms = world.clock.tick()
    started, ended = _time(query, "started", now_ms), _time(query, "ended", now_ms)
    if started is not None and ended is not None:
        if started == ended:
            raise NGAError(400, "Start and end values must be different")
        if started > ended:
            raise NGAError(400, "Start time must come before end time")
    recipe_types = _ints(query, "recipe_type_id")
    roots = _ints(query, "root_batch_id")
    creation_done = _bool(query, "is_creation_done")
    superseded = _bool(query, "is_superseded")
    order = many(query, "order") or ["last_modified"]
    found = [
        b
        for b in world.batches.values()
        if (started is None or b.last_modified_ms >= started)
        and (ended is None or b.last_modified_ms <= ended)
        and (recipe_types is None or b.recipe_type.id in recipe_types)
        and (roots is None or b.root_id in roots)
        and (creation_done is None or b.is_creation_done == creation_done)
        and (superseded is None or b.is_superseded == superseded)
    ]
    return _sorted(found, order)


def _page_size(query: Query) -> int:
    try:
        size = int(last(query, "page_size") or "")
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return min(size, MAX_PAGE_SIZE) if size > 0 else DEFAULT_PAGE_SIZE


def page_url(url: str, query: Query, page: int | None) -> str:
    """DRF's ``replace_query_param`` (or ``remove_query_param`` for None): keys sorted."""
    params = {key: list(values) for key, values in query.items() if key != "page"}
    if page is not None:
        params["page"] = [str(page)]
    encoded = urlencode(sorted(params.items()), doseq=True)
    return f"{url}?{encoded}" if encoded else url


def list_page(world: NGAWorld, query: Query, url: str) -> dict[str, Any]:
    """One page of matching batches in DRF's ``{count, next, previous, results}``."""
    batches = _filtered(world, query)
    size = _page_size(query)
    pages = max(1, -(-len(batches) // size))
    raw = last(query, "page") or "1"
    number = pages if raw == "last" else int(raw) if raw.isdigit() else 0
    if not 1 <= number <= pages:
        raise NGAError(404, "Invalid page.")
    chunk = batches[(number - 1) * size : number * size]
    return {
        "count": len(batches),
        "next": page_url(url, query, number + 1) if number < pages else None,
        "previous": page_url(url, query, number - 1 if number > 2 else None)
        if number > 1
        else None,
        "results": [world.list_json(b) for b in chunk],
    }
