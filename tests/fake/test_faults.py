"""Fault injection and latency: in-process and over a real loopback socket, on asyncio and trio."""

from __future__ import annotations

import anyio
import httpx
import pytest

from scale_async.testing import FakeScaleAPI, FaultConfig, run_in_thread

CONTROL = "http://fake-scale.invalid/_fake"
BODY = {
    "attachment": "https://example.invalid/a.png",
    "geometries": {"box": {"objects_to_annotate": ["a"]}},
}


async def statuses(fake: FakeScaleAPI, count: int) -> list[int | str]:
    seen: list[int | str] = []
    async with fake.client("test_k") as api:
        for _ in range(count):
            try:
                seen.append((await api.get("/projects")).status_code)
            except httpx.RemoteProtocolError:
                seen.append("dropped")
    return seen


async def test_each_fault_kind_has_its_status_body_and_headers() -> None:
    fake = FakeScaleAPI(faults=FaultConfig(retry_after=7))
    fake.enqueue_faults(
        "rate_limited", "server_error", "bad_gateway", "unavailable", "gateway_timeout"
    )
    async with fake.client("test_k") as api:
        replies = [await api.get("/projects") for _ in range(6)]
    assert [r.status_code for r in replies] == [429, 500, 502, 503, 504, 200]
    assert replies[0].headers["Retry-After"] == "7"
    assert "Retry-After" not in replies[1].headers
    assert all(r.json()["status_code"] == r.status_code for r in replies[:5])
    assert fake.stats.faults_by_kind == dict.fromkeys(
        ("rate_limited", "server_error", "bad_gateway", "unavailable", "gateway_timeout"), 1
    )


async def test_dropped_connection_is_a_transport_error_in_process() -> None:
    fake = FakeScaleAPI()
    fake.enqueue_faults("drop_connection")
    async with fake.client("test_k") as api:
        with pytest.raises(httpx.RemoteProtocolError):
            await api.get("/projects")
        assert (await api.get("/projects")).status_code == 200
    assert fake.stats.faults_injected == 1


async def test_commit_then_fail_stores_the_task_and_answers_500() -> None:
    fake = FakeScaleAPI(faults=FaultConfig(commit_then_fail=1.0))
    async with fake.client("test_k") as api:
        assert (await api.get("/projects")).status_code == 200  # only task creation is affected
        first = await api.post(
            "/task/imageannotation",
            json={**BODY, "unique_id": "u1"},
            headers={"Idempotency-Key": "k"},
        )
        assert first.status_code == 500
        fake.configure(faults=FaultConfig())
        retry = await api.post("/task/imageannotation", json={**BODY, "unique_id": "u1"})
        assert retry.status_code == 409
        replay = await api.post(
            "/task/imageannotation",
            json={**BODY, "unique_id": "u1"},
            headers={"Idempotency-Key": "k"},
        )
        assert replay.status_code == 200
        listed = (await api.get("/tasks", params={"unique_id": "u1"})).json()
        assert listed["total"] == 1
        assert listed["docs"][0]["task_id"] == replay.json()["task_id"]
        invalid = await api.post("/task/imageannotation", json={})
        assert invalid.status_code == 400  # nothing committed, so no fault either
    stats = fake.stats
    assert (stats.tasks_created, stats.faults_injected, stats.duplicates_refused) == (1, 1, 1)


async def test_a_seed_makes_faults_repeatable_and_reset_restarts_them() -> None:
    config = FaultConfig(rate_limited=0.2, server_error=0.2, drop_connection=0.1)
    run_a = await statuses(FakeScaleAPI(faults=config, seed=42), 40)
    second = FakeScaleAPI(faults=config, seed=42)
    assert await statuses(second, 40) == run_a
    assert {429, 500, 200, "dropped"} <= set(run_a)
    second.reset()
    assert second.stats.requests_served == 0
    assert await statuses(second, 40) == run_a
    assert await statuses(FakeScaleAPI(faults=config, seed=43), 40) != run_a


async def test_latency_delays_v1_requests_but_not_control_routes() -> None:
    fake = FakeScaleAPI(latency=(0.05, 0.06), seed=1)
    async with fake.client("test_k") as api:
        start = anyio.current_time()
        await api.get("/projects")
        assert anyio.current_time() - start >= 0.05
        fake.configure(latency=0.5)
        start = anyio.current_time()
        assert (await api.get(f"{CONTROL}/stats")).status_code == 200
        assert anyio.current_time() - start < 0.4


