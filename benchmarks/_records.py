"""What a timed benchmark run records and must produce, and what a scenario needs of the
harness: shared by ``run.py`` and the scenarios it runs from other modules (``v2.py``), so
that those never import ``run.py`` back.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .clients import Job, Variant
from .fake import FakeProcess

__all__ = ["Expected", "Harness", "Row", "Sample", "wall"]


@dataclass
class Sample:
    """One timed run: wall and client CPU seconds, the fake's CPU seconds, requests served."""

    wall: float
    cpu: float
    server_cpu: float
    requests: int


@dataclass
class Row:
    variant: Variant
    samples: list[Sample] = field(default_factory=list)
    values: list[float] = field(default_factory=list)


@dataclass
class Expected:
    """What a run must produce: how many ids, and which ones when they are known up front."""

    n: int
    ids: set[str] | None = None
    batch: str | None = None


def wall(sample: Sample) -> float:
    return sample.wall


class Harness(Protocol):
    """What a scenario written outside ``run.py`` uses of its ``Bench``."""

    args: argparse.Namespace
    n: int
    fake: FakeProcess

    def job(self, key: str, payloads: list[dict[str, object]], batch: str | None = None) -> Job:
        """The job every variant of a run is given."""

    def scenario(
        self,
        key: str,
        variants: list[Variant],
        prepare: Callable[[Variant, int], tuple[Job, Expected]],
        latency: float,
        value: Callable[[Sample], float],
        repeat: int,
    ) -> list[Row]:
        """The timed, checked runs of ``variants``, interleaved, ``repeat`` times."""
