"""The retry policy: what is retried, how long to wait, and when to give up.

Every decision is a pure function of the policy and of what happened, so it is tested without
I/O; tenacity only drives the loop. The rules follow the wire facts of Scale's API:

* transport failures, 408, 429 and 5xx are transient, over http and https alike;
* a request that is not safe to replay (a create without ``unique_id``) is retried only when
  the server provably did not process it: the connection was never made, or a 429;
* ``Retry-After`` (seconds or an HTTP date) is honoured up to a cap, otherwise the wait grows
  exponentially with jitter, and a total deadline bounds the whole exchange.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import anyio
import attrs

if TYPE_CHECKING:
    from tenacity import AsyncRetrying, RetryCallState

from ..exceptions import ScaleException, ScaleTransportError

__all__ = ["RetryPolicy", "backoff_delay", "next_delay", "parse_retry_after", "should_retry"]

DEFAULT_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not value >= 0:
        raise ValueError(f"RetryPolicy.{attribute.name} must be >= 0, got {value!r}")


def _statuses(value: Iterable[int]) -> frozenset[int]:
    # A named converter: attrs types the ``__init__`` parameter from it, and ``frozenset``
    # itself would leave it generic, refusing any ``[429, 503]`` a caller passes.
    return frozenset(value)


def _fraction(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"RetryPolicy.{attribute.name} must be within [0, 1], got {value!r}")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How a client retries failed requests.

    The wait before retry *n* (1-based) is ``min(max_delay, initial_delay * multiplier**(n-1))``
    reduced by up to ``jitter`` of itself at random, so that many workers hit by the same
    fault do not come back in lockstep. A ``Retry-After`` from the server replaces that wait,
    capped at ``retry_after_cap``. No retry starts that would end past ``deadline`` seconds
    after the first attempt.

    ``sleep``, ``random`` and ``clock`` are injectable so tests run without real waiting.
    ``on_retry(error, delay)`` is called before each retry's wait, so that a progress display
    can say why a job slowed down (a 429's pause, a run of 503s) rather than go quiet.
    """

    max_retries: int = attrs.field(default=4, validator=_non_negative)
    initial_delay: float = attrs.field(default=0.5, validator=_non_negative)
    max_delay: float = attrs.field(default=8.0, validator=_non_negative)
    multiplier: float = attrs.field(default=2.0, validator=_non_negative)
    jitter: float = attrs.field(default=0.5, validator=_fraction)
    retry_after_cap: float = attrs.field(default=60.0, validator=_non_negative)
    deadline: float | None = attrs.field(default=120.0, validator=_non_negative)
    retry_statuses: frozenset[int] = attrs.field(
        default=DEFAULT_RETRY_STATUSES, converter=_statuses
    )
    retry_transport_errors: bool = True
    sleep: Callable[[float], Awaitable[None]] = attrs.field(
        default=anyio.sleep, repr=False, eq=False
    )
    random: Callable[[], float] = attrs.field(default=random.random, repr=False, eq=False)
    clock: Callable[[], float] = attrs.field(default=time.monotonic, repr=False, eq=False)
    on_retry: Callable[[BaseException, float], object] | None = attrs.field(
        default=None, repr=False, eq=False
    )

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_retries=0)


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait as the server asks, or None when it does not say (or says nonsense).

    Reads ``retry-after-ms`` first, then ``retry-after`` as seconds or as an HTTP date.
    ``headers`` must have lower-case keys; ``now`` is the current epoch time.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    raw_ms = lowered.get("retry-after-ms")
    if raw_ms is not None:
        seconds = _as_seconds(raw_ms)
        if seconds is not None:
            return seconds / 1000.0
    raw = lowered.get("retry-after")
    if raw is None:
        return None
    seconds = _as_seconds(raw)
    if seconds is not None:
        return seconds
    try:
        from email.utils import parsedate_to_datetime  # rarely needed: imported then

        when = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def _as_seconds(raw: str) -> float | None:
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    if math.isnan(value) or math.isinf(value):
        return None
    return max(0.0, value)


