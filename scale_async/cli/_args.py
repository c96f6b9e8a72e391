"""The argument parser: every command, its flags and its help.

Why argparse: it gives ``--help`` on every level and exit status 2 for bad arguments, which
is the convention scripts expect. Each command names its function with
``set_defaults(handler=...)`` (imported only when that command runs), and ``fake-server`` is
a sub-command that takes the rest of the line for the fake server's own parser (see
``parse``). Why one module over 400 lines: it is the command tree, read as a whole (every
command, its flags and their help side by side); the value checks it uses are in ``_checks``.
"""

from __future__ import annotations

import argparse
import importlib
import textwrap
from typing import TYPE_CHECKING, NoReturn, TypeAlias

from scale_async import BatchStatus, RetryPolicy, TaskReviewStatus, TaskStatus

from ._checks import (
    MAX_CONCURRENCY,
    MAX_PAGE_SIZE,
    base_url,
    concurrency,
    int_between,
    iso_date,
    latency,
    name,
    non_negative_int,
    positive_float,
    rate,
    task_type,
)
from ._exit import API_ERROR, BAD_FILE, FAILED, INTERRUPTED, NO_KEY, OK, UNREACHABLE, USAGE

if TYPE_CHECKING:
    from ._env import Env

__all__ = ["Lazy", "Parser", "build_parser", "parse"]

EPILOG = f"""\
environment:
  SCALE_API_KEY        the API key (or --api-key); it is never printed
  SCALE_API_BASE_URL   the API base URL, /v1 included (or --base-url)

exit status:
  {OK}    success
  {FAILED}    some items failed (see the report or the counts), or not confirmed
  {USAGE}    bad arguments
  {NO_KEY}    no API key
  {UNREACHABLE}    the server could not be reached
  {BAD_FILE}    the input file is missing or unreadable (or the report cannot be written)
  {API_ERROR}    the API refused the request (rejected key, unknown project or batch, ...)
  {INTERRUPTED}  interrupted (Ctrl-C); `tasks create` can simply be run again

start here: scale-async demo"""


class Lazy:
    """A command's function, imported when it runs: each command loads only its own code."""

    def __init__(self, module: str, function: str) -> None:
        self.module = module
        self.function = function

    def __call__(self, args: argparse.Namespace, env: Env) -> int:
        target = getattr(importlib.import_module(self.module, __package__), self.function)
        code: int = target(args, env)
        return code

    def __repr__(self) -> str:
        return f"Lazy({self.module!r}, {self.function!r})"


# -- the parser --------------------------------------------------------------------------------


def _text(text: str) -> str:
    """Fill each paragraph of a description to the terminal's usual width, keeping breaks."""
    return "\n\n".join(textwrap.fill(part, 79) for part in text.split("\n\n"))


