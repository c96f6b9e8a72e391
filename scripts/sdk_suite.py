"""Run the official SDK's own test suite, unmodified, on ``scale_sync`` against the fake.

The SDK's ``tests/test_client.py`` talks to Scale's live API with ``SCALE_TEST_API_KEY``.
Here ``import scaleapi`` resolves to ``scale_sync`` (``scaleapi.batches`` to
``scale_sync.batches``, ...), the key is a fake test key, and ``$SCALE_API_BASE_URL`` points
every client at a ``FakeScaleAPI`` served on 127.0.0.1, so the suite runs offline.

Usage: ``python scripts/sdk_suite.py PATH/TO/scaleapi-python-client [pytest args...]``
(a checkout of the SDK's repository: its ``tests/test_client.py`` and ``tests/test_image.png``;
the working directory becomes that checkout, as the suite opens the image relatively).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pytest

import scale_sync
from scale_async.testing import FakeScaleAPI, run_in_thread

#: The SDK's modules its suite imports, and the scale_sync module each one becomes.
ALIASES = ["batches", "exceptions", "tasks", "projects", "files", "teams", "studio"]


class AliasSDK:
    """A pytest plugin that makes ``import scaleapi`` give ``scale_sync`` before collection."""

    def pytest_configure(self, config: pytest.Config) -> None:
        sys.modules["scaleapi"] = scale_sync
        for name in ALIASES:
            sys.modules[f"scaleapi.{name}"] = importlib.import_module(f"scale_sync.{name}")


def main(argv: list[str]) -> int:
    """Serve the fake, point the environment at it, run the suite; pytest's exit code."""
    if not argv:
        print(__doc__)
        return 2
    checkout = Path(argv[0]).resolve()
    suite = checkout / "tests" / "test_client.py"
    if not suite.is_file():
        print(f"no tests/test_client.py under {checkout}")
        return 2
    with run_in_thread(FakeScaleAPI(seed=1)) as server:
        os.environ["SCALE_TEST_API_KEY"] = "test_sdk_suite"
        os.environ["SCALE_API_BASE_URL"] = server.base_url
        os.chdir(checkout)
        args = [str(suite), "-p", "no:cacheprovider", "-o", "filterwarnings=", *argv[1:]]
        return int(pytest.main(args, plugins=[AliasSDK()]))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
