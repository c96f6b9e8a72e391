"""The README's testing example, copied into a fresh project, runs as a user would run it.

No conftest of ours, no ``pytest_plugins``: the fixtures must arrive through the entry points
of the installed package, the ``scale_live`` marker must be known, and the README's conftest
must add trio.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def readme_block(first_line: str) -> str:
    section = README[README.index("## Testing your code against the fake") :]
    for block in re.findall(r"```python\n(.*?)```", section, re.DOTALL):
        if block.startswith(first_line):
            return str(block)
    raise AssertionError(f"no README example starts with {first_line!r}")


def run_pytest(project: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-W", "error", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pytest.ini").write_text("")  # a root of its own: nothing of ours applies
    (tmp_path / "test_ingest.py").write_text(readme_block("# test_ingest.py"))
    return tmp_path


def test_the_readme_example_runs_in_a_fresh_project(project: Path) -> None:
    done = run_pytest(project)
    assert done.returncode == 0, done.stdout + done.stderr
    passed = re.findall(r"::(\S+) PASSED", done.stdout)
    # anyio decides the backends here (all installed ones, or asyncio alone if older).
    for name in ("test_a_lost_answer_creates_no_duplicate", "test_cancel_what_is_still_pending"):
        assert any(p in (name, f"{name}[asyncio]") for p in passed), passed
    assert "test_the_sync_client" in passed
    assert " failed" not in done.stdout


def test_the_readme_conftest_runs_them_on_asyncio_and_trio(project: Path) -> None:
    (project / "conftest.py").write_text(readme_block("# conftest.py"))
    done = run_pytest(project)
    assert done.returncode == 0, done.stdout + done.stderr
    passed = sorted(re.findall(r"::(\S+) PASSED", done.stdout))
    assert passed == [
        "test_a_lost_answer_creates_no_duplicate[asyncio]",
        "test_a_lost_answer_creates_no_duplicate[trio]",
        "test_cancel_what_is_still_pending[asyncio]",
        "test_cancel_what_is_still_pending[trio]",
        "test_the_sync_client",
    ]
