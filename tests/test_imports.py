"""``import scale_sync`` loads what a v1 client needs at start; every public name still resolves.

Each check runs in a fresh interpreter: what one test imported must not hide what another loads.
No timing here (that is ``benchmarks/``); only which modules an import brings in.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Loaded only when first used: the v2 API, NGA's client, the CLI, the fake and its plugins,
#: the sync client's loop thread (with the first client), the HTTP stack (until a client opens
#: a session), display, and the retry loop (tenacity: until a first attempt fails).
LAZY = (
    "scale_async.v2._client",
    "scale_async.v2._tasks",
    "scale_async.v2._annotations",
    "scale_async.nga",
    "scale_async.cli",
    "scale_async.testing",
    "scale_sync._generated_v2",
    "scale_sync.v2",
    "scale_sync.nga",
    "scale_sync._portal",
    "anyio.from_thread",
    "httpx",
    "httpcore",
    "httpx_aiohttp",
    "aiohttp",
    "rich",
    "tenacity",
    "ssl",
    "asyncio",
)


def _run(code: str) -> object:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def _loaded_by(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    modules = _run(code)
    assert isinstance(modules, list)
    return set(modules)


@pytest.mark.parametrize("package", ["scale_sync", "scale_async"])
def test_import_leaves_what_start_does_not_need(package: str) -> None:
    loaded = _loaded_by(f"import {package}")
    assert package in loaded  # the probe does see what the import loads
    unwanted = {
        name for name in loaded for lazy in LAZY if name == lazy or name.startswith(lazy + ".")
    }
    assert unwanted == set()


def test_import_leaves_out_a_create_jobs_recovery() -> None:
    loaded = _loaded_by("import scale_async")
    assert {"scale_async._engine.lookup", "scale_async._engine.chances"} & loaded == set()
    assert "scale_async._api.bulk" in loaded


def test_a_sync_client_loads_no_v2_until_asked() -> None:
    loaded = _loaded_by("import scale_sync\nscale_sync.ScaleClient('test_key').close()")
    assert "scale_async.v2._client" not in loaded
    assert "scale_sync._generated_v2" not in loaded


PACKAGES = [
    "scale_sync",
    "scale_async",
    "scale_async.v2",
    "scale_sync.v2",
    "scale_async.nga",
    "scale_sync.nga",
]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_resolves_from_a_fresh_import(package: str) -> None:
    """``package.NAME`` and ``from package import *`` give every name of ``__all__``."""
    code = (
        f"import json, {package} as p\n"
        "names = list(p.__all__)\n"
        "missing = [n for n in names if getattr(p, n, None) is None]\n"
        "star = {}\n"
        f"exec('from {package} import *', star)\n"
        "print(json.dumps([len(names), missing, sorted(set(names) - set(star))]))"
    )
    result = _run(code)
    assert isinstance(result, list)
    count, missing, not_starred = result
    assert count > 5
    assert (missing, not_starred) == ([], [])


@pytest.mark.parametrize(
    ("statement", "check"),
    [
        # The attribute path and a from-import, each as the first thing the process does.
        ("import scale_async", "scale_async.v2.Task.__name__ == 'Task'"),
        ("from scale_async.v2 import TaskStatus", "TaskStatus.COMPLETED.value == 'completed'"),
        (
            "import scale_async.v2 as v2",
            "'AsyncV2Client' in dir(v2) and 'V2Bulk' not in v2.__all__",
        ),
        ("import scale_sync", "type(scale_sync.ScaleClient('k').v2).__name__ == 'V2Client'"),
        (
            "import sys, scale_async\nclient = scale_async.AsyncScaleClient('k')",
            "client.v2.get_task and 'scale_async.v2._tasks' in sys.modules",
        ),
    ],
)
def test_v2_reached_lazily_is_the_whole_package(statement: str, check: str) -> None:
    assert _run(f"import json\n{statement}\nprint(json.dumps(bool({check})))") is True


def test_unknown_names_are_still_attribute_errors() -> None:
    code = (
        "import json, scale_async.v2 as v2\n"
        "try:\n    v2.NoSuchName\nexcept AttributeError as e:\n    print(json.dumps(str(e)))"
    )
    message = _run(code)
    assert isinstance(message, str)
    assert "NoSuchName" in message


def test_import_benchmark_times_every_variant_in_one_interleaved_run() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.imports", "--repeat", "1", "--importtime"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {line.split()[0] for line in done.stdout.splitlines() if " ms " in line}
    assert {"scaleapi", "scale_sync", "scale_async", "floor"} <= rows
    assert "1.00" in next(line for line in done.stdout.splitlines() if "scaleapi  " in line)
    assert "-X importtime, import scale_sync" in done.stdout


@pytest.mark.parametrize(
    ("module", "who"),
    [
        ("scale_async._engine.http", "scale_async"),
        ("scale_sync._generated", "scale_sync"),
        ("attr._make", "third-party"),
        ("json.decoder", "stdlib and startup"),
        ("encodings.utf_8", "stdlib and startup"),
    ],
)
def test_import_benchmark_tells_whose_time_a_module_is(module: str, who: str) -> None:
    from benchmarks.imports import owner

    assert owner(module) == who
