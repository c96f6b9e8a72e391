"""``scale-async fake-server``: the fake Scale API on a real socket, until stopped.

Why a thin wrapper: ``python -m scale_async.testing`` owns the server's flags and ``serve()``;
the ``fake-server`` sub-command hands it the rest of the command line, so there is one list of
flags and one help text (``scale-async fake-server --help``). This module only names the
program and turns a missing uvicorn into a one-line hint.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import sys

from ._env import Env
from ._exit import FAILED, OK

__all__ = ["run"]


def run(args: argparse.Namespace, env: Env) -> int:
    """Serve until interrupted; 0 after Ctrl-C."""
    from scale_async.testing.__main__ import main as serve

    if importlib.util.find_spec("uvicorn") is None and not {"-h", "--help"} & set(args.rest):
        print(
            "scale-async: fake-server needs uvicorn: pip install 'scale-async[cli]'",
            file=sys.stderr,
        )
        return FAILED
    with contextlib.suppress(KeyboardInterrupt):
        serve(args.rest, prog="scale-async fake-server")
    return OK
