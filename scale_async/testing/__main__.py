"""``python -m scale_async.testing``: serve the fake Scale API on 127.0.0.1 for manual use.

``scale-async fake-server`` hands its arguments to ``main`` (with its own ``prog``), so the
flags and their help exist once.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ._faults import FAULT_KINDS, FaultConfig, Latency
from ._server import serve

__all__ = ["DESCRIPTION", "main"]

DESCRIPTION = """\
Serve the fake Scale API over HTTP until stopped (Ctrl-C), and print the base URL to use:
  SCALE_API_BASE_URL=http://127.0.0.1:PORT/v1 SCALE_API_KEY=test_anything scale-async ...
Keys starting test_ get tasks completed at once; live_ keys get pending tasks. Fault rates
are fractions of requests (0..1). Control routes: GET /_fake/stats, POST /_fake/reset,
GET|PUT /_fake/faults."""


def _latency(text: str) -> Latency:
    """``S`` for a fixed delay, or ``LO,HI`` for one drawn per request."""
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        values = []
    if len(values) == 1 and values[0] >= 0:
        return values[0]
    if len(values) == 2 and 0 <= values[0] <= values[1]:
        return (values[0], values[1])
    raise argparse.ArgumentTypeError(f"expected SECONDS or LO,HI with 0 <= LO <= HI, got {text!r}")


def main(argv: Sequence[str] | None = None, prog: str = "python -m scale_async.testing") -> None:
    """Parse flags and serve until interrupted; ``prog`` names the command in its help."""
    parser = argparse.ArgumentParser(
        prog=prog, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on")
    parser.add_argument("--seed", type=int, default=None, help="seed for repeatable runs")
    parser.add_argument(
        "--latency",
        type=_latency,
        default=0.0,
        metavar="SECONDS|LO,HI",
        help="delay per request: fixed, or drawn from LO..HI",
    )
    parser.add_argument(
        "--retry-after", type=int, default=1, metavar="S", help="Retry-After of the 429s"
    )
    for kind in FAULT_KINDS:
        parser.add_argument(
            f"--{kind.replace('_', '-')}",
            type=float,
            default=0.0,
            metavar="RATE",
            help=f"fraction of requests that get the {kind.replace('_', ' ')} fault",
        )
    args = parser.parse_args(argv)
    try:
        faults = FaultConfig(
            retry_after=args.retry_after, **{kind: getattr(args, kind) for kind in FAULT_KINDS}
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(f"Fake Scale API on http://{args.host}:{args.port}/v1", flush=True)
    serve(args.host, args.port, latency=args.latency, faults=faults, seed=args.seed)


if __name__ == "__main__":
    main()
