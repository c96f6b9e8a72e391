"""The retry policy: Retry-After parsing, backoff, the retry matrix and the tenacity loop."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Sequence
from email.utils import formatdate
from typing import Any

import pytest

from scale_async._engine.errors import error_for_status
from scale_async._engine.retry import (
    DEFAULT_RETRY_STATUSES,
    RetryPolicy,
    backoff_delay,
    is_ambiguous,
    make_retrying,
    next_delay,
    parse_retry_after,
    should_retry,
)
from scale_async.exceptions import (
    ScaleException,
    ScaleInternalError,
    ScaleInvalidRequest,
    ScaleTooManyRequests,
    ScaleTransportError,
)

NOW = 1_700_000_000.0

# -- parse_retry_after ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({}, None, id="absent"),
        pytest.param({"retry-after": "5"}, 5.0, id="int-seconds"),
        pytest.param({"retry-after": "2.5"}, 2.5, id="float-seconds"),
        pytest.param({"retry-after": " 7 "}, 7.0, id="padded"),
        pytest.param({"retry-after": "0"}, 0.0, id="zero"),
        pytest.param({"retry-after": "-3"}, 0.0, id="negative-clamped"),
        pytest.param({"retry-after": "soon"}, None, id="garbage"),
        pytest.param({"retry-after": ""}, None, id="empty"),
        pytest.param({"retry-after": "nan"}, None, id="nan"),
        pytest.param({"retry-after": "inf"}, None, id="inf"),
        pytest.param({"retry-after": "-inf"}, None, id="minus-inf"),
        pytest.param({"retry-after": "1e400"}, None, id="overflows-to-inf"),
        pytest.param({"retry-after-ms": "1500"}, 1.5, id="ms"),
        pytest.param({"retry-after-ms": "250", "retry-after": "9"}, 0.25, id="ms-wins"),
        pytest.param({"retry-after-ms": "junk", "retry-after": "9"}, 9.0, id="bad-ms-falls-back"),
        pytest.param({"retry-after-ms": "-10"}, 0.0, id="negative-ms"),
        pytest.param({"retry-after-ms": "nan"}, None, id="nan-ms"),
        pytest.param({"Retry-After": "4"}, 4.0, id="mixed-case"),
        pytest.param({"RETRY-AFTER-MS": "100"}, 0.1, id="upper-case-ms"),
        pytest.param(
            {"retry-after": formatdate(NOW + 30, usegmt=True)}, 30.0, id="http-date-future"
        ),
        pytest.param({"retry-after": formatdate(NOW - 600, usegmt=True)}, 0.0, id="http-date-past"),
        pytest.param(
            {"retry-after": formatdate(NOW + 90, usegmt=True).replace("GMT", "+0000")},
            90.0,
            id="http-date-numeric-tz",
        ),
        pytest.param({"retry-after": "Tue, 14 Nov 2023 22:13:20"}, None, id="date-without-tz"),
        pytest.param(
            {"retry-after": "Tue, 14 Nov 2023 22:13:20 -0000"}, None, id="date-tz-unknown"
        ),
        pytest.param({"retry-after": "Mon, 99 Foo 2023 99:99:99 GMT"}, None, id="broken-date"),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    """Every shape of Retry-After maps to seconds, 0, or None when it is nonsense."""
    result = parse_retry_after(headers, now=NOW)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_parse_retry_after_date_uses_wall_clock_without_now() -> None:
    """Without ``now`` a date far in the past still clamps to 0 and a far future one is large."""
    assert parse_retry_after({"retry-after": "Tue, 14 Nov 2000 22:13:20 GMT"}) == 0.0
    far = parse_retry_after({"retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"})
    assert far is not None
    assert far > 1e9


# -- backoff_delay / next_delay ------------------------------------------------------------


def test_backoff_grows_by_multiplier_without_jitter() -> None:
    """With rand=0 the waits are initial * multiplier**(n-1)."""
    policy = RetryPolicy(initial_delay=0.5, multiplier=3.0, max_delay=1000.0)
    assert [backoff_delay(policy, n, 0.0) for n in range(1, 5)] == [0.5, 1.5, 4.5, 13.5]


def test_backoff_retry_zero_is_treated_as_first() -> None:
    """A retry number below 1 never yields a wait shorter than the initial one."""
    policy = RetryPolicy(initial_delay=0.5, multiplier=2.0)
    assert backoff_delay(policy, 0, 0.0) == 0.5
    assert backoff_delay(policy, -5, 0.0) == 0.5


def test_backoff_capped_at_max_delay() -> None:
    """The wait never exceeds max_delay."""
    policy = RetryPolicy(initial_delay=1.0, multiplier=2.0, max_delay=5.0)
    waits = [backoff_delay(policy, n, 0.0) for n in range(1, 8)]
    assert waits == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0, 5.0]


@pytest.mark.parametrize("jitter", [0.0, 0.25, 0.5, 1.0])
def test_backoff_jitter_bounds(jitter: float) -> None:
    """Jitter only shortens the wait, by at most ``jitter`` of it."""
    policy = RetryPolicy(initial_delay=2.0, multiplier=2.0, max_delay=100.0, jitter=jitter)
    base = 4.0  # retry 2
    assert backoff_delay(policy, 2, 0.0) == base
    nearly_one = 1.0 - 1e-12
    low = backoff_delay(policy, 2, nearly_one)
    assert low == pytest.approx(base * (1 - jitter), abs=1e-9)
    assert base * (1 - jitter) <= low <= base
    mid = backoff_delay(policy, 2, 0.5)
    assert mid == pytest.approx(base * (1 - jitter / 2))


@pytest.mark.parametrize("retry_number", [1_100, 10_000, 10**6])
def test_backoff_huge_retry_numbers_do_not_overflow(retry_number: int) -> None:
    """A very high retry number gives max_delay, not OverflowError or inf."""
    policy = RetryPolicy(initial_delay=0.5, multiplier=2.0, max_delay=8.0, jitter=0.5)
    assert backoff_delay(policy, retry_number, 0.0) == 8.0
    assert backoff_delay(policy, retry_number, 0.5) == 6.0


def test_backoff_zero_initial_delay_stays_zero_for_huge_retry_numbers() -> None:
    """initial_delay=0 means "retry at once", whatever the retry number (no overflow fallback)."""
    policy = RetryPolicy(initial_delay=0.0, multiplier=2.0, max_delay=8.0)
    assert backoff_delay(policy, 3, 0.0) == 0.0
    assert backoff_delay(policy, 5_000, 0.0) == 0.0


def test_next_delay_prefers_retry_after() -> None:
    """The server's Retry-After replaces the computed backoff, ignoring jitter."""
    policy = RetryPolicy(initial_delay=0.5, jitter=0.5)
    assert next_delay(policy, 1, 3.0, 0.9) == 3.0
    assert next_delay(policy, 4, 0.0, 0.9) == 0.0
    assert next_delay(policy, 2, None, 0.0) == 1.0


