"""Minimal ASGI plumbing: read a request, write a JSON reply. No framework needed."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import orjson

from ._params import parse_json, parse_query

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 100 * 1024 * 1024


class ConnectionDropped(Exception):
    """Raised by the app to cut the connection after the headers, as a flaky network would."""


@dataclass
class Request:
    """One HTTP request, with the path split into percent-decoded segments."""

    method: str
    segments: list[str]
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    path_params: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The JSON body (``None`` when empty); 400 when malformed."""
        return parse_json(self.body)

    @property
    def path(self) -> str:
        """The decoded path, for messages."""
        return "/" + "/".join(self.segments)


@dataclass
class Reply:
    """A response to send: a status and a JSON-serialisable body."""

    status: int
    body: Any
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)


def split_path(scope: Scope) -> list[str]:
    """Path segments decoded one by one, so ``%2F`` inside a name stays inside that name."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) and raw else str(scope.get("path", "/"))
    path = path.split("?", 1)[0]
    root = str(scope.get("root_path") or "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return [unquote(part) for part in path.strip("/").split("/") if part != ""]


async def read_request(scope: Scope, receive: Receive) -> Request:
    """Collect the whole body; the fake's payloads are small."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= MAX_BODY_BYTES:
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    headers: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        headers[name.decode("latin-1").lower()] = value.decode("latin-1")
    return Request(
        method=str(scope.get("method", "GET")).upper(),
        segments=split_path(scope),
        query=parse_query(scope.get("query_string", b"")),
        headers=headers,
        body=b"".join(chunks),
    )


def encode(body: Any) -> bytes:
    """Compact JSON, as Scale sends.

    orjson, as the client's own JSON: a 100-task page takes a tenth of the stdlib's time, on
    the core the fake shares with the clients a benchmark measures. It writes UTF-8 as is
    and NaN as ``null``, as JavaScript's ``JSON.stringify`` does; what orjson refuses (an
    integer beyond 64 bits, a key that is not a string) falls back to the stdlib.
    """
    try:
        return orjson.dumps(body)
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(body, separators=(",", ":")).encode()


async def send_reply(send: Send, reply: Reply) -> None:
    """Write a JSON response with an exact Content-Length."""
    payload = encode(reply.body)
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(payload)).encode()),
        *reply.headers,
    ]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def drop_connection(send: Send) -> None:
    """Promise a body, send none, and abort: a transport error for any client."""
    headers = [(b"content-type", b"application/json"), (b"content-length", b"1024")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    raise ConnectionDropped("fault injection: connection dropped")
