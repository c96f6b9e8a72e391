"""The types help: mypy --strict accepts typed user code and catches its typos."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mypy import api

HERE = Path(__file__).parent / "typing"


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One mypy --strict run over the three user files (mypy is slow to start)."""
    cache = tmp_path_factory.mktemp("mypy-cache")
    files = [str(HERE / f"{name}.py") for name in ("user_sync", "user_async", "user_mistakes")]
    out, err, _ = api.run(
        ["--strict", "--no-error-summary", "--config-file", "", "--cache-dir", str(cache), *files]
    )
    assert not err
    return out


def errors_in(output: str, name: str) -> set[int]:
    return {int(m) for m in re.findall(rf"{name}\.py:(\d+): error", output)}


@pytest.mark.parametrize("name", ["user_sync", "user_async"])
def test_typed_user_code_passes_mypy_strict(mypy_output: str, name: str) -> None:
    """``s: TaskStatus = task.status``, string statuses as filters, sync twins in results."""
    assert errors_in(mypy_output, name) == set(), mypy_output


def test_mypy_catches_the_typos(mypy_output: str) -> None:
    source = (HERE / "user_mistakes.py").read_text().splitlines()
    marked = {
        n
        for n, line in enumerate(source, 1)
        if line.rstrip().endswith(
            tuple(
                f"# error: {why}"
                for why in (
                    "not a status",
                    "not a batch status",
                    "a plain str is not a TaskStatus",
                    "no such helper",
                )
            )
        )
    }
    assert len(marked) == 4
    assert errors_in(mypy_output, "user_mistakes") == marked, mypy_output