async def test_faults_never_touch_control_routes_and_can_be_set_over_http() -> None:
    fake = FakeScaleAPI(faults=FaultConfig(server_error=1.0))
    async with fake.client("test_k") as api:
        assert (await api.get("/projects")).status_code == 500
        current = (await api.get(f"{CONTROL}/faults")).json()
        assert current["faults"]["server_error"] == 1.0
        changed = await api.put(
            f"{CONTROL}/faults",
            json={"server_error": 0.0, "unavailable": 0.5, "latency": [0, 0.01]},
        )
        assert changed.json()["faults"]["unavailable"] == 0.5
        assert changed.json()["latency"] == [0.0, 0.01]
        assert fake.faults.unavailable == 0.5
        for bad in ({"server_error": 3}, {"nope": 1}, {"latency": "slow"}):
            assert (await api.put(f"{CONTROL}/faults", json=bad)).status_code == 400
        await api.put(f"{CONTROL}/faults", json={"unavailable": 0.0})
        queued = await api.post(f"{CONTROL}/faults/queue", json=["gateway_timeout"])
        assert queued.json()["queued"] == ["gateway_timeout"]
        assert (await api.post(f"{CONTROL}/faults/queue", json=["meteor"])).status_code == 400
        assert (await api.get("/projects")).status_code == 504
        assert (await api.get("/projects")).status_code == 200
        stats = (await api.get(f"{CONTROL}/stats")).json()
        assert (stats["requests_served"], stats["faults_injected"]) == (3, 2)
        assert stats["responses_by_status"] == {"500": 1, "504": 1, "200": 1}
        assert (await api.post(f"{CONTROL}/reset")).json() == {"result": "success"}
        assert (await api.get(f"{CONTROL}/stats")).json()["requests_served"] == 0
        assert (await api.get(f"{CONTROL}/callbacks")).json() == []
        assert (await api.get(f"{CONTROL}/nothing")).status_code == 404


async def test_over_loopback_faults_and_drops_reach_a_real_client() -> None:
    fake = FakeScaleAPI(faults=FaultConfig(retry_after=3))
    with run_in_thread(fake) as server:
        fake.enqueue_faults("rate_limited", "drop_connection")
        async with httpx.AsyncClient(base_url=server.base_url, auth=("test_k", "")) as api:
            limited = await api.get("/projects")
            assert (limited.status_code, limited.headers["retry-after"]) == (429, "3")
            with pytest.raises(httpx.RemoteProtocolError):
                await api.get("/projects")
            assert (await api.get("/projects/a%2Fb")).json()["error"] == "Project a/b not found."
            async with httpx.AsyncClient(base_url=server.root_url) as control:
                assert (await control.get("/_fake/stats")).json()["faults_injected"] == 2


def test_fault_config_rejects_bad_settings_at_construction() -> None:
    with pytest.raises(ValueError, match="retry_after"):
        FaultConfig(retry_after=-1)
    with pytest.raises(ValueError, match="latency"):
        FakeScaleAPI(latency=-1.0)
    with pytest.raises(ValueError, match="callback_attempts"):
        FakeScaleAPI(callback_attempts=0)
    with pytest.raises(TypeError), run_in_thread(FakeScaleAPI(), seed=1):
        pass


def test_enqueue_faults_refuses_a_misspelt_kind_at_the_call() -> None:
    fake = FakeScaleAPI()
    with pytest.raises(ValueError, match=r"'unavialable'; did you mean 'unavailable'\?"):
        fake.enqueue_faults("rate_limited", "unavialable")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown fault kind"):
        fake.enqueue_faults(["unavailable"])  # type: ignore[arg-type]
    assert fake.queued_faults == []  # nothing half-queued
    fake.enqueue_faults("unavailable")
    assert fake.queued_faults == ["unavailable"]


async def test_a_refused_fault_kind_leaves_the_fake_serving() -> None:
    fake = FakeScaleAPI()
    with pytest.raises(ValueError, match="unknown fault kind"):
        fake.enqueue_faults("unavialable")  # type: ignore[arg-type]
    async with fake.client("test_k") as api:
        assert (await api.get("/projects")).status_code == 200


def test_fault_settings_must_be_a_fault_config() -> None:
    with pytest.raises(TypeError, match="FaultConfig"):
        FakeScaleAPI(faults={"rate_limited": 0.5})  # type: ignore[arg-type]
    fake = FakeScaleAPI()
    with pytest.raises(TypeError, match="FaultConfig"):
        fake.configure(faults={"rate_limited": 0.5})  # type: ignore[arg-type]
    assert fake.faults == FaultConfig()


def test_settle_turns_only_a_success_into_the_commit_then_fail_fault() -> None:
    from scale_async.testing._asgi import Reply

    fake = FakeScaleAPI()
    assert fake._settle("commit_then_fail", Reply(200, {"ok": True})).status == 500
    assert fake._settle("commit_then_fail", Reply(409, {})).status == 409
    assert fake._settle(None, Reply(200, {})).status == 200
    assert fake.stats.faults_by_kind == {"commit_then_fail": 1}
    assert fake.stats.responses_by_status == {"500": 1, "409": 1, "200": 1}


async def test_draw_fault_answers_v1_and_v2_alike() -> None:
    fake = FakeScaleAPI()
    fake.enqueue_faults("unavailable", "unavailable")
    async with fake.client("test_k") as api:
        v1 = await api.get("/projects")
        v2 = await api.get("/v2/projects")
    assert v1.status_code == v2.status_code == 503
    assert v1.json() == v2.json()
    assert fake.stats.faults_by_kind == {"unavailable": 2}
    assert fake.stats.requests_served == 2
