"""The options openai users reach for: max_retries=, timeout= (ours or httpx's), with_options."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import scale_sync
import scale_sync.nga
from scale_async import AsyncScaleClient, RetryPolicy, ScaleServiceUnavailable, Timeout
from scale_async.nga import AsyncNGAScaleClient

V1 = "http://scale.invalid/v1"
NGA = "http://nga.invalid/api"


async def no_sleep(_: float) -> None:
    """A RetryPolicy sleep that does not wait."""


FAST = RetryPolicy(sleep=no_sleep)


class Recorder:
    """A transport answering 503 (or 200) and keeping every request it saw."""

    def __init__(self, status: int = 503) -> None:
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        ok = {"task_id": "t1", "status": "pending", "id": 1}
        body = ok if self.status == 200 else {"error": "busy"}
        return httpx.Response(self.status, json=body)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    @property
    def timeouts(self) -> list[dict[str, float]]:
        return [r.extensions["timeout"] for r in self.requests]


def phases(seconds: float, **changes: float) -> dict[str, float]:
    return {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds, **changes}


# -- max_retries -------------------------------------------------------------------------------


async def test_max_retries_on_the_async_clients() -> None:
    v1, nga = Recorder(), Recorder()
    async with AsyncScaleClient(
        "k", api_instance_url=V1, retry=FAST, max_retries=2, transport=v1.transport()
    ) as client:
        with pytest.raises(ScaleServiceUnavailable) as info:
            await client.get_task("t1")
    assert (len(v1.requests), info.value.retries) == (3, 2)
    async with AsyncNGAScaleClient(
        NGA, retry=FAST, max_retries=1, transport=nga.transport()
    ) as ngac:
        with pytest.raises(ScaleServiceUnavailable):
            await ngac.get_batch(1)
    assert len(nga.requests) == 2


def test_max_retries_on_the_sync_clients() -> None:
    v1, nga = Recorder(), Recorder()
    with (
        scale_sync.ScaleClient(
            "k", api_instance_url=V1, retry=FAST, max_retries=0, transport=v1.transport()
        ) as client,
        pytest.raises(ScaleServiceUnavailable),
    ):
        client.get_task("t1")
    assert len(v1.requests) == 1
    with (
        scale_sync.nga.NGAScaleClient(
            NGA, retry=FAST, max_retries=3, transport=nga.transport()
        ) as ngac,
        pytest.raises(ScaleServiceUnavailable),
    ):
        ngac.get_batch(1)
    assert len(nga.requests) == 4


def test_max_retries_keeps_the_rest_of_the_policy() -> None:
    policy = RetryPolicy(initial_delay=0.1, deadline=5.0)
    client = AsyncScaleClient("k", retry=policy, max_retries=7)
    assert client.retry == RetryPolicy(initial_delay=0.1, deadline=5.0, max_retries=7)
    assert AsyncScaleClient("k").retry.max_retries == RetryPolicy().max_retries


@pytest.mark.parametrize("make", [AsyncScaleClient, scale_sync.ScaleClient])
def test_retry_given_a_number_says_to_use_max_retries(make: Callable[..., Any]) -> None:
    with pytest.raises(TypeError, match=r"retry must be a RetryPolicy; .*max_retries=3"):
        make("k", retry=3)
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="max_retries"):
            make("k", max_retries=bad)


# -- timeout -----------------------------------------------------------------------------------


def test_our_timeout_of_a_number_sets_every_phase_as_httpx_does() -> None:
    for ours, theirs in [
        (Timeout(5), httpx.Timeout(5)),
        (Timeout(5, connect=2), httpx.Timeout(5, connect=2)),
        (Timeout(5.0, read=30, pool=1), httpx.Timeout(5.0, read=30, pool=1)),
    ]:
        assert ours.as_httpx() == theirs
    # A phase given neither way keeps its default (httpx would refuse it instead).
    assert Timeout(connect=2) == Timeout(connect=2, read=60, write=60, pool=30)
    assert Timeout() == Timeout(connect=10, read=60, write=60, pool=30)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, Timeout(connect=10, read=60, write=60, pool=30)),
        (7, Timeout(7)),
        (Timeout(3, read=9), Timeout(3, read=9)),
        (httpx.Timeout(4, connect=1), Timeout(4, connect=1)),
    ],
)
def test_timeout_accepts_seconds_our_timeout_or_an_httpx_timeout(
    given: Any, expected: Timeout
) -> None:
    assert AsyncScaleClient("k", timeout=given)._session.settings.timeout == expected
    with scale_sync.ScaleClient("k", timeout=given) as sync:
        assert sync.async_client._session.settings.timeout == expected


def test_a_timeout_that_could_wait_forever_or_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="no read limit"):
        AsyncScaleClient("k", timeout=httpx.Timeout(5, read=None))
    with pytest.raises(ValueError, match="connect or read or write or pool"):
        AsyncScaleClient("k", timeout=httpx.Timeout(None))
    with pytest.raises(TypeError, match="timeout must be"):
        AsyncScaleClient("k", timeout="5")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive"):
        Timeout(-1)


async def test_the_timeout_reaches_each_request() -> None:
    seen = Recorder(200)
    async with AsyncScaleClient(
        "k", api_instance_url=V1, timeout=Timeout(5, connect=2), transport=seen.transport()
    ) as client:
        await client.get_task("t1")
    assert seen.timeouts == [phases(5, connect=2)]


# -- with_options ------------------------------------------------------------------------------


async def test_with_options_overrides_per_call_on_the_same_pool() -> None:
    seen = Recorder()
    async with AsyncScaleClient(
        "k", api_instance_url=V1, retry=FAST, max_retries=2, transport=seen.transport()
    ) as client:
        quick = client.with_options(timeout=1.5, max_retries=0)
        assert quick is not client
        assert quick._session is client._session  # one pool
        assert quick._requester.gate is client._requester.gate  # one 429 pause
        with pytest.raises(ScaleServiceUnavailable):
            await quick.get_task("t1")
        assert (len(seen.requests), seen.timeouts) == (1, [phases(1.5)])
        # The original keeps its own limits.
        with pytest.raises(ScaleServiceUnavailable):
            await client.get_task("t1")
        assert len(seen.requests) == 4
        assert seen.timeouts[1:] == [phases(10, read=60, write=60, pool=30)] * 3
        # A copy of a copy keeps what it is not told to change.
        patient = quick.with_options(max_retries=1)
        assert patient._requester.timeout == Timeout(1.5)
        assert patient.retry.max_retries == 1
        # Closing a copy leaves the pool open for the client it came from.
        await quick.aclose()
        assert client._session.is_open
    assert not client._session.is_open


async def test_a_model_from_a_copy_uses_the_copy_options() -> None:
    seen = Recorder(200)
    async with AsyncScaleClient("k", api_instance_url=V1, transport=seen.transport()) as client:
        task = await client.with_options(timeout=2).get_task("t1")
        await task.refresh()
    assert seen.timeouts == [phases(2), phases(2)]


def test_with_options_on_the_sync_client_shares_the_loop_thread() -> None:
    seen = Recorder()
    client = scale_sync.ScaleClient(
        "k", api_instance_url=V1, retry=FAST, max_retries=3, transport=seen.transport()
    )
    with client:
        with client.with_options(max_retries=0, timeout=httpx.Timeout(3)) as once:
            assert isinstance(once, scale_sync.ScaleClient)
            assert once._runner is client._runner
            with pytest.raises(ScaleServiceUnavailable):
                once.get_task("t1")
        assert (len(seen.requests), seen.timeouts) == (1, [phases(3)])
        with pytest.raises(ScaleServiceUnavailable):  # still running after the copy closed
            client.get_task("t1")
        assert len(seen.requests) == 5


def test_with_options_checks_its_arguments() -> None:
    client = AsyncScaleClient("k")
    check: list[Callable[[], Any]] = [
        lambda: client.with_options(max_retries=-1),
        lambda: client.with_options(retry=2),  # type: ignore[arg-type]
        lambda: client.with_options(timeout=httpx.Timeout(None)),
    ]
    for call in check:
        with pytest.raises((TypeError, ValueError)):
            call()


@pytest.mark.parametrize(
    ("async_cls", "sync_cls"),
    [
        (AsyncScaleClient, scale_sync.ScaleClient),
        (AsyncNGAScaleClient, scale_sync.nga.NGAScaleClient),
    ],
)
def test_with_options_has_the_same_parameters_on_every_client(
    async_cls: type[Any], sync_cls: type[Any]
) -> None:
    def params(cls: type[Any]) -> list[tuple[str, object]]:
        signature = inspect.signature(cls.with_options)
        return [(p.name, p.default) for p in signature.parameters.values()]

    assert params(async_cls) == params(sync_cls)
    assert [name for name, _ in params(async_cls)] == ["self", "timeout", "max_retries", "retry"]


async def test_raw_requests_from_a_copy_use_the_copy_options() -> None:
    """``client.api`` is cached per client: a copy gets its own, on the copy's limits."""
    seen = Recorder(200)
    async with AsyncScaleClient("k", api_instance_url=V1, transport=seen.transport()) as client:
        await client.api.get_request("task/t1")  # caches the parent's client.api
        await client.with_options(timeout=4).api.get_request("task/t1")
    assert seen.timeouts == [phases(10, read=60, write=60, pool=30), phases(4)]


