"""The files endpoints."""

from __future__ import annotations

import json
import os
from enum import Enum
from os import PathLike
from pathlib import Path
from typing import Any, Protocol

from .._engine.checks import require_text
from .._engine.requester import Call
from .._engine.wire import wire_value
from ..files import File
from .base import ClientCore

__all__ = ["FilesAPI", "Readable"]


class Readable(Protocol):
    """A binary file object: anything whose ``read()`` returns bytes (``open(path, "rb")``)."""

    def read(self) -> bytes: ...


def _form_fields(kwargs: dict[str, Any]) -> dict[str, str]:
    """The upload's text fields: a ``metadata`` dict as JSON, scalars as strings, no None."""
    fields: dict[str, str] = {}
    for key, value in kwargs.items():
        if value is None:
            continue
        if key == "metadata" and isinstance(value, dict):
            fields[key] = json.dumps(value)
        elif key == "metadata" and not isinstance(value, str):
            raise TypeError(
                f"metadata must be a dict (sent as JSON) or a JSON string, got {value!r}"
            )
        elif isinstance(value, str | int | float | Enum):
            fields[key] = wire_value(value)
        else:
            raise TypeError(
                f"upload_file sends {key} as one form field, so it must be a string or a "
                f"number, got {type(value).__name__}"
            )
    return fields


def _upload_name(file: Any) -> str:
    """The part's file name as ``requests`` picks it: the basename of ``.name``, else ``file``."""
    name = getattr(file, "name", None)
    if isinstance(name, str) and name and not (name.startswith("<") and name.endswith(">")):
        return os.path.basename(name) or "file"
    return "file"


async def _read_upload(file: Any) -> tuple[str, bytes]:
    """The file name and the whole content, read once so that a retry can resend them."""
    import anyio.to_thread  # uploads only: not worth loading with the client

    if isinstance(file, bytes | bytearray | memoryview):
        return "file", bytes(file)
    if isinstance(file, str | PathLike):
        path = os.fsdecode(os.fspath(file))
        if not path:
            raise ValueError("file must be a binary file object, bytes or a non-empty path")
        content = await anyio.to_thread.run_sync(Path(path).read_bytes)
        return os.path.basename(path) or "file", content
    read = getattr(file, "read", None)
    if not callable(read):
        raise TypeError(
            f"file must be a binary file object, bytes or a path, got {type(file).__name__}"
        )
    content = await anyio.to_thread.run_sync(read)
    if not isinstance(content, bytes):
        raise TypeError(
            f"file.read() returned {type(content).__name__}, not bytes: open the file in "
            "binary mode ('rb')"
        )
    return _upload_name(file), content


class FilesAPI(ClientCore):
    """Upload and import files (``/files``)."""

    async def upload_file(
        self, file: Readable | bytes | str | PathLike[str], **kwargs: Any
    ) -> File:
        """Upload a file (multipart, part ``file``); ``kwargs`` become form fields.

        ``file`` is a binary file object, bytes, or a path. The file name sent is the file
        object's (or the path's) basename, else ``file``. The content is read in a worker
        thread before sending, so that a retry resends it whole. Scale's fields include
        ``project_name``, ``display_name``, ``reference_id`` and ``metadata`` (a dict is sent
        JSON-encoded); other values are sent as strings.

        An upload is retried after an ambiguous failure (5xx, timeout) only when it carries
        ``reference_id``. The v1 API cannot look a file up by ``reference_id``, so if the
        earlier attempt did store the file, the retry's 409 is raised as
        ``ScaleDuplicateResource``: the file exists under that ``reference_id``.
        """
        fields = _form_fields(kwargs)
        name, content = await _read_upload(file)
        return await self._one(
            Call(
                method="POST",
                path="files/upload",
                files={"file": (name, content)},
                data=fields,
                replay_safe=bool(fields.get("reference_id")),
            ),
            File,
        )

    async def import_file(self, file_url: str, **kwargs: Any) -> File:
        """Have Scale fetch ``file_url`` and store it; ``kwargs`` as for ``upload_file``.

        The body is JSON, so ``metadata`` stays an object. Retries follow ``upload_file``:
        only with ``reference_id``, and a 409 after an ambiguous attempt is raised.
        """
        require_text("file_url", file_url)
        return await self._one(
            Call(
                method="POST",
                path="files/import",
                body={"file_url": file_url, **kwargs},
                replay_safe=bool(kwargs.get("reference_id")),
            ),
            File,
        )
