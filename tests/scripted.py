"""An in-memory transport handler that plays a script of answers and records every request."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def task_json(task_id: str = "t1", **fields: Any) -> dict[str, Any]:
    """A plausible task object as Scale returns it."""
    return {"task_id": task_id, "type": "categorization", "status": "pending", **fields}


def page_json(
    docs: list[dict[str, Any]],
    *,
    has_more: bool = False,
    token: str | None = None,
    total: int | None = None,
) -> dict[str, Any]:
    """A ``GET /tasks`` page."""
    page: dict[str, Any] = {
        "docs": docs,
        "total": len(docs) if total is None else total,
        "limit": 100,
        "offset": 0,
        "has_more": has_more,
    }
    if token is not None:
        page["next_token"] = token
    return page


class Scripted:
    """Answers requests in order from ``answers``; the last answer repeats.

    An answer is a response, an exception to raise (a transport failure), or a function of
    the request. ``requests`` keeps every request received.
    """

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        index = min(len(self.requests), len(self.answers)) - 1
        answer = self.answers[index]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)

    @property
    def paths(self) -> list[str]:
        """``METHOD /path`` of each request, in order."""
        return [f"{r.method} {r.url.path}" for r in self.requests]

    def body(self, index: int = -1) -> Any:
        """The JSON body of a recorded request."""
        return json.loads(self.requests[index].content)


def ok(data: Any, status: int = 200, **headers: str) -> httpx.Response:
    """A JSON response."""
    return httpx.Response(status, json=data, headers=headers)


def fail(status: int, message: str = "boom", **headers: str) -> httpx.Response:
    """A Scale error response."""
    return httpx.Response(status, json={"status_code": status, "error": message}, headers=headers)
