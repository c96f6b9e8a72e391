"""``scale-async tasks create TYPE FILE``: one task per JSON line, resumable, with a report.

How a re-run avoids duplicates: ``stream_create_tasks`` gives every payload a ``unique_id``
derived from the task type, project, batch, the payload itself and the namespace, and treats
"this unique_id exists" as success (``duplicate``). So the same command run again, after
Ctrl-C or ``kill -9``, finds what the first run created and creates only the rest.

Results are streamed: each one is written (and flushed) to the report as it arrives, so a killed
run loses nothing it had learnt. Before anything is created the project (and batch) are looked
up, so a typo or a bad key fails once, not once per line.

Honest counts across runs: a create whose first attempt failed ambiguously (a 5xx, a dropped
connection) and whose retry then found the ``unique_id`` taken gets the existing task back, and
the client cannot tell whether that attempt or an earlier run created it. The previous report
at the same path can: a task id it lists is reported ``duplicate`` now, never ``created`` twice.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

from scale_async import (
    AsyncScaleClient,
    CreatedTask,
    FailedItem,
    ScaleForbidden,
    ScaleResourceNotFound,
    ScaleTransportError,
    ScaleUnauthorized,
)

from ._display import Display, open_display
from ._env import Env
from ._exit import API_ERROR, FAILED, INTERRUPTED, OK, UNREACHABLE, USAGE, CliError
from ._lines import Malformed, count_lines, open_input, read_lines
from ._progress import RetryWatch, format_count, format_duration, format_rate
from ._projects import require_project
from ._report import (
    ReportWriter,
    created_record,
    default_report_path,
    describe_error,
    failed_record,
    malformed_record,
)
from ._run import run as run_async

__all__ = ["Tally", "earlier_task_ids", "job_namespace", "run"]

#: Consecutive connection failures after which the server is taken to be gone.
UNREACHABLE_STREAK = 16
#: Failed lines echoed on stderr at the end; the report has them all.
FAILURES_SHOWN = 5


def job_namespace(namespace: str | None) -> str | None:
    """The namespace mixed into derived ``unique_id`` values: the user's, or none.

    Why none by default, rather than one made from the file's path: the unique_id already
    covers the task type, project, batch and the line's content, which is exactly what makes
    two lines the same task. Leaving the file out means a re-run still recognises its tasks
    after the file was moved, renamed, re-exported or had lines added or reordered, and that
    the same line sent twice never becomes two tasks. ``--namespace`` is for deliberately
    creating the same content again (a second round of labelling, say).
    """
    return namespace or None


@dataclass
class Tally:
    """What the run has done so far, counted from the report records it wrote."""

    total: int
    created: int = 0
    duplicates: int = 0
    failed: int = 0
    first_failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def done(self) -> int:
        """Lines whose task exists now (created by this run or found from an earlier one)."""
        return self.created + self.duplicates

    @property
    def processed(self) -> int:
        """Lines accounted for either way."""
        return self.done + self.failed

    def add(self, record: dict[str, Any]) -> None:
        """Count one report record."""
        status = record["status"]
        if status == "created":
            self.created += 1
        elif status == "duplicate":
            self.duplicates += 1
        else:
            self.failed += 1
            if len(self.first_failures) < FAILURES_SHOWN:
                self.first_failures.append(record)

    def summary(self, elapsed: float, retries: str = "") -> list[str]:
        """The closing lines: counts, pace, retries (``RetryWatch.summary``), first failures."""
        rate = self.processed / elapsed if elapsed > 0 else 0.0
        lines = [
            f"{format_count(self.processed)} of {format_count(self.total)} lines: "
            f"{format_count(self.created)} created, {format_count(self.duplicates)} already "
            f"existed, {format_count(self.failed)} failed, in {format_duration(elapsed)} "
            f"({format_rate(rate)}{'; ' + retries if retries else ''})"
        ]
        for record in self.first_failures:
            lines.append(f"  line {record['line']}: {record['error']}")
        if self.failed > len(self.first_failures):
            lines.append(f"  ... and {format_count(self.failed - len(self.first_failures))} more")
        return lines


def earlier_task_ids(report: str) -> set[str]:
    """Task ids an earlier run's report at ``report`` lists as there; empty if it has none.

    Unreadable lines (a report cut short by a full disk, say) are skipped: the set only ever
    turns a ``created`` into a ``duplicate``, never the other way.
    """
    if report == "-":
        return set()
    found: set[str] = set()
    try:
        with Path(report).open("rb") as handle:
            for raw in handle:
                try:
                    record = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(record, dict) and record.get("status") in ("created", "duplicate"):
                    task_id = record.get("task_id")
                    if isinstance(task_id, str):
                        found.add(task_id)
    except OSError:
        return set()
    return found


class Ingest:
    """One run of the command: its inputs, its report and its counts.

    The counts outlive ``anyio.run``, so that an interrupted run can still say what it did.
    """

    def __init__(self, args: argparse.Namespace, env: Env, path: Path, total: int, report: str):
        self.args = args
        self.env = env
        self.path = path
        self.report = report
        self.tally = Tally(total=total)
        self.started: float | None = None
        self.stopped_by: BaseException | None = None
        #: Why the input could not be read to its end, if it could not.
        self.input_error: tuple[int, BaseException] | None = None
        self.watch = RetryWatch(time.monotonic)
        self._progress: Display | None = None
        self._inputs: dict[int, tuple[int, dict[str, Any] | Malformed]] = {}
        self._next_index = 0
        self._last_line = 0
        self._unreachable = 0
        self._earlier: set[str] = set()

    async def run(self) -> None:
        """Check the destination, then stream every line through ``stream_create_tasks``."""
        args = self.args
        async with self.env.client(concurrency=args.concurrency, on_retry=self.watch) as client:
            await _check_destination(client, args.project, args.batch)
            self._earlier = earlier_task_ids(self.report)
            with open_input(self.path) as handle, ReportWriter(self.report, self.env.stdout) as out:
                self.started = time.monotonic()
                self._progress = open_display(
                    "tasks", self.tally.total, self.env.stderr, watch=self.watch
                )
                async with client.stream_create_tasks(
                    args.type,
                    # Typed as mappings, but the job turns any other input into a failed
                    # item without a request; that is how malformed lines get their record.
                    cast("Iterator[Mapping[str, Any]]", self._payloads(handle)),
                    project=args.project,
                    batch=args.batch,
                    concurrency=args.concurrency,
                    namespace=job_namespace(args.namespace),
                    rate_limit=args.rate_limit,
                ) as results:
                    async for item in results:
                        record = self._record(item)
                        out.write(record)
                        self.tally.add(record)
                        self._progress.update(self.tally.done, self.tally.failed)
                        self._watch(item)

    def _payloads(self, handle: BinaryIO) -> Iterator[dict[str, Any] | Malformed]:
        # A malformed line goes through the job too (it fails at once, without a request),
        # so every line ends as exactly one result, counted and reported in one place.
        # An error reading the file is kept here: the job would take it for the end of input.
        try:
            for number, parsed in read_lines(handle):
                self._inputs[self._next_index] = (number, parsed)
                self._next_index += 1
                self._last_line = number
                yield parsed
        except Exception as exc:
            self.input_error = (self._last_line + 1, exc)

    def _record(self, item: CreatedTask | FailedItem) -> dict[str, Any]:
        number, given = self._inputs.pop(item.index)
        if isinstance(given, Malformed):
            return malformed_record(given)
        if isinstance(item, CreatedTask):
            task_id = item.task_id
            return created_record(
                number,
                given,
                task_id=task_id,
                unique_id=item.unique_id,
                duplicate=item.duplicate or task_id in self._earlier,
            )
        return failed_record(number, given, item.error)

    def _watch(self, item: CreatedTask | FailedItem) -> None:
        """Stop early when going on is pointless: the server is gone, or the key is refused."""
        error = item.error if isinstance(item, FailedItem) else None
        self._unreachable = self._unreachable + 1 if isinstance(error, ScaleTransportError) else 0
        if self._unreachable >= UNREACHABLE_STREAK:
            raise CliError(
                f"the Scale API at {self.env.shown_url} stopped answering "
                f"({UNREACHABLE_STREAK} requests in a row failed): stopped; run the same "
                "command again to resume",
                UNREACHABLE,
            )
        if isinstance(error, ScaleUnauthorized | ScaleForbidden) and self.stopped_by is None:
            # The bulk job stops by itself; the lines not attempted still get their records.
            self.stopped_by = error

    def finish(self, *, interrupted: bool = False) -> int:
        """Close the progress line, print the summary, and choose the exit status.

        Never raises: it also runs on the way out of a failed run, whose error comes next.
        """
        if self.started is None:
            return INTERRUPTED if interrupted else OK
        assert self._progress is not None
        self._progress.close()
        err = self.env.stderr
        for line in self.tally.summary(time.monotonic() - self.started, self.watch.summary()):
            print(line, file=err)
        print(f"report: {self.report if self.report != '-' else 'stdout'}", file=err)
        if interrupted:
            print(
                "interrupted: run the same command again to finish; tasks that already "
                "exist are found, not created twice",
                file=err,
            )
            return INTERRUPTED
        if self.stopped_by is not None:
            reason = describe_error(self.stopped_by)
            print(f"scale-async: stopped: the API refused the key ({reason})", file=err)
            return API_ERROR
        if self.input_error is not None:
            at, error = self.input_error
            print(
                f"scale-async: {self.path} could not be read past line {at - 1:,} "
                f"({describe_error(error)}): the lines after it were not created",
                file=err,
            )
            return FAILED
        missing = self.tally.total - self.tally.processed
        if missing > 0:
            print(f"scale-async: {format_count(missing)} lines were not processed", file=err)
            return FAILED
        return FAILED if self.tally.failed else OK


async def _check_destination(client: AsyncScaleClient, project: str, batch: str | None) -> None:
    """Fail once, clearly, for an unknown project or batch rather than once per line."""
    await require_project(client, project)
    if batch:
        try:
            found = await client.get_batch(batch)
        except ScaleResourceNotFound:
            raise CliError(
                f"batch {batch!r} not found: create it first (batch names are per account)",
                API_ERROR,
            ) from None
        if found.project != project:
            raise CliError(
                f"batch {batch!r} belongs to project {found.project!r}, not {project!r}", USAGE
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def run(args: argparse.Namespace, env: Env) -> int:
    """Count the lines, create the tasks, report; see the module docstring."""
    env.require_key()
    path = Path(args.file)
    total = count_lines(path)
    report = args.report or str(default_report_path(path))
    if report != "-" and _same_file(Path(report), path):
        raise CliError("the report would overwrite the input file: choose another --report", USAGE)
    job = Ingest(args, env, path, total, report)
    try:
        run_async(job.run)
    except KeyboardInterrupt:
        code = job.finish(interrupted=True)
        if job.started is None:
            print("scale-async: interrupted", file=env.stderr)
        return code
    except BaseException:
        if job.started is not None:
            job.finish()
        raise
    return job.finish()
