"""The fake's v1 wire behaviour, in-process (no sockets), on asyncio and trio."""

from __future__ import annotations

import json
from typing import Any

import httpx

from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI

IMAGE = "https://example.invalid/cow.jpg"
BOX = {"box": {"objects_to_annotate": ["cow"]}}


async def create(api: httpx.AsyncClient, **extra: Any) -> dict[str, Any]:
    response = await api.post(
        "/task/imageannotation", json={"attachment": IMAGE, "geometries": BOX, **extra}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def setup_project(api: httpx.AsyncClient, name: str = "proj", **extra: Any) -> None:
    body = {"type": "imageannotation", "name": name, **extra}
    assert (await api.post("/projects", json=body)).status_code == 200


async def test_auth_is_basic_with_the_key_as_username(fake: FakeScaleAPI) -> None:
    async with httpx.AsyncClient(transport=fake.transport(), base_url=IN_PROCESS_BASE_URL) as raw:
        missing = await raw.get("/projects")
        assert missing.status_code == 401
        assert set(missing.json()) == {"status_code", "error"}
        assert missing.json()["status_code"] == 401
        assert (await raw.get("/projects", auth=("prod_key", ""))).status_code == 401
        assert (await raw.get("/projects", auth=("test_k", ""))).json() == []
        bearer = await raw.get("/projects", headers={"Authorization": "Bearer live_k"})
        assert bearer.status_code == 200
    only = FakeScaleAPI(keys=["test_allowed"])
    async with only.client("test_other") as other:
        assert (await other.get("/projects")).status_code == 401


async def test_test_and_live_keys_see_separate_worlds(
    api: httpx.AsyncClient, live_api: httpx.AsyncClient
) -> None:
    await setup_project(api)
    assert (await live_api.get("/projects/proj")).status_code == 404
    task = await create(api)
    assert (await live_api.get(f"/task/{task['task_id']}")).status_code == 404
    live_task = await create(live_api)
    assert (live_task["status"], live_task["is_test"]) == ("pending", False)
    assert "response" not in live_task
    assert "completed_at" not in live_task
    assert (task["status"], task["is_test"]) == ("completed", True)


async def test_unknown_routes_and_bad_bodies(api: httpx.AsyncClient) -> None:
    gone = await api.get("/nothing/here")
    assert gone.status_code == 404
    assert gone.json()["status_code"] == 404
    outside = await api.get("http://fake-scale.invalid/elsewhere")
    assert outside.status_code == 404
    broken = await api.post(
        "/projects", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert (await api.post("/task/nonsense", json={})).status_code == 400
    assert (await api.post("/task/imageannotation", json=["a"])).status_code == 400


async def test_create_validates_and_links_project_and_batch(api: httpx.AsyncClient) -> None:
    missing = await api.post("/task/imageannotation", json={"geometries": BOX})
    assert missing.status_code == 400
    assert missing.json()["error"] == "Please include an attachment or attachments parameter."
    assert (
        await api.post(
            "/task/imageannotation", json={"attachment": IMAGE, "geometries": BOX, "project": "x"}
        )
    ).status_code == 404
    assert (
        await api.post(
            "/task/imageannotation", json={"attachment": IMAGE, "geometries": BOX, "batch": "x"}
        )
    ).status_code == 404
    await setup_project(api, params={"instruction": "from project", "geometries": BOX})
    inherited = await api.post(
        "/task/imageannotation", json={"project": "proj", "attachment": IMAGE}
    )
    assert inherited.status_code == 200
    assert inherited.json()["instruction"] == "from project"
    assert inherited.json()["params"]["geometries"]["box"]["objects_to_annotate"] == ["cow"]
    skipped = await api.post(
        "/task/imageannotation",
        json={"project": "proj", "attachment": IMAGE, "project_version": -1},
    )
    assert skipped.status_code == 400
    legacy = await api.post(
        "/task/categorize", json={"attachment": IMAGE, "categories": ["a"], "instruction": "?"}
    )
    assert legacy.json()["type"] == "categorization"


async def test_idempotency_key_replays_the_same_request_and_refuses_a_different_one(
    fake: FakeScaleAPI, api: httpx.AsyncClient
) -> None:
    headers = {"Idempotency-Key": "key-1"}
    body = {"attachment": IMAGE, "geometries": BOX, "unique_id": "u"}
    first = await api.post("/task/imageannotation", json=body, headers=headers)
    again = await api.post("/task/imageannotation", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["task_id"] == first.json()["task_id"]
    other = await api.post(
        "/task/imageannotation", json={**body, "unique_id": "v"}, headers=headers
    )
    assert other.status_code == 409
    assert "key-1" in other.json()["error"]
    assert fake.stats.tasks_created == 1
    assert fake.stats.duplicates_refused == 1


async def test_task_keyset_paging_is_exact_and_newest_first(api: httpx.AsyncClient) -> None:
    made = [(await create(api))["task_id"] for _ in range(23)]
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 7}
    first = (await api.get("/tasks", params=params)).json()
    assert set(first) == {"docs", "total", "offset", "limit", "has_more", "next_token"}
    page = first
    while True:
        seen.extend(doc["task_id"] for doc in page["docs"])
        assert page["total"] == 23 + (1 if len(seen) > 7 else 0)
        if not page["has_more"]:
            assert page["next_token"] is None
            break
        if len(seen) == 7:
            await create(api)  # a newer task must not shift the pages that follow
        page = (
            await api.get("/tasks", params={"limit": 7, "next_token": page["next_token"]})
        ).json()
    assert seen == list(reversed(made))
    created = [doc["created_at"] for doc in first["docs"]]
    assert created == sorted(created, reverse=True)
    assert len(set(created)) == 7


async def test_task_list_filters(api: httpx.AsyncClient, live_api: httpx.AsyncClient) -> None:
    await setup_project(api)
    await api.post("/batches", json={"project": "proj", "name": "b"})
    a = await create(api, project="proj", unique_id="ua", tags=["red", "big"])
    b = await create(api, batch="b", unique_id="ub", tags=["blue"])
    c = (
        await api.post(
            "/task/categorization",
            json={"attachment": IMAGE, "categories": ["x"], "instruction": "?"},
        )
    ).json()
    await api.post(f"/task/{b['task_id']}/audit", json={"accepted": False, "comments": None})

    async def ids(**params: Any) -> list[str]:
        response = await api.get("/tasks", params=params)
        assert response.status_code == 200, response.text
        return [doc["task_id"] for doc in response.json()["docs"]]

    assert await ids(project="proj") == [b["task_id"], a["task_id"]]
    assert await ids(batch="b") == [b["task_id"]]
    assert await ids(type="categorization") == [c["task_id"]]
    assert await ids(unique_id=["ua", "ub"]) == [b["task_id"], a["task_id"]]
    assert await ids(tags=["blue", "big"]) == [b["task_id"], a["task_id"]]
    assert await ids(customer_review_status="accepted,rejected") == [b["task_id"]]
    assert await ids(status="pending") == []
    assert await ids(start_time=a["created_at"], end_time=b["created_at"]) == [
        b["task_id"],
        a["task_id"],
    ]
    assert await ids(completed_after=c["completed_at"]) == [c["task_id"]]
    assert await ids(updated_after=c["updated_at"]) == [c["task_id"], b["task_id"]]
    assert await ids(limit=1, offset=1) == [b["task_id"]]
    slim = (await api.get("/tasks", params={"limited_response": "TRUE", "limit": 1})).json()[
        "docs"
    ][0]
    assert set(slim) == {"task_id", "status", "metadata"}
    for bad in (
        {"limit": 0},
        {"limit": 101},
        {"status": "weird"},
        {"bogus": 1},
        {"next_token": "xx"},
        {"start_time": "soon"},
    ):
        response = await api.get("/tasks", params=bad)
        assert response.status_code == 400, bad
    await create(live_api)
    assert (await live_api.get("/tasks", params={"status": "pending"})).json()["total"] == 1


async def test_tags_take_bare_arrays(api: httpx.AsyncClient) -> None:
    task = await create(api)
    url = f"/task/{task['task_id']}/tags"
    assert "tags" not in task
    assert (await api.post(url, json=["a", "b"])).json()["tags"] == ["a", "b"]
    assert (await api.put(url, json=["b", "c"])).json()["tags"] == ["a", "b", "c"]
    removed = await api.request("DELETE", url, json=["a", "zzz"])
    assert removed.json()["tags"] == ["b", "c"]
    assert (await api.post(url, json={"tags": ["x"]})).status_code == 400


async def test_metadata_replaces_and_unique_id_can_be_moved(api: httpx.AsyncClient) -> None:
    task = await create(api, metadata={"a": 1, "b": 2}, unique_id="one")
    tid = task["task_id"]
    assert (await api.post(f"/task/{tid}/setMetadata", json={"c": 3})).json()["metadata"] == {
        "c": 3
    }
    assert (await api.post(f"/task/{tid}/setMetadata", json=[1])).status_code == 400
    other = await create(api, unique_id="two")
    clash = await api.post(f"/task/{other['task_id']}/unique_id", json={"unique_id": "one"})
    assert clash.status_code == 409
    assert tid in clash.json()["error"]
    cleared = await api.delete(f"/task/{tid}/unique_id")
    assert "unique_id" not in cleared.json()
    assert (
        await api.post(f"/task/{other['task_id']}/unique_id", json={"unique_id": "one"})
    ).json()["unique_id"] == "one"
    assert (await api.get("/task/nope")).json() == {
        "status_code": 404,
        "error": "Task with that ID not found.",
    }


async def test_cancel_rules(api: httpx.AsyncClient, live_api: httpx.AsyncClient) -> None:
    done = await create(api)
    refused = await api.post(f"/task/{done['task_id']}/cancel")
    assert refused.status_code == 400
    pending = await create(live_api, unique_id="reuse-me")
    url = f"/task/{pending['task_id']}/cancel"
    first = await live_api.post(url, params={"clear_unique_id": "True"})
    assert first.json()["status"] == "canceled"
    assert "unique_id" not in first.json()
    assert (await live_api.post(url)).status_code == 200
    assert (await create(live_api, unique_id="reuse-me"))["unique_id"] == "reuse-me"
    audit = await live_api.post(f"/task/{pending['task_id']}/audit", json={"accepted": True})
    assert audit.status_code == 400


async def test_batches_envelope_status_and_priority(
    api: httpx.AsyncClient, live_api: httpx.AsyncClient
) -> None:
    await setup_project(live_api, "p/x")
    created = await live_api.post("/batches", json={"project": "p/x", "name": "a/b c"})
    assert created.json()["status"] == "in_progress"
    assert (
        await live_api.post("/batches", json={"project": "p/x", "name": "a/b c"})
    ).status_code == 409
    assert (
        await live_api.post("/batches", json={"project": "nope", "name": "z"})
    ).status_code == 404
    assert (await live_api.post("/batches", json={"name": "z"})).status_code == 400
    tasks = [await create(live_api, batch="a/b c") for _ in range(3)]
    await live_api.post(f"/task/{tasks[0]['task_id']}/cancel")
    status = await live_api.get("/batches/a%2Fb%20c/status")
    assert status.json() == {"status": "in_progress", "canceled": 1, "pending": 2}
    prioritized = await live_api.post("/batches/a%2Fb%20c/prioritize", json={"priority": 30})
    assert prioritized.json() == {"result": "success"}
    assert (await live_api.get(f"/task/{tasks[1]['task_id']}")).json()["priority"] == 30
    for bad in (9, 31, True, "20", None):
        response = await live_api.post("/batches/a%2Fb%20c/prioritize", json={"priority": bad})
        assert response.status_code == 400, bad
    for n in range(4):
        await live_api.post("/batches", json={"project": "p/x", "name": f"n{n}"})
    page = (
        await live_api.get("/batches", params={"limit": 2, "offset": 2, "exclude_archived": "True"})
    ).json()
    assert {"docs", "totalDocs", "limit", "offset", "has_more"} <= set(page)
    assert [d["name"] for d in page["docs"]] == ["n1", "n0"]
    assert (page["totalDocs"], page["has_more"]) == (5, True)
    assert (await live_api.get("/batches", params={"status": "done"})).status_code == 400
    assert (await live_api.get("/batches", params={"limit": 500})).status_code == 400
    staged = await api.post(
        "/projects", json={"type": "imageannotation", "name": "r", "rapid": True}
    )
    assert staged.status_code == 200
    batch = (await api.post("/batches", json={"project": "r", "name": "rb"})).json()
    assert batch["status"] == "staging"
    assert (await api.post("/batches/rb/finalize")).json()["status"] == "in_progress"


async def test_project_versions_ontology_and_studio_options(api: httpx.AsyncClient) -> None:
    await setup_project(api, params={"instruction": "v0", "a": 1})
    v1 = (await api.post("/projects/proj/setParams", json={"instruction": "v1", "b": 2})).json()
    assert [h["version"] for h in v1["param_history"]] == [0, 1]
    assert "a" not in v1["param_history"][-1]
    v2 = (await api.post("/projects/proj/setParams", json={"patch": True, "c": 3})).json()
    assert {k: v2["param_history"][-1][k] for k in ("instruction", "b", "c", "version")} == {
        "instruction": "v1",
        "b": 2,
        "c": 3,
        "version": 2,
    }
    pinned = await api.post(
        "/task/imageannotation",
        json={"project": "proj", "attachment": IMAGE, "geometries": BOX, "project_version": 0},
    )
    assert pinned.json()["project_param_version"] == 0
    assert pinned.json()["instruction"] == "v0"
    onto = await api.post(
        "/projects/proj/setOntology",
        json={"name": "o1", "ontology": ["cat", {"choice": "dog", "subchoices": ["a", "b"]}]},
    )
    assert onto.json()["ontologyHistory"][0]["name"] == "o1"
    dup = await api.post(
        "/projects/proj/setOntology", json={"name": "o2", "ontology": ["cat", "cat"]}
    )
    assert dup.status_code == 400
    subdup = await api.post(
        "/projects/proj/setOntology",
        json={"name": "o3", "ontology": [{"choice": "d", "subchoices": ["x", "x"]}]},
    )
    assert subdup.status_code == 400
    consensus = {
        "type": "imageannotation",
        "name": "c",
        "studio": True,
        "pipeline": "consensus_task",
        "consensus_attempts": 3,
    }
    made = (await api.post("/projects", json=consensus)).json()
    assert (made["pipeline"], made["consensus_attempts"]) == ("consensus_task", 3)
    for bad in (
        {"type": "imageannotation", "name": "d", "pipeline": "standard_task"},
        {"type": "imageannotation", "name": "d", "studio": True, "pipeline": "other"},
        {"type": "imageannotation", "name": "d", "studio": True, "consensus_attempts": 2},
        {"type": "nonsense", "name": "d"},
    ):
        assert (await api.post("/projects", json=bad)).status_code == 400, bad
    assert (await api.get("/projects", params={"archived": "true"})).json() == []
    assert [
        p["name"] for p in (await api.get("/projects", params={"archived": "False"})).json()
    ] == ["proj", "c"]


async def test_files_upload_and_import(api: httpx.AsyncClient, fake: FakeScaleAPI) -> None:
    data = bytes(range(256)) * 3
    uploaded = await api.post(
        "/files/upload",
        files={"file": ("pic.png", data, "image/png")},
        data={"display_name": "Pic", "reference_id": "r1", "metadata": json.dumps({"k": 1})},
    )
    body = uploaded.json()
    assert (body["size"], body["mime_type"], body["display_name"], body["metadata"]) == (
        len(data),
        "image/png",
        "Pic",
        {"k": 1},
    )
    again = await api.post(
        "/files/upload", files={"file": ("x.txt", b"x")}, data={"reference_id": "r1"}
    )
    assert again.status_code == 409
    assert (
        await api.post(
            "/files/upload", data={"display_name": "no file"}, files={"other": ("a", b"a")}
        )
    ).status_code == 400
    assert (
        await api.post("/files/upload", files={"file": ("a", b"a")}, data={"metadata": "{"})
    ).status_code == 400
    imported = await api.post("/files/import", json={"file_url": "https://example.invalid/doc.pdf"})
    assert imported.json()["mime_type"] == "application/pdf"
    assert (await api.post("/files/import", json={})).status_code == 400


async def test_quality_tasks_need_a_rapid_project(api: httpx.AsyncClient) -> None:
    await setup_project(api, "plain")
    await setup_project(api, "rapid", rapid=True)
    body = {"attachment": IMAGE, "geometries": BOX, "expected_response": {"annotations": []}}
    refused = await api.post("/evaluation_tasks/imageannotation", json={**body, "project": "plain"})
    assert refused.status_code == 400
    made = await api.post("/evaluation_tasks/imageannotation", json={**body, "project": "rapid"})
    assert set(made.json()) >= {"id", "expected_response"}
    assert "initial_response" not in made.json()
    training = await api.post(
        "/training_tasks/imageannotation", json={**body, "project": "rapid", "initial_response": {}}
    )
    assert "initial_response" not in training.json()
    assert (
        await api.post("/training_tasks/lidarannotation", json={**body, "project": "rapid"})
    ).status_code == 400
    no_expected = {k: v for k, v in body.items() if k != "expected_response"}
    assert (
        await api.post("/training_tasks/imageannotation", json={**no_expected, "project": "rapid"})
    ).status_code == 400


async def test_teams_and_studio_refusals(api: httpx.AsyncClient) -> None:
    await setup_project(api, "s", studio=True)
    invited = (
        await api.post("/teams/invite", json={"emails": ["a@x.test"], "team_role": "labeler"})
    ).json()
    assert [t["email"] for t in invited][-1] == "a@x.test"
    assert (
        await api.post("/teams/invite", json={"emails": ["bad"], "team_role": "labeler"})
    ).status_code == 400
    assert (
        await api.post("/teams/invite", json={"emails": ["b@x.test"], "team_role": "admin"})
    ).status_code == 400
    assert (
        await api.post("/teams/set_role", json={"emails": ["who@x.test"], "team_role": "member"})
    ).status_code == 404
    group = await api.post("/studio/projects/s/groups", json={"name": "g", "emails": ["a@x.test"]})
    assert group.status_code == 400  # not assigned to the project yet
    await api.post("/studio/assignments/add", json={"emails": ["a@x.test"], "projects": ["s"]})
    assert (
        await api.post("/studio/projects/s/groups", json={"name": "g", "emails": ["a@x.test"]})
    ).status_code == 200
    assert (
        await api.post("/studio/projects/s/groups", json={"name": "g", "emails": []})
    ).status_code == 409
    assert (
        await api.put(
            "/studio/projects/s/groups/none", json={"add_emails": [], "remove_emails": []}
        )
    ).status_code == 404
    assert (
        await api.post("/studio/assignments/add", json={"emails": ["a@x.test"], "projects": ["zz"]})
    ).status_code == 404
    await api.post("/batches", json={"project": "s", "name": "sb"})
    assert (await api.put("/studio/batches/sb", json={"groups": ["g", "a@x.test"]})).json()[
        "groups"
    ] == ["g", "a@x.test"]
    assert (await api.put("/studio/batches/sb", json={"groups": ["nobody"]})).status_code == 400
    assert (
        await api.post(
            "/studio/batches/set_priorities", json={"batches": [{"name": "sb"}, {"name": "sb"}]}
        )
    ).status_code == 400
    await api.post("/teams/set_role", json={"emails": ["a@x.test"], "team_role": "disabled"})
    assert (await api.get("/studio/assignments")).json() == {}


async def test_live_completion_fires_a_retried_callback() -> None:
    calls: list[httpx.Request] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503 if len(calls) < 3 else 204)

    fake = FakeScaleAPI(
        callback_transport=httpx.MockTransport(receiver),
        callback_backoff=0.0,
        callback_auth_key="secret",
    )
    async with fake.client("live_k") as api:
        task = await create(api, callback_url="https://hooks.invalid/scale")
        done = await api.post(
            f"http://fake-scale.invalid/_fake/tasks/{task['task_id']}/complete",
            json={"response": {"ok": 1}},
        )
        assert done.status_code == 200
        report = done.json()
        assert [c["status_code"] for c in report["callbacks"]] == [503, 503, 204]
        assert report["task"]["callback_succeeded"] is True
        assert report["task"]["response"] == {"ok": 1}
        body = json.loads(calls[-1].content)
        assert set(body) == {"task", "response", "task_id", "status"}
        assert (body["task_id"], body["status"], body["response"]) == (
            task["task_id"],
            "completed",
            {"ok": 1},
        )
        assert calls[-1].headers["scale-callback-auth"] == "secret"
        again = await api.post(f"http://fake-scale.invalid/_fake/tasks/{task['task_id']}/complete")
        assert again.status_code == 400
        unknown = await api.post("http://fake-scale.invalid/_fake/tasks/nope/complete")
        assert unknown.status_code == 404
    assert fake.stats.callbacks_delivered == 1
    assert len(fake.callbacks) == 3


async def test_failed_callbacks_and_error_completion() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    fake = FakeScaleAPI(
        callback_transport=httpx.MockTransport(refuse), callback_backoff=0.0, callback_attempts=2
    )
    async with fake.client("live_k") as api:
        hooked = await create(api, callback_url="http://hooks.invalid/x")
        emailed = await create(api, callback_url="ops@example.invalid")
    failed = await fake.complete_task(hooked["task_id"], status="error")
    assert (failed["status"], failed["callback_succeeded"]) == ("error", False)
    assert failed["response"]["error"].startswith("One or more attachments")
    assert [a.error is not None for a in fake.callbacks] == [True, True]
    mailed = await fake.complete_task(emailed["task_id"])
    assert mailed["status"] == "completed"
    assert "callback_succeeded" not in mailed
    assert fake.stats.callbacks_failed == 1
    assert fake.get_task(hooked["task_id"]) == failed
    assert fake.get_task("missing") is None
