"""``scale-async batches create|cancel|status|list``.

Why cancel checks the batch first and counts its pending tasks: the v1 API has no batch
cancellation, so ``cancel_batch`` lists and cancels task by task; the count gives the progress
display a total (and an ETA), and the lookup turns a mistyped name into "not found" instead of
"0 cancelled", which would read as success. Cancelling cannot be undone, so on a terminal the
command says how many tasks it is about to cancel and asks first (``--yes`` skips that;
scripts, which have no terminal, are never asked).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from scale_async import (
    AsyncScaleClient,
    BulkCancelResult,
    Progress,
    ScaleDuplicateResource,
    ScaleResourceNotFound,
    TaskStatus,
)

from ._confirm import confirm
from ._display import open_display
from ._env import Env
from ._exit import API_ERROR, FAILED, OK, CliError
from ._output import choose_format, write_records
from ._progress import RetryWatch, format_count
from ._projects import require_project
from ._report import describe_error
from ._run import run as run_async

__all__ = ["COUNT_KEYS", "cancel", "create", "listing", "status", "status_record"]

#: Task states a batch status reports; the API leaves out those at zero.
COUNT_KEYS = ("pending", "completed", "error", "canceled")
LIST_COLUMNS = ("name", "project", "status", "created_at")
FAILURES_SHOWN = 5


async def _batch_status(client: AsyncScaleClient, name: str) -> dict[str, Any]:
    try:
        return await client.batch_status(name)
    except ScaleResourceNotFound:
        raise CliError(f"batch {name!r} not found", API_ERROR) from None


def status_record(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """The batch's status with every count present (zeros filled in), other keys kept."""
    return {"name": name, **data, **{key: int(data.get(key) or 0) for key in COUNT_KEYS}}


def create(args: argparse.Namespace, env: Env) -> int:
    """Create the batch in its project; print its name."""
    env.require_key()

    async def go() -> None:
        async with env.client() as client:
            await require_project(client, args.project)
            try:
                await client.create_batch(args.project, args.name, callback=args.callback_url or "")
            except ScaleDuplicateResource:
                raise CliError(
                    f"batch {args.name!r} already exists (batch names are per account)", API_ERROR
                ) from None

    run_async(go)
    print(f"created batch {args.name} in project {args.project}", file=env.stdout)
    return OK


def cancel(args: argparse.Namespace, env: Env) -> int:
    """Cancel the batch's pending tasks; print the counts; exit 1 if any cancellation failed."""
    env.require_key()
    watch = RetryWatch(time.monotonic)

    async def count() -> int:
        async with env.client() as client:
            await _batch_status(client, args.name)
            return await client.get_tasks_count(batch_name=args.name, status=TaskStatus.Pending)

    total = run_async(count)
    question = (
        f"Cancel {format_count(total)} pending tasks of batch {args.name}? It cannot be undone."
    )
    if total and not args.yes and not confirm(question, env):
        print("scale-async: not confirmed: nothing was cancelled", file=env.stderr)
        return FAILED

    async def go() -> BulkCancelResult:
        async with env.client(concurrency=args.concurrency, on_retry=watch) as client:
            with open_display("cancel", total, env.stderr, watch=watch) as bar:

                def show(progress: Progress) -> None:
                    bar.update(progress.done, progress.failed)

                return await client.cancel_batch(
                    args.name,
                    concurrency=args.concurrency,
                    clear_unique_id=args.clear_unique_id,
                    progress=show,
                )

    result = run_async(go)
    print(
        f"batch {args.name}: {format_count(len(result.cancelled))} cancelled, "
        f"{format_count(len(result.skipped))} skipped, {format_count(len(result.failed))} failed",
        file=env.stdout,
    )
    for failure in result.failed[:FAILURES_SHOWN]:
        print(f"  {failure.task_id}: {describe_error(failure.error)}", file=env.stderr)
    if len(result.failed) > FAILURES_SHOWN:
        print(f"  ... and {len(result.failed) - FAILURES_SHOWN} more", file=env.stderr)
    if watch.summary():
        print(f"  {watch.summary()}", file=env.stderr)
    return FAILED if result.failed else OK


def status(args: argparse.Namespace, env: Env) -> int:
    """Print the batch's status and task counts."""
    env.require_key()

    async def fetch() -> dict[str, Any]:
        async with env.client() as client:
            return await _batch_status(client, args.name)

    record = status_record(args.name, run_async(fetch))
    columns = ("name", "status", *COUNT_KEYS)
    write_records([record], columns, choose_format(args.format, env.stdout), env.stdout)
    return OK


def listing(args: argparse.Namespace, env: Env) -> int:
    """Print the batches matching the filters, newest first; an unknown project is an error."""
    env.require_key()

    async def fetch() -> list[dict[str, Any]]:
        async with env.client() as client:
            if args.project:
                await require_project(client, args.project)
            batches = client.get_batches(
                project_name=args.project,
                batch_status=args.status,
                created_after=args.created_after,
                created_before=args.created_before,
                exclude_archived=args.exclude_archived,
            )
            return [batch.as_dict() async for batch in batches]

    try:
        records = run_async(fetch)
    except ScaleResourceNotFound:
        raise CliError(f"project {args.project!r} not found", API_ERROR) from None
    write_records(records, LIST_COLUMNS, choose_format(args.format, env.stdout), env.stdout)
    return OK
