"""Every endpoint end to end against the fake Scale API: in-process and over a loopback socket,
through the async and the sync client, on asyncio and trio."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from scale_async import (
    BatchStatus,
    ScaleDuplicateResource,
    ScaleInvalidRequest,
    ScaleResourceNotFound,
    TaskStatus,
    TaskType,
    TeammateRole,
)
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI, FakeServer, run_in_thread
from tests.drivers import Driver, Sleeps, fast_policy, make_driver

IMAGE = "https://example.invalid/cow.jpg"
BOXES = {"box": {"objects_to_annotate": ["cow"], "min_height": 5}}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with run_in_thread(FakeScaleAPI(seed=9)) as running:
        yield running


@pytest.fixture(params=["in-process", "loopback"])
async def connect(request: pytest.FixtureRequest, server: FakeServer, client_kind: str) -> Any:
    """Open drivers on the shared fake (emptied first), in-process or over the socket."""
    server.fake.reset()
    opened: list[Driver] = []

    def open_driver(key: str = "test_integration") -> Driver:
        if request.param == "in-process":
            where: dict[str, Any] = {
                "api_instance_url": IN_PROCESS_BASE_URL,
                "transport": server.fake.transport(),
            }
        else:
            where = {"api_instance_url": server.base_url}
        driver = make_driver(client_kind, None, api_key=key, retry=fast_policy(Sleeps()), **where)
        opened.append(driver)
        return driver

    yield open_driver
    for driver in opened:
        await driver.aclose()


@pytest.fixture
def client(connect: Any) -> Driver:
    driver: Driver = connect()
    return driver


async def test_tasks(client: Driver) -> None:
    project = await client.call("create_project", "cows", TaskType.ImageAnnotation)
    assert isinstance(project, client.models.Project)
    task = await client.call(
        "create_task",
        TaskType.ImageAnnotation,
        project="cows",
        attachment=IMAGE,
        geometries=BOXES,
        unique_id="cow-1",
        metadata={"k": 1},
    )
    assert task.status is TaskStatus.Completed
    assert (await client.call("get_task", task.task_id)).unique_id == "cow-1"
    with pytest.raises(ScaleDuplicateResource):
        await client.call(
            "create_task",
            "imageannotation",
            project="cows",
            attachment=IMAGE,
            geometries=BOXES,
            unique_id="cow-1",
        )
    with pytest.raises(ScaleInvalidRequest):
        await client.call("create_task", TaskType.ImageAnnotation, project="cows")
    with pytest.raises(ScaleResourceNotFound):
        await client.call("get_task", "000000000000000000000000")

    await client.method(task, "set_metadata", {"k": 2})
    assert task.metadata == {"k": 2}
    await client.method(task, "set_tags", ["a", "b"])
    await client.method(task, "add_tags", ["c"])
    await client.method(task, "delete_tags", ["a"])
    assert task.tags == ["b", "c"]
    await client.method(task, "update_unique_id", "cow-one")
    assert task.unique_id == "cow-one"
    await client.method(task, "clear_unique_id")
    assert "unique_id" not in task.as_dict()
    await client.method(task, "audit", True, "fine")
    assert len(task.audits) == 1
    with pytest.raises(ScaleInvalidRequest):
        await client.method(task, "cancel")  # test tasks complete at once
    await client.method(task, "refresh")
    assert task.status == "completed"  # type: ignore[comparison-overlap]  # a str enum

    for n in range(4):
        await client.call(
            "create_task",
            TaskType.ImageAnnotation,
            project="cows",
            attachment=IMAGE,
            geometries=BOXES,
            metadata={"n": n},
        )
    page = await client.call("tasks", project="cows", limit=2)
    assert (len(page), page.total, page.has_more) == (2, 5, True)
    listed = await client.collect("get_tasks", project_name="cows", limit=2)
    assert len({t.task_id for t in listed}) == 5
    assert await client.call("get_tasks_count", project_name="cows") == 5


async def test_live_tasks_cancel(connect: Any) -> None:
    live = connect("live_integration")
    await live.call("create_project", "cows", TaskType.ImageAnnotation)
    task = await live.call(
        "create_task",
        TaskType.ImageAnnotation,
        project="cows",
        attachment=IMAGE,
        geometries=BOXES,
        unique_id="live-1",
    )
    assert task.status == "pending"
    cancelled = await live.call("cancel_task", task.task_id, clear_unique_id=True)
    assert cancelled.status == "canceled"
    assert "unique_id" not in cancelled.as_dict()  # None on async, AttributeError on sync


async def test_batches(client: Driver) -> None:
    await client.call("create_project", "cows", TaskType.ImageAnnotation)
    batch = await client.call("create_batch", "cows", "b/1", metadata={"m": 1})
    assert batch.status is BatchStatus.InProgress
    assert (await client.call("get_batch", "b/1")).metadata == {"m": 1}
    await client.call("set_batch_metadata", "b/1", {"m": 2})
    assert (await client.call("get_batch", "b/1")).metadata == {"m": 2}
    assert (await client.call("finalize_batch", "b/1")).name == "b/1"
    assert await client.call("prioritize_batch", "b/1", 25) == {"result": "success"}
    await client.call(
        "create_task", TaskType.ImageAnnotation, batch="b/1", attachment=IMAGE, geometries=BOXES
    )
    status = await client.method(batch, "get_status")
    assert status["completed"] == 1
    assert batch.tasks_completed == 1
    assert (await client.call("batch_status", "b/1"))["completed"] == 1
    for n in range(3):
        await client.call("create_batch", "cows", f"more-{n}")
    page = await client.call("batches", project="cows", limit=2)
    assert (len(page), page.total) == (2, 4)
    names = [b.name for b in await client.collect("get_batches", project_name="cows")]
    assert sorted(names) == ["b/1", "more-0", "more-1", "more-2"]
    with pytest.raises(ScaleDuplicateResource):
        await client.call("create_batch", "cows", "b/1")


async def test_projects(client: Driver) -> None:
    await client.call("create_project", "p 1", TaskType.ImageAnnotation, {"instruction": "v0"})
    project = await client.call("update_project", "p 1", instruction="v1")
    assert (project.version, project.instruction) == (1, "v1")
    project = await client.call(
        "set_project_ontology", "p 1", ["cow", {"choice": "calf", "subchoices": ["small"]}], "o1"
    )
    assert project.name == "p 1"
    assert [p.name for p in await client.call("projects")] == ["p 1"]
    assert [p.name for p in await client.call("get_projects")] == ["p 1"]
    studio = await client.call(
        "create_project",
        "s",
        TaskType.ImageAnnotation,
        studio=True,
        pipeline="consensus_task",
        consensus_attempts=3,
    )
    assert studio.as_dict()["pipeline"] == "consensus_task"
    await client.call("create_project", "chat", TaskType.TextCollection)
    template = await client.call("get_project_template", "chat")
    assert template.get_template_variables() is not None
    with pytest.raises(ScaleDuplicateResource):
        await client.call("create_project", "p 1", TaskType.ImageAnnotation)


async def test_files(client: Driver) -> None:
    await client.call("create_project", "files", TaskType.ImageAnnotation)
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    uploaded = await client.call(
        "upload_file", io.BytesIO(png), project_name="files", reference_id="r1", metadata={"a": 1}
    )
    assert uploaded.attachment_url.startswith("scaledata://")
    assert uploaded.as_dict()["size"] == len(png)
    assert uploaded.as_dict()["metadata"] == {"a": 1}
    imported = await client.call("import_file", "https://example.invalid/x.jpg")
    assert imported.id != uploaded.id


async def test_quality_tasks(client: Driver) -> None:
    await client.call("create_project", "rapid", TaskType.ImageAnnotation, rapid=True)
    evaluation = await client.call(
        "create_evaluation_task",
        TaskType.ImageAnnotation,
        project="rapid",
        attachment=IMAGE,
        geometries=BOXES,
        expected_response={"a": []},
        initial_response={"a": [1]},
    )
    assert evaluation.initial_response == {"a": [1]}
    training = await client.call(
        "create_training_task",
        TaskType.ImageAnnotation,
        project="rapid",
        attachment=IMAGE,
        geometries=BOXES,
        expected_response={"a": []},
    )
    assert training.id != evaluation.id


async def test_teams_and_studio(client: Driver) -> None:
    assert [t.role for t in await client.call("list_teammates")] == ["admin"]
    invited = await client.call(
        "invite_teammates", ["l1@x.test", "l2@x.test"], TeammateRole.Labeler
    )
    assert [t.email for t in invited][1:] == ["l1@x.test", "l2@x.test"]
    changed = await client.call("update_teammates_role", ["l1@x.test"], TeammateRole.Member)
    assert {t.email: t.role for t in changed}["l1@x.test"] == "member"
    team = await client.method(invited[2], "update_teammate_role", TeammateRole.Labeler)
    assert {t.email: t.role for t in team}["l2@x.test"] == "labeler"

    await client.call("create_project", "studio", TaskType.ImageAnnotation, studio=True)
    added = await client.call("add_studio_assignments", ["l1@x.test", "l2@x.test"], ["studio"])
    assert added["l2@x.test"].assigned_projects == ["studio"]
    assert set(await client.call("list_studio_assignments")) == {"l1@x.test", "l2@x.test"}
    group = await client.call("create_project_group", "studio", ["l1@x.test"], "g 1")
    assert (group.name, group.num_workers) == ("g 1", 1)
    group = await client.call("update_project_group", "studio", "g 1", ["l2@x.test"], ["l1@x.test"])
    assert [w.email for w in group.workers] == ["l2@x.test"]
    assert [g.name for g in await client.call("list_project_groups", "studio")] == ["g 1"]
    for name in ("s1", "s2"):
        await client.call("create_batch", "studio", name)
    assert [b.name for b in await client.call("list_studio_batches")] == ["s1", "s2"]
    assert (await client.call("assign_studio_batches", "s1", ["g 1"])).groups == ["g 1"]
    ordered = await client.call("set_studio_batches_priorities", ["s2", "s1"])
    assert [b.name for b in ordered] == ["s2", "s1"]
    assert [b.name for b in await client.call("reset_studio_batches_priorities")] == ["s1", "s2"]
    removed = await client.call("remove_studio_assignments", ["l1@x.test"], ["studio"])
    assert set(removed) == {"l2@x.test"}


async def test_single_calls_survive_faults(client: Driver, server: FakeServer) -> None:
    """Dropped connections, 5xx, 429 and commit-then-500 on plain calls: nothing lost or
    duplicated, over a real socket too."""
    await client.call("create_project", "faults", TaskType.ImageAnnotation)
    server.fake.enqueue_faults("drop_connection", "unavailable", "rate_limited", "commit_then_fail")
    task = await client.call(
        "create_task",
        TaskType.ImageAnnotation,
        project="faults",
        attachment=IMAGE,
        geometries=BOXES,
        unique_id="f-1",
    )
    assert task.unique_id == "f-1"
    server.fake.enqueue_faults("bad_gateway", "drop_connection")
    assert (await client.call("get_task", task.task_id)).task_id == task.task_id
    assert server.fake.stats.tasks_created == 1
    assert await client.call("get_tasks_count", project_name="faults") == 1