def test_next_delay_caps_retry_after() -> None:
    """A Retry-After above retry_after_cap is cut to the cap."""
    policy = RetryPolicy(retry_after_cap=10.0)
    assert next_delay(policy, 1, 3600.0, 0.0) == 10.0
    assert next_delay(policy, 1, 9.5, 0.0) == 9.5


# -- is_ambiguous / should_retry -----------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        pytest.param(ScaleTransportError("x", sent=True), True, id="transport-sent"),
        pytest.param(ScaleTransportError("x", sent=False), False, id="transport-unsent"),
        pytest.param(error_for_status(500, "x"), True, id="500"),
        pytest.param(error_for_status(502, "x"), True, id="502"),
        pytest.param(error_for_status(503, "x"), True, id="503"),
        pytest.param(error_for_status(504, "x"), True, id="504"),
        pytest.param(error_for_status(429, "x"), False, id="429"),
        pytest.param(error_for_status(409, "x"), False, id="409"),
        pytest.param(error_for_status(400, "x"), False, id="400"),
        pytest.param(ScaleException("no code"), False, id="no-code"),
        pytest.param(ValueError("x"), False, id="not-scale"),
    ],
)
def test_is_ambiguous(exc: BaseException, expected: bool) -> None:
    """Only failures after which the server may have acted are ambiguous."""
    assert is_ambiguous(exc) is expected


@pytest.mark.parametrize(
    ("sent", "replay_safe", "expected"),
    [
        (True, True, True),
        (True, False, False),
        (False, True, True),
        (False, False, True),
    ],
)
def test_should_retry_transport_errors(sent: bool, replay_safe: bool, expected: bool) -> None:
    """A transport failure is retried unless the request may have landed and is not replayable."""
    exc = ScaleTransportError("reset", sent=sent)
    assert should_retry(RetryPolicy(), exc, replay_safe=replay_safe) is expected


