"""The two paging schemes of Scale v1: keyset ``next_token`` on tasks, offset on batches."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from .._clock import parse_iso
from .._errors import bad_request


class Cursor(NamedTuple):
    """Position after the last task of a page: its creation stamp and id."""

    created_ms: int
    task_id: str


def encode_cursor(task_id: str, created_at: str) -> str:
    """Scale's token: base64 of JSON ``{"id", "created_at"}`` for the last task of the page."""
    raw = json.dumps({"id": task_id, "created_at": created_at}, separators=(",", ":"))
    return base64.b64encode(raw.encode()).decode()


def decode_cursor(token: str) -> Cursor:
    """Read a token back; a malformed one is the client's fault (400)."""
    try:
        data = json.loads(base64.b64decode(token, validate=True))
        task_id = data["id"]
        created_at = data["created_at"]
        if not isinstance(task_id, str) or not isinstance(created_at, str):
            raise TypeError
        return Cursor(parse_iso(created_at), task_id)
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise bad_request("Invalid next_token") from None


def offset_envelope(items: Sequence[Any], *, limit: int, offset: int) -> dict[str, Any]:
    """The ``/batches`` page: Scale's keys plus the mongoose-paginate extras it appears to send."""
    total = len(items)
    docs = list(items[offset : offset + limit])
    has_more = offset + len(docs) < total
    total_pages = max(1, -(-total // limit))
    page = offset // limit + 1
    return {
        "docs": docs,
        "totalDocs": total,
        "limit": limit,
        "offset": offset,
        "has_more": has_more,
        "totalPages": total_pages,
        "page": page,
        "pagingCounter": offset + 1,
        "hasPrevPage": offset > 0,
        "hasNextPage": has_more,
        "prevPage": page - 1 if offset > 0 else None,
        "nextPage": page + 1 if has_more else None,
    }
