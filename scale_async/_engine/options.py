"""The options users set by name on a client (``max_retries=``, ``timeout=``), checked once.

``retry=3`` used to fail deep inside the first request (``'int' object has no attribute
'clock'``); here every option is checked, with a hint, when the client is built or copied.
"""

from __future__ import annotations

import functools
from typing import Any

import attrs

from .checks import require_int
from .retry import RetryPolicy

__all__ = ["forget_cached_properties", "retry_policy"]


def retry_policy(retry: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    """The policy from ``retry=`` (default ``RetryPolicy()``) with ``max_retries=`` applied."""
    if retry is not None and not isinstance(retry, RetryPolicy):
        hint = (
            f"; for a number of retries pass max_retries={retry!r}"
            if isinstance(retry, int) and not isinstance(retry, bool)
            else ""
        )
        raise TypeError(f"retry must be a RetryPolicy{hint}, got {type(retry).__name__}")
    policy = retry if retry is not None else RetryPolicy()
    if max_retries is None:
        return policy
    return attrs.evolve(policy, max_retries=require_int("max_retries", max_retries, low=0))


def forget_cached_properties(obj: Any) -> None:
    """Drop ``obj``'s cached properties (``client.api``...), so that a copy builds its own."""
    for klass in type(obj).__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, functools.cached_property):
                obj.__dict__.pop(name, None)