@pytest.mark.parametrize("sent", [True, False])
@pytest.mark.parametrize("replay_safe", [True, False])
def test_should_retry_transport_errors_disabled(sent: bool, replay_safe: bool) -> None:
    """retry_transport_errors=False never retries a transport failure."""
    policy = RetryPolicy(retry_transport_errors=False)
    exc = ScaleTransportError("reset", sent=sent)
    assert should_retry(policy, exc, replay_safe=replay_safe) is False


@pytest.mark.parametrize(
    ("status", "when_safe", "when_unsafe"),
    [
        (400, False, False),
        (401, False, False),
        (404, False, False),
        (409, False, False),
        (408, True, False),
        (429, True, True),
        (500, True, False),
        (502, True, False),
        (503, True, False),
        (504, True, False),
        (501, False, False),
    ],
)
def test_should_retry_statuses(status: int, when_safe: bool, when_unsafe: bool) -> None:
    """Transient statuses retry when replayable; only 429 retries a non-replayable request."""
    exc = error_for_status(status, "boom")
    policy = RetryPolicy()
    assert should_retry(policy, exc, replay_safe=True) is when_safe
    assert should_retry(policy, exc, replay_safe=False) is when_unsafe


def test_should_retry_custom_statuses() -> None:
    """retry_statuses replaces the default set entirely (and is converted to a frozenset)."""
    policy = RetryPolicy(retry_statuses=[418, 429])
    assert policy.retry_statuses == frozenset({418, 429})
    assert should_retry(policy, error_for_status(418, "teapot"), replay_safe=True) is True
    assert should_retry(policy, error_for_status(418, "teapot"), replay_safe=False) is False
    assert should_retry(policy, error_for_status(500, "x"), replay_safe=True) is False
    assert should_retry(policy, error_for_status(429, "x"), replay_safe=False) is True
    empty = RetryPolicy(retry_statuses=())
    assert should_retry(empty, error_for_status(429, "x"), replay_safe=True) is False


def test_should_retry_ignores_foreign_exceptions() -> None:
    """Exceptions that are not the client's own are never retried."""
    assert should_retry(RetryPolicy(), ValueError("x"), replay_safe=True) is False
    assert should_retry(RetryPolicy(), ScaleException("no code"), replay_safe=True) is False


def test_default_retry_statuses() -> None:
    """The default transient set is 408, 429 and the 5xx gateway family (not 501)."""
    assert frozenset({408, 429, 500, 502, 503, 504}) == DEFAULT_RETRY_STATUSES
    assert RetryPolicy().retry_statuses == DEFAULT_RETRY_STATUSES


# -- RetryPolicy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_retries": -1},
        {"initial_delay": -0.1},
        {"max_delay": -1.0},
        {"multiplier": -2.0},
        {"retry_after_cap": -1.0},
        {"deadline": -5.0},
        {"initial_delay": math.nan},
        {"jitter": -0.01},
        {"jitter": 1.01},
        {"jitter": math.nan},
    ],
)
def test_retry_policy_rejects_bad_values(kwargs: dict[str, Any]) -> None:
    """Negative numbers and a jitter outside [0, 1] are refused with the field's name."""
    with pytest.raises(ValueError, match=f"RetryPolicy.{next(iter(kwargs))}"):
        RetryPolicy(**kwargs)


def test_retry_policy_accepts_boundaries() -> None:
    """Zero values, jitter 0 and 1, and no deadline are valid."""
    policy = RetryPolicy(max_retries=0, initial_delay=0.0, jitter=1.0, deadline=None)
    assert policy.deadline is None
    assert RetryPolicy(jitter=0.0).jitter == 0.0


def test_retry_policy_disabled() -> None:
    """disabled() never retries and otherwise keeps the defaults."""
    policy = RetryPolicy.disabled()
    assert policy.max_retries == 0
    assert policy.retry_statuses == DEFAULT_RETRY_STATUSES
    assert policy != RetryPolicy()


def test_retry_policy_is_frozen_and_hides_callables_from_repr() -> None:
    """The policy is immutable; injected callables do not clutter its repr."""
    policy = RetryPolicy()
    with pytest.raises(AttributeError):
        policy.max_retries = 3  # type: ignore[misc]
    assert "sleep" not in repr(policy)
    assert "max_retries=4" in repr(policy)


