"""Fault injection: what can go wrong, how often, and a seeded draw that makes runs repeatable.

Each v1 request consumes exactly one fault draw and one latency draw, in arrival order, whatever
its route or outcome. So a given seed and request sequence always meet the same faults.
"""

from __future__ import annotations

import difflib
import random
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal, get_args

from ._errors import bad_request

FaultKind = Literal[
    "rate_limited",
    "server_error",
    "bad_gateway",
    "unavailable",
    "gateway_timeout",
    "drop_connection",
    "commit_then_fail",
]
Latency = float | tuple[float, float]

FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)
STATUS_OF: dict[str, int] = {
    "rate_limited": 429,
    "server_error": 500,
    "bad_gateway": 502,
    "unavailable": 503,
    "gateway_timeout": 504,
    "commit_then_fail": 500,
}
MESSAGE_OF: dict[str, str] = {
    "rate_limited": "Too many requests, please retry later.",
    "server_error": "Internal server error.",
    "bad_gateway": "Bad gateway.",
    "unavailable": "Service unavailable, please retry later.",
    "gateway_timeout": "Gateway timeout.",
    "commit_then_fail": "Internal server error.",
}


@dataclass(frozen=True)
class FaultConfig:
    """Fractions (0..1) of v1 requests that fail each way; they must add up to at most 1.

    ``commit_then_fail`` only affects task creation: the task is stored, then the client gets a
    500, which is how Scale behaves under load and why clients must recover via ``unique_id``.
    ``retry_after`` is the ``Retry-After`` header (seconds) sent with 429s; None omits it.
    """

    rate_limited: float = 0.0
    server_error: float = 0.0
    bad_gateway: float = 0.0
    unavailable: float = 0.0
    gateway_timeout: float = 0.0
    drop_connection: float = 0.0
    commit_then_fail: float = 0.0
    retry_after: int | None = 1

    def __post_init__(self) -> None:
        rates = [getattr(self, kind) for kind in FAULT_KINDS]
        if any(not 0.0 <= r <= 1.0 for r in rates) or sum(rates) > 1.0 + 1e-9:
            raise ValueError("fault rates must each be within 0..1 and add up to at most 1")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after must be a non-negative number of seconds")

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy, as ``GET /_fake/faults`` shows it."""
        return asdict(self)

    def updated(self, changes: dict[str, Any]) -> FaultConfig:
        """A copy with some fields changed; unknown names or bad values are a 400."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise bad_request(f"Unknown fault settings: {', '.join(unknown)}")
        for name, value in changes.items():
            if name == "retry_after":
                if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                    raise bad_request("retry_after must be an integer or null")
            elif isinstance(value, bool) or not isinstance(value, int | float):
                raise bad_request(f"{name} must be a number")
        try:
            return replace(self, **changes)
        except ValueError as exc:
            raise bad_request(str(exc)) from None


def check_fault_kinds(kinds: Iterable[object]) -> list[FaultKind]:
    """The kinds as given, or a ValueError naming the first unknown one (and the likely fix)."""
    checked: list[FaultKind] = []
    for kind in kinds:
        if not isinstance(kind, str) or kind not in FAULT_KINDS:
            close = difflib.get_close_matches(str(kind), FAULT_KINDS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            known = ", ".join(FAULT_KINDS)
            raise ValueError(f"unknown fault kind {kind!r}{hint} (known: {known})")
        checked.append(kind)
    return checked


def check_latency(latency: Latency) -> Latency:
    """Validate a fixed delay or a ``(low, high)`` range, in seconds."""
    if isinstance(latency, tuple):
        low, high = latency
        if low < 0 or high < low:
            raise ValueError("latency range must satisfy 0 <= low <= high")
        return (float(low), float(high))
    if latency < 0:
        raise ValueError("latency must be non-negative")
    return float(latency)


def latency_from_json(value: Any) -> Latency:
    """Latency sent to ``PUT /_fake/faults``: a number or a two-number array."""
    try:
        if isinstance(value, list) and len(value) == 2:
            return check_latency((float(value[0]), float(value[1])))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return check_latency(float(value))
    except (TypeError, ValueError):
        pass
    raise bad_request("latency must be a number of seconds or a [low, high] pair")


class FaultPlan:
    """Decides, request by request, which fault (if any) to inject and how long to wait."""

    def __init__(self, config: FaultConfig, latency: Latency, seed: int | None) -> None:
        self.config = config
        self.latency = check_latency(latency)
        self._seed = seed
        self._queue: deque[FaultKind] = deque()
        self.reseed()

    @property
    def config(self) -> FaultConfig:
        """The fault rates in force."""
        return self._config

    @config.setter
    def config(self, config: FaultConfig) -> None:
        if not isinstance(config, FaultConfig):
            raise TypeError(
                f"faults must be a FaultConfig(...), got {type(config).__name__}: {config!r}"
            )
        self._config = config

    def reseed(self) -> None:
        """Start the random sequence over (a reset makes the next run identical to the first)."""
        self._faults = random.Random(self._seed)
        self._delays = random.Random(None if self._seed is None else self._seed + 1)
        self._queue.clear()

    def enqueue(self, kinds: list[FaultKind]) -> None:
        """Force the next requests' faults, in order, ahead of the random draw.

        Every kind is checked first, so a typo fails here, not inside a later request.
        """
        self._queue.extend(check_fault_kinds(kinds))

    @property
    def queued(self) -> list[FaultKind]:
        """Faults still waiting to be injected."""
        return list(self._queue)

    def draw(self, creates_task: bool) -> tuple[FaultKind | None, float]:
        """The fault and the delay for the next request.

        A queued ``commit_then_fail`` waits at the head of the queue for a task creation.
        """
        roll = self._faults.random()
        delay = self._draw_delay()
        if self._queue:
            head = self._queue[0]
            if head != "commit_then_fail" or creates_task:
                return self._queue.popleft(), delay
            return None, delay
        edge = 0.0
        for kind in FAULT_KINDS:
            edge += getattr(self.config, kind)
            if roll < edge:
                if kind == "commit_then_fail" and not creates_task:
                    return None, delay
                return kind, delay
        return None, delay

    def _draw_delay(self) -> float:
        if isinstance(self.latency, tuple):
            low, high = self.latency
            return self._delays.uniform(low, high)
        self._delays.random()
        return self.latency
