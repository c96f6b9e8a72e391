"""The argument parser: every command, its flags and its help, and the value checks.

Why argparse: the CLI is an optional extra of a client library, so it should cost no new
dependency, and argparse gives ``--help`` on every level and exit status 2 for bad arguments,
which is the convention scripts expect. Value checks live here as small functions so that a
bad ``--concurrency`` or ``--latency`` is a usage error before anything is sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import textwrap
from collections.abc import Callable
from typing import TypeVar

from scale_async import BatchStatus, TaskReviewStatus, TaskStatus, TaskType

from ._exit import API_ERROR, BAD_FILE, FAILED, INTERRUPTED, NO_KEY, OK, UNREACHABLE, USAGE

N = TypeVar("N", int, float)

__all__ = [
    "GLOBAL_OPTIONS_WITH_VALUE",
    "build_parser",
    "iso_date",
    "latency",
    "non_negative_int",
    "positive_float",
    "positive_int",
    "task_type",
]

#: Options accepted before the command; ``fake-server`` routing skips them and their values.
GLOBAL_OPTIONS_WITH_VALUE = ("--api-key", "--base-url", "--max-retries", "--timeout")

EPILOG = f"""\
environment:
  SCALE_API_KEY        the API key (or --api-key); it is never printed
  SCALE_API_BASE_URL   the API base URL, /v1 included (or --base-url)

exit status:
  {OK}    success
  {FAILED}    some items failed (see the report or the counts)
  {USAGE}    bad arguments
  {NO_KEY}    no API key
  {UNREACHABLE}    the server could not be reached
  {BAD_FILE}    the input file is missing or unreadable (or the report cannot be written)
  {API_ERROR}    the API refused the request (rejected key, unknown project or batch, ...)
  {INTERRUPTED}  interrupted (Ctrl-C); `tasks create` can simply be run again

start here: scale-async demo"""


# -- value checks ------------------------------------------------------------------------------


def _parsed(text: str, convert: Callable[[str], N], what: str) -> N:
    try:
        return convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def positive_int(text: str) -> int:
    """An integer >= 1 (concurrency, task counts)."""
    value = _parsed(text, int, "a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def non_negative_int(text: str) -> int:
    """An integer >= 0 (retries)."""
    value = _parsed(text, int, "a whole number")
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def positive_float(text: str) -> float:
    """A number > 0 (seconds, rates)."""
    value = _parsed(text, float, "a number")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def latency(text: str) -> float | tuple[float, float]:
    """``SECONDS`` for a fixed delay, or ``LO,HI`` for one drawn per request."""
    parts = text.split(",")
    try:
        values = [float(part) for part in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected SECONDS or LO,HI in seconds, got {text!r}"
        ) from None
    if len(values) == 1 and values[0] >= 0:
        return values[0]
    if len(values) == 2 and 0 <= values[0] <= values[1]:
        return (values[0], values[1])
    raise argparse.ArgumentTypeError(f"expected SECONDS or LO,HI with 0 <= LO <= HI, got {text!r}")


def task_type(text: str) -> str:
    """A task type the API knows (``categorization``, ``imageannotation``, ...)."""
    value = text.strip().lower()
    known = [kind.value for kind in TaskType]
    if value not in known:
        raise argparse.ArgumentTypeError(f"unknown task type {text!r}; known: {', '.join(known)}")
    return value


def iso_date(text: str) -> str:
    """An ISO-8601 date or date-time (``2024-05-01`` or ``2024-05-01T12:00:00Z``), as given."""
    try:
        dt.date.fromisoformat(text[:10])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO-8601 date such as 2024-05-01, got {text!r}"
        ) from None
    return text


# -- the parser --------------------------------------------------------------------------------


def _text(text: str) -> str:
    """Fill each paragraph of a description to the terminal's usual width, keeping breaks."""
    return "\n\n".join(textwrap.fill(part, 79) for part in text.split("\n\n"))


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keep the epilog's layout, and show defaults where there are some."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if (
            "%(default)" not in text
            and action.default not in (None, False, True, argparse.SUPPRESS)
            and action.option_strings
        ):
            text += " (default: %(default)s)"
        return text


