"""The fixtures users get from ``scale_async.testing.pytest_plugin``."""

from __future__ import annotations

import pytest

from scale_async import AsyncScaleClient, ScaleResourceNotFound, TaskType
from scale_async.testing import FakeScaleAPI
from scale_sync import ScaleClient

CATEGORIZE = {
    "attachment": "https://example.invalid/a.png",
    "attachment_type": "image",
    "categories": ["a", "b"],
    "instruction": "pick one",
}


async def test_async_client_fixture(
    scale_client: AsyncScaleClient, scale_fake: FakeScaleAPI
) -> None:
    await scale_client.create_project("p", TaskType.Categorization)
    task = await scale_client.create_task(TaskType.Categorization, project="p", **CATEGORIZE)
    assert task.status == "completed"
    assert scale_fake.get_task(task.task_id) is not None
    assert scale_fake.stats.tasks_created == 1


def test_sync_client_fixture(scale_sync_client: ScaleClient, scale_fake: FakeScaleAPI) -> None:
    scale_sync_client.create_project("p", TaskType.Categorization)
    task = scale_sync_client.create_task(TaskType.Categorization, project="p", **CATEGORIZE)
    assert scale_sync_client.get_task(task.task_id).task_id == task.task_id
    with pytest.raises(ScaleResourceNotFound):
        scale_sync_client.get_task("nope")


def test_each_test_gets_a_fresh_fake(scale_sync_client: ScaleClient) -> None:
    assert scale_sync_client.projects() == []


async def test_faults_configured_on_the_fixture(
    scale_client: AsyncScaleClient, scale_fake: FakeScaleAPI
) -> None:
    """Tests can make the fake misbehave; the client's retries then show."""
    scale_fake.enqueue_faults("unavailable", "server_error")
    assert await scale_client.projects() == []
    assert scale_fake.stats.faults_injected == 2


@pytest.mark.scale_live
async def test_the_scale_live_marker_gives_a_live_key(
    scale_client: AsyncScaleClient, scale_fake: FakeScaleAPI, scale_api_key: str
) -> None:
    assert scale_api_key.startswith("live_")
    await scale_client.create_project("p", TaskType.Categorization)
    task = await scale_client.create_task(TaskType.Categorization, project="p", **CATEGORIZE)
    assert task.status == "pending"
    done = await scale_fake.complete_task(task.task_id)
    assert done["status"] == "completed"


@pytest.mark.scale_live
def test_the_sync_fixture_follows_the_marker(
    scale_sync_client: ScaleClient, scale_api_key: str
) -> None:
    assert scale_api_key.startswith("live_")
    scale_sync_client.create_project("p", TaskType.Categorization)
    task = scale_sync_client.create_task(TaskType.Categorization, project="p", **CATEGORIZE)
    assert task.status == "pending"


def test_without_the_marker_the_key_is_a_test_key(scale_api_key: str) -> None:
    assert scale_api_key.startswith("test_")
