"""Running a command's coroutine: ``anyio.run``, with Ctrl-C always a ``KeyboardInterrupt``.

Why: on Python 3.11+ asyncio's runner turns Ctrl-C into a cancellation of the main task and
then raises ``KeyboardInterrupt``; on 3.10 (anyio's backport of that runner cannot un-cancel a
task) the cancellation itself escapes as ``asyncio.CancelledError``, so the command printed a
traceback and exited 1 instead of reporting what it did and exiting 130. Nothing else cancels
the main task from outside, so here that error means Ctrl-C, on every version.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio

__all__ = ["run"]

T = TypeVar("T")


def run(function: Callable[[], Awaitable[T]]) -> T:
    """``anyio.run(function)``; an interrupted run raises ``KeyboardInterrupt`` everywhere."""
    try:
        return anyio.run(function)
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None
