"""The fake NGA Scale's own wire behaviour (§8 of the reference), checked with plain httpx."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from scale_async.testing import IN_PROCESS_NGA_BASE_URL, FakeNGAScaleAPI

ROOT = "http://fake-nga-scale.invalid/api/v6/batches/"


async def create(raw: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    payload = {"recipe_type_id": 208, "definition": {"dataset": 1}, **body}
    response = await raw.post("/v6/batches/", json=payload)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def test_create_answers_201_with_an_absolute_location(raw: httpx.AsyncClient) -> None:
    response = await raw.post(
        "/v6/batches/",
        json={
            "recipe_type_id": 208,
            "definition": {"version": "6", "dataset": 1},
            "configuration": {"version": "6", "priority": 100},
            "supersedes": True,
            "title": "My Batch",
        },
    )
    assert response.status_code == 201
    batch = response.json()
    assert response.headers["location"] == f"{ROOT}{batch['id']}/"
    assert batch["definition"] == {"dataset": 1}  # version stripped, the stray key ignored
    assert batch["configuration"] == {"priority": 100}
    assert list(batch)[:4] == ["id", "title", "description", "created"]
    assert list(batch)[-3:] == ["definition", "configuration", "job_metrics"]
    assert batch["root_batch"]["id"] == batch["id"]
    assert batch["event"]["type"] == "USER"
    assert batch["recipe_type_rev"]["recipe_type"]["name"] == "my-recipe-type"
    listed = (await raw.get("/v6/batches/")).json()["results"][0]
    assert listed["recipe_type_rev"] == {"id": 4, "recipe_type": {"id": 208}, "revision_num": 1}
    assert "description" not in listed["event"]
    assert "definition" not in listed


async def test_edit_answers_204_with_no_body(raw: httpx.AsyncClient) -> None:
    batch = await create(raw)
    response = await raw.patch(f"/v6/batches/{batch['id']}/", json={"configuration": {}})
    assert (response.status_code, response.content) == (204, b"")
    assert "content-type" not in response.headers
    after = (await raw.get(f"/v6/batches/{batch['id']}/")).json()
    assert after["configuration"] == batch["configuration"]  # {} is ignored
    bad = await raw.patch(f"/v6/batches/{batch['id']}/", json={"configuration": {"priority": "x"}})
    assert bad.status_code == 400
    assert bad.json()["detail"].startswith(
        "Batch configuration invalid: Invalid batch configuration: 'x' is not of type"
    )
    unmapped = await raw.patch(
        f"/v6/batches/{batch['id']}/",
        json={"configuration": {"inputMap": [{"input": "INPUT_FILE", "datasetParameter": "Q"}]}},
    )
    assert unmapped.json() == {
        "detail": "Batch configuration invalid: Q does not exist in the dataset parameter list"
    }


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_put_and_delete_are_405(raw: httpx.AsyncClient, method: str) -> None:
    batch = await create(raw)
    response = await raw.request(method, f"/v6/batches/{batch['id']}/", json={})
    assert response.status_code == 405
    assert response.json() == {"detail": f'Method "{method}" not allowed.'}
    assert response.headers["allow"] == "GET, PATCH, HEAD, OPTIONS"


async def test_other_wrong_methods_are_405(raw: httpx.AsyncClient) -> None:
    assert (await raw.get("/v6/batches/validation/")).status_code == 405
    assert (await raw.patch("/v6/batches/", json={})).status_code == 405
    assert (await raw.post("/v6/batches/comparison/1/", json={})).status_code == 405


async def test_missing_trailing_slash_redirects(raw: httpx.AsyncClient) -> None:
    response = await raw.get("/v6/batches", params={"page": "1"})
    assert response.status_code == 301
    assert response.headers["location"] == "/api/v6/batches/?page=1"
    assert (await raw.post("/v6/batches/validation", json={})).status_code == 301


@pytest.mark.parametrize(
    "path", ["/v5/batches/", "/v6/batch/", "/v6/batches/abc/", "/v6/batches/1/x/", "/v6/"]
)
async def test_unknown_urls_are_django_404_pages(raw: httpx.AsyncClient, path: str) -> None:
    response = await raw.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


async def test_v7_is_served_by_the_same_views(raw: httpx.AsyncClient) -> None:
    batch = await create(raw)
    response = await raw.get(f"/v7/batches/{batch['id']}/")
    assert response.json()["id"] == batch["id"]


async def test_head_and_options(raw: httpx.AsyncClient) -> None:
    batch = await create(raw)
    head = await raw.head(f"/v6/batches/{batch['id']}/")
    assert (head.status_code, head.content) == (200, b"")
    assert int(head.headers["content-length"]) > 0
    assert (await raw.options("/v6/batches/")).status_code == 200


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"definition": {}}, 'Missing required parameter: "recipe_type_id"'),
        (
            {"recipe_type_id": "x", "definition": {}},
            'Parameter must be a valid integer: "recipe_type_id"',
        ),
        ({"recipe_type_id": 208}, 'Missing required parameter: "definition"'),
        (
            {"recipe_type_id": 208, "definition": [1]},
            'Parameter must be a valid JSON object: "definition"',
        ),
        (
            {"recipe_type_id": 208, "definition": {}, "configuration": 3},
            'Parameter must be a valid JSON object: "configuration"',
        ),
        ({"recipe_type_id": 777, "definition": {}}, "Unknown recipe type: 777"),
        (
            {"recipe_type_id": 208, "definition": {"datset": 1}},
            "Invalid batch definition: "
            "Additional properties are not allowed ('datset' was unexpected)",
        ),
        (
            {"recipe_type_id": 208, "definition": {"forced_nodes": {}}},
            "Invalid batch definition: 'all' is a required property",
        ),
        (
            {
                "recipe_type_id": 208,
                "definition": {"dataset": 1},
                "configuration": {"inputMap": []},
            },
            "Invalid batch configuration: [] is too short",
        ),
        (
            {"recipe_type_id": 208, "definition": {"previous_batch": {"root_batch_id": 5}}},
            "No batch with that root ID exists",
        ),
        ({"recipe_type_id": 208, "definition": {"dataset": 3}}, None),
        (
            {"recipe_type_id": 208, "definition": {"dataset": 99}},
            "Batch definition must result in creating at least one recipe",
        ),
        (
            {"recipe_type_id": "208", "definition": {"dataset": 1}, "title": 5},
            'Parameter must be a string: "title"',
        ),
    ],
)
async def test_create_refusals_are_drf_details(
    raw: httpx.AsyncClient, body: dict[str, Any], detail: str | None
) -> None:
    response = await raw.post("/v6/batches/", json=body)
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    if detail is not None:
        assert response.json()["detail"] == detail
    else:
        assert response.json()["detail"].startswith("No parameters in the dataset match")


async def test_malformed_json_is_a_parse_error(raw: httpx.AsyncClient) -> None:
    response = await raw.post(
        "/v6/batches/", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")


async def test_a_long_title_is_a_database_error(raw: httpx.AsyncClient) -> None:
    response = await raw.post(
        "/v6/batches/",
        json={"recipe_type_id": 208, "definition": {"dataset": 1}, "title": "t" * 51},
    )
    assert response.status_code == 500
    assert b"Server Error (500)" in response.content
    assert (await raw.get("/v6/batches/")).json()["count"] == 0


async def test_pages_and_their_links(raw: httpx.AsyncClient) -> None:
    """Absolute links, sorted query keys, and ``previous`` for page 2 without ``page``."""
    for _ in range(5):
        await create(raw)
    first = (await raw.get("/v6/batches/", params={"page_size": 2, "order": ["-id"]})).json()
    assert first["count"] == 5
    assert [b["id"] for b in first["results"]] == [5, 4]
    assert first["next"] == f"{ROOT}?order=-id&page=2&page_size=2"
    assert first["previous"] is None
    second = (await raw.get(first["next"])).json()
    assert second["previous"] == f"{ROOT}?order=-id&page_size=2"
    assert second["next"] == f"{ROOT}?order=-id&page=3&page_size=2"
    last = (await raw.get(second["next"])).json()
    assert (last["next"], [b["id"] for b in last["results"]]) == (None, [1])
    assert last["previous"] == f"{ROOT}?order=-id&page=2&page_size=2"
    assert (await raw.get("/v6/batches/", params={"page": "last", "page_size": 2})).json()[
        "results"
    ][0]["id"] == 5


@pytest.mark.parametrize("page", ["4", "0", "x", "-1"])
async def test_a_page_past_the_end_is_invalid(raw: httpx.AsyncClient, page: str) -> None:
    for _ in range(3):
        await create(raw)
    response = await raw.get("/v6/batches/", params={"page": page, "page_size": 1})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize(
    ("size", "expected"), [("0", 100), ("-5", 100), ("x", 100), ("5000", 1000), ("7", 7)]
)
async def test_bad_page_sizes_fall_back_rather_than_fail(
    raw: httpx.AsyncClient, fake: FakeNGAScaleAPI, size: str, expected: int
) -> None:
    """DRF's PageNumberPagination: no 400, the default for nonsense and a cap at 1000."""
    for _ in range(1001):
        fake.add_legacy_batch(210)
    response = await raw.get("/v6/batches/", params={"page_size": size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected
    assert response.json()["count"] == 1001


async def test_ordering_quirks(raw: httpx.AsyncClient) -> None:
    """``title`` sorts case-insensitively; ``-title`` misses NGA's Lower() and does not."""
    for title in ("beta", "Alpha", "alpha2", "Gamma"):
        await create(raw, title=title)
    up = (await raw.get("/v6/batches/", params={"order": "title"})).json()["results"]
    assert [b["title"] for b in up] == ["Alpha", "alpha2", "beta", "Gamma"]
    down = (await raw.get("/v6/batches/", params={"order": "-title"})).json()["results"]
    assert [b["title"] for b in down] == ["beta", "alpha2", "Gamma", "Alpha"]
    crash = await raw.get("/v6/batches/", params={"order": "colour"})
    assert crash.status_code == 500


async def test_filters(raw: httpx.AsyncClient, fake: FakeNGAScaleAPI) -> None:
    first = await create(raw)
    await create(raw, recipe_type_id=209, definition={"dataset": 2})
    fake.instant_creation = False
    third = await create(raw, definition={"previous_batch": {"root_batch_id": first["id"]}})

    async def ids(**params: Any) -> list[int]:
        response = await raw.get("/v6/batches/", params=params)
        assert response.status_code == 200, response.text
        return [b["id"] for b in response.json()["results"]]

    assert await ids(recipe_type_id=[208, 210]) == [first["id"], third["id"]]
    assert await ids(is_creation_done="f") == [third["id"]]
    assert await ids(is_superseded="TRUE") == [first["id"]]
    assert await ids(root_batch_id=first["id"], order="-id") == [third["id"], first["id"]]
    assert await ids(started="PT1H") == [2, first["id"], third["id"]]  # last_modified order
    assert await ids(ended="2000-01-01T00:00:00Z") == []
    assert await ids(unknown="ignored") == [2, first["id"], third["id"]]
    for params, detail in [
        ({"is_superseded": "maybe"}, 'Parameter must be a valid boolean: "is_superseded"'),
        ({"recipe_type_id": "x"}, 'Parameter must be a valid integer: "recipe_type_id"'),
        ({"ended": "yesterday"}, "Invalid ISO timestamp format for parameter: ended"),
        ({"started": "PT1H", "ended": "PT1H"}, "Start and end values must be different"),
    ]:
        response = await raw.get("/v6/batches/", params=params)
        assert (response.status_code, response.json()) == (400, {"detail": detail})


async def test_a_legacy_batch_reports_an_empty_definition(
    raw: httpx.AsyncClient, fake: FakeNGAScaleAPI
) -> None:
    legacy = fake.add_legacy_batch(209, title="old")
    assert (await raw.get(f"/v6/batches/{legacy}/")).json()["definition"] == {}
    response = await raw.post(
        "/v6/batches/",
        json={"recipe_type_id": 209, "definition": {"previous_batch": {"root_batch_id": legacy}}},
    )
    assert response.json() == {"detail": "Previous batch cannot be reprocessed"}
    assert fake.batch(legacy) is not None
    assert fake.batch(999) is None


async def test_validation_of_a_schema_error_names_it(raw: httpx.AsyncClient) -> None:
    response = await raw.post(
        "/v6/batches/validation/",
        json={"recipe_type_id": 208, "definition": {"dataset": 1}, "configuration": {"x": 1}},
    )
    assert response.json() == {
        "is_valid": False,
        "errors": [
            {
                "name": "INVALID_BATCH_CONFIGURATION",
                "description": "Invalid batch configuration: "
                "Additional properties are not allowed ('x' was unexpected)",
            }
        ],
        "warnings": [],
        "recipes_estimated": None,
        "recipe_type": None,
    }


async def test_authentication_rules() -> None:
    fake = FakeNGAScaleAPI(tokens={"s": True, "u": False})
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=IN_PROCESS_NGA_BASE_URL
    ) as raw:
        anonymous = await raw.get("/v6/batches/")
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"] == "Token"
        empty = await raw.get("/v6/batches/", headers={"Authorization": "Token "})
        assert empty.json() == {"detail": "Invalid token header. No credentials provided."}
        basic = await raw.get("/v6/batches/", auth=("s", ""))
        assert basic.status_code == 401  # only token authentication is configured
        # URL resolution and the slash redirect happen before any authentication.
        assert (await raw.get("/v6/nothing/")).status_code == 404
        assert (await raw.get("/v6/batches")).status_code == 301
    async with fake.client("u") as user:
        assert (await user.put("/v6/batches/1/", json={})).status_code == 403  # before the 405
        validation = await user.post(
            "/v6/batches/validation/", json={"recipe_type_id": 208, "definition": {"dataset": 1}}
        )
        assert validation.json()["is_valid"] is True
    async with fake.client("s") as staff:
        assert (await staff.put("/v6/batches/1/", json={})).status_code == 405


async def test_requests_and_peak_are_recorded(
    raw: httpx.AsyncClient, fake: FakeNGAScaleAPI
) -> None:
    await raw.get("/v6/batches/", params={"page_size": 3})
    assert fake.requests == ["GET /api/v6/batches/?page_size=3"]
    assert fake.peak_in_flight == 1
    fake.reset_counters()
    assert fake.requests == []


def test_prefix_is_checked() -> None:
    with pytest.raises(ValueError, match="prefix"):
        FakeNGAScaleAPI(prefix="api/")
