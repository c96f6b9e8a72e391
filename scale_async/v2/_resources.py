"""v2 projects, batches, deliveries, datasets, schemas, and the pages that list them."""

from __future__ import annotations

from typing import Any

import attrs

from .._engine.model import Model, wire
from ._enums import BatchStatus
from ._hooks import Timestamp

__all__ = [
    "Batch",
    "CancelBatch200Response",
    "Dataset",
    "DatasetDelivery",
    "DatasetDeliveryMetadata",
    "Delivery",
    "GetBatchesResponse",
    "GetDatasetDeliveriesResponse",
    "GetDatasetsResponse",
    "GetDeliveriesResponse",
    "GetProjectsResponse",
    "GetSchemaResponse",
    "GetSchemaResponseSchema",
    "PauseBatch200Response",
    "Project",
    "ResumeBatch200Response",
]


@attrs.define(kw_only=True, eq=False)
class Project(Model):
    """A GenAI project: ``types`` are ``GenAIProjectType`` values."""

    id: str
    name: str | None = None
    created_at: Timestamp | None = None
    types: list[str] | None = None
    models: list[str] | None = None


@attrs.define(kw_only=True, eq=False)
class Batch(Model):
    """A v2 batch; ``project`` is an id, or the project when expanded."""

    id: str
    name: str | None = None
    project: str | Project | None = None
    created_at: Timestamp | None = None
    completed_at: Timestamp | None = None
    status: BatchStatus | str | None = None
    callback: str | None = None
    metadata: dict[str, Any] | None = None


@attrs.define(kw_only=True, eq=False)
class Delivery(Model):
    """A delivery of a project's completed tasks."""

    id: str
    name: str | None = None
    task_count: int | None = None
    delivered_at: Timestamp | None = None
    project: str | Project | None = None


@attrs.define(kw_only=True, eq=False)
class Dataset(Model):
    """A dataset Scale delivers to the customer."""

    id: str
    name: str | None = None


@attrs.define(kw_only=True, eq=False)
class DatasetDeliveryMetadata(Model):
    """How much a dataset delivery holds."""

    task_count: int | None = None
    turn_count: int | None = None


@attrs.define(kw_only=True, eq=False)
class DatasetDelivery(Model):
    """A delivery of a dataset; ``dataset`` is an id, or the dataset when expanded."""

    id: str
    name: str | None = None
    delivered_at: Timestamp | None = None
    dataset: str | Dataset | None = None
    metadata: DatasetDeliveryMetadata | None = None


@attrs.define(kw_only=True, eq=False)
class GetBatchesResponse(Model):
    """One page of ``GET /v2/batches``."""

    batches: list[Batch]
    next_token: str | None = None


@attrs.define(kw_only=True, eq=False)
class GetProjectsResponse(Model):
    """``GET /v2/projects``: every project (not paged)."""

    projects: list[Project]


@attrs.define(kw_only=True, eq=False)
class GetDeliveriesResponse(Model):
    """``GET /v2/deliveries``: every delivery (not paged)."""

    deliveries: list[Delivery]


@attrs.define(kw_only=True, eq=False)
class GetDatasetsResponse(Model):
    """``GET /v2/datasets``: every dataset (not paged)."""

    datasets: list[Dataset]


@attrs.define(kw_only=True, eq=False)
class GetDatasetDeliveriesResponse(Model):
    """``GET /v2/datasets/deliveries``: a dataset's deliveries (not paged)."""

    deliveries: list[DatasetDelivery]


@attrs.define(kw_only=True, eq=False)
class GetSchemaResponseSchema(Model):
    """A response schema: its id and the JSON schema as text (SDK name ``var_json``)."""

    id: str | None = None
    var_json: str | None = attrs.field(default=None, metadata=wire("json"))

    @property
    def json(self) -> str | None:
        """The JSON schema as text (the JSON key's own name)."""
        return self.var_json


@attrs.define(kw_only=True, eq=False)
class GetSchemaResponse(Model):
    """``GET /v2/schema``. The SDK names the field ``var_schema``; ``schema`` also reads."""

    var_schema: GetSchemaResponseSchema = attrs.field(metadata=wire("schema"))

    @property
    def schema(self) -> GetSchemaResponseSchema:
        """The schema (the JSON key's own name)."""
        return self.var_schema


@attrs.define(kw_only=True, eq=False)
class _BatchAction(Model):
    batch: Batch | None = None
    message: str | None = None


@attrs.define(kw_only=True, eq=False)
class CancelBatch200Response(_BatchAction):
    """What ``cancel_batch`` answers: the batch and a message."""


@attrs.define(kw_only=True, eq=False)
class PauseBatch200Response(_BatchAction):
    """What ``pause_batch`` answers: the batch and a message."""


@attrs.define(kw_only=True, eq=False)
class ResumeBatch200Response(_BatchAction):
    """What ``resume_batch`` answers: the batch and a message."""
