"""The CLI's value checks: small pure functions that argparse calls as ``type=``.

Why here, before anything is sent: a bad ``--concurrency``, URL, date or name is a usage error
(exit 2, one line) rather than a request the server refuses, a hang (``--rate-limit 1e-300``)
or a job that runs out of memory (``--concurrency 2000000``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from scale_async import TaskType

__all__ = [
    "MAX_CONCURRENCY",
    "MAX_PAGE_SIZE",
    "MIN_RATE",
    "base_url",
    "concurrency",
    "int_between",
    "iso_date",
    "latency",
    "name",
    "non_negative_int",
    "positive_float",
    "positive_int",
    "rate",
    "task_type",
]

N = TypeVar("N", int, float)

#: Requests in flight a command accepts: beyond this a job only queues in memory.
MAX_CONCURRENCY = 1000
#: The slowest ``--rate-limit`` (one task every 100 s); below it a run would seem to hang.
MIN_RATE = 0.01
#: ``tasks export --page-size``: the API's own limit per page.
MAX_PAGE_SIZE = 100


def _parsed(text: str, convert: Callable[[str], N], what: str) -> N:
    try:
        return convert(text)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def int_between(low: int, high: int | None = None) -> Callable[[str], int]:
    """A check for a whole number in ``low..high`` (no upper bound when ``high`` is None)."""

    def check(text: str) -> int:
        value = _parsed(text, int, "a whole number")
        if value < low:
            raise argparse.ArgumentTypeError(
                f"must be at least {low}, got {value}" if low else f"must be 0 or more, got {value}"
            )
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"must be at most {high}, got {value}")
        return value

    check.__name__ = "whole number"
    return check


#: An integer >= 1 (task counts, partitions).
positive_int = int_between(1)
#: An integer >= 0 (retries).
non_negative_int = int_between(0)
#: Requests in flight: 1 to ``MAX_CONCURRENCY``.
concurrency = int_between(1, MAX_CONCURRENCY)


def positive_float(text: str) -> float:
    """A finite number > 0 (seconds)."""
    value = _parsed(text, float, "a number")
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def rate(text: str) -> float:
    """Creations per second: at least ``MIN_RATE``, so the pace stays a pace, not a hang."""
    value = positive_float(text)
    if value < MIN_RATE:
        raise argparse.ArgumentTypeError(
            f"must be at least {MIN_RATE} per second (one every {1 / MIN_RATE:.0f} s), got {text}"
        )
    return value


def latency(text: str) -> float | tuple[float, float]:
    """``SECONDS`` for a fixed delay, or ``LO,HI`` for one drawn per request."""
    parts = text.split(",")
    try:
        values = [float(part) for part in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected SECONDS or LO,HI in seconds, got {text!r}"
        ) from None
    if len(values) == 1 and values[0] >= 0:
        return values[0]
    if len(values) == 2 and 0 <= values[0] <= values[1]:
        return (values[0], values[1])
    raise argparse.ArgumentTypeError(f"expected SECONDS or LO,HI with 0 <= LO <= HI, got {text!r}")


def task_type(text: str) -> str:
    """A task type the API knows (``categorization``, ``imageannotation``, ...)."""
    value = text.strip().lower()
    known = [kind.value for kind in TaskType]
    if value not in known:
        raise argparse.ArgumentTypeError(f"unknown task type {text!r}; known: {', '.join(known)}")
    return value


def iso_date(text: str) -> str:
    """An ISO-8601 date or date-time (``2024-05-01``, ``2024-05-01T12:00:00Z``), as given.

    The whole text is checked, so a typo after the date is refused here rather than by the
    server after the command has started.
    """
    candidate = text.strip()
    try:
        if len(candidate) == 10:
            dt.date.fromisoformat(candidate)
        else:
            # Python 3.10 reads only +00:00, not the Z that most tools write.
            if candidate[10:11] not in ("T", " "):
                raise ValueError(candidate)
            dt.datetime.fromisoformat(
                candidate[:-1] + "+00:00" if candidate.endswith("Z") else candidate
            )
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO-8601 date such as 2024-05-01 or 2024-05-01T12:00:00Z, got {text!r}"
        ) from None
    return text


def name(text: str) -> str:
    """A project or batch name: anything but empty (or only spaces)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def base_url(text: str) -> str:
    """An http(s) URL with a host, such as ``https://api.scale.com/v1``."""
    parts = urlsplit(text.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(char.isspace() for char in text.strip())
    ):
        raise argparse.ArgumentTypeError(
            f"expected an http(s) URL such as https://api.scale.com/v1, got {text!r}"
        )
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad port in {text!r}") from None
    return text.strip()