class Parser(argparse.ArgumentParser):
    """argparse, except that a usage error is one line (the usage block is in ``--help``)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keep the epilog's layout, and show defaults where there are some."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if (
            "%(default)" not in text
            and action.default not in (None, False, True, argparse.SUPPRESS)
            and action.option_strings
            and not isinstance(action, argparse._CountAction)
        ):
            text += " (default: %(default)s)"
        return text


Commands: TypeAlias = "argparse._SubParsersAction[Parser]"


def _group(commands: Commands, name: str, *, help: str, description: str) -> Commands:
    """A command group (``tasks``, ``batches``...): the sub-parsers of its actions."""
    group = commands.add_parser(
        name, help=help, description=_text(description), formatter_class=_Formatter
    )
    return group.add_subparsers(dest="action", metavar="ACTION", required=True)


def _command(
    actions: Commands,
    name: str,
    handler: Lazy,
    *,
    parents: list[Parser],
    help: str,
    description: str,
    epilog: str | None = None,
) -> Parser:
    """One action of a group, run by ``handler``, its description filled to the terminal."""
    command = actions.add_parser(
        name,
        parents=parents,
        formatter_class=_Formatter,
        help=help,
        description=_text(description),
        epilog=epilog,
    )
    command.set_defaults(handler=handler)
    return command


def _concurrency(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--concurrency", type=concurrency, default=32, metavar="N", help="requests in flight"
    )


def _connection() -> Parser:
    """Flags every API command accepts, before or after the command name."""
    from ._env import default_base_url

    common = Parser(add_help=False)
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
        type=base_url,
        default=argparse.SUPPRESS,
        metavar="URL",
        help="API base URL including /v1; default $SCALE_API_BASE_URL, else Scale's API "
        f"(here and now: {default_base_url()})",
    )
    group.add_argument(
        "--max-retries",
        type=non_negative_int,
        default=argparse.SUPPRESS,
        metavar="N",
        help="retries per request on transient failures (429, 5xx, network); default "
        f"{RetryPolicy().max_retries}",
    )
    group.add_argument(
        "--timeout",
        type=positive_float,
        default=argparse.SUPPRESS,
        metavar="SECONDS",
        help="per-request timeout for each phase (connect, read, ...)",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="log every request the client makes (and its retries) on stderr",
    )
    return common


def _output() -> Parser:
    common = Parser(add_help=False)
    common.add_argument(
        "--format",
        choices=("auto", "table", "jsonl"),
        default="auto",
        help="table for people, JSON lines for programs; auto picks table on a terminal",
    )
    return common


def _yes() -> Parser:
    common = Parser(add_help=False)
    common.add_argument(
        "-y", "--yes", action="store_true", help="do not ask for confirmation on a terminal"
    )
    return common


def _add_tasks(commands: Commands) -> None:
    connection = _connection()
    actions = _group(
        commands,
        "tasks",
        help="create tasks in bulk from a JSONL file, or export tasks as JSONL",
        description="Create tasks in bulk from a JSONL file, or export them as JSONL.",
    )

    create = _command(
        actions,
        "create",
        Lazy("._create", "run"),
        parents=[connection],
        help="create one task per line of a JSONL file, resumably",
        description="Create one task per line of FILE (a JSON object of the task's parameters, "
        "as create_task takes them), CONCURRENCY at a time, with a progress display on "
        "stderr and a JSONL report of every line.\n\n"
        "Resumable: each task gets a unique_id derived from its type, project, batch, the "
        "line's content and --namespace, so running the same command again after Ctrl-C, a "
        "crash or kill -9 creates only the missing tasks; those already there are reported "
        "as duplicate. Identical lines therefore make one task (the others are reported as "
        "duplicate); give them distinct content, a unique_id of their own or use --namespace "
        "to create them again deliberately.",
        epilog="example: scale-async tasks create categorization images.jsonl --project "
        "pets --batch pets-0501 --concurrency 32",
    )
    create.add_argument(
        "type", type=task_type, metavar="TYPE", help="task type, e.g. imageannotation"
    )
    create.add_argument(
        "file", metavar="FILE", help="JSONL input (a regular file): one task's parameters per line"
    )
    create.add_argument("--project", type=name, required=True, help="the project the tasks go to")
    create.add_argument(
        "--batch", type=name, help="the batch the tasks go to (must exist: `batches create`)"
    )
    _concurrency(create)
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
        type=rate,
        metavar="R",
        help="at most R task creations per second (default: no cap beyond the server's 429s)",
    )

    export = _command(
        actions,
        "export",
        Lazy("._export", "run"),
        parents=[connection],
        help="stream tasks as JSON lines to stdout",
        description="Stream every task matching the filters to stdout, one JSON object per "
        "line (the task as the API returns it), newest first, with progress on stderr.",
        epilog="example: scale-async tasks export --project pets --status completed "
        "--created-after 2024-05-01 > tasks.jsonl",
    )
    export.add_argument(
        "--project", type=name, help="the project to export (this or --batch is needed)"
    )
    export.add_argument("--batch", type=name, help="only this batch")
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
        "--page-size",
        type=int_between(1, MAX_PAGE_SIZE),
        default=MAX_PAGE_SIZE,
        metavar="N",
        help=f"tasks per request (1-{MAX_PAGE_SIZE})",
    )
    export.add_argument(
        "--partitions",
        type=int_between(1, MAX_CONCURRENCY),
        default=1,
        metavar="N",
        help="split the created_at range into N windows listed at once (faster; tasks are then "
        "newest first within each window, not overall)",
    )


def _add_batches(commands: Commands) -> None:
    connection, output = _connection(), _output()
    actions = _group(
        commands,
        "batches",
        help="create, cancel, show or list batches",
        description="Create a batch, cancel a batch's pending tasks, show a batch's status, "
        "list batches.",
    )

    create = _command(
        actions,
        "create",
        Lazy("._batches", "create"),
        parents=[connection],
        help="create a batch in a project",
        description="Create batch NAME in PROJECT (batch names are unique across the account), "
        "for `tasks create --batch NAME`.",
        epilog="example: scale-async batches create pets-0501 --project pets",
    )
    create.add_argument("name", type=name, metavar="NAME", help="the new batch's name")
    create.add_argument("--project", type=name, required=True, help="the project it belongs to")
    create.add_argument(
        "--callback-url", type=base_url, metavar="URL", help="where Scale POSTs each result"
    )

    cancel = _command(
        actions,
        "cancel",
        Lazy("._batches", "cancel"),
        parents=[connection, _yes()],
        help="cancel every pending task of a batch",
        description="Cancel every pending task of batch NAME, CONCURRENCY at a time, and print "
        "how many were cancelled, skipped (finished meanwhile, or not cancellable) and "
        "failed. On a terminal it asks first, unless --yes.",
        epilog="example: scale-async batches cancel pets-0501 --concurrency 50 --yes",
    )
    cancel.add_argument("name", type=name, metavar="NAME", help="the batch")
    cancel.add_argument(
        "--clear-unique-id",
        action="store_true",
        help="also free each task's unique_id, so that `tasks create` can create it again",
    )
    _concurrency(cancel)

    status = _command(
        actions,
        "status",
        Lazy("._batches", "status"),
        parents=[connection, output],
        help="a batch's status and its task counts",
        description="Show batch NAME's status and how many of its tasks are in each state.",
        epilog="example: scale-async batches status pets-0501 --format jsonl",
    )
    status.add_argument("name", type=name, metavar="NAME", help="the batch")

    listing = _command(
        actions,
        "list",
        Lazy("._batches", "listing"),
        parents=[connection, output],
        help="list batches, newest first",
        description="List batches, newest first, as a table or as JSON lines.",
        epilog="example: scale-async batches list --project pets --status in_progress",
    )
    listing.add_argument("--project", type=name, help="only this project's batches")
    listing.add_argument(
        "--status", choices=[s.value for s in BatchStatus], help="only batches in this state"
    )
    listing.add_argument("--created-after", type=iso_date, metavar="DATE", help="ISO-8601 date")
    listing.add_argument("--created-before", type=iso_date, metavar="DATE", help="ISO-8601 date")
    listing.add_argument(
        "--exclude-archived", action="store_true", help="leave archived batches out"
    )


def _add_projects(commands: Commands) -> None:
    actions = _group(
        commands,
        "projects",
        help="create or list projects",
        description="Create a project, or list the account's projects.",
    )
    create = _command(
        actions,
        "create",
        Lazy("._projects", "create"),
        parents=[_connection()],
        help="create a project",
        description="Create project NAME for tasks of TYPE; --instruction sets the default "
        "instruction its tasks inherit.",
        epilog="example: scale-async projects create pets --type categorization",
    )
    create.add_argument("name", type=name, metavar="NAME", help="the new project's name")
    create.add_argument(
        "--type", dest="task_type", type=task_type, required=True, help="its tasks' type"
    )
    create.add_argument("--instruction", help="the default instruction of its tasks")

    _command(
        actions,
        "list",
        Lazy("._projects", "listing"),
        parents=[_connection(), _output()],
        help="list the account's projects",
        description="List the account's projects, as a table or as JSON lines.",
    )


def _add_fake_server(commands: Commands) -> None:
    # The server's flags are its own (``scale_async.testing.__main__``): this sub-command takes
    # the rest of the line and hands it over, so the flags and their help exist once, and the
    # fake is imported only when it is served.
    fake = commands.add_parser(
        "fake-server",
        help="serve the fake Scale API on 127.0.0.1 (needs the cli extra: uvicorn)",
        add_help=False,
    )
    fake.set_defaults(handler=Lazy("._fake_server", "run"), takes_rest=True)


def _add_demo(commands: Commands) -> None:
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
    demo.set_defaults(handler=Lazy("._demo", "run"))
    demo.add_argument(
        "--fake", action="store_true", help="use the built-in fake even if a key is set"
    )
    demo.add_argument(
        "--tasks", type=int_between(1, 1_000_000), default=2000, metavar="N", help="tasks to create"
    )
    demo.add_argument(
        "--latency",
        type=latency,
        default=0.005,
        metavar="SECONDS|LO,HI",
        help="the fake's delay per request, fixed or drawn from LO..HI",
    )
    _concurrency(demo)
    demo.add_argument(
        "--i-know-this-creates-real-tasks",
        dest="real",
        action="store_true",
        help="with a key: run against the real API (creates, then cancels, real tasks)",
    )


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse ``argv``; ``args.rest`` holds what a command that takes the rest was given.

    Any other command given arguments it does not know is a usage error, as with
    ``parse_args``.
    """
    args, rest = parser.parse_known_args(argv)
    if rest and not getattr(args, "takes_rest", False):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.rest = rest
    return args


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; every level answers ``--help``."""
    parser = Parser(
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
    _add_fake_server(commands)
    _add_demo(commands)
    return parser
