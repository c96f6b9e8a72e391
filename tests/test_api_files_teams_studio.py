"""Files, teams and studio: request shapes and models, through both clients."""

from __future__ import annotations

import importlib
import io
import json
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import respx

from scale_async import (
    ScaleDuplicateResource,
    ScaleInternalError,
    ScaleInvalidResponse,
    TeammateRole,
)
from scale_async.studio import StudioBatchStatus
from tests.drivers import Driver, Sleeps, fast_policy, make_driver

BASE = "https://api.scale.com/v1"


def file_json(**fields: Any) -> dict[str, Any]:
    return {
        "id": "8ac09d70-0001",
        "attachment_url": "scaledata://cust/0001",
        "created_at": "2024-01-01T00:00:00.000Z",
        "mime_type": "image/png",
        "project_names": ["p"],
        "size": 3,
        **fields,
    }


def teammate_json(email: str = "a@x.com", role: str = "member", **fields: Any) -> dict[str, Any]:
    return {
        "email": email,
        "role": role,
        "firstName": "Ada",
        "lastName": "Lovelace",
        "company": "Analytical",
        "isStudioLabeler": False,
        **fields,
    }


def group_json(name: str = "g1", **fields: Any) -> dict[str, Any]:
    return {
        "id": "grp1",
        "name": name,
        "numWorkers": 2,
        "isSingleton": False,
        "workers": [{"id": "w1", "email": "a@x.com"}, {"id": "w2", "email": "b@x.com"}],
        **fields,
    }


def studio_batch_json(name: str = "sb1", **fields: Any) -> dict[str, Any]:
    return {
        "id": "sbid1",
        "name": name,
        "projectId": "pid1",
        "projectName": "proj 1",
        "batchType": "Production",
        "studioPriority": 1,
        "total": 10,
        "completed": 4,
        "groups": ["g1"],
        **fields,
    }


@pytest.fixture
def router() -> respx.Router:
    return respx.Router(base_url=BASE, assert_all_called=False)


@pytest.fixture
async def driver(client_kind: str, router: respx.Router) -> Any:
    drv = make_driver(client_kind, router.handler, retry=fast_policy(Sleeps()))
    yield drv
    await drv.aclose()


def models(driver: Driver, module: str) -> ModuleType:
    """The SDK-path module (``files``, ``teams``, ``studio``) of the driver's package."""
    package = "scale_async" if driver.kind == "async" else "scale_sync"
    return importlib.import_module(f"{package}.{module}")


def sent(route: respx.Route) -> httpx.Request:
    assert route.call_count == 1
    return route.calls.last.request


def body(route: respx.Route) -> Any:
    request = sent(route)
    assert request.headers["content-type"] == "application/json"
    return json.loads(request.content)


