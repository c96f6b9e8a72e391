"""The official SDK's low-level surface: ``client.api`` and the helper its own tests call.

Users of the SDK reach for ``client.api.post_request(...)`` for whatever it lacks (an
endpoint, a filter). ``RawAPI`` gives them the same four calls on this client's engine, so
raw calls are retried, mapped to the SDK's exceptions and redacted like every other call.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from enum import Enum
from typing import Any

from .._engine.requester import NO_BODY, Call
from .base import ClientCore
from .files import _read_upload
from .tasks import PROJECT_OR_BATCH

__all__ = ["LegacyAPI", "RawAPI", "process_tasks_endpoint_args", "request_files"]


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def process_tasks_endpoint_args(
    project_name: str | None = None,
    batch_name: str | None = None,
    task_type: Any = None,
    status: Any = None,
    review_status: Any = None,
    unique_id: str | list[str] | None = None,
    completed_after: str | None = None,
    completed_before: str | None = None,
    updated_after: str | None = None,
    updated_before: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    tags: str | list[str] | None = None,
    include_attachment_url: bool = True,
    limited_response: bool | None = None,
) -> dict[str, Any]:
    """The ``/tasks`` arguments the SDK's ``_process_tasks_endpoint_args`` builds, key for key.

    Its keys, their order and the None values it keeps are the SDK's; enum members and
    their plain string values are both accepted (the SDK takes members only).
    """
    if not project_name and not batch_name:
        raise ValueError(PROJECT_OR_BATCH)
    args: dict[str, Any] = {
        "start_time": created_after,
        "end_time": created_before,
        "project": project_name,
        "batch": batch_name,
        "completed_before": completed_before,
        "completed_after": completed_after,
        "tags": tags,
        "updated_before": updated_before,
        "updated_after": updated_after,
        "unique_id": unique_id,
        "include_attachment_url": include_attachment_url,
    }
    if status:
        args["status"] = _value(status)
    if limited_response:
        args["limited_response"] = limited_response
    if task_type:
        args["type"] = _value(task_type)
    if review_status:
        if isinstance(review_status, list | tuple):
            args["customer_review_status"] = ",".join(str(_value(v)) for v in review_status)
        else:
            args["customer_review_status"] = _value(review_status)
    return args


async def request_files(files: Any) -> dict[str, tuple[str, bytes]]:
    """``requests``-style ``files=`` as multipart parts: ``{field: (file name, content)}``.

    A part is a binary file object, bytes, or a tuple ``(file name, file or bytes[, ...])``
    whose extra members (content type, headers) are ignored. A list of pairs works too.
    """
    items = files.items() if isinstance(files, Mapping) else files
    parts: dict[str, tuple[str, bytes]] = {}
    for field, part in items:
        if isinstance(part, tuple):
            if len(part) < 2:
                raise ValueError(f"files[{field!r}] must be (file name, content, ...)")
            _, content = await _read_upload(part[1])
            parts[str(field)] = (str(part[0]) if part[0] else "file", content)
        else:
            parts[str(field)] = await _read_upload(part)
    return parts


class RawAPI:
    """``client.api``: the SDK's generic requests, on this client's retries and errors.

    ``endpoint`` is relative to the base URL (``projects/kittens/setOntology``). Each call
    returns the decoded JSON, or None when a success carries none, and raises the SDK's
    exceptions (``ScaleInvalidRequest`` for a 400, ...). A POST is retried after an ambiguous
    failure only when its body carries a ``unique_id``; the other methods are idempotent.
    """

    def __init__(self, client: ClientCore) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<RawAPI {self._client.base_url}>"

    async def _request(
        self,
        method: str,
        endpoint: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        files: Any = None,
        data: Mapping[str, Any] | None = None,
    ) -> Any:
        if not isinstance(endpoint, str) or not endpoint.strip("/"):
            raise ValueError(f"endpoint must be a non-empty path, got {endpoint!r}")
        replay_safe = method != "POST" or (isinstance(body, dict) and bool(body.get("unique_id")))
        call = Call(
            method=method,
            path=endpoint.lstrip("/"),
            params=params or None,
            # As the SDK (``body or None``): an empty body is no body.
            body=body if body else NO_BODY,
            files=await request_files(files) if files else None,
            data={str(k): str(_value(v)) for k, v in data.items()} if data else None,
            replay_safe=replay_safe,
            allow_text=True,
        )
        return await self._client._call(call)

    async def get_request(self, endpoint: str, params: Mapping[str, Any] | None = None) -> Any:
        """``GET endpoint?params``; lists in ``params`` repeat their key, as in ``requests``."""
        return await self._request("GET", endpoint, params=params)

    async def post_request(
        self,
        endpoint: str,
        body: Any = None,
        files: Any = None,
        data: Mapping[str, Any] | None = None,
    ) -> Any:
        """``POST endpoint`` with a JSON ``body``, or multipart ``files`` and form ``data``."""
        return await self._request("POST", endpoint, body=body, files=files, data=data)

    async def delete_request(
        self, endpoint: str, params: Mapping[str, Any] | None = None, body: Any = None
    ) -> Any:
        """``DELETE endpoint`` (Scale's tag removal carries a JSON body)."""
        return await self._request("DELETE", endpoint, params=params, body=body)

    async def put_request(
        self, endpoint: str, body: Any = None, params: Mapping[str, Any] | None = None
    ) -> Any:
        """``PUT endpoint`` with a JSON ``body``."""
        return await self._request("PUT", endpoint, body=body, params=params)


class LegacyAPI(ClientCore):
    """The parts of the SDK's client that are not endpoints: ``api`` and its private helper."""

    @functools.cached_property
    def api(self) -> RawAPI:
        """Raw requests for endpoints this client has no method for (the SDK's ``client.api``)."""
        return RawAPI(self)

    _process_tasks_endpoint_args = staticmethod(process_tasks_endpoint_args)
