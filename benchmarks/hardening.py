"""Time-to-fail of the hostile cases of issue 14: what a caller gets, and after how long.

    python -m benchmarks.hardening            # every case, a markdown table on stdout

Each case plays a malformed server (loopback, exact bytes), a fork, a close from another
thread or a faulty fake, and reports the exception type the caller saw (or the count that
matters) and the wall time until then. Cases that would never end are cut at ``CAP``
seconds and say so. Run it on two checkouts to compare; the figures are one machine's, in
one run, for orientation: the tests assert the behaviour, not these times.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

import anyio

import scale_sync
from scale_async import AsyncScaleClient, RetryPolicy, TaskType, derive_unique_id
from scale_async.nga import AsyncNGAScaleClient
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI, FaultConfig
from tests.hardening.loopback import Request, response, serving
from tests.hardening.support import API_KEY, BASIC, leaked_fragments, page, task_json

CAP = 10.0


async def _no_sleep(_: float) -> None:
    await anyio.lowlevel.checkpoint()


def _client(url: str, retries: int = 0, **kwargs: Any) -> AsyncScaleClient:
    policy = RetryPolicy(max_retries=retries, sleep=_no_sleep)
    return AsyncScaleClient(API_KEY, api_instance_url=url, retry=policy, timeout=CAP, **kwargs)


async def _outcome(work: Callable[[], Any]) -> str:
    try:
        with anyio.fail_after(CAP):
            await work()
    except TimeoutError:
        return f"still going at {CAP:.0f} s (cut)"
    except BaseException as exc:
        return type(exc).__name__
    return "no error"


def _timed(case: Callable[[], str]) -> tuple[str, float]:
    started = time.perf_counter()
    outcome = case()
    return outcome, time.perf_counter() - started


def _run(make: Callable[[], Any]) -> str:
    return anyio.run(_outcome, make)


# -- the cases --------------------------------------------------------------------------------


def html_script_502() -> str:
    body = b"<html>" + b"<script>" * 24_000
    with serving(response(502, body, content_type="text/html")) as server:

        async def go() -> None:
            async with _client(server.url, retries=1) as client:
                await client.get_task("t1")

        return _run(go) + " (2 attempts)"


def html_50mb_502() -> str:
    body = b"<html><p>down</p>" + b"<div>x</div>" * (50_000_000 // 12)
    with serving(response(502, body, content_type="text/html")) as server:

        async def go() -> None:
            async with _client(server.url) as client:
                await client.get_task("t1")

        return _run(go)


def _fixed(raw: bytes, call: str = "task") -> str:
    with serving(raw) as server:

        async def go() -> None:
            async with _client(server.url) as client:
                if call == "task":
                    await client.get_task("t1")
                elif call == "count":
                    await client.get_tasks_count(project_name="p")
                else:
                    await client.tasks(project="p")

        return _run(go)


def deep_json_200() -> str:
    return _fixed(response(200, b"[" * 100_000))


def deep_json_500() -> str:
    return _fixed(response(500, b"[" * 100_000))


def gzip_garbage() -> str:
    return _fixed(response(200, b"\x00garbage" * 8, headers={"Content-Encoding": "gzip"}))


def not_http() -> str:
    return _fixed(b"SSH-2.0-OpenSSH_9.6\r\n\r\n\r\n")


def docs_null() -> str:
    return _fixed(response(200, page(None)), "page")


def total_many() -> str:
    return _fixed(response(200, page([], total="many")), "count")


def total_infinity() -> str:
    body = b'{"docs": [], "total": Infinity, "limit": 1, "offset": 0, "has_more": false}'
    return _fixed(response(200, body), "count")


def recovery_docs_object() -> str:
    answers = iter([response(500, b'{"error": "x"}'), response(409, b'{"error": "taken"}')])

    def answer(request: Request) -> bytes:
        if request.method == "GET":
            return response(200, page({"0": {}}))
        return next(answers)

    with serving(answer) as server:

        async def go() -> None:
            async with _client(server.url, retries=2) as client:
                await client.create_task("categorization", unique_id="u1", project="p")

        return _run(go)


def repeated_token() -> str:
    def answer(_: Request) -> bytes:
        return response(200, page([task_json()], has_more=True, next_token="again"))

    with serving(answer) as server:

        async def go() -> None:
            async with _client(server.url) as client:
                async for _ in client.get_tasks(project_name="p"):
                    pass

        outcome = _run(go)
        return f"{outcome}, {len(server.requests)} requests"


def nga_count_lies() -> str:
    item = json.loads(json.dumps(_nga_item()))
    body = {"count": 10**9, "next": "http://x/api/v6/batches/?page=2", "results": [item]}
    raw = response(200, json.dumps(body).encode())
    with serving(raw, prefix="/api") as server:

        async def go() -> None:
            policy = RetryPolicy(max_retries=0, sleep=_no_sleep)
            client = AsyncNGAScaleClient(base_url=server.url, token="t" * 16, retry=policy)
            async with client:
                async for _ in client.get_batches(page_size=1):
                    pass

        outcome = _run(go)
        return f"{outcome}, {len(server.requests)} requests"


def _nga_item() -> dict[str, Any]:
    from tests.nga.support import LIST_ITEM

    return LIST_ITEM


def key_echo() -> str:
    def answer(request: Request) -> bytes:
        message = "x" * 255 + " refused: " + request.headers["authorization"] + " " + API_KEY
        return response(401, json.dumps({"error": message}).encode())

    shown: list[str] = []
    with serving(answer) as server:

        async def go() -> None:
            async with _client(server.url) as client:
                try:
                    await client.get_task("t1")
                except Exception as exc:
                    import traceback

                    shown.append(repr(exc) + str(exc) + "".join(traceback.format_exception(exc)))
                    raise

        outcome = _run(go)
    pieces = leaked_fragments("".join(shown))
    basic = BASIC.split(" ", 1)[1]
    return f"{outcome}, {'LEAKED ' + str(len(pieces)) + ' fragments' if pieces else 'no leak'}" + (
        " (Basic form)" if basic in "".join(shown) else ""
    )


def fork_child() -> str:
    def answer(request: Request) -> bytes:
        return response(200, json.dumps(task_json(request.path.rsplit("/", 1)[-1])).encode())

    with serving(answer) as server:
        client = scale_sync.ScaleClient(
            API_KEY,
            api_instance_url=server.url,
            timeout=CAP,
            retry=RetryPolicy(max_retries=0, sleep=_no_sleep),
        )
        client.get_task("p1")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
            pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            try:
                client.get_task("c1")
                client.close()
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        try:
            client.get_task("p2")
            outcome = "parent's next call ok"
        except Exception as exc:
            outcome = f"parent's next call: {type(exc).__name__}"
        client.close()
    return outcome


def close_from_thread() -> str:
    def answer(_: Request) -> bytes:
        time.sleep(3)
        return response(200, json.dumps(task_json()).encode())

    with serving(answer) as server:
        client = scale_sync.ScaleClient(
            API_KEY, api_instance_url=server.url, retry=RetryPolicy(max_retries=0)
        )
        box: list[str] = []

        def call() -> None:
            started = time.perf_counter()
            try:
                client.get_task("t1")
                box.append("no error")
            except BaseException as exc:
                box.append(type(exc).__module__ + "." + type(exc).__name__)
            box[-1] += f" after {time.perf_counter() - started:.2f} s (close at 0.3 s)"

        thread = threading.Thread(target=call)
        thread.start()
        time.sleep(0.3)
        client.close()
        thread.join(10)
    return box[0] if box else "no answer"


def _bulk(faults: FaultConfig, count: int, retries: int, seed: int) -> tuple[int, int, int]:
    """(reported failed, of which stored, stored in all) for one create_tasks job."""
    fake = FakeScaleAPI(seed=seed, faults=faults)

    async def go() -> tuple[int, int, int]:
        client = AsyncScaleClient(
            "test_key",
            api_instance_url=IN_PROCESS_BASE_URL,
            transport=fake.transport(),
            retry=RetryPolicy(max_retries=retries, sleep=_no_sleep, random=lambda: 0.0),
        )
        async with client:
            project = f"p{seed}"
            await client.create_project(project, TaskType.Categorization)
            payloads = [
                {
                    "instruction": "Which?",
                    "attachment": f"https://example.invalid/{n}.png",
                    "attachment_type": "image",
                    "categories": ["a", "b"],
                }
                for n in range(count)
            ]
            result = await client.create_tasks(
                TaskType.Categorization, payloads, project=project, concurrency=64
            )
            fake.configure(faults=FaultConfig())
            stored = {t.unique_id async for t in client.get_tasks(project_name=project)}
        failed = {
            derive_unique_id("categorization", {"project": project, **item.payload}, None)
            for item in result.failed
        }
        return len(result.failed), len(failed & stored), len(stored)

    return anyio.run(go)


def bulk_commit_then_fail() -> str:
    failed, stored_among, _ = _bulk(FaultConfig(commit_then_fail=0.3), 14, 0, 3)
    return f"{failed} of 14 reported failed, {stored_among} of them stored"


def bulk_twenty_percent() -> str:
    faults = FaultConfig(
        rate_limited=0.04,
        server_error=0.04,
        unavailable=0.04,
        drop_connection=0.04,
        commit_then_fail=0.04,
        retry_after=1,
    )
    totals = [_bulk(faults, 3000, 4, seed)[0] for seed in range(1, 6)]
    return f"failed per 3,000-task job over 5 seeds: {totals}"


CASES: list[tuple[str, Callable[[], str]]] = [
    ("2 fork: child used the client, parent's next call", fork_child),
    ("3 401 echoing Basic header + late literal key", key_echo),
    ("4 502, 192 KB of unclosed <script>", html_script_502),
    ("15 502, 50 MB HTML page", html_50mb_502),
    ("5 200 of 100,000 '['", deep_json_200),
    ("5 500 of 100,000 '['", deep_json_500),
    ("5 gzip header, garbage body", gzip_garbage),
    ("5 reply that is not HTTP", not_http),
    ("5 task page, docs null", docs_null),
    ("5 get_tasks_count, total 'many'", total_many),
    ("5 get_tasks_count, total Infinity", total_infinity),
    ("5 409 recovery, lookup docs an object", recovery_docs_object),
    ("8 has_more with the same next_token", repeated_token),
    ("8 NGA count 10^9, same page", nga_count_lies),
    ("13 close() from another thread mid-call", close_from_thread),
    ("9 14 creates, 30% commit-then-500, no retries", bulk_commit_then_fail),
    ("10 3,000 creates, 20% faults, default retries", bulk_twenty_percent),
]


def main() -> None:
    only = sys.argv[1:]
    print("| case | outcome | seconds |")
    print("| --- | --- | --- |")
    for name, case in CASES:
        if only and not any(word in name for word in only):
            continue
        outcome, seconds = _timed(case)
        print(f"| {name} | {outcome} | {seconds:.2f} |", flush=True)


if __name__ == "__main__":
    main()