def parts(request: httpx.Request) -> dict[str, Message]:
    """The multipart form of ``request``, part name to part."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.content)
    assert message.is_multipart()
    found: dict[str, Message] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        assert isinstance(name, str)
        assert name not in found
        found[name] = part
    return found


def text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


# -- files ---------------------------------------------------------------------------------


async def test_upload_file_is_multipart_with_form_fields(
    driver: Driver, router: respx.Router, tmp_path: Path
) -> None:
    route = router.post("/files/upload").respond(json=file_json())
    path = tmp_path / "cat.png"
    path.write_bytes(b"\x89PNG\x00\xff")
    with path.open("rb") as handle:
        uploaded = await driver.call(
            "upload_file",
            handle,
            project_name="my project",
            display_name="Cat",
            reference_id="ref-1",
            metadata={"k": [1, "x"]},
        )
    assert isinstance(uploaded, models(driver, "files").File)
    assert uploaded.id == "8ac09d70-0001"
    assert uploaded.attachment_url == "scaledata://cust/0001"
    assert uploaded.project_names == ["p"]
    assert uploaded.size == 3
    request = sent(route)
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    form = parts(request)
    assert set(form) == {"file", "project_name", "display_name", "reference_id", "metadata"}
    assert form["file"].get_filename() == "cat.png"
    assert form["file"].get_payload(decode=True) == b"\x89PNG\x00\xff"
    assert text(form["project_name"]) == "my project"
    assert text(form["display_name"]) == "Cat"
    assert text(form["reference_id"]) == "ref-1"
    assert json.loads(text(form["metadata"])) == {"k": [1, "x"]}
    for name in ("project_name", "metadata"):
        assert form[name].get_filename() is None


@pytest.mark.parametrize("as_path", [str, Path])
async def test_upload_file_from_a_path(
    driver: Driver, router: respx.Router, tmp_path: Path, as_path: Any
) -> None:
    route = router.post("/files/upload").respond(json=file_json())
    path = tmp_path / "notes v2.txt"
    path.write_bytes(b"hello")
    await driver.call("upload_file", as_path(path), project_name="p")
    form = parts(sent(route))
    assert form["file"].get_filename() == "notes v2.txt"
    assert form["file"].get_payload(decode=True) == b"hello"
    assert text(form["project_name"]) == "p"


@pytest.mark.parametrize(
    "make", [lambda: b"raw bytes", lambda: io.BytesIO(b"raw bytes")], ids=["bytes", "io"]
)
async def test_upload_file_without_a_name_is_called_file(
    driver: Driver, router: respx.Router, make: Any
) -> None:
    route = router.post("/files/upload").respond(json=file_json())
    await driver.call("upload_file", make())
    form = parts(sent(route))
    assert set(form) == {"file"}
    assert form["file"].get_filename() == "file"
    assert form["file"].get_payload(decode=True) == b"raw bytes"


async def test_upload_file_sends_scalars_as_strings(driver: Driver, router: respx.Router) -> None:
    route = router.post("/files/upload").respond(json=file_json())
    await driver.call("upload_file", b"x", priority=3, flag=True, note=None, metadata='{"a":1}')
    form = parts(sent(route))
    assert text(form["priority"]) == "3"
    assert text(form["flag"]) == "True"
    assert text(form["metadata"]) == '{"a":1}'
    assert "note" not in form


@pytest.mark.parametrize(
    ("file", "kwargs", "error", "match"),
    [
        (123, {}, TypeError, "binary file object"),
        (io.StringIO("text"), {}, TypeError, "binary mode"),  # read once: fails before
        ("", {}, ValueError, "non-empty path"),
        (b"x", {"metadata": ["not", "a", "dict"]}, TypeError, "metadata must be a dict"),
        (b"x", {"project_name": ["a", "b"]}, TypeError, "project_name"),
        (b"x", {"display_name": {"a": 1}}, TypeError, "display_name"),
    ],
    ids=["int", "text-mode", "empty-path", "metadata-list", "list-field", "dict-field"],
)
async def test_upload_file_refuses_bad_arguments_before_sending(
    driver: Driver,
    router: respx.Router,
    file: Any,
    kwargs: dict[str, Any],
    error: type[Exception],
    match: str,
) -> None:
    route = router.post("/files/upload").respond(json=file_json())
    with pytest.raises(error, match=match):
        await driver.call("upload_file", file, **kwargs)
    assert not route.called


async def test_upload_file_of_a_missing_path_sends_nothing(
    driver: Driver, router: respx.Router, tmp_path: Path
) -> None:
    route = router.post("/files/upload").respond(json=file_json())
    with pytest.raises(FileNotFoundError):
        await driver.call("upload_file", tmp_path / "absent.bin")
    assert not route.called


async def test_upload_without_reference_id_is_not_replayed(
    driver: Driver, router: respx.Router
) -> None:
    route = router.post("/files/upload")
    route.side_effect = [httpx.Response(500, json={"error": "boom"}), httpx.Response(200)]
    with pytest.raises(ScaleInternalError):
        await driver.call("upload_file", b"data")
    assert route.call_count == 1


async def test_upload_with_reference_id_is_replayed_whole(
    driver: Driver, router: respx.Router
) -> None:
    route = router.post("/files/upload")
    route.side_effect = [
        httpx.Response(503, json={"error": "busy"}),
        httpx.Response(200, json=file_json()),
    ]
    uploaded = await driver.call("upload_file", io.BytesIO(b"payload"), reference_id="r1")
    assert uploaded.id == "8ac09d70-0001"
    assert route.call_count == 2
    first, second = (parts(call.request) for call in route.calls)
    for form in (first, second):
        assert form["file"].get_payload(decode=True) == b"payload"
        assert text(form["reference_id"]) == "r1"


async def test_upload_409_after_an_ambiguous_attempt_surfaces(
    driver: Driver, router: respx.Router
) -> None:
    route = router.post("/files/upload")
    route.side_effect = [
        httpx.Response(500, json={"error": "boom"}),
        httpx.Response(409, json={"error": "reference_id already used"}),
    ]
    with pytest.raises(ScaleDuplicateResource, match="reference_id already used"):
        await driver.call("upload_file", b"data", reference_id="r1")
    assert route.call_count == 2


async def test_import_file_posts_json(driver: Driver, router: respx.Router) -> None:
    route = router.post("/files/import").respond(json=file_json(id="imp1"))
    imported = await driver.call(
        "import_file",
        "https://example.com/a.png",
        project_name="p",
        reference_id="r2",
        metadata={"a": 1},
    )
    assert isinstance(imported, models(driver, "files").File)
    assert imported.id == "imp1"
    assert body(route) == {
        "file_url": "https://example.com/a.png",
        "project_name": "p",
        "reference_id": "r2",
        "metadata": {"a": 1},
    }


async def test_import_file_without_reference_id_is_not_replayed(
    driver: Driver, router: respx.Router
) -> None:
    route = router.post("/files/import").respond(500, json={"error": "boom"})
    with pytest.raises(ScaleInternalError):
        await driver.call("import_file", "https://example.com/a.png")
    assert route.call_count == 1


@pytest.mark.parametrize("url", ["", None, 5])
async def test_import_file_needs_a_url(driver: Driver, router: respx.Router, url: Any) -> None:
    route = router.post("/files/import").respond(json=file_json())
    with pytest.raises(ValueError, match="file_url"):
        await driver.call("import_file", url)
    assert not route.called


@pytest.mark.parametrize("missing", ["id", "attachment_url"])
async def test_file_missing_a_required_key_is_invalid(
    driver: Driver, router: respx.Router, missing: str
) -> None:
    data = file_json()
    del data[missing]
    router.post("/files/import").respond(json=data)
    with pytest.raises(ScaleInvalidResponse, match=rf"missing @ \$\.{missing}\b"):
        await driver.call("import_file", "https://example.com/a.png")


# -- teams ---------------------------------------------------------------------------------


async def test_list_teammates_maps_camel_case(driver: Driver, router: respx.Router) -> None:
    route = router.get("/teams").respond(
        json=[
            teammate_json("a@x.com", "admin"),
            {
                "email": "b@x.com",
                "role": "disabled",
                "isStudioLabeler": True,
                "disableRapidEmails": True,
                "expiry": "2024-02-01",
            },
        ]
    )
    team = await driver.call("list_teammates")
    assert sent(route).content == b""
    assert [type(t) for t in team] == [models(driver, "teams").Teammate] * 2
    ada, invited = team
    assert (ada.email, ada.role) == ("a@x.com", TeammateRole.Admin)
    assert (ada.first_name, ada.last_name, ada.company) == ("Ada", "Lovelace", "Analytical")
    assert ada.is_studio_labeler is False
    assert ada.expiry is None
    assert invited.role == "disabled"
    assert not isinstance(invited.role, TeammateRole)
    assert invited.is_studio_labeler is True
    assert invited.disable_rapid_emails is True
    assert invited.expiry == "2024-02-01"
    assert invited.first_name is None
    assert ada.as_dict() == teammate_json("a@x.com", "admin")


@pytest.mark.parametrize(
    ("name", "path"),
    [("invite_teammates", "/teams/invite"), ("update_teammates_role", "/teams/set_role")],
)
@pytest.mark.parametrize("role", [TeammateRole.Manager, "manager"], ids=["enum", "string"])
async def test_team_changes_send_emails_and_role_value(
    driver: Driver, router: respx.Router, name: str, path: str, role: Any
) -> None:
    route = router.post(path).respond(json=[teammate_json("a@x.com", "manager")])
    team = await driver.call(name, ["a@x.com", "b@x.com"], role)
    assert body(route) == {"emails": ["a@x.com", "b@x.com"], "team_role": "manager"}
    assert team[0].role is TeammateRole.Manager
    assert isinstance(team[0], models(driver, "teams").Teammate)


@pytest.mark.parametrize(
    ("emails", "role", "match"),
    [
        ("a@x.com", "member", "emails must be a list of strings"),
        (["a@x.com", 3], "member", "emails must be a list of strings"),
        (None, "member", "emails must be a list of strings"),
        (["a@x.com"], "", "role"),
        (["a@x.com"], None, "role"),
    ],
    ids=["lone-string", "non-string-item", "none", "empty-role", "no-role"],
)
@pytest.mark.parametrize("name", ["invite_teammates", "update_teammates_role"])
async def test_team_changes_refuse_bad_arguments(
    driver: Driver, router: respx.Router, name: str, emails: Any, role: Any, match: str
) -> None:
    route = router.post(url__regex=r".*/teams/.*").respond(json=[])
    with pytest.raises(ValueError, match=match):
        await driver.call(name, emails, role)
    assert not route.called


async def test_team_changes_are_replayed_after_a_5xx(driver: Driver, router: respx.Router) -> None:
    route = router.post("/teams/invite")
    route.side_effect = [
        httpx.Response(502, json={"error": "bad gateway"}),
        httpx.Response(200, json=[teammate_json()]),
    ]
    team = await driver.call("invite_teammates", ["a@x.com"], TeammateRole.Member)
    assert route.call_count == 2
    assert [t.email for t in team] == ["a@x.com"]


async def test_teammate_helper_updates_role(driver: Driver, router: respx.Router) -> None:
    router.get("/teams").respond(json=[teammate_json("a@x.com", "member")])
    set_role = router.post("/teams/set_role").respond(
        json=[teammate_json("a@x.com", "manager"), teammate_json("b@x.com", "labeler")]
    )
    (ada,) = await driver.call("list_teammates")
    team = await driver.method(ada, "update_teammate_role", TeammateRole.Manager)
    assert body(set_role) == {"emails": ["a@x.com"], "team_role": "manager"}
    cls = models(driver, "teams").Teammate
    assert [type(t) for t in team] == [cls, cls]
    assert [(t.email, t.role) for t in team] == [
        ("a@x.com", TeammateRole.Manager),
        ("b@x.com", TeammateRole.Labeler),
    ]
    assert ada.role is TeammateRole.Manager
    assert ada.as_dict()["role"] == "manager"
    # The returned teammates are bound too: their helper works in turn.
    set_role.respond(json=[teammate_json("b@x.com", "member")])
    await driver.method(team[1], "update_teammate_role", "member")
    assert json.loads(set_role.calls.last.request.content) == {
        "emails": ["b@x.com"],
        "team_role": "member",
    }
    assert team[1].role is TeammateRole.Member


@pytest.mark.parametrize("missing", ["email", "role"])
async def test_teammate_missing_a_required_key_is_invalid(
    driver: Driver, router: respx.Router, missing: str
) -> None:
    data = teammate_json()
    del data[missing]
    router.get("/teams").respond(json=[data])
    with pytest.raises(ScaleInvalidResponse, match=rf"missing @ \$\.{missing}\b"):
        await driver.call("list_teammates")


async def test_teams_response_must_be_a_list(driver: Driver, router: respx.Router) -> None:
    router.get("/teams").respond(json={"email": "a@x.com", "role": "admin"})
    with pytest.raises(ScaleInvalidResponse, match="JSON array"):
        await driver.call("list_teammates")


# -- studio assignments --------------------------------------------------------------------


ASSIGNMENTS = {"a@x.com": ["proj 1", "proj/2"], "b@x.com": []}


def check_assignments(driver: Driver, result: Any) -> None:
    assert isinstance(result, dict)
    assert list(result) == ["a@x.com", "b@x.com"]
    cls = models(driver, "studio").StudioLabelerAssignment
    for email, assignment in result.items():
        assert isinstance(assignment, cls)
        assert assignment.email == email
        assert assignment.assigned_projects == ASSIGNMENTS[email]
    assert result["a@x.com"].as_dict() == {
        "email": "a@x.com",
        "assigned_projects": ["proj 1", "proj/2"],
    }


async def test_list_studio_assignments(driver: Driver, router: respx.Router) -> None:
    route = router.get("/studio/assignments").respond(json=ASSIGNMENTS)
    check_assignments(driver, await driver.call("list_studio_assignments"))
    assert sent(route).content == b""


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("add_studio_assignments", "/studio/assignments/add"),
        ("remove_studio_assignments", "/studio/assignments/remove"),
    ],
)
async def test_change_studio_assignments(
    driver: Driver, router: respx.Router, name: str, path: str
) -> None:
    route = router.post(path).respond(json=ASSIGNMENTS)
    result = await driver.call(name, ["a@x.com"], ["proj 1", "proj/2"])
    assert body(route) == {"emails": ["a@x.com"], "projects": ["proj 1", "proj/2"]}
    check_assignments(driver, result)


@pytest.mark.parametrize(
    ("emails", "projects", "match"),
    [
        ("a@x.com", ["p"], "emails"),
        (["a@x.com"], "p", "projects"),
        (["a@x.com"], [None], "projects"),
    ],
)
@pytest.mark.parametrize("name", ["add_studio_assignments", "remove_studio_assignments"])
async def test_change_studio_assignments_refuses_bad_arguments(
    driver: Driver, router: respx.Router, name: str, emails: Any, projects: Any, match: str
) -> None:
    route = router.post(url__regex=r".*/studio/assignments/.*").respond(json={})
    with pytest.raises(ValueError, match=match):
        await driver.call(name, emails, projects)
    assert not route.called


@pytest.mark.parametrize(
    "answer",
    [["a@x.com"], {"a@x.com": "proj 1"}, {"a@x.com": None}],
    ids=["array", "string-value", "null-value"],
)
async def test_malformed_assignments_are_invalid(
    driver: Driver, router: respx.Router, answer: Any
) -> None:
    router.get("/studio/assignments").respond(json=answer)
    with pytest.raises(ScaleInvalidResponse):
        await driver.call("list_studio_assignments")


# -- studio project groups -----------------------------------------------------------------


def check_group(driver: Driver, group: Any) -> None:
    studio = models(driver, "studio")
    assert isinstance(group, studio.StudioProjectGroup)
    assert (group.id, group.name) == ("grp1", "g1")
    assert (group.num_workers, group.is_singleton) == (2, False)
    assert (group.numWorkers, group.isSingleton) == (2, False)
    assert isinstance(group.workers, list)
    assert all(isinstance(w, studio.StudioWorker) for w in group.workers)
    assert [(w.id, w.email) for w in group.workers] == [("w1", "a@x.com"), ("w2", "b@x.com")]


async def test_list_project_groups_quotes_the_project(driver: Driver, router: respx.Router) -> None:
    route = router.get(url__regex=r".*/studio/projects/a%20b%2Fc/groups$").respond(
        json=[group_json(), group_json("solo", workers=[], isSingleton=True)]
    )
    groups = await driver.call("list_project_groups", "a b/c")
    assert sent(route).url.raw_path == b"/v1/studio/projects/a%20b%2Fc/groups"
    assert len(groups) == 2
    check_group(driver, groups[0])
    assert groups[1].workers == []
    assert groups[1].is_singleton is True


async def test_group_without_workers_key_has_an_empty_list(
    driver: Driver, router: respx.Router
) -> None:
    data = group_json()
    del data["workers"]
    router.get(url__regex=r".*/studio/projects/p/groups$").respond(json=[data])
    (group,) = await driver.call("list_project_groups", "p")
    assert group.workers == []


async def test_create_project_group(driver: Driver, router: respx.Router) -> None:
    route = router.post(url__regex=r".*/studio/projects/a%20b%2Fc/groups$").respond(
        json=group_json()
    )
    group = await driver.call("create_project_group", "a b/c", ["a@x.com", "b@x.com"], "g1")
    assert sent(route).url.raw_path == b"/v1/studio/projects/a%20b%2Fc/groups"
    assert body(route) == {"emails": ["a@x.com", "b@x.com"], "name": "g1"}
    check_group(driver, group)


async def test_update_project_group_quotes_both_names(driver: Driver, router: respx.Router) -> None:
    route = router.put(url__regex=r".*/studio/projects/a%20b%2Fc/groups/g%2F1%20x$").respond(
        json=group_json()
    )
    group = await driver.call(
        "update_project_group", "a b/c", "g/1 x", ["b@x.com"], ["c@x.com", "d@x.com"]
    )
    assert sent(route).url.raw_path == b"/v1/studio/projects/a%20b%2Fc/groups/g%2F1%20x"
    assert body(route) == {"add_emails": ["b@x.com"], "remove_emails": ["c@x.com", "d@x.com"]}
    check_group(driver, group)


@pytest.mark.parametrize(
    ("name", "args", "match"),
    [
        ("list_project_groups", ("",), "project"),
        ("create_project_group", ("", ["a@x.com"], "g"), "project"),
        ("create_project_group", ("p", "a@x.com", "g"), "emails"),
        ("create_project_group", ("p", ["a@x.com"], ""), "project_group"),
        ("update_project_group", ("p", "", [], []), "project_group"),
        ("update_project_group", ("p", "g", None, []), "add_emails"),
        ("update_project_group", ("p", "g", [], ["a", 1]), "remove_emails"),
    ],
)
async def test_project_groups_refuse_bad_arguments(
    driver: Driver, router: respx.Router, name: str, args: tuple[Any, ...], match: str
) -> None:
    route = router.route(url__regex=r".*/studio/.*").respond(json=group_json())
    with pytest.raises(ValueError, match=match):
        await driver.call(name, *args)
    assert not route.called


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ("id", "id"),
        ("name", "name"),
        ("numWorkers", "num_workers"),
        ("isSingleton", "is_singleton"),
    ],
)
async def test_group_missing_a_required_key_is_invalid(
    driver: Driver, router: respx.Router, missing: str, field: str
) -> None:
    data = group_json()
    del data[missing]
    router.get(url__regex=r".*/studio/projects/p/groups$").respond(json=[data])
    with pytest.raises(ScaleInvalidResponse, match=rf"missing @ \$\.{field}\b"):
        await driver.call("list_project_groups", "p")


async def test_group_worker_missing_email_is_invalid(driver: Driver, router: respx.Router) -> None:
    router.get(url__regex=r".*/studio/projects/p/groups$").respond(
        json=[group_json(workers=[{"id": "w1"}])]
    )
    with pytest.raises(ScaleInvalidResponse, match=r"missing @ \$\.workers\[0\]\.email"):
        await driver.call("list_project_groups", "p")


# -- studio batches ------------------------------------------------------------------------


def check_studio_batch(driver: Driver, batch: Any, name: str = "sb1") -> None:
    assert isinstance(batch, models(driver, "studio").StudioBatch)
    assert (batch.id, batch.name) == ("sbid1", name)
    assert (batch.project_id, batch.project_name) == ("pid1", "proj 1")
    assert batch.batch_type == StudioBatchStatus.Production
    assert batch.studio_priority == 1
    assert (batch.total, batch.completed, batch.groups) == (10, 4, ["g1"])


async def test_list_studio_batches(driver: Driver, router: respx.Router) -> None:
    route = router.get("/studio/batches").respond(
        json=[
            studio_batch_json(),
            {
                k: v
                for k, v in studio_batch_json("cal", batchType="Calibration").items()
                if k != "studioPriority"
            },
        ]
    )
    first, second = await driver.call("list_studio_batches")
    assert sent(route).content == b""
    check_studio_batch(driver, first)
    assert second.batch_type == "Calibration"
    assert second.studio_priority is None


async def test_assign_studio_batches_quotes_the_batch(driver: Driver, router: respx.Router) -> None:
    route = router.put(url__regex=r".*/studio/batches/sb%201%2Fx$").respond(
        json=studio_batch_json()
    )
    batch = await driver.call("assign_studio_batches", "sb 1/x", ["g1", "a@x.com"])
    assert sent(route).url.raw_path == b"/v1/studio/batches/sb%201%2Fx"
    assert body(route) == {"groups": ["g1", "a@x.com"]}
    check_studio_batch(driver, batch)


async def test_set_studio_batches_priorities(driver: Driver, router: respx.Router) -> None:
    route = router.post("/studio/batches/set_priorities").respond(
        json=[studio_batch_json("b2"), studio_batch_json("b1")]
    )
    batches = await driver.call("set_studio_batches_priorities", ["b2", "b1"])
    assert body(route) == {"batches": [{"name": "b2"}, {"name": "b1"}]}
    assert [b.name for b in batches] == ["b2", "b1"]
    check_studio_batch(driver, batches[0], "b2")


async def test_reset_studio_batches_priorities(driver: Driver, router: respx.Router) -> None:
    route = router.post("/studio/batches/reset_priorities").respond(json=[studio_batch_json()])
    (batch,) = await driver.call("reset_studio_batches_priorities")
    request = sent(route)
    assert request.content == b""
    assert "content-type" not in request.headers
    check_studio_batch(driver, batch)


@pytest.mark.parametrize(
    ("name", "args", "match"),
    [
        ("assign_studio_batches", ("", ["g"]), "batch_name"),
        ("assign_studio_batches", ("b", "g"), "project_groups"),
        ("set_studio_batches_priorities", ("b1",), "batch_names"),
        ("set_studio_batches_priorities", ([{"name": "b1"}],), "batch_names"),
    ],
)
async def test_studio_batches_refuse_bad_arguments(
    driver: Driver, router: respx.Router, name: str, args: tuple[Any, ...], match: str
) -> None:
    route = router.route(url__regex=r".*/studio/.*").respond(json=[])
    with pytest.raises(ValueError, match=match):
        await driver.call(name, *args)
    assert not route.called


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ("id", "id"),
        ("name", "name"),
        ("projectId", "project_id"),
        ("projectName", "project_name"),
        ("batchType", "batch_type"),
        ("total", "total"),
        ("completed", "completed"),
        ("groups", "groups"),
    ],
)
async def test_studio_batch_missing_a_required_key_is_invalid(
    driver: Driver, router: respx.Router, missing: str, field: str
) -> None:
    data = studio_batch_json()
    del data[missing]
    router.get("/studio/batches").respond(json=[data])
    with pytest.raises(ScaleInvalidResponse, match=rf"missing @ \$\.{field}\b"):
        await driver.call("list_studio_batches")


# -- public module paths -------------------------------------------------------------------


def test_sdk_module_paths_export_the_models() -> None:
    import scale_async.files
    import scale_async.studio
    import scale_async.teams
    import scale_sync
    import scale_sync.files
    import scale_sync.studio
    import scale_sync.teams

    assert scale_sync.files.File is scale_async.files.File
    for name in scale_async.studio.__all__:
        assert getattr(scale_sync.studio, name) is getattr(scale_async.studio, name)
    assert StudioBatchStatus.Production.value == "Production"
    assert scale_sync.teams.TeammateRole is TeammateRole
    assert scale_sync.teams.Teammate.__module__ == "scale_sync._generated"
    assert issubclass(scale_sync.teams.Teammate, scale_async.teams.Teammate.__mro__[1])
    assert scale_sync.teams.Teammate is scale_sync._generated.Teammate
