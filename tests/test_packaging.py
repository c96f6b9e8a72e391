"""What a user installs: the wheel's contents and metadata, ``python -m scale_async``, and the
README's commands staying the ones CI runs."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from hatchling.builders.sdist import SdistBuilder
from hatchling.builders.wheel import WheelBuilder

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SUPPORTED = ["3.10", "3.11", "3.12", "3.13"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel exactly as ``pip wheel .`` would build it, built in-process (no network)."""
    out = tmp_path_factory.mktemp("wheel")
    (path,) = WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])
    return zipfile.ZipFile(path)


def _metadata(wheel: zipfile.ZipFile) -> dict[str, list[str]]:
    name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    message = Parser().parsestr(wheel.read(name).decode())
    fields: dict[str, list[str]] = {}
    for key, value in message.items():
        fields.setdefault(key, []).append(value)
    return fields


def test_the_wheel_ships_the_mit_licence_and_the_module_entry(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    licence = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
    assert wheel.read(licence).decode() == (ROOT / "LICENSE").read_text()
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert "scale_async/__main__.py" in names
    assert _metadata(wheel)["License-Expression"] == ["MIT"]


def test_the_sdist_ships_the_licence_and_the_changelog(tmp_path: Path) -> None:
    (path,) = SdistBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    with tarfile.open(path) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "scale_async/__main__.py"} <= names


def test_the_metadata_names_each_supported_python_and_the_project_urls(
    wheel: zipfile.ZipFile,
) -> None:
    meta = _metadata(wheel)
    versions = [
        c.rsplit(" :: ", 1)[1]
        for c in meta["Classifier"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions == SUPPORTED
    assert meta["Requires-Python"] == [f">={SUPPORTED[0]}"]
    urls = dict(u.split(", ", 1) for u in meta["Project-URL"])
    assert urls
    assert all(url.startswith("https://") for url in urls.values())


def test_development_tools_are_not_published_extras(wheel: zipfile.ZipFile) -> None:
    meta = _metadata(wheel)
    assert sorted(meta["Provides-Extra"]) == ["cli", "testing"]
    published = " ".join(meta["Requires-Dist"])
    for tool in ("pytest", "mypy", "ruff", "nox", "respx", "scaleapi"):
        assert tool not in published
    groups = PYPROJECT["dependency-groups"]
    assert {"test", "lint", "dev"} <= set(groups)
    assert any(req.startswith("pytest") for req in groups["test"])


def test_nox_has_a_test_session_per_supported_python() -> None:
    text = (ROOT / "noxfile.py").read_text()
    declared = re.search(r"^PYTHONS = (\[.*\])$", text, re.MULTILINE)
    assert declared is not None
    assert eval(declared.group(1)) == SUPPORTED  # a literal list of strings
    assert "@nox.session(python=PYTHONS)\ndef tests(" in text


def test_ci_runs_the_readme_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    quick = re.search(r"## Quick start.*?```bash\n(.*?)```", readme, re.DOTALL)
    assert quick is not None
    commands = quick.group(1).strip().splitlines()
    assert len(commands) == 2
    assert commands[0].endswith("scale-async demo")
    test_command = commands[1]
    assert test_command.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci
    # Only the README's command installs before the suite runs: nothing CI adds can hide a gap.
    before = ci[: ci.index(test_command)]
    assert not [line for line in before if "pip install" in line]


def test_python_dash_m_scale_async_is_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scale_async", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: scale-async")
    bad = subprocess.run(
        [sys.executable, "-m", "scale_async", "no-such-command"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert "no-such-command" in bad.stderr
