"""Keyset pages for the fake's v2 listings: an opaque ``next_token`` after the last item."""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Callable, Sequence
from typing import TypeVar

from .._errors import ApiError

T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 100


def encode_token(key: str) -> str:
    """The token that resumes after the item whose sort key is ``key``."""
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def decode_token(token: str) -> str:
    """The sort key a token resumes after; 400 for a token this fake did not hand out."""
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(400, f"Invalid next_token: {token!r}") from None


def scan(
    items: Sequence[T],
    key: Callable[[T], str],
    token: str | None,
    limit: int,
    wanted: Callable[[T], bool],
) -> tuple[list[T], str | None]:
    """``page`` over the items ``wanted`` keeps, without filtering the whole list first.

    ``items`` are sorted by ``key``; the scan starts after the token (a binary search) and
    stops at the first wanted item past the page, so a page costs what it skips and holds,
    not the size of the account: a 10,000-task listing is not 100 full passes.
    """
    start = 0
    if token:
        start = bisect.bisect_right(items, decode_token(token), key=key)
    chunk: list[T] = []
    for index in range(start, len(items)):
        item = items[index]
        if not wanted(item):
            continue
        if len(chunk) == limit:
            return chunk, encode_token(key(chunk[-1]))
        chunk.append(item)
    return chunk, None


def page(
    items: Sequence[T], key: Callable[[T], str], token: str | None, limit: int
) -> tuple[list[T], str | None]:
    """The ``limit`` items after ``token`` (items sorted by ``key``) and the next token."""
    start = 0
    if token:
        after = decode_token(token)
        lo, hi = 0, len(items)
        while lo < hi:  # the first item whose key is past ``after``
            mid = (lo + hi) // 2
            if key(items[mid]) <= after:
                lo = mid + 1
            else:
                hi = mid
        start = lo
    chunk = list(items[start : start + limit])
    more = start + limit < len(items)
    return chunk, encode_token(key(chunk[-1])) if more and chunk else None
