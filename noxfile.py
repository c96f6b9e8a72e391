"""Developer sessions: ``nox -s tests lint typecheck generated``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "generated"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite; every async test runs on asyncio and on trio."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, on the code and the tests."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on both packages, the generator, the tests and the benchmarks."""
    session.install("-e", ".[test,lint]")
    session.run("mypy")


@nox.session
def generated(session: nox.Session) -> None:
    """Fail when scale_sync/_generated.py is not what scripts/gen_sync.py writes."""
    session.install("-e", ".")
    session.run("python", "scripts/gen_sync.py", "--check")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against the official SDK; opt-in, so not among the default sessions.

    ``nox -s bench`` runs N=1000 at 20 ms latency, median of 3, and refreshes
    benchmarks/latest.md and latest.png; ``nox -s bench -- --n 200 --repeat 1`` passes its
    own options instead (add ``--publish`` to refresh the latest files).
    """
    session.install("-e", ".[test]", "matplotlib")
    session.run("python", "-m", "benchmarks.run", *(session.posargs or ["--publish"]))
