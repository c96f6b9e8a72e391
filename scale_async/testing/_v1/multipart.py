"""A small ``multipart/form-data`` reader for ``/files/upload`` (no third-party parser needed)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

from .._errors import bad_request


@dataclass(frozen=True)
class Part:
    """One form part: its field name, the filename if it is a file, its content type and bytes."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes

    def text(self) -> str:
        """The part as a form field value."""
        return self.data.decode("utf-8", errors="replace")


def _header_params(value: str, header: str) -> Message:
    message = Message()
    message[header] = value
    return message


def boundary_of(content_type: str | None) -> str:
    """The boundary parameter of a multipart content type, or a 400 if this is not multipart."""
    if not content_type or not content_type.lower().startswith("multipart/form-data"):
        raise bad_request("Request must be multipart/form-data")
    boundary = _header_params(content_type, "content-type").get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise bad_request("Multipart boundary is missing")
    return boundary


def parse_multipart(body: bytes, content_type: str | None) -> list[Part]:
    """Split a multipart body into parts, keeping file bytes exactly as sent."""
    delimiter = b"--" + boundary_of(content_type).encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 2:
        raise bad_request("Malformed multipart body")
    parts: list[Part] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise bad_request("Malformed multipart part")
        headers: dict[str, str] = {}
        for line in head.decode("latin-1").split("\r\n"):
            key, colon, value = line.partition(":")
            if colon:
                headers[key.strip().lower()] = value.strip()
        disposition = _header_params(headers.get("content-disposition", ""), "content-disposition")
        name = disposition.get_param("name", header="content-disposition")
        filename = disposition.get_param("filename", header="content-disposition")
        if not isinstance(name, str):
            raise bad_request("Multipart part without a name")
        parts.append(
            Part(
                name=name,
                filename=filename if isinstance(filename, str) else None,
                content_type=headers.get("content-type"),
                data=data,
            )
        )
    return parts
