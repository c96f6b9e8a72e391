"""Receiving Scale's task callbacks: check that Scale sent them, and read the body into a Task.

Scale POSTs ``{"task": {...}, "response": {...}, "task_id": "...", "status": "..."}`` to a
task's ``callback_url``, with your account's callback auth key in the ``scale-callback-auth``
header; anyone can POST to that URL, so the header is what tells Scale's calls apart. These
helpers need no web framework: hand them the headers (any mapping, or a list of pairs) and the
raw body your framework gives you, in a sync or an async handler alike. They do no I/O.

    event = parse_callback(body, headers, auth_key=os.environ["SCALE_CALLBACK_AUTH_KEY"])
    event.task.task_id, event.status, event.response

A missing or wrong key raises :class:`CallbackAuthError` (answer 401); a body that is not a
callback raises :class:`InvalidCallback` (answer 400). Scale retries a callback until it gets a
2xx, so answer 2xx only once the event is safely handled.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from ._engine.model import tolerant
from ._engine.serde import structure
from .exceptions import ScaleException, ScaleInvalidResponse
from .tasks import Task, TaskStatus

if TYPE_CHECKING:
    from ._client import AsyncScaleClient

__all__ = [
    "CALLBACK_AUTH_HEADER",
    "CallbackAuthError",
    "InvalidCallback",
    "TaskCallback",
    "callback_auth_key",
    "parse_callback",
    "verify_callback_auth",
]

#: The header in which Scale sends the account's callback auth key.
CALLBACK_AUTH_HEADER = "scale-callback-auth"

Headers = Mapping[str, str] | Iterable[tuple[str, str]]
Body = bytes | bytearray | memoryview | str | Mapping[str, Any]
T = TypeVar("T")


class InvalidCallback(ScaleException):
    """The request is not a Scale task callback; ``code`` is the status to answer it with (400)."""

    code = 400

    def __str__(self) -> str:
        return self.message


class CallbackAuthError(InvalidCallback):
    """The ``scale-callback-auth`` header is missing or wrong: not from Scale (answer 401)."""

    code = 401


@attrs.frozen
class TaskCallback(Generic[T]):
    """One callback: the task as Scale sent it, plus the body's own fields.

    ``task`` is a ``scale_async.Task`` (a ``scale_sync.Task`` from ``scale_sync.callbacks``).
    ``status`` and ``response`` are the body's top-level keys when present, else the task's.
    ``body`` is the whole decoded JSON, unknown keys included.
    """

    task: T
    task_id: str
    status: TaskStatus | str | None
    response: Any
    body: dict[str, Any] = attrs.field(repr=False)


def verify_callback_auth(received: str | bytes | None, auth_key: str | bytes) -> bool:
    """Whether ``received`` is the callback auth key, compared in constant time.

    Constant time, so that the time taken says nothing about how much of a guess was right.
    An empty ``auth_key`` is a ValueError: it would accept any request that sends none.
    """
    expected = auth_key.encode() if isinstance(auth_key, str) else bytes(auth_key)
    if not expected:
        raise ValueError("auth_key is empty: pass the account's callback auth key")
    if received is None:
        return False
    given = received.encode() if isinstance(received, str) else bytes(received)
    return hmac.compare_digest(given, expected)


def callback_auth_key(headers: Headers) -> str | None:
    """The ``scale-callback-auth`` value in ``headers``, whatever the case of its name."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    for name, value in items:
        if name.lower() == CALLBACK_AUTH_HEADER:
            return value
    return None


def parse_callback(
    body: Body,
    headers: Headers | None = None,
    *,
    auth_key: str | bytes | None,
    client: AsyncScaleClient | None = None,
) -> TaskCallback[Task]:
    """Check the sender, then read a callback body into a :class:`TaskCallback`.

    ``auth_key`` is your callback auth key; ``None`` skips the check and must be passed on
    purpose (say, behind a proxy that has already checked it). ``client`` binds the task, so
    that ``await event.task.refresh()`` and its other helpers work.
    """
    if auth_key is not None:
        received = None if headers is None else callback_auth_key(headers)
        if not verify_callback_auth(received, auth_key):
            reason = "missing" if received is None else "wrong"
            raise CallbackAuthError(f"{CALLBACK_AUTH_HEADER} header {reason}: not from Scale")
    data = _decode(body)
    task_json = data.get("task")
    if not isinstance(task_json, dict):
        raise InvalidCallback("callback body has no task object")
    task_id = data.get("task_id", task_json.get("task_id"))
    if task_json.get("task_id") != task_id or not isinstance(task_id, str):
        raise InvalidCallback(
            f"callback task_id {task_id!r} does not match its task {task_json.get('task_id')!r}"
        )
    try:
        task = structure(task_json, Task, client=client)
    except ScaleInvalidResponse as exc:
        raise InvalidCallback(f"callback task is malformed: {exc.message}") from exc
    status = data.get("status", task.status)
    return TaskCallback(
        task=task,
        task_id=task_id,
        status=tolerant(TaskStatus, status) if isinstance(status, str) else task.status,
        response=data.get("response", task.response),
        body=data,
    )


def _decode(body: Body) -> dict[str, Any]:
    if isinstance(body, Mapping):
        return dict(body)
    try:
        data = json.loads(bytes(body) if isinstance(body, bytearray | memoryview) else body)
    except (ValueError, TypeError) as exc:
        raise InvalidCallback(f"callback body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidCallback(f"callback body is a JSON {type(data).__name__}, not an object")
    return data
