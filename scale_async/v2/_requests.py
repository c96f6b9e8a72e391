"""The bodies the v2 POST operations send, as request objects or as keyword arguments.

Each operation takes the SDK's request object (ours below, the SDK's own pydantic one, or a
dict) and/or its fields as keyword arguments, the keywords winning. Everything is checked
here, before any request: an unknown field or a wrong type is a ``TypeError``, a missing
choice (which batch?) a ``ValueError``. As the SDK does, fields left None are not sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import attrs
from attrs.validators import instance_of, optional

__all__ = [
    "BatchOperationRequest",
    "CreateBatchRequest",
    "CreateChatTaskRequest",
    "FinalizeBatchRequest",
    "SetBatchMetadataRequest",
    "SetTaskMetadataRequest",
    "request_body",
]

R = TypeVar("R")

_text = optional(instance_of(str))
_flag = optional(instance_of(bool))
_json_object = instance_of(dict)
_object = optional(_json_object)


def _one_of(*names: str) -> Any:
    def check(instance: Any, _: Any, __: Any) -> None:
        if not any(getattr(instance, name) for name in names):
            raise ValueError(f"{type(instance).__name__} needs {' or '.join(names)}")

    return check


@attrs.frozen(kw_only=True)
class CreateBatchRequest:
    """``create_batch``: a name and the project (by id or name)."""

    name: str = attrs.field(validator=instance_of(str))
    project_id: str | None = attrs.field(default=None, validator=[_text])
    project_name: str | None = attrs.field(default=None, validator=[_text])
    callback: str | None = attrs.field(default=None, validator=_text)
    staging_batch: bool | None = attrs.field(default=None, validator=_flag)
    metadata: dict[str, Any] | None = attrs.field(default=None, validator=_object)

    def __attrs_post_init__(self) -> None:
        _one_of("project_id", "project_name")(self, None, None)


@attrs.frozen(kw_only=True)
class CreateChatTaskRequest:
    """``create_chat_task``: where the task goes (project and/or batch) and its inputs."""

    project_id: str | None = attrs.field(default=None, validator=_text)
    project_name: str | None = attrs.field(default=None, validator=_text)
    batch_id: str | None = attrs.field(default=None, validator=_text)
    batch_name: str | None = attrs.field(default=None, validator=_text)
    template_variables: dict[str, Any] | None = attrs.field(default=None, validator=_object)
    metadata: dict[str, Any] | None = attrs.field(default=None, validator=_object)
    callback_url: str | None = attrs.field(default=None, validator=_text)

    def __attrs_post_init__(self) -> None:
        _one_of("project_id", "project_name", "batch_id", "batch_name")(self, None, None)


@attrs.frozen(kw_only=True)
class BatchOperationRequest:
    """``finalize_batch``, ``pause_batch``, ``resume_batch``, ``cancel_batch``: which batch."""

    batch_id: str | None = attrs.field(default=None, validator=_text)
    batch_name: str | None = attrs.field(default=None, validator=_text)

    def __attrs_post_init__(self) -> None:
        _one_of("batch_id", "batch_name")(self, None, None)


@attrs.frozen(kw_only=True)
class FinalizeBatchRequest(BatchOperationRequest):
    """The SDK's name for a finalize body (the API takes a ``BatchOperationRequest``)."""


@attrs.frozen(kw_only=True)
class SetBatchMetadataRequest:
    """``set_batch_metadata``: which batch, the metadata, and whether to ``merge`` it in."""

    metadata: dict[str, Any] = attrs.field(validator=_json_object)
    batch_id: str | None = attrs.field(default=None, validator=_text)
    batch_name: str | None = attrs.field(default=None, validator=_text)
    merge: bool | None = attrs.field(default=None, validator=_flag)

    def __attrs_post_init__(self) -> None:
        _one_of("batch_id", "batch_name")(self, None, None)


@attrs.frozen(kw_only=True)
class SetTaskMetadataRequest:
    """``set_task_metadata``: which task, the metadata, and whether to ``merge`` it in."""

    task_id: str = attrs.field(validator=instance_of(str))
    metadata: dict[str, Any] = attrs.field(validator=_json_object)
    merge: bool | None = attrs.field(default=None, validator=_flag)

    def __attrs_post_init__(self) -> None:
        _one_of("task_id")(self, None, None)


def _fields_of(request: Any) -> dict[str, Any]:
    if request is None:
        return {}
    if attrs.has(type(request)):
        return attrs.asdict(request, recurse=False)
    if isinstance(request, Mapping):
        return dict(request)
    to_dict = getattr(request, "to_dict", None)
    if callable(to_dict):  # the official SDK's pydantic request objects
        fields = to_dict()
        if isinstance(fields, dict):
            return fields
    raise TypeError(f"expected a request object or a dict, got {type(request).__name__}")


def request_body(
    cls: type[R],
    request: Any,
    fields: Mapping[str, Any],
    defaults: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON body of ``cls`` from ``request`` and keyword ``fields``, checked.

    ``defaults`` fill in what neither gives (a bulk job's project, say).
    """
    given = {key: value for key, value in _fields_of(request).items() if value is not None}
    merged = {**(defaults or {}), **given, **fields}
    known = {field.name for field in attrs.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(merged) - known)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(map(repr, unknown))}")
    checked = cls(**merged)
    return {k: v for k, v in attrs.asdict(checked, recurse=False).items() if v is not None}  # type: ignore[arg-type]