def backoff_delay(policy: RetryPolicy, retry_number: int, rand: float) -> float:
    """The exponential wait before retry ``retry_number`` (1-based), with jitter applied.

    ``rand`` is a uniform draw from [0, 1): the wait shrinks by ``jitter * rand`` of itself.
    """
    exponent = max(0, retry_number - 1)
    try:
        growth = policy.multiplier**exponent
    except OverflowError:
        growth = math.inf
    base = min(policy.max_delay, policy.initial_delay * growth) if policy.initial_delay else 0.0
    return base * (1.0 - policy.jitter * rand)


def next_delay(
    policy: RetryPolicy, retry_number: int, retry_after: float | None, rand: float
) -> float:
    """The wait before retry ``retry_number``: the server's advice if any (capped), else backoff."""
    if retry_after is not None:
        return min(retry_after, policy.retry_after_cap)
    return backoff_delay(policy, retry_number, rand)


def is_ambiguous(exc: BaseException) -> bool:
    """True when a failed attempt may nevertheless have been carried out by the server."""
    if isinstance(exc, ScaleTransportError):
        return exc.sent
    return isinstance(exc, ScaleException) and exc.code is not None and exc.code >= 500


def should_retry(policy: RetryPolicy, exc: BaseException, *, replay_safe: bool) -> bool:
    """Whether an attempt that raised ``exc`` may be tried again.

    ``replay_safe`` says whether sending the request twice is harmless (reads, updates, and
    creates that carry a ``unique_id``). Otherwise only failures that prove the server did not
    act are retried: a connection that was never made, or a 429.
    """
    if isinstance(exc, ScaleTransportError):
        if not exc.retryable:
            return False
        return policy.retry_transport_errors and (replay_safe or not exc.sent)
    if isinstance(exc, ScaleException) and exc.code in policy.retry_statuses:
        return replay_safe or exc.code == 429
    return False


def make_retrying(
    policy: RetryPolicy,
    *,
    replay_safe: bool,
    observe: Callable[[RetryCallState], None] | None = None,
    deadline: float | None = None,
    wait_for: Callable[[BaseException], float | None] | None = None,
) -> AsyncRetrying:
    """A tenacity loop that applies ``policy`` to one logical call; ``observe`` sees each retry.

    ``deadline`` is the ``policy.clock()`` time by which the call must be over (by default
    ``policy.deadline`` from now). ``wait_for`` may name the wait after a failure itself
    (the pause a 429 already put on the client's gate), so that one figure rules both.
    """
    if deadline is None and policy.deadline is not None:
        deadline = policy.clock() + policy.deadline

    def retry(state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        return exc is not None and should_retry(policy, exc, replay_safe=replay_safe)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if exc is not None and wait_for is not None:
            known = wait_for(exc)
            if known is not None:
                return known
        retry_after = exc.retry_after if isinstance(exc, ScaleException) else None
        return next_delay(policy, state.attempt_number, retry_after, policy.random())

    def stop(state: RetryCallState) -> bool:
        if state.attempt_number > policy.max_retries:
            return True
        if deadline is None:
            return False
        upcoming = state.upcoming_sleep or 0.0
        return policy.clock() + upcoming > deadline

    def before_sleep(state: RetryCallState) -> None:
        if observe is not None:
            observe(state)
        exc = state.outcome.exception() if state.outcome else None
        if policy.on_retry is not None and exc is not None:
            policy.on_retry(exc, state.upcoming_sleep or 0.0)

    from tenacity import AsyncRetrying  # only once a first attempt has failed

    return AsyncRetrying(
        sleep=policy.sleep,
        retry=retry,
        wait=wait,
        stop=stop,
        before_sleep=before_sleep,
        reraise=True,
    )
