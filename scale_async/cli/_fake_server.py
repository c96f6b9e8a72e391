"""``scale-async fake-server``: the fake Scale API on a real socket, until stopped.

Why a thin wrapper: ``python -m scale_async.testing`` already owns the server's flags
(host, port, seed, latency, every fault rate, ``--retry-after``) and ``serve()``; repeating them
here would let the two drift apart. This module only adds the ``LO,HI`` spelling of
``--latency`` that the rest of this CLI uses, makes the printed base URL reach a pipe at once,
and turns a missing uvicorn into a one-line hint.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

from ._exit import FAILED, OK

__all__ = ["run", "translate_args"]

HEADER = """\
usage: scale-async fake-server [--host HOST] [--port PORT] [--seed SEED]
                               [--latency SECONDS | --latency LO,HI] [--retry-after S]
                               [--rate-limited F] [--server-error F] [--bad-gateway F]
                               [--unavailable F] [--gateway-timeout F] [--drop-connection F]
                               [--commit-then-fail F]

Serve the fake Scale API over HTTP until stopped (Ctrl-C), and print the base URL to use:
  SCALE_API_BASE_URL=http://127.0.0.1:PORT/v1 SCALE_API_KEY=test_anything scale-async ...
Keys starting test_ get tasks completed at once; live_ keys get pending tasks. Fault rates
are fractions of requests (0..1). Control routes: GET /_fake/stats, POST /_fake/reset,
GET|PUT /_fake/faults. Same server and flags as `python -m scale_async.testing`:
"""


def translate_args(argv: Sequence[str]) -> list[str]:
    """Rewrite ``--latency LO,HI`` (and ``--latency=LO,HI``) as the server's ``--latency LO HI``."""
    out: list[str] = []
    expect_latency = False
    for arg in argv:
        if expect_latency and "," in arg:
            out.extend(part.strip() for part in arg.split(","))
        elif arg.startswith("--latency=") and "," in arg:
            out.append("--latency")
            out.extend(part.strip() for part in arg.split("=", 1)[1].split(","))
        else:
            out.append(arg)
        expect_latency = arg == "--latency"
    return out


def run(argv: Sequence[str]) -> int:
    """Serve until interrupted; the exit status of the server's own argument handling."""
    from scale_async.testing.__main__ import main as serve_main

    if any(arg in ("-h", "--help") for arg in argv):
        print(HEADER, flush=True)
    elif importlib.util.find_spec("uvicorn") is None:
        print(
            "scale-async: fake-server needs uvicorn: pip install 'scale-async[cli]'",
            file=sys.stderr,
        )
        return FAILED
    # The URL line must reach a pipe (a test, a script) now, not when the server exits.
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(line_buffering=True)
    try:
        serve_main(translate_args(argv))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (OK if exc.code is None else FAILED)
    except KeyboardInterrupt:
        pass
    return OK
