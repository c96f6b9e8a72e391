"""What goes on the wire for each task endpoint: method, path, query, body, headers, auth."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
import respx

from scale_async import ScaleInvalidRequest, TaskReviewStatus, TaskStatus, TaskType
from tests.api.support import sent
from tests.drivers import Driver
from tests.scripted import page_json, task_json


def body(route: respx.Route) -> Any:
    """The JSON body of the one request ``route`` received."""
    return json.loads(sent(route).content)


async def test_create_task_posts_the_kwargs_verbatim(driver: Driver, router: respx.Router) -> None:
    route = router.post("/task/imageannotation").respond(json=task_json("t1"))
    params = {
        "project": "kittens",
        "attachment": "https://example.com/a.png",
        "geometries": {"box": {"objects_to_annotate": ["cat"]}},
        "metadata": {"k": 1},
    }
    task = await driver.call("create_task", TaskType.ImageAnnotation, **params)
    assert task.task_id == "t1"
    assert isinstance(task, driver.models.Task)
    assert body(route) == params
    request = sent(route)
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"test_key:").decode()
    assert request.headers["user-agent"].startswith("scale-async/")
    assert request.headers["idempotency-key"]


async def test_create_task_accepts_a_type_name(driver: Driver, router: respx.Router) -> None:
    route = router.post("/task/categorization").respond(json=task_json())
    await driver.call("create_task", "categorization", project="p")
    assert route.called


async def test_get_task(driver: Driver, router: respx.Router) -> None:
    route = router.get("/task/abc").respond(json=task_json("abc", status="completed"))
    task = await driver.call("get_task", "abc")
    assert task.status is TaskStatus.Completed
    assert sent(route).content == b""
    assert "content-type" not in sent(route).headers


async def test_cancel_task(driver: Driver, router: respx.Router) -> None:
    route = router.post("/task/abc/cancel").respond(json=task_json("abc", status="canceled"))
    task = await driver.call("cancel_task", "abc")
    assert task.status == "canceled"
    assert sent(route).url.query == b""
    assert sent(route).content == b""


async def test_cancel_task_clearing_unique_id(driver: Driver, router: respx.Router) -> None:
    route = router.post("/task/abc/cancel").respond(json=task_json("abc"))
    await driver.call("cancel_task", "abc", clear_unique_id=True)
    assert sent(route).url.params["clear_unique_id"] == "true"


async def test_audit_task(driver: Driver, router: respx.Router) -> None:
    route = router.post("/task/abc/audit").respond(text="OK")
    assert await driver.call("audit_task", "abc", False) is None
    assert body(route) == {"accepted": False, "comments": None}
    route.reset()
    await driver.call("audit_task", "abc", True, "nice")
    assert body(route) == {"accepted": True, "comments": "nice"}


async def test_unique_id_endpoints(driver: Driver, router: respx.Router) -> None:
    update = router.post("/task/abc/unique_id").respond(json=task_json("abc", unique_id="u2"))
    clear = router.delete("/task/abc/unique_id").respond(json=task_json("abc"))
    task = await driver.call("update_task_unique_id", "abc", "u2")
    assert task.unique_id == "u2"
    assert body(update) == {"unique_id": "u2"}
    task = await driver.call("clear_task_unique_id", "abc")
    assert "unique_id" not in task.as_dict()  # None on async, AttributeError on sync
    assert "unique_id" not in task.as_dict()
    assert sent(clear).content == b""


async def test_set_metadata_sends_the_raw_object(driver: Driver, router: respx.Router) -> None:
    route = router.post("/task/abc/setMetadata").respond(json=task_json("abc", metadata={"a": 1}))
    task = await driver.call("set_task_metadata", "abc", {"a": 1})
    assert body(route) == {"a": 1}
    assert task.metadata == {"a": 1}


@pytest.mark.parametrize(
    ("name", "method"),
    [("set_task_tags", "POST"), ("add_task_tags", "PUT"), ("delete_task_tags", "DELETE")],
)
async def test_tags_are_bare_arrays(
    driver: Driver, router: respx.Router, name: str, method: str
) -> None:
    route = router.route(method=method, path="/task/abc/tags").respond(
        json=task_json("abc", tags=["x"])
    )
    task = await driver.call(name, "abc", ["x", "y"])
    assert body(route) == ["x", "y"]
    assert task.tags == ["x"]


async def test_names_in_paths_are_quoted(driver: Driver, router: respx.Router) -> None:
    route = router.get(url__regex=r".*/task/a%2Fb%20c$").respond(json=task_json("a/b c"))
    await driver.call("get_task", "a/b c")
    assert sent(route).url.raw_path == b"/v1/task/a%2Fb%20c"


async def test_tasks_page(driver: Driver, router: respx.Router) -> None:
    page = page_json([task_json("a"), task_json("b")], has_more=True, token="NT", total=7)
    route = router.get("/tasks").respond(json=page)
    result = await driver.call("tasks", project="p", status="completed", limit=2, tags=["a", "b"])
    assert isinstance(result, driver.models.Tasklist)
    assert [t.task_id for t in result] == ["a", "b"]
    assert [t.task_id for t in result.docs] == ["a", "b"]
    assert (result.total, result.limit, result.offset) == (7, 100, 0)
    assert (result.has_more, result.next_token) == (True, "NT")
    assert all(isinstance(t, driver.models.Task) for t in result)
    query = sent(route).url.params
    assert query["project"] == "p"
    assert query["status"] == "completed"
    assert query["limit"] == "2"
    assert query.get_list("tags") == ["a", "b"]


async def test_tasks_refuses_unknown_filters_before_sending(
    driver: Driver, router: respx.Router
) -> None:
    route = router.get("/tasks").respond(json=page_json([]))
    with pytest.raises(ScaleInvalidRequest, match="Illegal parameter bogus for ScaleClient"):
        await driver.call("tasks", bogus=1)
    assert not route.called


async def test_get_tasks_maps_filters_like_the_sdk(driver: Driver, router: respx.Router) -> None:
    route = router.get("/tasks").respond(json=page_json([task_json("a")]))
    tasks = await driver.collect(
        "get_tasks",
        project_name="p",
        batch_name="b",
        task_type=TaskType.ImageAnnotation,
        status=TaskStatus.Completed,
        review_status=[TaskReviewStatus.Accepted, TaskReviewStatus.Fixed],
        created_after="2024-01-01",
        created_before="2024-02-01",
        limit=2,
    )
    assert [t.task_id for t in tasks] == ["a"]
    query = sent(route).url.params
    assert dict(query) == {
        "project": "p",
        "batch": "b",
        "type": "imageannotation",
        "status": "completed",
        "customer_review_status": "accepted,fixed",
        "start_time": "2024-01-01",
        "end_time": "2024-02-01",
        "include_attachment_url": "True",
        "limit": "2",
    }


async def test_get_tasks_follows_next_token(driver: Driver, router: respx.Router) -> None:
    pages = {
        None: page_json([task_json("a"), task_json("b")], has_more=True, token="T2"),
        "T2": page_json([task_json("c")], has_more=True, token="T3"),
        "T3": page_json([]),
    }
    route = router.get("/tasks").mock(
        side_effect=lambda r: httpx.Response(200, json=pages[r.url.params.get("next_token")])
    )
    tasks = await driver.collect("get_tasks", batch_name="b", limited_response=True)
    assert [t.task_id for t in tasks] == ["a", "b", "c"]
    tokens = [call.request.url.params.get("next_token") for call in route.calls]
    assert tokens == [None, "T2", "T3"]
    assert route.calls.last.request.url.params["limited_response"] == "True"


async def test_get_tasks_refuses_a_page_without_a_token(
    driver: Driver, router: respx.Router
) -> None:
    router.get("/tasks").respond(json=page_json([task_json("a")], has_more=True))
    with pytest.raises(Exception, match="next_token"):
        await driver.collect("get_tasks", project_name="p")


async def test_get_tasks_needs_a_project_or_batch(driver: Driver) -> None:
    with pytest.raises(
        ValueError, match=r"^At least one of project_name or batch_name must be provided"
    ):
        await driver.collect("get_tasks")
    with pytest.raises(
        ValueError, match=r"^At least one of project_name or batch_name must be provided"
    ):
        await driver.call("get_tasks_count")


async def test_get_tasks_rejects_a_bad_page_size(driver: Driver) -> None:
    with pytest.raises(ValueError, match="between 1 and 100"):
        await driver.collect("get_tasks", project_name="p", limit=500)


async def test_get_tasks_count(driver: Driver, router: respx.Router) -> None:
    route = router.get("/tasks").respond(json=page_json([task_json("a")], total=42))
    assert await driver.call("get_tasks_count", project_name="p", status=TaskStatus.Pending) == 42
    query = sent(route).url.params
    assert query["limit"] == "1"
    assert query["status"] == "pending"


async def test_task_helpers_update_in_place(driver: Driver, router: respx.Router) -> None:
    """Each helper calls its endpoint and refreshes the object it was called on."""
    router.get("/task/t").respond(json=task_json("t", status="pending"))
    router.put("/task/t/tags").respond(json=task_json("t", tags=["new"]))
    router.post("/task/t/setMetadata").respond(json=task_json("t", metadata={"m": 2}))
    router.post("/task/t/unique_id").respond(json=task_json("t", unique_id="u9"))
    router.delete("/task/t/unique_id").respond(json=task_json("t", status="pending"))
    router.post("/task/t/cancel").respond(json=task_json("t", status="canceled"))
    audit = router.post("/task/t/audit").respond(json={"ok": True})
    task = await driver.call("get_task", "t")
    await driver.method(task, "add_tags", ["new"])
    assert task.tags == ["new"]
    await driver.method(task, "set_metadata", {"m": 2})
    assert task.metadata == {"m": 2}
    assert task.as_dict()["metadata"] == {"m": 2}
    await driver.method(task, "update_unique_id", "u9")
    assert task.unique_id == "u9"
    await driver.method(task, "clear_unique_id")
    assert "unique_id" not in task.as_dict()  # None on async, AttributeError on sync
    await driver.method(task, "audit", True)
    assert body(audit) == {"accepted": True, "comments": None}
    await driver.method(task, "cancel")
    assert task.status == "canceled"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("get_task", ("",)),
        ("get_task", (None,)),
        ("set_task_tags", ("t", "not-a-list")),
        ("set_task_metadata", ("t", ["not", "a", "dict"])),
        ("audit_task", ("t", "yes")),
        ("update_task_unique_id", ("t", "")),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    driver: Driver, router: respx.Router, name: str, args: tuple[Any, ...]
) -> None:
    with pytest.raises(ValueError, match="must be"):
        await driver.call(name, *args)
    assert router.calls.call_count == 0
