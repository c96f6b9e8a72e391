"""The sync facade is generated from the async core and must never drift from it."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import scale_async
import scale_sync

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
try:
    import gen_sync
finally:
    sys.path.pop(0)


def test_generated_facade_is_current() -> None:
    """Regenerating the facade gives exactly the committed file."""
    result = subprocess.run(
        [sys.executable, "scripts/gen_sync.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _public(cls: type) -> dict[str, object]:
    return {
        name: func
        for name, func in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


# aclose is the sync base class's close; with_options returns a copy on the same loop (its
# parameters are compared in test_client_options).
ASYNC_METHODS = sorted(set(_public(scale_async.AsyncScaleClient)) - {"aclose", "with_options"})


def test_every_async_method_has_a_sync_twin() -> None:
    """No public async method is missing from the sync client."""
    assert set(ASYNC_METHODS) <= set(_public(scale_sync.ScaleClient))


@pytest.mark.parametrize("name", ASYNC_METHODS)
def test_signatures_and_docstrings_match(name: str) -> None:
    """Same parameters, defaults and docstring (read for sync callers); plain functions."""
    async_method = getattr(scale_async.AsyncScaleClient, name)
    sync_method = getattr(scale_sync.ScaleClient, name)
    async_params = inspect.signature(async_method).parameters
    sync_params = inspect.signature(sync_method).parameters
    assert list(async_params) == list(sync_params)
    for key, param in async_params.items():
        twin = sync_params[key]
        assert (param.kind, param.default) == (twin.kind, twin.default)
    assert gen_sync.sync_text(inspect.getdoc(async_method) or "") == (
        inspect.getdoc(sync_method) or ""
    )
    assert not inspect.iscoroutinefunction(sync_method)


def _sync_docstrings() -> dict[str, str]:
    import scale_sync._generated as generated

    docs = {}
    for cls_name in generated.__all__:
        cls = getattr(generated, cls_name)
        docs[cls_name] = inspect.getdoc(cls) or ""
        for name, func in inspect.getmembers(cls, inspect.isfunction):
            if func.__module__ == generated.__name__:
                docs[f"{cls_name}.{name}"] = inspect.getdoc(func) or ""
    return docs


def test_sync_docstrings_never_say_async() -> None:
    """The sync facade does not tell its users to ``await`` or ``async for``."""
    docs = _sync_docstrings()
    assert "ScaleClient.get_tasks" in docs
    offending = {
        name: doc
        for name, doc in docs.items()
        for word in ("async for", "async with", "await ", "coroutine", "aclose")
        if word in doc
    }
    assert offending == {}


@pytest.mark.parametrize(
    ("async_doc", "sync_doc"),
    [
        ("Every task: ``async for task in ...``.", "Every task: ``for task in ...``."),
        ("Use ``async with AsyncScaleClient() as c:``.", "Use ``with ScaleClient() as c:``."),
        ("Call ``aclose()`` when done.", "Call ``close()`` when done."),
        ("Returns ``await client.get_task(id)``.", "Returns ``client.get_task(id)``."),
        ("A coroutine that fetches.", "A call that fetches."),
        (
            "Pages come in order.\n\nFrom async code, use ``async with it:``.\n\nThe end.",
            "Pages come in order.\n\nThe end.",
        ),
        ("Pages come in order.\n\nFrom async code, use a block.", "Pages come in order."),
    ],
)
def test_sync_text_rewrites_async_prose(async_doc: str, sync_doc: str) -> None:
    assert gen_sync.sync_text(async_doc) == sync_doc


def test_constructor_signature_matches() -> None:
    """The sync client is constructed with exactly the async client's arguments."""
    async_params = inspect.signature(scale_async.AsyncScaleClient).parameters
    sync_params = inspect.signature(scale_sync.ScaleClient).parameters
    assert [(p.name, p.kind, p.default) for p in async_params.values()] == [
        (p.name, p.kind, p.default) for p in sync_params.values()
    ]


def test_model_helpers_have_sync_twins() -> None:
    """Each async helper of Task exists, synchronous, on the sync Task."""
    helpers = {
        name for name, func in vars(scale_async.Task).items() if inspect.iscoroutinefunction(func)
    }
    assert helpers >= {"refresh", "cancel", "set_metadata", "add_tags"}
    for name in helpers:
        method = getattr(scale_sync.Task, name)
        assert not inspect.iscoroutinefunction(method)
    assert issubclass(scale_sync.Task, scale_async.Task.__mro__[1])


def test_stale_facade_is_detected(tmp_path: Path) -> None:
    """--check fails on a file that differs from what the generator writes."""
    original = gen_sync.TARGET
    stale = tmp_path / "_generated.py"
    stale.write_text(gen_sync.render() + "# edited by hand\n")
    gen_sync.TARGET = stale
    try:
        assert gen_sync.main(["--check"]) == 1
        stale.write_text(gen_sync.render())
        assert gen_sync.main(["--check"]) == 0
    finally:
        gen_sync.TARGET = original
