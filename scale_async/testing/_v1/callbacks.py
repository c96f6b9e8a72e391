"""Delivering task callbacks the way Scale does: POST the task, retry until a 2xx."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import anyio
import httpx


@dataclass(frozen=True)
class CallbackAttempt:
    """One POST to a task's ``callback_url`` and how it went."""

    task_id: str
    url: str
    attempt: int
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        """Scale counts any 2xx as delivered."""
        return self.status_code is not None and 200 <= self.status_code < 300

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return {**asdict(self), "ok": self.ok}


def callback_body(task: dict[str, Any]) -> dict[str, Any]:
    """``{task, response, task_id, status}``: the documented body plus the tabled ``status``."""
    return {
        "task": task,
        "response": task.get("response"),
        "task_id": task["task_id"],
        "status": task["status"],
    }


def is_http_url(target: str) -> bool:
    """Scale also accepts an email address as callback; the fake only POSTs to URLs."""
    return target.startswith(("http://", "https://"))


async def deliver(
    task: dict[str, Any],
    *,
    auth_key: str,
    transport: httpx.AsyncBaseTransport | None,
    max_attempts: int,
    backoff: float,
    per_attempt_timeout: float,
) -> list[CallbackAttempt]:
    """POST the callback until a 2xx or ``max_attempts``; waits ``backoff * 2**n`` in between."""
    url = str(task["callback_url"])
    headers = {"scale-callback-auth": auth_key}
    attempts: list[CallbackAttempt] = []
    async with httpx.AsyncClient(transport=transport, timeout=per_attempt_timeout) as client:
        for number in range(1, max_attempts + 1):
            try:
                response = await client.post(url, json=callback_body(task), headers=headers)
                attempt = CallbackAttempt(task["task_id"], url, number, response.status_code, None)
            except httpx.HTTPError as exc:
                attempt = CallbackAttempt(task["task_id"], url, number, None, repr(exc))
            attempts.append(attempt)
            if attempt.ok:
                break
            if number < max_attempts:
                await anyio.sleep(backoff * 2 ** (number - 1))
    return attempts
