"""``scale-async``: the command line for bulk work on Scale (ingest, export, cancel) and the fake.

``main(argv)`` parses, runs one command and returns the exit status; it turns every error a
user can act on into one line on stderr and a distinct status (see ``_exit``). Commands run on
the async client under ``anyio.run``. The command line needs the ``cli`` extra (rich, for the
progress bar and tables; uvicorn for ``fake-server``): without it, the console script says how
to install it, as ``httpx``'s does. Tests pass ``transport=`` to mount the fake Scale API
in-process; nothing else about the command changes.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .._engine.redact import forms
from ._exit import API_ERROR, FAILED, INTERRUPTED, OK, UNREACHABLE, USAGE, CliError

if TYPE_CHECKING:
    import argparse

    import httpx

    from ._env import Env

__all__ = ["MISSING_EXTRA", "main", "redact"]

Handler = Callable[["argparse.Namespace", "Env"], int]

#: What the console script prints when the ``cli`` extra (rich) is not installed.
MISSING_EXTRA = (
    "scale-async: the command line needs the cli extra: pip install 'scale-async[cli]'\n"
)


def _have_rich() -> bool:
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


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
    """``text`` with every secret, in every form the library masks it in, replaced by ``***``.

    argparse echoes unknown arguments, and a server may echo the Authorization header. The
    forms (base64 as HTTP Basic sends it, URL and JSON escapes...) are the library's own.
    """
    for form in sorted(
        {form for secret in secrets for form in forms(secret)}, key=len, reverse=True
    ):
        text = text.replace(form, "***")
    return text


def _root_cause(exc: BaseException) -> BaseException:
    """The error that matters inside task-group exception groups: the first one, unwrapped."""
    while True:
        inner = getattr(exc, "exceptions", None)
        if not isinstance(inner, tuple) or not inner:
            return exc
        exc = inner[0]


def _describe(exc: BaseException, env: Env | None) -> tuple[str, int] | None:
    """The one-line message and exit status for an error a user can act on; None otherwise."""
    from scale_async import (
        ScaleException,
        ScaleForbidden,
        ScaleTransportError,
        ScaleUnauthorized,
    )

    if isinstance(exc, CliError):
        return exc.message, exc.code
    if isinstance(exc, SystemExit):  # argparse's own error, already printed
        return "", exc.code if isinstance(exc.code, int) else USAGE
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", INTERRUPTED
    where = env.shown_url if env is not None else "the API"
    if isinstance(exc, ScaleTransportError):
        return f"cannot reach the Scale API at {where}: {exc.message}", UNREACHABLE
    if isinstance(exc, ScaleUnauthorized):
        return (
            f"the API key was refused by {where} (401): check SCALE_API_KEY or --api-key",
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
    if not _have_rich():
        sys.stderr.write(MISSING_EXTRA)
        return FAILED

    from ._args import build_parser, parse
    from ._env import Env
    from ._logs import verbose_logging

    parser = build_parser()
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            args = parse(parser, args_list)
    except SystemExit as exc:
        sys.stderr.write(redact(captured.getvalue(), _secrets(args_list, os.environ)))
        return exc.code if isinstance(exc.code, int) else USAGE
    secrets = _secrets(args_list, os.environ)
    env: Env | None = None
    try:
        env = Env.from_args(args, transport=transport)
        handler: Handler = args.handler
        with verbose_logging(env.verbose, secrets):
            return handler(args, env)
    except BaseException as exc:
        described = _describe(_root_cause(exc), env)
        if described is None:
            raise
        message, code = described
        if message:
            print(f"scale-async: {redact(message, secrets)}", file=sys.stderr)
        return code
