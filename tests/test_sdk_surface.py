"""Our clients offer every method of the official SDK (v1, and v2 through ``client.v2``),
with compatible parameters."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import scaleapi
from scaleapi.api_client.v2 import V2Api

import scale_async
import scale_async.v2
import scale_sync
import scale_sync.studio
import scale_sync.v2

SDK_METHODS = sorted(
    name
    for name, _ in inspect.getmembers(scaleapi.ScaleClient, inspect.isfunction)
    if not name.startswith("_")
)

#: ``client.v2``'s operations; each also has ``_with_http_info`` and ``_without_preload_content``
#: variants, which return the SDK's transport objects and have no counterpart here.
SDK_V2_METHODS = sorted(
    name
    for name, _ in inspect.getmembers(V2Api, inspect.isfunction)
    if not name.startswith("_")
    and not name.endswith(("_with_http_info", "_without_preload_content"))
)


def test_the_sdk_surface_is_the_one_we_know() -> None:
    """Guards this test itself: the SDK installed is the one the surface was matched to."""
    assert len(SDK_METHODS) == 44
    assert "create_task" in SDK_METHODS
    assert "set_studio_batches_priorities" in SDK_METHODS
    assert "v2_get_tasks" in SDK_METHODS
    assert len(SDK_V2_METHODS) == 25
    assert {"get_task", "get_dataset_task_response_url", "set_batch_metadata"} <= set(
        SDK_V2_METHODS
    )


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


@pytest.mark.parametrize("name", SDK_V2_METHODS)
@pytest.mark.parametrize("ours", [scale_async.v2.AsyncV2Client, scale_sync.v2.V2Client])
def test_every_sdk_v2_operation_exists_with_its_parameters(ours: type, name: str) -> None:
    """``client.v2.X(...)`` calls written for the SDK bind to ours: the same parameter names
    in the same order and kinds (the SDK's ``_request_timeout``-style transport options
    aside). A request object parameter that the SDK requires may be left out here, because
    its fields can come as keyword arguments instead."""
    theirs = [
        p
        for p in inspect.signature(getattr(V2Api, name)).parameters.values()
        if not p.name.startswith("_")
    ]
    mine = list(inspect.signature(getattr(ours, name)).parameters.values())
    positional = [p for p in mine if p.kind is not p.KEYWORD_ONLY and p.kind is not p.VAR_KEYWORD]
    assert [p.name for p in positional[: len(theirs)]] == [p.name for p in theirs]
    for their, my in zip(theirs, positional, strict=False):
        assert my.kind == their.kind, (name, my.name)
        if their.default is not inspect.Parameter.empty:
            assert my.default == their.default, (name, my.name)
        elif my.default is not inspect.Parameter.empty:
            assert my.name.endswith("_request"), (name, my.name)
            assert any(p.kind is p.VAR_KEYWORD for p in mine), name


@pytest.mark.parametrize("ours", [scale_async.AsyncScaleClient, scale_sync.ScaleClient])
def test_the_v2_object_is_reached_as_client_v2(ours: type) -> None:
    client = ours("test_surface")
    try:
        expected = (
            scale_async.v2.AsyncV2Client
            if ours is scale_async.AsyncScaleClient
            else (scale_sync.v2.V2Client)
        )
        assert isinstance(client.v2, expected)
        assert client.v2 is client.v2
        assert repr(client.v2).endswith(" https://api.scale.com>")  # the host, not .../v1
    finally:
        if ours is scale_sync.ScaleClient:
            client.close()


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


# -- model behaviour parity ------------------------------------------------------------------

TASK = {
    "task_id": "t1",
    "type": "imageannotation",
    "status": "completed",
    "params": {"attachment": "a.png"},
    "metadata": {"k": 1},
    "created_at": "2024-01-01T00:00:00.000Z",
    "response": None,
}
BATCH = {"name": "b", "status": "in_progress", "project": "p", "created_at": "t", "metadata": {}}
PROJECT = {"name": "p", "type": "categorization", "param_history": [{"version": 0}]}
TEMPLATE = {
    "id": "tt",
    "version": 1,
    "created_at": "c",
    "updated_at": "u",
    "template_variables": {},
}
FILE = {"id": "f1", "attachment_url": "scaledata://f1"}
TEAMMATE = {"email": "a@x.com", "role": "admin", "firstName": "Ada"}
GROUP = {"id": "g", "name": "grp", "numWorkers": 0, "isSingleton": False}
STUDIO_BATCH = {
    "id": "sb",
    "name": "sbn",
    "projectId": "p1",
    "projectName": "p",
    "batchType": "Production",
    "total": 1,
    "completed": 0,
    "groups": [],
}
QUALITY = {"id": "q1", "expected_response": {"a": 1}}

#: (SDK class path, our class name, JSON): every v1 model the SDK builds from (json, client).
MODELS = [
    ("tasks.Task", "Task", TASK),
    ("batches.Batch", "Batch", BATCH),
    ("projects.Project", "Project", PROJECT),
    ("projects.TaskTemplate", "TaskTemplate", TEMPLATE),
    ("files.File", "File", FILE),
    ("teams.Teammate", "Teammate", TEAMMATE),
    ("studio.StudioProjectGroup", "StudioProjectGroup", GROUP),
    ("studio.StudioBatch", "StudioBatch", STUDIO_BATCH),
    ("evaluation_tasks.EvaluationTask", "EvaluationTask", QUALITY),
    ("training_tasks.TrainingTask", "TrainingTask", QUALITY),
]


def sdk_style(cls: type) -> Any:
    """``cls`` for the SDK's positional ``cls(json, client)``, which type checkers do not see
    (they know the keyword form only): untyped legacy code is what builds models this way."""
    return cls


def sdk_class(path: str) -> type:
    module, name = path.rsplit(".", 1)
    return getattr(__import__(f"scaleapi.{module}", fromlist=[name]), name)  # type: ignore[no-any-return]


@pytest.mark.parametrize(("theirs", "ours", "data"), MODELS, ids=[m[1] for m in MODELS])
def test_models_build_and_print_as_the_sdks(
    theirs: str, ours: str, data: dict[str, object]
) -> None:
    """Cls(json, client) works positionally; str() is the SDK's; the SDK's attributes read the
    same values (enums equal to the SDK's strings)."""
    sdk = sdk_class(theirs)(data, None)
    with scale_sync.ScaleClient("test_k") as client:
        mine = sdk_style(getattr(scale_sync, ours))(data, client)
        assert type(mine) is getattr(scale_sync, ours)
        assert str(mine) == str(sdk)
        assert f"{mine}" == f"{sdk}"
        public = [n for n in vars(sdk) if not n.startswith("_")]
        for name in public:
            assert getattr(mine, name) == getattr(sdk, name), name
            assert str(getattr(mine, name)) == str(getattr(sdk, name)), name


def test_task_attribute_access_is_the_sdks() -> None:
    """Any key the server sent reads as an attribute; a key it did not send is an
    AttributeError with the SDK's words, on scale_sync; as_dict() is what was sent."""
    sdk = scaleapi.Task(TASK, None)
    with scale_sync.ScaleClient("test_k") as client:
        mine = sdk_style(scale_sync.Task)(TASK, client)
        for name in ("tags", "unique_id", "callback_url", "batch", "no_such_key"):
            assert hasattr(mine, name) is hasattr(sdk, name) is False, name
            with pytest.raises(AttributeError) as theirs_info:
                getattr(sdk, name)
            with pytest.raises(AttributeError) as mine_info:
                getattr(mine, name)
            assert str(mine_info.value) == str(theirs_info.value)
        assert mine.response is sdk.response is None  # sent as null: present
        assert mine.as_dict() == sdk.as_dict() == TASK
        assert (mine.id, mine.status, mine.type) == (sdk.id, sdk.status, sdk.type)
    typed = sdk_style(scale_async.Task)(TASK, None)
    assert typed.tags is None  # async models keep None: the typed API says str | None


def test_batch_and_project_extras_absent_as_on_the_sdk() -> None:
    with scale_sync.ScaleClient("test_k") as client:
        batch = sdk_style(scale_sync.Batch)(BATCH, client)
        assert not hasattr(batch, "callback")
        assert batch.tasks_pending is None  # the SDK sets the counters to None
        project = sdk_style(scale_sync.Project)(PROJECT, client)
        assert not hasattr(project, "created_at")
        assert project.instruction is None
        assert hasattr(sdk_style(scale_sync.Batch)({**BATCH, "callback": "c"}, client), "callback")


def test_a_model_built_the_sdk_way_is_bound_to_the_sync_client() -> None:
    with scale_sync.ScaleClient("test_k") as client:
        task = sdk_style(scale_sync.Task)(TASK, client)
        assert task._client is client.async_client
    with pytest.raises(KeyError, match="task_id"):
        sdk_style(scale_sync.Task)({"status": "completed"}, None)
    with pytest.raises(TypeError, match="needs a dict"):
        sdk_style(scale_sync.Task)(["not", "a", "dict"], None)
    with pytest.raises(TypeError, match=r"cannot build Task.*tags"):
        sdk_style(scale_sync.Task)({**TASK, "tags": "not-a-list"}, None)


@pytest.mark.parametrize("name", ["TaskType", "TaskStatus", "TaskReviewStatus", "BatchStatus"])
@pytest.mark.parametrize("package", [scale_async, scale_sync])
def test_enum_membership_and_iteration_are_the_sdks(package: object, name: str) -> None:
    theirs = getattr(scaleapi, name)
    mine = getattr(package, name)
    assert [(m.name, m.value) for m in mine] == [(m.name, m.value) for m in theirs]
    for member in theirs:
        assert mine(member.value).name == member.name
        assert str(mine[member.name]) == member.value  # prints as the SDK's string fields
        assert f"{mine[member.name]:>20}" == f"{member.value:>20}"
        assert "%s" % mine[member.name] == member.value  # noqa: UP031
        assert mine[member.name] in mine
    with pytest.raises(ValueError, match="is not a valid"):
        mine("surely-not-a-value")


def test_studio_models_print_as_the_sdks() -> None:
    """The two studio models the SDK builds from other shapes than (json, client)."""
    from scaleapi.studio import StudioLabelerAssignment as TheirAssignment
    from scaleapi.studio import StudioWorker as TheirWorker

    mine = scale_sync.studio.StudioWorker(id="w1", email="w@x.com")
    assert str(mine) == str(TheirWorker({"id": "w1", "email": "w@x.com"}, None))
    assignment = scale_sync.studio.StudioLabelerAssignment(email="w@x.com", assigned_projects=["p"])
    assert str(assignment) == str(TheirAssignment(["p"], "w@x.com", None))