def test_raw_requests_from_a_sync_copy_use_the_copy_options() -> None:
    seen = Recorder(200)
    with scale_sync.ScaleClient("k", api_instance_url=V1, transport=seen.transport()) as client:
        client.api.get_request("task/t1")
        client.with_options(timeout=4).api.get_request("task/t1")
    assert seen.timeouts == [phases(10, read=60, write=60, pool=30), phases(4)]


async def test_a_copy_reaches_v2_on_the_same_v2_pool_with_the_copy_limits() -> None:
    events: list[Any] = []
    client = AsyncScaleClient("k", api_instance_url=V1, on_request=events.append)
    quick = client.with_options(timeout=4, max_retries=0)
    assert quick.v2 is not client.v2
    assert quick.v2._session is client.v2._session  # one v2 pool, the parent's
    assert quick.v2._requester.timeout == Timeout(4)
    assert quick.v2.retry.max_retries == 0
    assert client.v2._requester.timeout is None
    assert client.v2._requester.on_request is not None  # v2 calls are observed too
    await quick.aclose()
    await client.aclose()


def test_a_sync_copy_reaches_v2_through_the_copy() -> None:
    with scale_sync.ScaleClient("k", api_instance_url=V1) as client:
        quick = client.with_options(timeout=4)
        assert quick.v2._async is quick.async_client.v2
        assert quick.v2._async._requester.timeout == Timeout(4)
        assert client.v2._async._requester.timeout is None
