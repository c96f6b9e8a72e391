"""The official ``scaleapi`` SDK, pointed at the fake over loopback, works for every v1 method."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import scaleapi
from scaleapi.exceptions import (
    ScaleDuplicateResource,
    ScaleException,
    ScaleInternalError,
    ScaleInvalidRequest,
    ScaleResourceNotFound,
    ScaleServiceUnavailable,
    ScaleTimeoutError,
    ScaleTooManyRequests,
    ScaleUnauthorized,
)
from scaleapi.tasks import TaskReviewStatus, TaskStatus, TaskType
from scaleapi.teams import TeammateRole

from scale_async.testing import FakeScaleAPI, FakeServer, run_in_thread

TEST_KEY = "test_sdk_key"
LIVE_KEY = "live_sdk_key"
PROJECT = "sdk project/one"
IMAGE = "https://example.invalid/cow.jpg"
GEOMETRIES = {"box": {"objects_to_annotate": ["Baby Cow", "Big Cow"], "min_height": 10}}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with run_in_thread(FakeScaleAPI(seed=7, callback_backoff=0.0)) as running:
        yield running


@pytest.fixture
def client(server: FakeServer) -> scaleapi.ScaleClient:
    server.fake.reset()
    return scaleapi.ScaleClient(TEST_KEY, api_instance_url=server.base_url)


@pytest.fixture
def live(server: FakeServer) -> scaleapi.ScaleClient:
    server.fake.reset()
    return scaleapi.ScaleClient(LIVE_KEY, api_instance_url=server.base_url)


def make_task(client: scaleapi.ScaleClient, **extra: Any) -> scaleapi.Task:
    params: dict[str, Any] = {
        "instruction": "Draw a box around each cow.",
        "callback_url": "https://example.invalid/callback",
        "attachment_type": "image",
        "attachment": IMAGE,
        "geometries": GEOMETRIES,
    }
    return client.create_task(TaskType.ImageAnnotation, **{**params, **extra})


def test_server_starts_quickly() -> None:
    started = time.perf_counter()
    with run_in_thread() as running:
        elapsed = time.perf_counter() - started
        assert running.base_url.startswith("http://127.0.0.1:")
    assert elapsed < 2.0


def test_bad_key_is_unauthorized(server: FakeServer) -> None:
    for key in ("dummy", "prod_123"):
        bad = scaleapi.ScaleClient(key, api_instance_url=server.base_url)
        with pytest.raises(ScaleUnauthorized):
            bad.batches(limit=1)


def test_create_and_read_tasks_of_several_types(client: scaleapi.ScaleClient) -> None:
    image = make_task(client, metadata={"frame": 1})
    assert image.status == "completed"
    assert image.is_test is True
    assert image.response["annotations"][0]["label"] == "Baby Cow"
    assert image.params["geometries"]["box"]["min_width"] == 0
    assert image.metadata == {"frame": 1}
    assert not hasattr(image, "tags")
    assert "unique_id" not in image.as_dict()

    fetched = client.get_task(image.id)
    assert fetched.as_dict() == image.as_dict()

    category = client.create_task(
        TaskType.Categorization,
        instruction="Is this company public or private?",
        attachment_type="website",
        attachment="https://example.invalid/",
        categories=["public", "private"],
    )
    assert category.response == {"category": "public"}
    transcription = client.create_task(
        TaskType.Transcription,
        instruction="Transcribe the given fields.",
        attachment_type="website",
        attachment="https://example.invalid/news",
        fields={"title": "Title of Webpage", "top_result": "Title of the top result"},
    )
    assert set(transcription.response["fields"]) == {"title", "top_result"}
    ner = client.create_task(
        TaskType.NamedEntityRecognition,
        instruction="Label the entities.",
        text="Scale AI is in San Francisco.",
        labels=[{"name": "ORG", "description": "an organisation"}],
    )
    assert ner.response["annotations"][0] == {"label": "ORG", "start": 0, "end": 5, "text": "Scale"}
    cases: list[tuple[TaskType, dict[str, Any]]] = [
        (TaskType.Annotation, {"objects_to_annotate": ["car"]}),
        (TaskType.PolygonAnnotation, {"objects_to_annotate": ["car"]}),
        (TaskType.LineAnnotation, {"objects_to_annotate": ["lane"]}),
        (TaskType.DocumentTranscription, {}),
        (TaskType.DataCollection, {"fields": {"title": "Title"}}),
        (TaskType.SegmentAnnotation, {"labels": ["sky", "road"]}),
    ]
    for task_type, params in cases:
        made = client.create_task(task_type, attachment=IMAGE, instruction="Do it.", **params)
        assert made.type == task_type.value
        assert made.status == TaskStatus.Completed.value


@pytest.mark.parametrize(
    ("task_type", "params"),
    [
        (TaskType.Categorization, {"attachment_type": "website", "categories": ["a", "b"]}),
        (TaskType.Transcription, {"attachment": IMAGE, "attachment_type": "website"}),
        (TaskType.ImageAnnotation, {"geometries": GEOMETRIES}),
        (TaskType.DocumentTranscription, {"features": []}),
        (TaskType.Annotation, {"attachment": IMAGE}),
        (TaskType.PolygonAnnotation, {"objects_to_annotate": ["car"]}),
        (TaskType.LineAnnotation, {"attachment": IMAGE}),
        (TaskType.DataCollection, {"attachment": IMAGE}),
    ],
)
def test_missing_required_params_are_invalid_requests(
    client: scaleapi.ScaleClient, task_type: TaskType, params: dict[str, Any]
) -> None:
    with pytest.raises(ScaleInvalidRequest) as caught:
        client.create_task(task_type, instruction="x", **params)
    assert "Please include" in caught.value.message


def test_not_found_errors(client: scaleapi.ScaleClient) -> None:
    with pytest.raises(ScaleResourceNotFound) as caught:
        client.get_task("fake_id_qwertyuiop")
    assert caught.value.message == "Task with that ID not found."
    with pytest.raises(ScaleResourceNotFound):
        client.get_project("no such project")
    with pytest.raises(ScaleResourceNotFound):
        client.get_batch("no such batch")


def test_unique_id_lifecycle(client: scaleapi.ScaleClient) -> None:
    first = make_task(client, unique_id="uid-1")
    assert first.unique_id == "uid-1"
    with pytest.raises(ScaleDuplicateResource) as caught:
        make_task(client, unique_id="uid-1")
    assert first.id in caught.value.message

    renamed = client.update_task_unique_id(first.id, "uid-2")
    assert renamed.unique_id == "uid-2"
    again = make_task(client, unique_id="uid-1")
    with pytest.raises(ScaleDuplicateResource):
        client.update_task_unique_id(again.id, "uid-2")

    cleared = client.clear_task_unique_id(first.id)
    assert "unique_id" not in cleared.as_dict()
    assert make_task(client, unique_id="uid-2").unique_id == "uid-2"
    found = client.tasks(unique_id=["uid-1", "uid-2"])
    assert found.total == 2

    first.update_unique_id("uid-3")
    first.refresh()
    assert first.unique_id == "uid-3"
    first.clear_unique_id()
    first.refresh()
    assert "unique_id" not in first.as_dict()


def test_metadata_and_tags(client: scaleapi.ScaleClient) -> None:
    task = make_task(client, metadata={"old": True})
    assert client.set_task_metadata(task.id, {"myKey": "myValue"}).metadata == {"myKey": "myValue"}
    assert client.set_task_metadata(task.id, {}).metadata == {}
    task.set_metadata({"a": 1})
    task.refresh()
    assert task.metadata == {"a": 1}

    assert client.set_task_tags(task.id, ["t0"]).tags == ["t0"]
    assert client.add_task_tags(task.id, ["t1", "t2", "t3", "t0"]).tags == ["t0", "t1", "t2", "t3"]
    assert client.delete_task_tags(task.id, ["t1", "t2", "nope"]).tags == ["t0", "t3"]
    task.set_tags(["x"])
    task.add_tags(["y"])
    task.delete_tags(["x"])
    task.refresh()
    assert task.tags == ["y"]
    assert client.tasks(tags=["y"]).total == 1


def test_cancel_audit_and_review_filter(client: scaleapi.ScaleClient) -> None:
    task = make_task(client)
    with pytest.raises(ScaleInvalidRequest):
        client.cancel_task(task.id)
    client.audit_task(task.id, True)
    task.audit(False, "wrong box")
    audits = client.get_task(task.id).audits
    assert [a["audit_result"] for a in audits] == ["accepted", "rejected"]
    assert audits[1]["comments"] == "wrong box"
    other = make_task(client)
    client.audit_task(other.id, True, "fine")
    rejected = client.tasks(customer_review_status="rejected,fixed")
    assert [t.id for t in rejected] == [task.id]
    assert [t.id for t in client.tasks(customer_review_status="pending")] == []
    assert client.tasks(customer_review_status="accepted").docs[0].id == other.id


def test_task_lists_and_generators(client: scaleapi.ScaleClient) -> None:
    client.create_project(PROJECT, TaskType.ImageAnnotation, params={"instruction": "Boxes."})
    batch = client.create_batch(PROJECT, "batch/a")
    made = [make_task(client, batch=batch.name) for _ in range(5)]
    make_task(client)

    page = client.tasks(batch=batch.name, limit=2)
    assert [t.id for t in page.docs] == [made[4].id, made[3].id]
    assert (page.total, page.has_more) == (5, True)
    assert page.next_token
    rest = client.tasks(batch=batch.name, limit=2, next_token=page.next_token)
    assert [t.id for t in rest.docs] == [made[2].id, made[1].id]

    streamed = list(client.get_tasks(project_name=PROJECT, batch_name=batch.name, limit=2))
    assert [t.id for t in streamed] == [t.id for t in reversed(made)]
    assert client.get_tasks_count(project_name=PROJECT) == 5
    assert client.get_tasks_count(batch_name=batch.name, status=TaskStatus.Completed) == 5
    reviewed = client.get_tasks_count(
        project_name=PROJECT, review_status=[TaskReviewStatus.Accepted, TaskReviewStatus.Fixed]
    )
    assert reviewed == 0
    slim = list(client.get_tasks(project_name=PROJECT, limited_response=True))
    assert set(slim[0].as_dict()) == {"task_id", "status", "metadata", "project"}
    assert client.get_tasks_count(project_name=PROJECT, task_type=TaskType.Categorization) == 0
    future = "2999-01-01 00:00:00.000000"
    assert client.get_tasks_count(project_name=PROJECT, created_after=future) == 0
    assert client.get_tasks_count(project_name=PROJECT, created_before=future) == 5
    with pytest.raises(ScaleInvalidRequest):
        client.tasks(limit=101)


def test_batches(client: scaleapi.ScaleClient) -> None:
    client.create_project(PROJECT, TaskType.ImageAnnotation)
    batch = client.create_batch(PROJECT, "b 1", metadata={"k": "v"})
    assert batch.status == "in_progress"
    assert client.get_batch("b 1").metadata == {"k": "v"}
    with pytest.raises(ScaleDuplicateResource) as caught:
        client.create_batch(PROJECT, "b 1")
    assert "b 1" in caught.value.message
    assert client.finalize_batch("b 1").status == "in_progress"
    assert batch.finalize().name == "b 1"
    assert client.batch_status("b 1") == {"status": "in_progress"}
    make_task(client, batch="b 1")
    live_status = batch.get_status()
    assert live_status == {"status": "completed", "completed": 1}
    assert batch.tasks_completed == 1
    assert client.set_batch_metadata("b 1", {"new": 1}).metadata == {"new": 1}
    for n in range(3):
        client.create_batch(PROJECT, f"more {n}")
    assert client.batches(limit=2).total == 4
    assert len(list(client.get_batches(project_name=PROJECT))) == 4
    done = list(
        client.get_batches(project_name=PROJECT, batch_status=scaleapi.BatchStatus.Completed)
    )
    assert [b.name for b in done] == ["b 1"]
    assert client.batches(limit=1, offset=3).docs[0].name == "b 1"


def test_projects(client: scaleapi.ScaleClient) -> None:
    project = client.create_project(
        PROJECT, TaskType.ImageAnnotation, params={"instruction": "v0", "geometries": GEOMETRIES}
    )
    assert project.version == 0
    assert project.instruction == "v0"
    with pytest.raises(ScaleDuplicateResource):
        client.create_project(PROJECT, TaskType.ImageAnnotation)
    updated = client.update_project(PROJECT, instruction="v1")
    assert updated.version == 1
    assert "geometries" not in updated.params
    patched = client.update_project(PROJECT, patch=True, instruction="v2")
    assert patched.version == 2
    assert patched.params["instruction"] == "v2"
    assert client.get_project(PROJECT).version == 2
    client.create_project("chat project", TaskType.Chat, params={"template_variables": {"a": "b"}})
    assert [p.name for p in client.projects()] == [PROJECT, "chat project"]
    assert len(client.get_projects()) == 2
    template = client.get_project_template("chat project")
    assert template.get_template_variables() == {"a": "b"}
    assert client.get_project("chat project").get_template().version == 0
    with pytest.raises(ScaleInvalidRequest):
        client.get_project_template(PROJECT)
    inherited = client.create_task(
        TaskType.ImageAnnotation, project=PROJECT, attachment=IMAGE, geometries=GEOMETRIES
    )
    assert inherited.instruction == "v2"
    assert inherited.project_param_version == 2


def test_files(client: scaleapi.ScaleClient) -> None:
    client.create_project(PROJECT, TaskType.ImageAnnotation)
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    uploaded = client.upload_file(
        io.BytesIO(png), project_name=PROJECT, reference_id="ref-1", metadata=json.dumps({"a": 1})
    )
    assert uploaded.attachment_url.startswith("scaledata://")
    assert uploaded.as_dict()["size"] == len(png)
    assert uploaded.as_dict()["metadata"] == {"a": 1}
    with pytest.raises(ScaleDuplicateResource):
        client.upload_file(io.BytesIO(b"again"), reference_id="ref-1")
    imported = client.import_file("https://example.invalid/photo.jpg", project_name=PROJECT)
    assert imported.as_dict()["mime_type"] == "image/jpeg"
    task = client.create_task(
        TaskType.ImageAnnotation, attachment=uploaded.attachment_url, geometries=GEOMETRIES
    )
    assert task.params["attachment"] == uploaded.attachment_url


def test_quality_tasks(client: scaleapi.ScaleClient) -> None:
    client.create_project("rapid", TaskType.ImageAnnotation, rapid=True)
    evaluation = client.create_evaluation_task(
        TaskType.ImageAnnotation,
        project="rapid",
        attachment=IMAGE,
        geometries=GEOMETRIES,
        expected_response={"annotations": []},
        initial_response={"annotations": [{"label": "x"}]},
    )
    assert evaluation.expected_response == {"annotations": []}
    assert evaluation.as_dict()["initial_response"] == {"annotations": [{"label": "x"}]}
    training = client.create_training_task(
        TaskType.ImageAnnotation,
        project="rapid",
        attachment=IMAGE,
        geometries=GEOMETRIES,
        expected_response={"annotations": []},
    )
    assert training.id != evaluation.id
    with pytest.raises(ScaleInvalidRequest):
        client.create_training_task(TaskType.ImageAnnotation, project="rapid", attachment=IMAGE)


def test_teams(client: scaleapi.ScaleClient) -> None:
    owner = client.list_teammates()
    assert [t.role for t in owner] == ["admin"]
    invited = client.invite_teammates(["a@x.test", "b@x.test"], TeammateRole.Labeler)
    assert [t.email for t in invited][1:] == ["a@x.test", "b@x.test"]
    assert invited[1].expiry is not None
    assert invited[1].is_studio_labeler
    changed = client.update_teammates_role(["a@x.test"], TeammateRole.Member)
    assert {t.email: t.role for t in changed}["a@x.test"] == "member"
    again = invited[2].update_teammate_role(TeammateRole.Manager)
    assert {t.email: t.role for t in again}["b@x.test"] == "manager"
    with pytest.raises(ScaleInvalidRequest):
        client.update_teammates_role([owner[0].email], TeammateRole.Member)


def test_studio(client: scaleapi.ScaleClient) -> None:
    client.create_project("studio", TaskType.ImageAnnotation, studio=True)
    client.invite_teammates(["l1@x.test", "l2@x.test"], TeammateRole.Labeler)
    assignments = client.add_studio_assignments(["l1@x.test", "l2@x.test"], ["studio"])
    assert assignments["l1@x.test"].assigned_projects == ["studio"]
    assert set(client.list_studio_assignments()) == {"l1@x.test", "l2@x.test"}

    group = client.create_project_group("studio", ["l1@x.test"], "group one")
    assert (group.name, group.numWorkers, group.isSingleton) == ("group one", 1, False)
    updated = client.update_project_group("studio", "group one", ["l2@x.test"], ["l1@x.test"])
    assert [w.email for w in updated.workers[0]] == ["l2@x.test"]
    assert [g.name for g in client.list_project_groups("studio")] == ["group one"]

    first = client.create_batch("studio", "s1")
    assert first.status == "staging"
    client.create_batch("studio", "s2")
    client.create_batch("studio", "cal", calibration_batch=True)
    assert [b.name for b in client.list_studio_batches()] == ["cal", "s1", "s2"]
    assigned = client.assign_studio_batches("s1", ["group one"])
    assert assigned.groups == ["group one"]
    ordered = client.set_studio_batches_priorities(["s2", "s1", "cal"])
    assert [(b.name, b.studio_priority) for b in ordered] == [("s2", 1), ("s1", 2), ("cal", 3)]
    with pytest.raises(ScaleInvalidRequest):
        client.set_studio_batches_priorities(["s2"])
    assert [b.name for b in client.reset_studio_batches_priorities()] == ["cal", "s1", "s2"]

    removed = client.remove_studio_assignments(["l1@x.test"], ["studio"])
    assert set(removed) == {"l2@x.test"}


def test_live_tasks_wait_for_completion_and_fire_callbacks(
    server: FakeServer, live: scaleapi.ScaleClient
) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(
                (json.loads(self.rfile.read(length)), self.headers["scale-callback-auth"])
            )
            self.send_response(500 if len(received) == 1 else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return None

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        task = make_task(live, callback_url=url)
        assert (task.status, task.is_test) == ("pending", False)
        canceled = make_task(live, unique_id="again")
        assert live.cancel_task(canceled.id).status == "canceled"
        assert "unique_id" not in live.cancel_task(canceled.id, clear_unique_id=True).as_dict()
        reused = make_task(live, unique_id="again")
        reused.cancel()
        reused.refresh()
        assert reused.status == "canceled"

        done = server.complete_task(task.id)
        assert done["status"] == "completed"
        assert done["callback_succeeded"] is True
        assert len(received) == 2
        body, auth = received[-1]
        assert auth == server.fake.callback_auth_key
        assert body["task_id"] == task.id
        assert body["status"] == "completed"
        assert body["response"] == body["task"]["response"]
        assert live.get_task(task.id).status == "completed"
    finally:
        receiver.shutdown()
        receiver.server_close()
        thread.join()


def test_test_and_live_worlds_are_separate(
    server: FakeServer, client: scaleapi.ScaleClient
) -> None:
    client.create_project(PROJECT, TaskType.ImageAnnotation)
    other = scaleapi.ScaleClient(LIVE_KEY, api_instance_url=server.base_url)
    with pytest.raises(ScaleResourceNotFound):
        other.get_project(PROJECT)
    task = make_task(client)
    with pytest.raises(ScaleResourceNotFound):
        other.get_task(task.id)


def test_injected_faults_reach_the_sdk_as_its_exceptions(
    server: FakeServer, client: scaleapi.ScaleClient
) -> None:
    server.fake.enqueue_faults(
        "rate_limited", "server_error", "unavailable", "gateway_timeout", "drop_connection"
    )
    for expected in (
        ScaleTooManyRequests,
        ScaleInternalError,
        ScaleServiceUnavailable,
        ScaleTimeoutError,
        ScaleException,
    ):
        with pytest.raises(expected):
            client.projects()
    assert client.projects() == []

    server.fake.enqueue_faults("commit_then_fail")
    with pytest.raises(ScaleInternalError):
        make_task(client, unique_id="landed")
    with pytest.raises(ScaleDuplicateResource):
        make_task(client, unique_id="landed")
    assert client.tasks(unique_id="landed").total == 1
    stats = server.fake.stats
    assert stats.faults_injected == 6
    assert stats.tasks_created == 1
    assert stats.duplicates_refused == 1
