"""Legacy SDK code runs on scale_sync by changing its imports, and tells the same story.

``tests/migration/legacy_script.py`` is written in the style of code that uses the official
SDK (flat calls, ``as_dict()``, ``refresh()``, exceptions by their SDK names). It runs here as
it is, on ``scale_sync``, and again with its import lines pointed at the official ``scaleapi``
package, both against the same fake Scale API over a loopback socket.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scale_async.testing import FakeScaleAPI, FakeServer, run_in_thread
from tests.migration import legacy_script
from tests.migration.transcripts import mask, transcript

SCRIPT = Path(legacy_script.__file__)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with run_in_thread(FakeScaleAPI(seed=3)) as running:
        yield running


def as_official_sdk() -> types.ModuleType:
    """The legacy script with its imports pointed at the official SDK, nothing else changed."""
    source = SCRIPT.read_text()
    assert source.count("scale_sync") == 5  # the import lines only
    module = types.ModuleType("legacy_script_on_scaleapi")
    exec(
        compile(source.replace("scale_sync", "scaleapi"), "legacy_on_scaleapi", "exec"),
        vars(module),
    )
    return module


def run(module: Any, server: FakeServer) -> dict[str, Any]:
    server.fake.reset()
    report: dict[str, Any] = module.run(server.base_url)
    return report


def test_legacy_code_runs_on_scale_sync(server: FakeServer) -> None:
    report = run(legacy_script, server)
    assert report["created"] == [("completed", {"n": n}, f"legacy-{n}") for n in range(3)]
    assert report["duplicate"] == 409
    assert report["missing_params"] == 400
    assert report["metadata"] == {"reviewed": True}
    assert report["tags"] == ["b", "c"]
    assert report["tags_after_set"] == ["only"]
    assert report["renamed"] == "legacy-renamed"
    assert report["cleared"] is False
    assert report["cancel_completed"] == 400
    assert report["every"] == [-1, 1, 2]  # task 0's metadata was replaced
    assert report["count"] == 3
    assert report["bad_filter"] == "refused"
    assert report["no_project"] == "refused"
    assert report["unknown_task"] == 404
    assert report["bad_key"] == 401
    assert report["completed_enum"] is True
    assert report["batch"] == ("legacy batch/1", True, {"owner": "legacy"})


def test_our_enums_also_compare_to_members(server: FakeServer) -> None:
    """Statuses are str enums: equal to the SDK's raw strings and to the members alike."""
    import scale_sync

    server.fake.reset()
    with scale_sync.ScaleClient("test_k", api_instance_url=server.base_url) as client:
        client.create_project("p", scale_sync.TaskType.Categorization)
        task = client.create_task(
            scale_sync.TaskType.Categorization,
            project="p",
            attachment="https://example.invalid/a.png",
            attachment_type="image",
            categories=["a", "b"],
            instruction="pick",
        )
        status = task.status
        assert status == scale_sync.TaskStatus.Completed
        as_text: str = status  # a str enum: it is the SDK's plain string too
        assert as_text == "completed"


def test_the_official_sdk_tells_the_same_story(server: FakeServer) -> None:
    """The same script on the official SDK gives the same report: the surfaces agree."""
    ours = run(legacy_script, server)
    theirs = run(as_official_sdk(), server)
    assert ours == theirs


#: Scripts a real user would write, each printing what it sees (``tests/migration/``).
PRINTING_SCRIPTS = ["status_report", "webhook_handler", "ontology_tool"]


@pytest.mark.parametrize("name", PRINTING_SCRIPTS)
def test_legacy_scripts_print_the_same_transcript(server: FakeServer, name: str) -> None:
    """Printed output, not only results: statuses, types, str() of models, absent keys,
    positional models, raw client.api calls, exception codes and messages, pages, counts.
    Ids and timestamps are masked; every other character must match the SDK's run."""
    path = SCRIPT.parent / f"{name}.py"
    assert path.read_text().count("import scale_sync") == 1  # imports are all that change
    runs = {}
    for package in ("scaleapi", "scale_sync"):
        server.fake.reset()
        runs[package] = transcript(path, package, server.base_url, f"live_{name}")
    assert len(runs["scaleapi"]) >= 10  # the script really ran on the SDK
    assert runs["scale_sync"] == runs["scaleapi"]


def test_the_transcripts_see_the_differences_that_matter(server: FakeServer) -> None:
    """Guards the comparison itself: masking keeps statuses and messages, hides only ids."""
    assert mask("Task(id=6b0eb42d912265b1f500d8f4) completed") == "Task(id=<id>) completed"
    assert mask("at 2026-12-01T11:49:01.390Z") == "at <time>"
    assert mask("TaskStatus.Completed") == "TaskStatus.Completed"
