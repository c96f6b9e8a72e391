"""Peak RSS growth of one client job, measured in a fresh interpreter (``python -m`` this).

``create N``: ``AsyncScaleClient.create_tasks`` over a lazy generator of N payloads.
``iterate N``: the sync client's ``get_tasks`` over N tasks, counted and dropped.

The server is an in-process httpx transport that answers from prebuilt bytes, so what grows
is the client's own memory; the job is warmed up first so that imports, the first sockets
and the caches are in the baseline. Prints one JSON object: ``{"mode", "n", "growth_mb"}``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
from collections.abc import Iterator
from typing import Any

import httpx

TASK_TYPE = "categorization"
PAGE = 100


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _rss_mb() -> float:
    """The resident set size now."""
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    """The peak resident set size of this process image.

    Not ``ru_maxrss``: Linux carries that over from the parent across fork and exec, so a
    child of a big benchmark process would report the parent's peak.
    """
    return _status_mb("VmHWM")


def _reset_peak() -> None:
    """Start the peak afresh from the current size (Linux >= 4.0; else it stays as it is)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def _task(number: int, body: dict[str, Any]) -> dict[str, Any]:
    """A task as the fake answers a create: the payload's params plus the server's fields."""
    return {
        "task_id": f"{number:024x}",
        "type": TASK_TYPE,
        "status": "completed",
        "instruction": body.get("instruction"),
        "params": {
            "attachment": body.get("attachment"),
            "attachment_type": "image",
            "categories": body.get("categories"),
        },
        "callback_url": "",
        "created_at": "2026-01-01T00:00:00.000Z",
        "updated_at": "2026-01-01T00:00:00.000Z",
        "completed_at": "2026-01-01T00:00:00.000Z",
        "response": {"category": "cat"},
        "metadata": body.get("metadata", {}),
        "unique_id": body.get("unique_id"),
        "project": body.get("project"),
        "is_test": True,
        "audits": [],
        "tags": [],
    }


class CreateTransport(httpx.AsyncBaseTransport):
    """Answers every ``POST task/...`` with a new task, from prebuilt bytes.

    A server in another process makes no garbage in the client's; neither does this one,
    beyond the answer's bytes (parsing each request here would be the server's cost).
    """

    def __init__(self) -> None:
        self.count = 0
        body = {
            "attachment": "https://example.invalid/memory/0.png",
            "categories": ["cat", "dog", "neither"],
            "instruction": "Which animal is in the picture?",
            "metadata": {"row": 0},
            "project": "p",
            "unique_id": "u",
        }
        head, tail = json.dumps(_task(0, body)).split("0" * 24, 1)
        self._head, self._tail = head.encode(), tail.encode()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.count += 1
        task_id = f"{self.count:024x}".encode()
        return httpx.Response(200, content=self._head + task_id + self._tail)


class PageTransport(httpx.AsyncBaseTransport):
    """Answers ``GET tasks`` with the same 100 tasks, ``pages`` times, then the end."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        docs = [_task(i, {"instruction": "x", "metadata": {"row": i}}) for i in range(PAGE)]
        head = json.dumps({"docs": docs, "total": pages * PAGE, "limit": PAGE, "offset": 0})
        self._head = head[:-1].encode()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("next_token")
        number = int(token) if token else 0
        more = number + 1 < self.pages
        tail = f', "has_more": {json.dumps(more)}, "next_token": "{number + 1}"}}'.encode()
        return httpx.Response(200, content=self._head + tail)


def _payloads(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {
            "attachment": f"https://example.invalid/memory/{i}.png",
            "categories": ["cat", "dog", "neither"],
            "instruction": "Which animal is in the picture?",
            "metadata": {"row": i},
        }


def measure_create(n: int) -> float:
    from scale_async import AsyncScaleClient

    async def main() -> float:
        transport = CreateTransport()
        async with AsyncScaleClient("test_memory", transport=transport) as client:
            await client.create_tasks(TASK_TYPE, _payloads(200), project="p", concurrency=64)
            gc.collect()
            _reset_peak()
            before = _rss_mb()
            result = await client.create_tasks(TASK_TYPE, _payloads(n), project="p", concurrency=64)
            assert result.total == n, result.total
            assert not result.failed, result.failed[:1]
            assert transport.count == n + 200
            return _peak_mb() - before

    return asyncio.run(main())


def measure_iterate(n: int) -> float:
    import scale_sync

    with scale_sync.ScaleClient("test_memory", transport=PageTransport(n // PAGE)) as client:
        warm = PageTransport(5)
        with scale_sync.ScaleClient("test_memory", transport=warm) as other:
            assert sum(1 for _ in other.get_tasks(project_name="p")) == 5 * PAGE
        gc.collect()
        _reset_peak()
        before = _rss_mb()
        count = sum(1 for _ in client.get_tasks(project_name="p"))
        assert count == n, count
        return _peak_mb() - before


def main() -> int:
    mode, n = sys.argv[1], int(sys.argv[2])
    growth = measure_create(n) if mode == "create" else measure_iterate(n)
    print(json.dumps({"mode": mode, "n": n, "growth_mb": round(growth, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
