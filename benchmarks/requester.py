"""The engine's own CPU per logical call, without a network: ``python -m benchmarks.requester``.

``Requester.call`` (the retry policy, the deadline, the close scope, error mapping, JSON)
over a session that answers every request at once after one trip through the scheduler, as
a socket wait would; so the figure is what the request path costs above HTTP. asyncio and
trio are interleaved in one run, ``--in-flight`` calls at a time. Only ratios within one run
mean anything (the machine's other load moves the absolute figures). Each run checks that
every call returned the decoded answer.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

import anyio
import anyio.lowlevel

from scale_async._engine.http import RawResponse
from scale_async._engine.requester import Call, Requester
from scale_async._engine.retry import RetryPolicy

_ANSWER = RawResponse(200, {"content-type": "application/json"}, b'{"task_id": "t1"}')


class _Instant:
    """Answers every request at once, after one checkpoint (a socket wait's scheduler trip)."""

    async def send(self, method: str, url: str, **_: Any) -> RawResponse:
        await anyio.lowlevel.checkpoint()
        return _ANSWER


async def _run(calls: int, in_flight: int) -> float:
    requester = Requester(_Instant(), "http://127.0.0.1/v1", RetryPolicy(), "")  # type: ignore[arg-type]
    call = Call(method="POST", path="task/categorization", body={"instruction": "x"})
    each = calls // in_flight
    answered = 0

    async def worker() -> None:
        nonlocal answered
        for _ in range(each):
            if await requester.call(call) != {"task_id": "t1"}:
                raise RuntimeError("the call did not return the decoded answer")
            answered += 1

    started = time.process_time()
    async with anyio.create_task_group() as group:
        for _ in range(in_flight):
            group.start_soon(worker)
    if answered != each * in_flight:
        raise RuntimeError(f"{answered} of {each * in_flight} calls answered")
    return (time.process_time() - started) / (each * in_flight) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=40_000)
    parser.add_argument("--in-flight", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {"asyncio": [], "trio": []}
    for _ in range(args.repeat):
        for backend, runs in samples.items():
            runs.append(anyio.run(_run, args.calls, args.in_flight, backend=backend))
    load = os.getloadavg()[0]
    print(f"python -m benchmarks.requester · {args.in_flight} in flight · load {load:.2f}")
    for backend, runs in samples.items():
        shown = " ".join(f"{r:.1f}" for r in runs)
        print(f"  {backend:8} median {statistics.median(runs):6.1f} µs/call  ({shown})")


if __name__ == "__main__":
    main()
