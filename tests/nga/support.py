"""Drivers for the NGA clients (async and sync) and JSON as NGA's Scale sends it."""

from __future__ import annotations

import copy
from typing import Any

from scale_async.nga import AsyncNGAScaleClient
from scale_sync.nga import NGAScaleClient
from tests.drivers import AsyncDriver, Driver, SyncDriver

BASE = "http://nga.example/api"

#: The batch of the documentation's examples (list serializer, with the docs' stray "rule").
LIST_ITEM: dict[str, Any] = {
    "id": 1234,
    "title": "My Batch",
    "description": "My Batch Description",
    "recipe_type": {
        "id": 208,
        "name": "my-recipe-type",
        "title": "My Recipe Type",
        "description": "My Recipe Type Description",
        "revision_num": 1,
    },
    "recipe_type_rev": {"id": 4, "recipe_type": {"id": 208}, "revision_num": 1},
    "event": {"id": 4000, "type": "USER", "rule": None, "occurred": "1970-01-01T00:00:00Z"},
    "is_superseded": True,
    "root_batch": {
        "id": 1232,
        "title": "My Root Batch",
        "description": "My Root Batch Description",
        "created": "1970-01-01T00:00:00Z",
    },
    "superseded_batch": {
        "id": 1233,
        "title": "My Superseded Batch",
        "description": "My Superseded Batch Description",
        "created": "1970-01-01T00:00:00Z",
    },
    "is_creation_done": True,
    "jobs_total": 10,
    "jobs_pending": 0,
    "jobs_blocked": 0,
    "jobs_queued": 1,
    "jobs_running": 3,
    "jobs_failed": 0,
    "jobs_completed": 6,
    "jobs_canceled": 0,
    "recipes_estimated": 2,
    "recipes_total": 2,
    "recipes_completed": 1,
    "created": "1970-01-01T00:00:00Z",
    "superseded": "1970-01-01T00:00:00Z",
    "last_modified": "1970-01-01T00:00:00Z",
}

JOB_A: dict[str, Any] = {
    "jobs_total": 10,
    "jobs_pending": 0,
    "jobs_blocked": 0,
    "jobs_queued": 1,
    "jobs_running": 3,
    "jobs_failed": 0,
    "jobs_completed": 6,
    "jobs_canceled": 0,
    "min_seed_duration": "PT9M2S",
    "avg_seed_duration": "PT10M12S",
    "max_seed_duration": "PT15M45S",
    "min_job_duration": "PT9M50S",
    "avg_job_duration": "PT10M59S",
    "max_job_duration": None,
}


def list_item(batch_id: int = 1234, **fields: Any) -> dict[str, Any]:
    """A list item like the documentation's, with another id or fields."""
    return {**copy.deepcopy(LIST_ITEM), "id": batch_id, **fields}


def details(batch_id: int = 105, **fields: Any) -> dict[str, Any]:
    """Batch details like the documentation's create answer."""
    out = list_item(batch_id)
    out["recipe_type_rev"] = {
        "id": 4,
        "recipe_type": {"id": 208},
        "revision_num": 1,
        "created": "1970-01-01T00:00:00Z",
    }
    out["event"]["description"] = {"user": "Anonymous"}
    out["definition"] = {"dataset": 1, "forced_nodes": {"all": True}}
    out["configuration"] = {"priority": 100}
    out["job_metrics"] = {"job_a": copy.deepcopy(JOB_A)}
    out.update(fields)
    return out


def page(results: list[dict[str, Any]], count: int | None = None, **links: Any) -> dict[str, Any]:
    """A DRF page."""
    return {
        "count": len(results) if count is None else count,
        "next": links.get("next"),
        "previous": links.get("previous"),
        "results": results,
    }


class AsyncNGADriver(AsyncDriver):
    """Drives an ``AsyncNGAScaleClient``."""

    def __init__(self, **kwargs: Any) -> None:
        self.client = AsyncNGAScaleClient(**kwargs)

    async def take(self, name: str, count: int, **kwargs: Any) -> list[Any]:
        """The first ``count`` items of an iterator method, then leave the loop."""
        taken: list[Any] = []
        async for item in getattr(self.client, name)(**kwargs):
            taken.append(item)
            if len(taken) == count:
                break
        return taken


class SyncNGADriver(SyncDriver):
    """Drives an ``NGAScaleClient`` from a worker thread."""

    def __init__(self, **kwargs: Any) -> None:
        self.client = NGAScaleClient(**kwargs)

    async def take(self, name: str, count: int, **kwargs: Any) -> list[Any]:
        """The first ``count`` items of an iterator method, then leave the loop."""

        def run() -> list[Any]:
            taken: list[Any] = []
            for item in getattr(self.client, name)(**kwargs):
                taken.append(item)
                if len(taken) == count:
                    break
            return taken

        return await self._in_thread(run)


NGADriver = AsyncNGADriver | SyncNGADriver


def make_nga_driver(kind: str, **kwargs: Any) -> NGADriver:
    """A driver of the async (``kind == "async"``) or the sync NGA client."""
    options: dict[str, Any] = {"base_url": BASE, **kwargs}
    return AsyncNGADriver(**options) if kind == "async" else SyncNGADriver(**options)


__all__ = ["BASE", "Driver", "NGADriver", "details", "list_item", "make_nga_driver", "page"]
