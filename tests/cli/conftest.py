"""Fixtures for the CLI tests: a fresh fake, and ``main`` wired to it in-process."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import httpx
import pytest

from scale_async import AsyncScaleClient
from scale_async.cli import main
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI

if TYPE_CHECKING:
    from .loopback import Server

KEY = "test_cli_key"
LIVE_KEY = "live_cli_key"
PROJECT = "cli project"
KIND = "categorization"


def payload(n: int, **extra: Any) -> dict[str, Any]:
    """A valid, distinct categorization payload."""
    return {
        "attachment": f"https://example.invalid/{n}.png",
        "attachment_type": "image",
        "categories": ["cat", "dog"],
        "instruction": "Which animal?",
        "metadata": {"n": n},
        **extra,
    }


def write_jsonl(path: Path, lines: Iterable[Any]) -> Path:
    """Write ``lines``: dicts as JSON, strings and bytes verbatim."""
    with path.open("wb") as handle:
        for line in lines:
            if isinstance(line, bytes):
                handle.write(line + b"\n")
            elif isinstance(line, str):
                handle.write(line.encode() + b"\n")
            else:
                handle.write(json.dumps(line).encode() + b"\n")
    return path


def read_report(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _no_ambient_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's real key must never leak into (or change) a test."""
    monkeypatch.delenv("SCALE_API_KEY", raising=False)
    monkeypatch.delenv("SCALE_API_BASE_URL", raising=False)


@pytest.fixture
def fake() -> FakeScaleAPI:
    return FakeScaleAPI(seed=5)


@pytest.fixture
def cli(fake: FakeScaleAPI, capsys: pytest.CaptureFixture[str]) -> Run:
    """``cli(*argv, key=KEY, transport=...)``: run ``main`` against the in-process fake."""

    def run(
        *argv: str, key: str | None = KEY, transport: httpx.AsyncBaseTransport | None = None
    ) -> Result:
        capsys.readouterr()
        options = ["--base-url", IN_PROCESS_BASE_URL]
        if key is not None:
            options += ["--api-key", key]
        code = main([*options, *argv], transport=transport or fake.transport())
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One ``scale-async fake-server`` process on loopback for the CLI's process tests."""
    from .loopback import serving

    with serving() as running:
        yield running


def seed(
    fake: FakeScaleAPI,
    *,
    key: str = KEY,
    project: str = PROJECT,
    batches: dict[str, int] | None = None,
    loose: int = 0,
) -> None:
    """Create ``project``, and ``batches`` (name: task count), plus ``loose`` unbatched tasks."""

    async def go() -> None:
        async with AsyncScaleClient(
            key, api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport()
        ) as client:
            await client.create_project(project, KIND)
            n = 0
            for name, count in (batches or {}).items():
                await client.create_batch(project, name)
                for _ in range(count):
                    await client.create_task(KIND, project=project, batch=name, **payload(n))
                    n += 1
            for _ in range(loose):
                await client.create_task(KIND, project=project, **payload(n))
                n += 1

    anyio.run(go)


class FailingRoutes(httpx.AsyncBaseTransport):
    """The fake, except that requests matching ``predicate`` fail with ``error``.

    The first ``after`` matching requests go through; an ``httpx.TransportError`` subclass is
    raised as the network would raise it, anything else (``KeyboardInterrupt``) as is.
    """

    def __init__(
        self,
        fake: FakeScaleAPI,
        predicate: Callable[[httpx.Request], bool],
        error: type[BaseException],
        *,
        after: int = 0,
    ) -> None:
        self._inner = fake.transport()
        self._predicate = predicate
        self._error = error
        self._after = after
        self.matched = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._predicate(request):
            self.matched += 1
            if self.matched > self._after:
                if issubclass(self._error, httpx.TransportError):
                    raise self._error("injected", request=request)
                raise self._error()
        return await self._inner.handle_async_request(request)


def creates(request: httpx.Request) -> bool:
    """Task creations (``POST .../task/{type}``)."""
    return (
        request.method == "POST"
        and "/task/" in request.url.path
        and request.url.path.count("/") == 3
    )
