"""``python -m scale_async.testing``: serve the fake Scale API on 127.0.0.1 for manual use.

The flags are defined once, in ``add_arguments``, so that ``scale-async fake-server`` offers
exactly the same ones (and one help text) without a copy.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ._faults import FAULT_KINDS, FaultConfig, Latency
from ._server import serve

__all__ = ["DESCRIPTION", "add_arguments", "main", "run"]

DESCRIPTION = """\
Serve the fake Scale API over HTTP until stopped (Ctrl-C), and print the base URL to use:
  SCALE_API_BASE_URL=http://127.0.0.1:PORT/v1 SCALE_API_KEY=test_anything scale-async ...
Keys starting test_ get tasks completed at once; live_ keys get pending tasks. Fault rates
are fractions of requests (0..1). Control routes: GET /_fake/stats, POST /_fake/reset,
GET|PUT /_fake/faults."""


def _latency(text: str) -> list[float]:
    """``S``, or ``LO,HI``; the older ``--latency LO HI`` spelling is accepted too."""
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected SECONDS or LO,HI, got {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The server's flags, on ``parser``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on")
    parser.add_argument("--seed", type=int, default=None, help="seed for repeatable runs")
    parser.add_argument(
        "--latency",
        type=_latency,
        nargs="+",
        default=[[0.0]],
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


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Serve with the parsed ``args`` until interrupted (``parser`` reports bad values)."""
    values = [value for group in args.latency for value in group]
    if len(values) not in (1, 2) or min(values) < 0 or values[0] > values[-1]:
        parser.error("--latency takes SECONDS or LO,HI with 0 <= LO <= HI")
    latency: Latency = values[0] if len(values) == 1 else (values[0], values[1])
    rates = {kind: getattr(args, kind) for kind in FAULT_KINDS}
    faults = FaultConfig(retry_after=args.retry_after, **rates)
    print(f"Fake Scale API on http://{args.host}:{args.port}/v1", flush=True)
    serve(args.host, args.port, latency=latency, faults=faults, seed=args.seed)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse flags and serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m scale_async.testing",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    run(parser, parser.parse_args(argv))


if __name__ == "__main__":
    main()
