"""What the hardening tests share: a long key, clients on a loopback server, no-wait retries."""

from __future__ import annotations

import base64
import json
import traceback
from typing import Any

from scale_async import AsyncScaleClient, RetryPolicy

#: Long enough that a cut in the middle of it is visible, and in no real account.
API_KEY = "live_7f3a9c2e4b1d8f6a0c5e3b9d7a1f4c2e"
BASIC = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()


async def no_sleep(_: float) -> None:
    """Retries without real waiting."""


def client_for(url: str, *, retries: int = 0, **kwargs: Any) -> AsyncScaleClient:
    """A client on ``url`` that retries ``retries`` times without waiting."""
    kwargs.setdefault("retry", RetryPolicy(max_retries=retries, sleep=no_sleep))
    kwargs.setdefault("timeout", 10)
    return AsyncScaleClient(API_KEY, api_instance_url=url, **kwargs)


def leaked_fragments(text: str, secret: str = API_KEY, size: int = 8) -> list[str]:
    """Every ``size``-character piece of ``secret`` (or of its Basic form) found in ``text``."""
    basic = BASIC.split(" ", 1)[1]
    found = []
    for source in (secret, basic):
        for start in range(len(source) - size + 1):
            piece = source[start : start + size]
            if piece in text:
                found.append(piece)
    return found


def every_text_of(exc: BaseException) -> str:
    """All the ways an exception is ever shown: str, repr, args, its whole traceback."""
    return "\n".join(
        [str(exc), repr(exc), *map(str, exc.args), "".join(traceback.format_exception(exc))]
    )


def task_json(task_id: str = "t1", **fields: Any) -> dict[str, Any]:
    return {"task_id": task_id, "type": "categorization", "status": "pending", **fields}


def page(docs: Any, **fields: Any) -> bytes:
    """A ``GET /tasks`` page; ``fields`` override any key."""
    body = {"docs": docs, "total": 1, "limit": 100, "offset": 0, "has_more": False, **fields}
    return json.dumps(body).encode()
