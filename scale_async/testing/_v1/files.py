"""File operations: multipart upload and import by URL, with ``reference_id`` idempotency."""

from __future__ import annotations

import json
import mimetypes
from typing import Any
from urllib.parse import urlsplit

from .._errors import bad_request, conflict
from .._params import as_object, opt_str, req_str
from .multipart import Part, parse_multipart
from .state import Account, File, World

MAX_UPLOAD_BYTES = 80 * 1024 * 1024


def _mime(name: str | None, declared: str | None = None) -> str:
    if declared and declared.lower() != "application/octet-stream":
        return declared
    guessed = mimetypes.guess_type(name or "")[0]
    return guessed or declared or "application/octet-stream"


def _metadata(value: Any) -> dict[str, Any] | None:
    """Form uploads carry metadata as a JSON string; JSON imports may send an object."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise bad_request("metadata must be a JSON-encoded object") from None
    return as_object(value, "metadata")


def _store(world: World, account: Account, fields: dict[str, Any], **facts: Any) -> File:
    reference_id = opt_str(fields, "reference_id")
    if reference_id is not None and reference_id in account.file_refs:
        raise conflict(
            f'The reference_id ("{reference_id}") is already used for file '
            f"{account.file_refs[reference_id]}."
        )
    projects = fields.get("project_name")
    names = projects if isinstance(projects, list) else [projects] if projects else []
    file_id = world.ids.uuid()
    owner = account.projects[names[0]].id if names and names[0] in account.projects else "customer"
    stored = File(
        id=file_id,
        attachment_url=f"scaledata://{owner}/{file_id}",
        created_ms=world.tick(),
        project_names=[str(n) for n in names],
        display_name=opt_str(fields, "display_name"),
        reference_id=reference_id,
        metadata=_metadata(fields.get("metadata")),
        **facts,
    )
    account.files[file_id] = stored
    if reference_id is not None:
        account.file_refs[reference_id] = file_id
    return stored


def upload_file(world: World, account: Account, body: bytes, content_type: str | None) -> File:
    """``POST /files/upload``: a ``file`` part plus optional form fields."""
    parts = parse_multipart(body, content_type)
    upload: Part | None = next((p for p in parts if p.name == "file"), None)
    if upload is None:
        raise bad_request("Please include a file parameter.")
    if len(upload.data) > MAX_UPLOAD_BYTES:
        raise bad_request("File is larger than the 80 MB limit.")
    fields: dict[str, Any] = {}
    for part in parts:
        if part is upload:
            continue
        if part.name == "project_name" and "project_name" in fields:
            previous = fields["project_name"]
            fields["project_name"] = (
                [*previous, part.text()] if isinstance(previous, list) else [previous, part.text()]
            )
        else:
            fields[part.name] = part.text()
    return _store(
        world,
        account,
        fields,
        mime_type=_mime(upload.filename, upload.content_type),
        size=len(upload.data),
        content=upload.data,
    )


def import_file(world: World, account: Account, payload: Any) -> File:
    """``POST /files/import``: remember a remote URL (the fake never fetches it)."""
    body = as_object(payload)
    file_url = req_str(body, "file_url")
    return _store(
        world,
        account,
        body,
        mime_type=_mime(urlsplit(file_url).path),
        size=0,
        file_url=file_url,
    )
