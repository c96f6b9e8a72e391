"""What deliveries and datasets hand over: delivered tasks and dataset tasks, page by page."""

from __future__ import annotations

from typing import Any

import attrs

from .._engine.model import Model
from ._hooks import Timestamp
from ._resources import Dataset, DatasetDelivery, Delivery
from ._tasks import Task

__all__ = [
    "DatasetTask",
    "GetDatasetDeliveryResponse",
    "GetDatasetTasksResponse",
    "GetDeliveredTasksResponse",
    "GetDeliveryTasksResponse",
    "GetDeliveryTasksResponseDocsInner",
]


@attrs.define(kw_only=True, eq=False)
class GetDeliveredTasksResponse(Model):
    """One page of ``GET /v2/delivery``: the delivery (id or expanded) and its tasks."""

    tasks: list[Task]
    delivery: str | Delivery | None = None
    next_token: str | None = None


@attrs.define(kw_only=True, eq=False)
class GetDeliveryTasksResponseDocsInner(Model):
    """A delivered task as ``GET /v2/delivery/tasks`` lists it, with its response."""

    task_id: str
    created_at: Timestamp | None = None
    delivery_id: str | None = None
    delivered_at: str | None = None
    response_schema_id: str | None = None
    response: dict[str, Any] | None = None


@attrs.define(kw_only=True, eq=False)
class GetDeliveryTasksResponse(Model):
    """One page of ``GET /v2/delivery/tasks``: ``docs``, the ``total``, ``next_token``."""

    docs: list[GetDeliveryTasksResponseDocsInner]
    total: int | None = None
    next_token: str | None = None


@attrs.define(kw_only=True, eq=False)
class DatasetTask(Model):
    """A task of a dataset delivery, with its response; references are ids unless expanded."""

    task_id: str
    dataset: str | Dataset | None = None
    delivery: str | DatasetDelivery | None = None
    response: dict[str, Any] | None = None


@attrs.define(kw_only=True, eq=False)
class GetDatasetTasksResponse(Model):
    """One page of ``GET /v2/datasets/tasks``."""

    tasks: list[DatasetTask]
    next_token: str | None = None


@attrs.define(kw_only=True, eq=False)
class GetDatasetDeliveryResponse(Model):
    """One page of ``GET /v2/datasets/delivery``: the delivery and its tasks."""

    tasks: list[DatasetTask]
    delivery: str | DatasetDelivery | None = None
    next_token: str | None = None