def _connection() -> argparse.ArgumentParser:
    """Flags every API command accepts, before or after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument(
        "--api-key",
        default=argparse.SUPPRESS,
        metavar="KEY",
        help="Scale API key; default $SCALE_API_KEY, which is safer (arguments are visible "
        "to other users of the machine)",
    )
    group.add_argument(
        "--base-url",
        default=argparse.SUPPRESS,
        metavar="URL",
        help="API base URL including /v1; default $SCALE_API_BASE_URL, else "
        "https://api.scale.com/v1",
    )
    group.add_argument(
        "--max-retries",
        type=non_negative_int,
        default=argparse.SUPPRESS,
        metavar="N",
        help="retries per request on transient failures (429, 5xx, network); default 4",
    )
    group.add_argument(
        "--timeout",
        type=positive_float,
        default=argparse.SUPPRESS,
        metavar="SECONDS",
        help="per-request timeout for each phase (connect, read, ...)",
    )
    return common


def _output() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--format",
        choices=("auto", "table", "jsonl"),
        default="auto",
        help="table for people, JSON lines for programs; auto picks table on a terminal",
    )
    return common


def _add_tasks(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    connection = _connection()
    tasks = commands.add_parser(
        "tasks",
        help="create tasks in bulk from a JSONL file, or export tasks as JSONL",
        description=_text("Create tasks in bulk from a JSONL file, or export them as JSONL."),
        formatter_class=_Formatter,
    )
    actions = tasks.add_subparsers(dest="action", metavar="ACTION", required=True)

    create = actions.add_parser(
        "create",
        parents=[connection],
        formatter_class=_Formatter,
        help="create one task per line of a JSONL file, resumably",
        description=_text(
            "Create one task per line of FILE (a JSON object of the task's parameters, "
            "as create_task takes them), CONCURRENCY at a time, with a progress line on stderr and "
            "a JSONL report of every line.\n\n"
            "Resumable: each task gets a unique_id derived from its type, project, batch, the "
            "line's content and --namespace, so running the same command again after Ctrl-C, a "
            "crash or kill -9 creates only the missing tasks; those already there are reported "
            "as duplicate. Identical lines therefore make one task (the others are reported as "
            "duplicate); give them distinct content, a unique_id of their own or use --namespace "
            "to create them again deliberately."
        ),
        epilog="example: scale-async tasks create categorization images.jsonl --project "
        "pets --batch pets-0501 --concurrency 32",
    )
    create.set_defaults(command="tasks create")
    create.add_argument(
        "type", type=task_type, metavar="TYPE", help="task type, e.g. imageannotation"
    )
    create.add_argument("file", metavar="FILE", help="JSONL input: one task's parameters per line")
    create.add_argument("--project", required=True, help="the project the tasks go to")
    create.add_argument("--batch", help="the batch the tasks go to (must exist)")
    create.add_argument(
        "--concurrency", type=positive_int, default=32, metavar="N", help="requests in flight"
    )
    create.add_argument(
        "--namespace",
        metavar="NS",
        help="added to every derived unique_id: a new namespace creates the same lines again "
        "as new tasks; keep it the same across re-runs (default: none, the content decides)",
    )
    create.add_argument(
        "--report",
        metavar="REPORT.jsonl",
        help="where the per-line report goes, '-' for stdout (default: FILE's name with "
        ".report.jsonl, next to it)",
    )
    create.add_argument(
        "--rate-limit",
        type=positive_float,
        metavar="R",
        help="at most R task creations per second (default: no cap beyond the server's 429s)",
    )

    export = actions.add_parser(
        "export",
        parents=[connection],
        formatter_class=_Formatter,
        help="stream tasks as JSON lines to stdout",
        description=_text(
            "Stream every task matching the filters to stdout, one JSON object per "
            "line (the task as the API returns it), newest first, with progress on stderr."
        ),
        epilog="example: scale-async tasks export --project pets --status completed "
        "--created-after 2024-05-01 > tasks.jsonl",
    )
    export.set_defaults(command="tasks export")
    export.add_argument("--project", help="the project to export (this or --batch is needed)")
    export.add_argument("--batch", help="only this batch")
    export.add_argument("--status", choices=[s.value for s in TaskStatus], help="only this status")
    export.add_argument("--type", dest="task_type", type=task_type, help="only this task type")
    export.add_argument(
        "--review-status",
        action="append",
        choices=[s.value for s in TaskReviewStatus],
        help="only this customer review status (repeatable)",
    )
    export.add_argument("--unique-id", action="append", help="only this unique_id (repeatable)")
    export.add_argument(
        "--tag", dest="tags", action="append", help="only tasks with this tag (repeatable)"
    )
    for when in ("created", "completed", "updated"):
        for side in ("after", "before"):
            export.add_argument(
                f"--{when}-{side}",
                type=iso_date,
                metavar="DATE",
                help=f"only tasks {when} {side} this ISO-8601 date or date-time",
            )
    export.add_argument(
        "--limited-response",
        action="store_true",
        help="ask for the short form of each task (faster for big exports)",
    )
    export.add_argument(
        "--no-attachment-url",
        dest="include_attachment_url",
        action="store_false",
        help="leave out signed attachment URLs",
    )
    export.add_argument(
        "--page-size", type=positive_int, default=100, metavar="N", help="tasks per request (1-100)"
    )
    export.add_argument(
        "--partitions",
        type=positive_int,
        default=1,
        metavar="N",
        help="split the created_at range into N windows listed at once (faster; tasks are then "
        "newest first within each window, not overall)",
    )


def _add_batches(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    connection, output = _connection(), _output()
    batches = commands.add_parser(
        "batches",
        help="cancel a batch's pending tasks, show a batch's status, list batches",
        description=_text("Cancel a batch's pending tasks, show a batch's status, list batches."),
        formatter_class=_Formatter,
    )
    actions = batches.add_subparsers(dest="action", metavar="ACTION", required=True)

    cancel = actions.add_parser(
        "cancel",
        parents=[connection],
        formatter_class=_Formatter,
        help="cancel every pending task of a batch",
        description=_text(
            "Cancel every pending task of batch NAME, CONCURRENCY at a time, and print "
            "how many were cancelled, skipped (finished meanwhile, or not cancellable) and failed."
        ),
        epilog="example: scale-async batches cancel pets-0501 --concurrency 50",
    )
    cancel.set_defaults(command="batches cancel")
    cancel.add_argument("name", metavar="NAME", help="the batch")
    cancel.add_argument(
        "--clear-unique-id",
        action="store_true",
        help="also free each task's unique_id, so that `tasks create` can create it again",
    )
    cancel.add_argument(
        "--concurrency", type=positive_int, default=32, metavar="N", help="requests in flight"
    )

    status = actions.add_parser(
        "status",
        parents=[connection, output],
        formatter_class=_Formatter,
        help="a batch's status and its task counts",
        description=_text("Show batch NAME's status and how many of its tasks are in each state."),
        epilog="example: scale-async batches status pets-0501 --format jsonl",
    )
    status.set_defaults(command="batches status")
    status.add_argument("name", metavar="NAME", help="the batch")

    listing = actions.add_parser(
        "list",
        parents=[connection, output],
        formatter_class=_Formatter,
        help="list batches, newest first",
        description=_text("List batches, newest first, as a table or as JSON lines."),
        epilog="example: scale-async batches list --project pets --status in_progress",
    )
    listing.set_defaults(command="batches list")
    listing.add_argument("--project", help="only this project's batches")
    listing.add_argument(
        "--status", choices=[s.value for s in BatchStatus], help="only batches in this state"
    )
    listing.add_argument("--created-after", type=iso_date, metavar="DATE", help="ISO-8601 date")
    listing.add_argument("--created-before", type=iso_date, metavar="DATE", help="ISO-8601 date")
    listing.add_argument(
        "--exclude-archived", action="store_true", help="leave archived batches out"
    )


def _add_projects(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    projects = commands.add_parser(
        "projects",
        help="list projects",
        description=_text("List the account's projects."),
        formatter_class=_Formatter,
    )
    actions = projects.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        parents=[_connection(), _output()],
        formatter_class=_Formatter,
        help="list the account's projects",
        description=_text("List the account's projects, as a table or as JSON lines."),
    )
    listing.set_defaults(command="projects list")


def _add_demo(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser(
        "demo",
        parents=[_connection()],
        formatter_class=_Formatter,
        help="see the client at work on the built-in fake Scale API (no key needed)",
        description=_text(
            "Start the built-in fake Scale API in-process, create a project and a "
            "batch, ingest TASKS generated tasks with the progress display, list them back, cancel "
            "the batch, and print the timings. Nothing leaves the machine.\n\n"
            "With an API key (SCALE_API_KEY or --api-key) and without --fake, the demo would "
            "create real tasks on your account, so it refuses unless you also pass "
            "--i-know-this-creates-real-tasks."
        ),
        epilog="example: scale-async demo --tasks 5000 --latency 0.01,0.03",
    )
    demo.set_defaults(command="demo")
    demo.add_argument(
        "--fake", action="store_true", help="use the built-in fake even if a key is set"
    )
    demo.add_argument(
        "--tasks", type=positive_int, default=2000, metavar="N", help="tasks to create"
    )
    demo.add_argument(
        "--latency",
        type=latency,
        default=0.005,
        metavar="SECONDS|LO,HI",
        help="the fake's delay per request, fixed or drawn from LO..HI",
    )
    demo.add_argument(
        "--concurrency", type=positive_int, default=32, metavar="N", help="requests in flight"
    )
    demo.add_argument(
        "--i-know-this-creates-real-tasks",
        dest="real",
        action="store_true",
        help="with a key: run against the real API (creates, then cancels, real tasks)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; every level answers ``--help``."""
    parser = argparse.ArgumentParser(
        prog="scale-async",
        parents=[_connection()],
        formatter_class=_Formatter,
        description=_text(
            "Bulk-create, export and cancel Scale AI tasks from a terminal, with "
            "progress, resumable runs and reports; or run a fake Scale API locally."
        ),
        epilog=EPILOG,
    )
    from scale_async import __version__

    parser.add_argument("--version", action="version", version=f"scale-async {__version__}")
    commands = parser.add_subparsers(dest="group", metavar="COMMAND", required=True)
    _add_tasks(commands)
    _add_batches(commands)
    _add_projects(commands)
    commands.add_parser(
        "fake-server",
        help="serve the fake Scale API on 127.0.0.1 (needs the cli extra: uvicorn)",
        add_help=False,
    )
    _add_demo(commands)
    return parser
