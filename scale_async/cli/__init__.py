"""``scale-async``: the command line for bulk work on Scale (ingest, export, cancel) and the fake.

``main(argv)`` parses, runs one command and returns the exit status; it turns every error a
user can act on into one line on stderr and a distinct status (see ``_exit``). Commands run on
the async client under ``anyio.run``. Tests pass ``transport=`` to mount the fake Scale API
in-process; nothing else about the command changes.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ._exit import API_ERROR, INTERRUPTED, OK, UNREACHABLE, USAGE, CliError

if TYPE_CHECKING:
    import argparse

    import httpx

    from ._env import Env

__all__ = ["main", "redact"]

Handler = Callable[["argparse.Namespace", "Env"], int]


def _handler(command: str) -> Handler:
    """The function behind ``command``; imported on demand so each command loads only its code."""
    if command == "tasks create":
        from ._create import run as create

        return create
    if command == "tasks export":
        from ._export import run as export

        return export
    if command.startswith("batches "):
        from . import _batches

        return {"cancel": _batches.cancel, "status": _batches.status, "list": _batches.listing}[
            command.split()[1]
        ]
    if command == "projects list":
        from ._projects import listing

        return listing
    from ._demo import run as demo

    return demo


def _fake_server_args(argv: Sequence[str]) -> list[str] | None:
    """The arguments after ``fake-server`` when that is the command, else None."""
    from ._args import GLOBAL_OPTIONS_WITH_VALUE

    skip = False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg in GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return list(argv[index + 1 :]) if arg == "fake-server" else None
    return None


def _secrets(argv: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """Values that may be keys: ``$SCALE_API_KEY`` and whatever follows a ``*key*`` flag."""
    found = [environ.get("SCALE_API_KEY", "")]
    for index, arg in enumerate(argv):
        name, sep, value = arg.partition("=")
        if name.startswith("-") and "key" in name.lower():
            if sep:
                found.append(value)
            elif index + 1 < len(argv):
                found.append(argv[index + 1])
    return [secret for secret in found if len(secret) >= 4]


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``***`` (argparse echoes unknown arguments)."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _root_cause(exc: BaseException) -> BaseException:
    """The error that matters inside task-group exception groups: the first one, unwrapped."""
    while True:
        inner = getattr(exc, "exceptions", None)
        if not isinstance(inner, tuple) or not inner:
            return exc
        exc = inner[0]


def _describe(exc: BaseException, env: Env) -> tuple[str, int] | None:
    """The one-line message and exit status for an error a user can act on; None otherwise."""
    from scale_async import (
        ScaleException,
        ScaleForbidden,
        ScaleTransportError,
        ScaleUnauthorized,
    )

    if isinstance(exc, CliError):
        return exc.message, exc.code
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", INTERRUPTED
    if isinstance(exc, ScaleTransportError):
        return f"cannot reach the Scale API at {env.shown_url}: {exc.message}", UNREACHABLE
    if isinstance(exc, ScaleUnauthorized):
        return (
            f"the API key was refused by {env.shown_url} (401): check SCALE_API_KEY or --api-key",
            API_ERROR,
        )
    if isinstance(exc, ScaleForbidden):
        return f"this API key may not do that (403): {exc.message}", API_ERROR
    if isinstance(exc, ScaleException):
        return f"the Scale API refused the request: {exc}", API_ERROR
    if isinstance(exc, BrokenPipeError):
        # The reader of stdout went away (`| head`): stop quietly, as Unix tools do.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        return "", OK
    return None


def main(
    argv: Sequence[str] | None = None, *, transport: httpx.AsyncBaseTransport | None = None
) -> int:
    """Run one ``scale-async`` command and return its exit status.

    ``transport`` replaces the HTTP transport of every client the command opens (tests mount
    the fake Scale API with it); the console script calls ``main()`` with neither argument.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    served = _fake_server_args(args_list)
    if served is not None:
        from ._fake_server import run as fake_server

        return fake_server(served)

    from ._args import build_parser
    from ._env import Env

    parser = build_parser()
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            args = parser.parse_args(args_list)
    except SystemExit as exc:
        sys.stderr.write(redact(captured.getvalue(), _secrets(args_list, os.environ)))
        return exc.code if isinstance(exc.code, int) else USAGE
    env = Env.from_args(args, transport=transport)
    try:
        return _handler(args.command)(args, env)
    except BaseException as exc:
        described = _describe(_root_cause(exc), env)
        if described is None:
            raise
        message, code = described
        if message:
            print(
                f"scale-async: {redact(message, _secrets(args_list, os.environ))}", file=sys.stderr
            )
        return code
