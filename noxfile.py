"""Developer sessions: ``nox`` runs the suite on every supported Python, then the checks.

``nox -s tests-3.10`` runs one version; ``nox -s tests`` runs them all. Each Python must be on
PATH as ``python3.X`` (with pyenv: ``pyenv shell 3.11.7 3.10.13 3.12.1 3.13.0``, or any
installed patch releases). The tools come from pyproject's dependency groups, not from extras.
"""

from __future__ import annotations

import nox

#: Every version pyproject declares (``requires-python`` and the classifiers).
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]

nox.options.sessions = ["tests", "lint", "typecheck", "generated"]
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _group(*names: str) -> tuple[str, ...]:
    return nox.project.dependency_groups(PYPROJECT, *names)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The whole suite on this Python; every async test runs on asyncio and on trio."""
    session.install("-e", ".", *_group("test"))
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, on the code and the tests."""
    session.install(*(req for req in _group("lint") if req.startswith("ruff")))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on both packages, the generator, the tests and the benchmarks."""
    session.install("-e", ".", *_group("test", "lint"))
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
    session.install("-e", ".", *_group("test"), "matplotlib")
    session.run("python", "-m", "benchmarks.run", *(session.posargs or ["--publish"]))
