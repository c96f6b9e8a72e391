"""Receiving Scale's task callbacks in sync code, e.g. a Flask view (``scale_async.callbacks``).

The checks and the parsing are the async package's; only the task changes: it is a
``scale_sync.Task``, whose helpers (``task.refresh()``...) run on the sync client given.
"""

from __future__ import annotations

from typing import cast

from scale_async import callbacks as _async
from scale_async.callbacks import CALLBACK_AUTH_HEADER as CALLBACK_AUTH_HEADER
from scale_async.callbacks import Body, Headers, TaskCallback
from scale_async.callbacks import CallbackAuthError as CallbackAuthError
from scale_async.callbacks import InvalidCallback as InvalidCallback
from scale_async.callbacks import callback_auth_key as callback_auth_key
from scale_async.callbacks import verify_callback_auth as verify_callback_auth

from ._convert import to_sync
from ._generated import ScaleClient, Task

# The async module's names; its parse_callback is replaced by the one below.
__all__ = []
__all__ += _async.__all__


def parse_callback(
    body: Body,
    headers: Headers | None = None,
    *,
    auth_key: str | bytes | None,
    client: ScaleClient | None = None,
) -> TaskCallback[Task]:
    """Check the sender, then read a callback body (see ``scale_async.callbacks.parse_callback``).

    ``client`` binds the task to that sync client, so that ``event.task.refresh()`` works.
    """
    bound = None if client is None else client.async_client
    event = _async.parse_callback(body, headers, auth_key=auth_key, client=bound)
    return cast("TaskCallback[Task]", to_sync(event))
