"""``python -m scale_async.testing``: serve the fake Scale API on 127.0.0.1 for manual use."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ._faults import FAULT_KINDS, FaultConfig, Latency
from ._server import serve


def main(argv: Sequence[str] | None = None) -> None:
    """Parse flags and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m scale_async.testing", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--latency",
        type=float,
        nargs="+",
        default=[0.0],
        metavar="SECONDS",
        help="a fixed delay, or LOW HIGH for a random one",
    )
    parser.add_argument("--retry-after", type=int, default=1)
    for kind in FAULT_KINDS:
        parser.add_argument(f"--{kind.replace('_', '-')}", type=float, default=0.0, metavar="RATE")
    args = parser.parse_args(argv)
    if len(args.latency) not in (1, 2):
        parser.error("--latency takes one or two numbers")
    latency: Latency = (
        args.latency[0] if len(args.latency) == 1 else (args.latency[0], args.latency[1])
    )
    rates = {kind: getattr(args, kind) for kind in FAULT_KINDS}
    faults = FaultConfig(retry_after=args.retry_after, **rates)
    print(f"Fake Scale API on http://{args.host}:{args.port}/v1")
    serve(args.host, args.port, latency=latency, faults=faults, seed=args.seed)


if __name__ == "__main__":
    main()
