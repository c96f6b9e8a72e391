"""Files: multipart uploads and imports, request shapes and the model, through both clients."""

from __future__ import annotations

import io
import json
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from scale_async import (
    ScaleDuplicateResource,
    ScaleInternalError,
    ScaleInvalidResponse,
)
from tests.api.support import body, models, sent
from tests.drivers import Driver


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


def test_sdk_module_path_exports_the_file_model() -> None:
    import scale_async.files
    import scale_sync.files

    assert scale_sync.files.File is scale_async.files.File
