"""``scale-async tasks export``: every matching task as a JSON line on stdout.

Why count first: one ``limit=1`` request gives the total, so the progress line on stderr can
show a percentage and an ETA for an export that may take minutes. Tasks are written as they
arrive (the API's JSON for each, untouched), so memory stays flat however many there are.
An unknown ``--project`` or ``--batch`` is an error (exit 6), not an empty export.
``--partitions N`` walks N ``created_at`` windows at once (``get_tasks(partitions=N)``): faster
for big exports, with tasks newest first within each window rather than overall.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from ._display import open_display
from ._env import Env
from ._exit import OK, USAGE, CliError
from ._output import json_line
from ._progress import RetryWatch, format_count, format_duration, format_rate
from ._projects import require_batch, require_project
from ._run import run as run_async

__all__ = ["export_filters", "run"]

#: Filters shared by ``get_tasks`` and ``get_tasks_count``, by their argparse names.
_FILTERS = (
    "status",
    "review_status",
    "unique_id",
    "completed_after",
    "completed_before",
    "updated_after",
    "updated_before",
    "created_after",
    "created_before",
    "tags",
    "include_attachment_url",
)


def export_filters(args: argparse.Namespace) -> dict[str, Any]:
    """The ``get_tasks_count`` keyword arguments for the flags given (unset flags left out)."""
    if not args.project and not args.batch:
        raise CliError("tasks export needs --project or --batch", USAGE)
    query: dict[str, Any] = {"project_name": args.project, "batch_name": args.batch}
    query["task_type"] = args.task_type
    for name in _FILTERS:
        query[name] = getattr(args, name)
    return {key: value for key, value in query.items() if value is not None}


def run(args: argparse.Namespace, env: Env) -> int:
    """Stream the tasks to stdout, with progress and a closing count on stderr."""
    env.require_key()
    count_query = export_filters(args)
    list_query = {**count_query, "limit": args.page_size, "partitions": args.partitions}
    if args.limited_response:
        if args.partitions > 1:
            raise CliError(
                "--partitions needs created_at, which --limited-response leaves out", USAGE
            )
        list_query["limited_response"] = True
    out = env.stdout
    written = 0
    started = time.monotonic()

    watch = RetryWatch(time.monotonic)

    async def go() -> None:
        nonlocal written
        async with env.client(concurrency=args.partitions, on_retry=watch) as client:
            if args.project:
                await require_project(client, args.project)
            if args.batch:
                await require_batch(client, args.batch)
            total = await client.get_tasks_count(**count_query)
            with open_display("export", total, env.stderr, watch=watch, outcomes=False) as bar:
                # As a context manager the listing fetches pages ahead while lines are written.
                async with client.get_tasks(**list_query) as tasks:
                    async for task in tasks:
                        out.write(json_line(task.as_dict()) + "\n")
                        written += 1
                        bar.update(written, 0)
        out.flush()

    run_async(go)
    elapsed = time.monotonic() - started
    rate = written / elapsed if elapsed > 0 else 0.0
    retries = watch.summary()
    print(
        f"exported {format_count(written)} tasks in {format_duration(elapsed)} "
        f"({format_rate(rate)}{'; ' + retries if retries else ''})",
        file=env.stderr,
    )
    return OK
