"""``scale-async demo``: the whole bulk workflow, timed, on the built-in fake by default.

Why the fake by default: the README's first command must work on a fresh machine with no
account, and must never create billable tasks by surprise. With a key (and no ``--fake``) the
demo refuses unless ``--i-know-this-creates-real-tasks`` is given, and even then it says
up front what it will create and cancels it all at the end.

In the fake, the key is a ``live_`` one, so tasks stay pending (as real ones do until worked
on) and the batch can really be cancelled; a ``test_`` key would complete them at once.
The demo checks its own numbers: a fast wrong answer is not a demo.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from scale_async import (
    AsyncScaleClient,
    Progress,
    ScaleDuplicateResource,
    TaskStatus,
    TaskType,
)

from ._display import Display, open_display
from ._env import Env
from ._exit import FAILED, INTERRUPTED, OK, USAGE, CliError
from ._progress import format_count, format_rate
from ._run import run as run_async

__all__ = ["Outcome", "demo_payloads", "problems", "run", "summary"]

DEMO_KEY = "live_demo"
PROJECT = "scale-async-demo"
KIND = TaskType.Categorization
#: ``created_at`` windows listed at once when reading the tasks back.
LIST_PARTITIONS = 4


def demo_payloads(count: int, run_id: str) -> Iterator[dict[str, Any]]:
    """``count`` distinct categorization tasks, marked with the run so runs never collide."""
    for n in range(count):
        yield {
            "attachment": f"https://example.invalid/scale-async-demo/{n}.jpg",
            "attachment_type": "image",
            "categories": ["cat", "dog", "neither"],
            "instruction": "Which animal is in the picture?",
            "metadata": {"demo_run": run_id, "n": n},
        }


@dataclass
class Step:
    """One timed stage of the demo."""

    name: str
    seconds: float
    items: int | None = None


@dataclass
class Outcome:
    """What the demo did; filled in as it goes, so an interrupted run can still say where."""

    tasks: int
    batch: str
    steps: list[Step] = field(default_factory=list)
    created: int = 0
    duplicates: int = 0
    failed: int = 0
    listed: int = 0
    cancelled: int = 0
    skipped: int = 0
    cancel_failed: int = 0
    status: dict[str, Any] = field(default_factory=dict)
    fake_stats: dict[str, Any] | None = None
    batch_created: bool = False


def problems(outcome: Outcome, *, real: bool) -> list[str]:
    """Every way the numbers disagree with what the demo set out to do (none when all is well)."""
    found = []
    n = outcome.tasks
    if outcome.created + outcome.duplicates != n or outcome.failed:
        found.append(f"{outcome.failed} of {n} task creations failed")
    if outcome.listed != n:
        found.append(f"listed {outcome.listed} tasks, expected {n}")
    # A real test_ key completes tasks at once, so there they are skipped, not cancelled.
    settled = outcome.cancelled + (outcome.skipped if real else 0)
    if settled != n or outcome.cancel_failed:
        found.append(f"cancelled {outcome.cancelled} of {n} ({outcome.cancel_failed} failed)")
    if outcome.fake_stats is not None and outcome.fake_stats.get("tasks_created") != n:
        found.append(f"the fake stored {outcome.fake_stats.get('tasks_created')} tasks, not {n}")
    return found


def summary(outcome: Outcome, header: str) -> list[str]:
    """The closing table: one line per step with its time and pace, then the checks."""
    lines = [header]
    width = max(len(step.name) for step in outcome.steps) if outcome.steps else 0
    for step in outcome.steps:
        line = f"  {step.name.ljust(width)}  {step.seconds:7.2f} s"
        if step.items:
            rate = step.items / step.seconds if step.seconds > 0 else 0.0
            line += f"  {format_rate(rate):>9}"
        lines.append(line)
    counts = ", ".join(
        f"{key} {format_count(int(value))}"
        for key, value in outcome.status.items()
        if key != "status" and isinstance(value, int)
    )
    lines.append(f"  batch {outcome.batch}: {outcome.status.get('status', '?')}; {counts}")
    if outcome.fake_stats is not None:
        stats = outcome.fake_stats
        lines.append(
            f"  fake server: {format_count(stats['requests_served'])} requests, "
            f"{format_count(stats['tasks_created'])} tasks created, "
            f"{format_count(stats['duplicates_refused'])} duplicates refused"
        )
    return lines


def _timed(outcome: Outcome, name: str, items: int | None, started: float) -> None:
    outcome.steps.append(Step(name, time.perf_counter() - started, items))


async def _project(client: AsyncScaleClient) -> None:
    # An earlier demo may have made it: the batch, new each run, keeps runs apart.
    with contextlib.suppress(ScaleDuplicateResource):
        await client.create_project(PROJECT, KIND)


async def _walk(client: AsyncScaleClient, outcome: Outcome, concurrency: int, env: Env) -> None:
    n, batch = outcome.tasks, outcome.batch

    def shows(bar: Display) -> Callable[[Progress], None]:
        return lambda progress: bar.update(progress.done, progress.failed)

    started = time.perf_counter()
    await _project(client)
    await client.create_batch(PROJECT, batch)
    outcome.batch_created = True
    _timed(outcome, "create a project and a batch", None, started)

    started = time.perf_counter()
    with open_display("create", n, env.stderr) as bar:
        created = await client.create_tasks(
            KIND,
            demo_payloads(n, batch),
            project=PROJECT,
            batch=batch,
            concurrency=concurrency,
            progress=shows(bar),
        )
    outcome.created, outcome.duplicates = created.created, created.duplicates
    outcome.failed = len(created.failed)
    _timed(outcome, f"create {format_count(n)} tasks", n, started)

    started = time.perf_counter()
    with open_display("list", n, env.stderr, outcomes=False) as bar:
        async with client.get_tasks(batch_name=batch, partitions=LIST_PARTITIONS) as tasks:
            async for _ in tasks:
                outcome.listed += 1
                bar.update(outcome.listed, 0)
    name = f"list them back ({LIST_PARTITIONS} windows at once)"
    _timed(outcome, name, outcome.listed, started)

    started = time.perf_counter()
    pending = await client.get_tasks_count(batch_name=batch, status=TaskStatus.Pending)
    with open_display("cancel", pending, env.stderr) as bar:

        def show(progress: Progress) -> None:
            bar.update(progress.done, progress.failed)

        cancelled = await client.cancel_batch(batch, concurrency=concurrency, progress=show)
    outcome.cancelled, outcome.skipped = len(cancelled.cancelled), len(cancelled.skipped)
    outcome.cancel_failed = len(cancelled.failed)
    _timed(outcome, "cancel the batch", cancelled.total, started)
    outcome.status = await client.batch_status(batch)


def run(args: argparse.Namespace, env: Env) -> int:
    """Run the demo on the fake (or, if explicitly asked, on the real API) and report."""
    real = bool(env.api_key) and not args.fake
    n = args.tasks
    if real and not args.real:
        raise CliError(
            f"an API key is set, so the demo would create {format_count(n)} real tasks at "
            f"{env.shown_url}: run `scale-async demo --fake` to use the built-in fake, or add "
            "--i-know-this-creates-real-tasks",
            USAGE,
        )
    batch = f"scale-async-demo-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
    outcome = Outcome(tasks=n, batch=batch)
    fake = None
    if real:
        header = f"scale-async demo on {env.shown_url}"
        print(
            f"creating {format_count(n)} real tasks in project {PROJECT}, batch {batch}, "
            f"at {env.shown_url}; they are cancelled at the end",
            file=env.stderr,
        )
    else:
        from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI

        fake = FakeScaleAPI(latency=args.latency)
        latency = args.latency
        shown = (
            f"{latency[0] * 1000:g}-{latency[1] * 1000:g} ms"
            if isinstance(latency, tuple)
            else f"{latency * 1000:g} ms"
        )
        header = (
            f"scale-async demo on the built-in fake Scale API (in-process, {shown} latency "
            f"per request, {args.concurrency} requests in flight)"
        )
        env = dataclasses.replace(
            env, api_key=DEMO_KEY, base_url=IN_PROCESS_BASE_URL, transport=fake.transport()
        )

    async def go() -> None:
        async with env.client(concurrency=args.concurrency) as client:
            await _walk(client, outcome, args.concurrency, env)

    try:
        run_async(go)
    except KeyboardInterrupt:
        print("scale-async: interrupted", file=env.stderr)
        if real and outcome.batch_created:
            print(
                f"cancel what was created with: scale-async batches cancel {batch}", file=env.stderr
            )
        return INTERRUPTED
    if fake is not None:
        outcome.fake_stats = fake.stats.as_dict()
    for line in summary(outcome, header):
        print(line, file=env.stdout)
    wrong = problems(outcome, real=real)
    for problem in wrong:
        print(f"scale-async: demo check failed: {problem}", file=env.stderr)
    if wrong:
        return FAILED
    print(
        f"all {format_count(n)} tasks created, listed back and cancelled. Next: "
        "`scale-async fake-server --port 8080` serves the same fake over HTTP.",
        file=env.stdout,
    )
    return OK