# -- make_retrying, driven without real waiting ------------------------------------------


class FakeClock:
    """A monotonic clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = [0.0]

    def __call__(self) -> float:
        return self.now[0]

    def advance(self, seconds: float) -> None:
        self.now[0] += seconds


class Recorder:
    """An async sleep that records the waits asked for and advances a fake clock."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.sleeps: list[float] = []
        self.clock = clock

    async def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.clock is not None:
            self.clock.advance(seconds)


def failing(
    errors: Sequence[BaseException], result: str = "ok", on_call: Callable[[], None] | None = None
) -> tuple[Callable[[], Awaitable[str]], list[int]]:
    """A coroutine function that raises ``errors`` in turn, then returns ``result``."""
    calls = [0]

    async def fn() -> str:
        calls[0] += 1
        if on_call is not None:
            on_call()
        if calls[0] <= len(errors):
            raise errors[calls[0] - 1]
        return result

    return fn, calls


async def drive(policy: RetryPolicy, fn: Callable[[], Awaitable[str]], *, replay_safe: bool) -> str:
    async for attempt in make_retrying(policy, replay_safe=replay_safe):
        with attempt:
            return await fn()
    raise AssertionError("unreachable")


def policy_with(sleep: Recorder, clock: FakeClock | None = None, **kwargs: Any) -> RetryPolicy:
    return RetryPolicy(sleep=sleep, random=lambda: 0.0, clock=clock or FakeClock(), **kwargs)


async def test_retrying_recovers_after_internal_errors() -> None:
    """Two 500s then success: three attempts, exponential waits 0.5 and 1.0."""
    sleep = Recorder()
    fn, calls = failing([ScaleInternalError("a"), ScaleInternalError("b")])
    assert await drive(policy_with(sleep), fn, replay_safe=True) == "ok"
    assert calls[0] == 3
    assert sleep.sleeps == [0.5, 1.0]


async def test_retrying_honours_max_retries() -> None:
    """With max_retries=3 a persistent 500 is tried 4 times and the last error is raised."""
    sleep = Recorder()
    errors = [ScaleInternalError(f"fail {i}") for i in range(10)]
    fn, calls = failing(errors)
    with pytest.raises(ScaleInternalError) as info:
        await drive(policy_with(sleep, max_retries=3), fn, replay_safe=True)
    assert calls[0] == 4
    assert info.value is errors[3]
    assert sleep.sleeps == [0.5, 1.0, 2.0]


async def test_retrying_default_policy_sequence() -> None:
    """The default policy tries 5 times with waits 0.5, 1, 2, 4 (rand=0)."""
    sleep = Recorder()
    fn, calls = failing([ScaleInternalError("x")] * 10)
    with pytest.raises(ScaleInternalError):
        await drive(policy_with(sleep), fn, replay_safe=True)
    assert calls[0] == 5
    assert sleep.sleeps == [0.5, 1.0, 2.0, 4.0]


async def test_retrying_disabled_tries_once() -> None:
    """RetryPolicy.disabled() makes exactly one attempt."""
    sleep = Recorder()
    fn, calls = failing([ScaleInternalError("x")] * 3)
    policy = RetryPolicy(max_retries=0, sleep=sleep, clock=FakeClock())
    with pytest.raises(ScaleInternalError):
        await drive(policy, fn, replay_safe=True)
    assert calls[0] == 1
    assert sleep.sleeps == []


async def test_retrying_uses_retry_after() -> None:
    """A 429 with retry_after waits that long, capped by retry_after_cap."""
    first = ScaleTooManyRequests("slow down")
    first.retry_after = 3.0
    second = ScaleTooManyRequests("slow down more")
    second.retry_after = 500.0
    sleep = Recorder()
    fn, calls = failing([first, second])
    policy = policy_with(sleep, retry_after_cap=20.0)
    assert await drive(policy, fn, replay_safe=False) == "ok"
    assert calls[0] == 3
    assert sleep.sleeps == [3.0, 20.0]


async def test_retrying_jitter_from_injected_random() -> None:
    """The injected random source shapes the waits."""
    sleep = Recorder()
    fn, _ = failing([ScaleInternalError("x")] * 2)
    policy = RetryPolicy(sleep=sleep, random=lambda: 0.5, clock=FakeClock(), jitter=0.5)
    await drive(policy, fn, replay_safe=True)
    assert sleep.sleeps == [0.375, 0.75]


