"""Keyset pages for the fake's v2 listings: an opaque ``next_token`` after the last item."""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Callable, Sequence
from typing import TypeVar

from .._errors import ApiError
from .._keyset import take

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
    wanted: Callable[[T], bool] | None,
) -> tuple[list[T], str | None]:
    """The page of the items ``wanted`` keeps after ``token``, and the next token.

    ``items`` are sorted by ``key``; the walk starts after the token (a binary search) and
    stops at the first wanted item past the page (``take``), so a page costs what it skips
    and holds, not the size of the account.
    """
    start = bisect.bisect_right(items, decode_token(token), key=key) if token else 0
    chunk, more = take(items, range(start, len(items)), limit, wanted)
    return chunk, encode_token(key(chunk[-1])) if more else None


def page(
    items: Sequence[T], key: Callable[[T], str], token: str | None, limit: int
) -> tuple[list[T], str | None]:
    """The ``limit`` items after ``token`` (items sorted by ``key``) and the next token."""
    return scan(items, key, token, limit, None)
