"""Our clients offer every v1 method of the official SDK, with compatible parameters."""

from __future__ import annotations

import inspect

import pytest
import scaleapi

import scale_async
import scale_sync

#: The SDK's v2 (GenAI API) generator; the v2 API is out of scope for this client.
NOT_V1 = {"v2_get_tasks"}

SDK_METHODS = sorted(
    name
    for name, _ in inspect.getmembers(scaleapi.ScaleClient, inspect.isfunction)
    if not name.startswith("_") and name not in NOT_V1
)


def test_the_sdk_surface_is_the_one_we_know() -> None:
    """Guards this test itself: the SDK installed is the one the surface was matched to."""
    assert len(SDK_METHODS) == 43
    assert "create_task" in SDK_METHODS
    assert "set_studio_batches_priorities" in SDK_METHODS


@pytest.mark.parametrize("name", SDK_METHODS)
@pytest.mark.parametrize("ours", [scale_async.AsyncScaleClient, scale_sync.ScaleClient])
def test_every_sdk_method_exists_with_compatible_parameters(ours: type, name: str) -> None:
    """Same name; the SDK's parameters in the same order and kinds, so calls written for the
    SDK (positionally or by keyword) bind to ours. We may add keyword-only options."""
    theirs = list(inspect.signature(getattr(scaleapi.ScaleClient, name)).parameters.values())
    mine = list(inspect.signature(getattr(ours, name)).parameters.values())
    positional = [p for p in mine if p.kind is not p.KEYWORD_ONLY]
    assert [p.name for p in positional[: len(theirs)]] == [p.name for p in theirs]
    for their, my in zip(theirs, positional, strict=False):
        assert my.kind == their.kind, (name, my.name)
        if their.default is not inspect.Parameter.empty:
            assert my.default == their.default, (name, my.name)


@pytest.mark.parametrize("package", [scale_async, scale_sync])
@pytest.mark.parametrize(
    "module", ["tasks", "batches", "projects", "files", "teams", "studio", "exceptions"]
)
def test_every_sdk_module_has_its_twin(package: object, module: str) -> None:
    """``from scaleapi.X import Y`` works as ``from scale_sync.X import Y``."""
    theirs = __import__(f"scaleapi.{module}", fromlist=["*"])
    mine = __import__(f"{package.__name__}.{module}", fromlist=["*"])  # type: ignore[attr-defined]
    names = {
        n
        for n, v in vars(theirs).items()
        if inspect.isclass(v) and v.__module__ == f"scaleapi.{module}"
    }
    assert names
    missing = {n for n in names if not hasattr(mine, n)}
    assert not missing


@pytest.mark.parametrize("package", [scale_async, scale_sync])
def test_top_level_names(package: object) -> None:
    """The SDK's top-level v1 names are there (its re-exported v2 and internals aside)."""
    expected = {
        "Batch",
        "BatchStatus",
        "Batchlist",
        "EvaluationTask",
        "File",
        "Paginator",
        "Project",
        "StudioBatch",
        "StudioLabelerAssignment",
        "StudioProjectGroup",
        "Task",
        "TaskReviewStatus",
        "TaskStatus",
        "TaskTemplate",
        "TaskType",
        "Tasklist",
        "Teammate",
        "TeammateRole",
        "TrainingTask",
        "ScaleInvalidRequest",
        "ScaleClient",
        "__version__",
    }
    assert expected <= set(dir(package))