async def test_retrying_unsent_transport_error_retried_when_not_replay_safe() -> None:
    """A connection that was never made is retried even for a non-replayable create."""
    sleep = Recorder()
    fn, calls = failing([ScaleTransportError("refused", sent=False)] * 2)
    assert await drive(policy_with(sleep), fn, replay_safe=False) == "ok"
    assert calls[0] == 3


async def test_retrying_sent_transport_error_not_retried_when_not_replay_safe() -> None:
    """A request that may have landed is not replayed unless replay-safe."""
    sleep = Recorder()
    err = ScaleTransportError("reset", sent=True)
    fn, calls = failing([err])
    with pytest.raises(ScaleTransportError) as info:
        await drive(policy_with(sleep), fn, replay_safe=False)
    assert info.value is err
    assert calls[0] == 1
    assert sleep.sleeps == []
    fn, calls = failing([ScaleTransportError("reset", sent=True)])
    assert await drive(policy_with(Recorder()), fn, replay_safe=True) == "ok"
    assert calls[0] == 2


async def test_retrying_internal_error_not_replayed_when_unsafe() -> None:
    """A 500 on a non-replayable request is raised after one attempt."""
    fn, calls = failing([ScaleInternalError("x")])
    with pytest.raises(ScaleInternalError):
        await drive(policy_with(Recorder()), fn, replay_safe=False)
    assert calls[0] == 1


async def test_retrying_non_retryable_error_raised_at_once() -> None:
    """A 400 or a foreign exception is raised immediately, without waiting."""
    sleep = Recorder()
    fn, calls = failing([ScaleInvalidRequest("bad")])
    with pytest.raises(ScaleInvalidRequest):
        await drive(policy_with(sleep), fn, replay_safe=True)
    fn2, calls2 = failing([KeyError("k")])
    with pytest.raises(KeyError):
        await drive(policy_with(sleep), fn2, replay_safe=True)
    assert calls[0] == calls2[0] == 1
    assert sleep.sleeps == []


async def test_retrying_deadline_stops_before_overrunning() -> None:
    """No retry starts whose wait would end past the deadline."""
    clock = FakeClock()
    sleep = Recorder(clock)
    fn, calls = failing([ScaleInternalError("x")] * 10)
    policy = policy_with(
        sleep, clock, max_retries=10, initial_delay=4.0, multiplier=1.0, deadline=10.0
    )
    with pytest.raises(ScaleInternalError):
        await drive(policy, fn, replay_safe=True)
    assert calls[0] == 3
    assert sleep.sleeps == [4.0, 4.0]
    assert clock() == 8.0


async def test_retrying_deadline_counts_time_spent_in_attempts() -> None:
    """Time spent inside slow attempts counts towards the deadline."""
    clock = FakeClock()
    sleep = Recorder(clock)
    fn, calls = failing([ScaleInternalError("x")] * 10, on_call=lambda: clock.advance(6.0))
    policy = policy_with(sleep, clock, max_retries=10, initial_delay=1.0, deadline=10.0)
    with pytest.raises(ScaleInternalError):
        await drive(policy, fn, replay_safe=True)
    # t=6 fail, +1 wait -> 7 <= 10, retry; t=13 fail: past the deadline.
    assert calls[0] == 2
    assert sleep.sleeps == [1.0]


async def test_retrying_deadline_applies_to_retry_after() -> None:
    """A Retry-After that would overrun the deadline ends the retries."""
    clock = FakeClock()
    sleep = Recorder(clock)
    err = ScaleTooManyRequests("later")
    err.retry_after = 30.0
    fn, calls = failing([err])
    policy = policy_with(sleep, clock, deadline=10.0)
    with pytest.raises(ScaleTooManyRequests):
        await drive(policy, fn, replay_safe=True)
    assert calls[0] == 1
    assert sleep.sleeps == []


async def test_retrying_without_deadline_runs_to_max_retries() -> None:
    """deadline=None leaves only max_retries to stop the loop."""
    clock = FakeClock()
    sleep = Recorder(clock)
    fn, calls = failing([ScaleInternalError("x")] * 10, on_call=lambda: clock.advance(1e6))
    policy = policy_with(sleep, clock, max_retries=3, deadline=None)
    with pytest.raises(ScaleInternalError):
        await drive(policy, fn, replay_safe=True)
    assert calls[0] == 4
