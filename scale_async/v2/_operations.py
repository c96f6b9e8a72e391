"""The 25 operations of the SDK's ``V2Api``, one request each, with its names and parameters.

Each returns the typed model of its answer (``resp.tasks``, ``resp.next_token``, as the SDK's
pydantic objects read). Arguments are checked before any request: a wrong type is a
``TypeError``, a bad value (an unknown enum value, a ``limit`` outside 1-100) a ``ValueError``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from .._engine.checks import require_text
from .._engine.model import Model
from .._engine.requester import Call
from .._engine.wire import segment
from ..exceptions import ScaleInvalidResponse
from ._annotations import Annotation
from ._base import BatchAction, V2Core, operation
from ._deliveries import (
    DatasetTask,
    GetDatasetDeliveryResponse,
    GetDatasetTasksResponse,
    GetDeliveredTasksResponse,
    GetDeliveryTasksResponse,
)
from ._enums import (
    BatchStatus,
    ExpandableEnumBatch,
    ExpandableEnumDatasetsDeliveries,
    ExpandableEnumDatasetTask,
    ExpandableEnumDeliveries,
    ExpandableEnumDelivery,
    ExpandableEnumTask,
    Option,
    TaskStatus,
)
from ._requests import (
    BatchOperationRequest,
    CreateBatchRequest,
    CreateChatTaskRequest,
    SetBatchMetadataRequest,
    SetTaskMetadataRequest,
    request_body,
)
from ._resources import (
    Batch,
    CancelBatch200Response,
    GetBatchesResponse,
    GetDatasetDeliveriesResponse,
    GetDatasetsResponse,
    GetDeliveriesResponse,
    GetProjectsResponse,
    GetSchemaResponse,
    PauseBatch200Response,
    Project,
    ResumeBatch200Response,
)
from ._tasks import GetTasksResponse, Task
from ._wire import COMPLETED, CREATED, DELIVERED, arguments, v2_query

__all__ = ["CANCEL", "FINALIZE", "PAUSE", "RESUME", "V2Operations"]

M = TypeVar("M", bound=Model)


#: The batch operations, by their verbs (also the bulk ``*_batches``' table).
FINALIZE = BatchAction("batch/finalize", Batch, "Finalize a batch, so that its tasks start")
PAUSE = BatchAction("batch/pause", PauseBatch200Response, "Pause a batch's unstarted tasks")
RESUME = BatchAction("batch/resume", ResumeBatch200Response, "Resume a paused batch")
CANCEL = BatchAction("batch/cancel", CancelBatch200Response, "Cancel a batch's unfinished tasks")


class V2Operations(V2Core):
    """Every ``V2Api`` operation of the official SDK, awaited."""

    # -- tasks ---------------------------------------------------------------------------------

    async def get_task(
        self,
        task_id: str,
        expand: list[ExpandableEnumTask | str] | None = None,
        opts: list[Option | str] | None = None,
    ) -> Task:
        """One task (``GET /v2/task``); ``expand`` turns project/batch ids into objects."""
        require_text("task_id", task_id)
        query = v2_query(
            {"task_id": task_id, "expand": expand, "opts": opts},
            lists={"expand": ExpandableEnumTask, "opts": Option},
        )
        return await self._get("task", query, Task)

    async def get_tasks(
        self,
        project_id: str | None = None,
        project_name: str | None = None,
        batch_id: str | None = None,
        batch_name: str | None = None,
        status: TaskStatus | str | None = None,
        completed_after: datetime | str | None = None,
        completed_before: datetime | str | None = None,
        limit: int | None = None,
        next_token: str | None = None,
        expand: list[ExpandableEnumTask | str] | None = None,
        opts: list[Option | str] | None = None,
    ) -> GetTasksResponse:
        """One page of tasks of a project or batch (``GET /v2/tasks``); ``iter_tasks`` walks all."""
        return await self._get("tasks", self._tasks_query(locals()), GetTasksResponse)

    @staticmethod
    def _tasks_query(args: dict[str, Any]) -> dict[str, Any]:
        return v2_query(
            arguments(args),
            times=COMPLETED,
            lists={"expand": ExpandableEnumTask, "opts": Option},
            enums={"status": TaskStatus},
        )

    async def create_chat_task(
        self, create_chat_task_request: CreateChatTaskRequest | Any = None, **fields: Any
    ) -> Task:
        """Create a chat task (``POST /v2/task/chat``) from the request object and/or fields.

        The v2 API has no idempotency field, so a create is retried only when the server
        provably did not act (connection refused, 429): it is never duplicated.
        """
        body = request_body(CreateChatTaskRequest, create_chat_task_request, fields)
        return await self._post("task/chat", body, Task, replay_safe=False)

    async def set_task_metadata(
        self, set_task_metadata_request: SetTaskMetadataRequest | Any = None, **fields: Any
    ) -> Task:
        """Replace (``merge=True``: update) a task's metadata (``POST /v2/task/metadata``)."""
        body = request_body(SetTaskMetadataRequest, set_task_metadata_request, fields)
        return await self._post("task/metadata", body, Task)

    async def get_annotation(self, annotation_id: str) -> Annotation:
        """One annotation, as the class of its ``type`` (``GET /v2/annotation``)."""
        require_text("annotation_id", annotation_id)
        return await self._get("annotation", {"annotation_id": annotation_id}, Annotation)

    # -- batches -------------------------------------------------------------------------------

    async def get_batch(
        self,
        batch_id: str | None = None,
        batch_name: str | None = None,
        expand: list[ExpandableEnumBatch | str] | None = None,
    ) -> Batch:
        """One batch by id or name (``GET /v2/batch``)."""
        if batch_id is None and batch_name is None:
            raise ValueError("get_batch needs a batch_id or a batch_name")
        query = v2_query(
            {"batch_id": batch_id, "batch_name": batch_name, "expand": expand},
            lists={"expand": ExpandableEnumBatch},
        )
        return await self._get("batch", query, Batch)

    async def get_batches(
        self,
        project_id: str | None = None,
        project_name: str | None = None,
        status: BatchStatus | str | None = None,
        created_after: datetime | str | None = None,
        created_before: datetime | str | None = None,
        completed_after: datetime | str | None = None,
        completed_before: datetime | str | None = None,
        limit: int | None = None,
        next_token: str | None = None,
        expand: list[ExpandableEnumBatch | str] | None = None,
    ) -> GetBatchesResponse:
        """One page of batches (``GET /v2/batches``); ``iter_batches`` walks all."""
        return await self._get("batches", self._batches_query(locals()), GetBatchesResponse)

    @staticmethod
    def _batches_query(args: dict[str, Any]) -> dict[str, Any]:
        return v2_query(
            arguments(args),
            times=CREATED + COMPLETED,
            lists={"expand": ExpandableEnumBatch},
            enums={"status": BatchStatus},
        )

    async def create_batch(
        self, create_batch_request: CreateBatchRequest | Any = None, **fields: Any
    ) -> Batch:
        """Create a batch (``POST /v2/batch``); not retried once the server may have acted."""
        body = request_body(CreateBatchRequest, create_batch_request, fields)
        return await self._post("batch", body, Batch, replay_safe=False)

    async def _on_batch(
        self,
        action: BatchAction[M],
        /,
        batch_operation_request: BatchOperationRequest | Any = None,
        **fields: Any,
    ) -> M:
        body = request_body(BatchOperationRequest, batch_operation_request, fields)
        return await self._post(action.path, body, action.answer)

    finalize_batch = operation(_on_batch, FINALIZE, FINALIZE.doc())
    pause_batch = operation(_on_batch, PAUSE, PAUSE.doc())
    resume_batch = operation(_on_batch, RESUME, RESUME.doc())
    cancel_batch = operation(_on_batch, CANCEL, CANCEL.doc())

    async def set_batch_metadata(
        self, set_batch_metadata_request: SetBatchMetadataRequest | Any = None, **fields: Any
    ) -> Batch:
        """Replace (``merge=True``: update) a batch's metadata (``POST /v2/batch/metadata``)."""
        body = request_body(SetBatchMetadataRequest, set_batch_metadata_request, fields)
        return await self._post("batch/metadata", body, Batch)

    # -- projects ------------------------------------------------------------------------------

    async def get_project(
        self, project_id: str | None = None, project_name: str | None = None
    ) -> Project:
        """One project by id or name (``GET /v2/project``)."""
        if project_id is None and project_name is None:
            raise ValueError("get_project needs a project_id or a project_name")
        query = v2_query({"project_id": project_id, "project_name": project_name})
        return await self._get("project", query, Project)

    async def get_projects(
        self,
        created_after: datetime | str | None = None,
        created_before: datetime | str | None = None,
    ) -> GetProjectsResponse:
        """Every project, optionally by creation time (``GET /v2/projects``, not paged)."""
        query = v2_query(
            {"created_after": created_after, "created_before": created_before}, times=CREATED
        )
        return await self._get("projects", query, GetProjectsResponse)

    # -- deliveries ----------------------------------------------------------------------------

    async def get_deliveries(
        self,
        project_id: str | None = None,
        project_name: str | None = None,
        delivered_after: datetime | str | None = None,
        delivered_before: datetime | str | None = None,
        expand: list[ExpandableEnumDeliveries | str] | None = None,
    ) -> GetDeliveriesResponse:
        """A project's deliveries (``GET /v2/deliveries``, not paged)."""
        params = arguments(locals())
        query = v2_query(params, times=DELIVERED, lists={"expand": ExpandableEnumDeliveries})
        return await self._get("deliveries", query, GetDeliveriesResponse)

    async def get_delivery(
        self,
        delivery_id: str | None = None,
        delivery_name: str | None = None,
        project_id: str | None = None,
        project_name: str | None = None,
        limit: int | None = None,
        next_token: str | None = None,
        expand: list[ExpandableEnumDelivery | str] | None = None,
        opts: list[Option | str] | None = None,
    ) -> GetDeliveredTasksResponse:
        """One page of a delivery's tasks (``GET /v2/delivery``); ``iter_delivery`` walks all."""
        return await self._get(
            "delivery", self._delivery_query(locals()), GetDeliveredTasksResponse
        )

    @staticmethod
    def _delivery_query(args: dict[str, Any]) -> dict[str, Any]:
        params = arguments(args)
        if params.get("delivery_id") is None and params.get("delivery_name") is None:
            raise ValueError("a delivery is named by delivery_id or delivery_name")
        return v2_query(params, lists={"expand": ExpandableEnumDelivery, "opts": Option})

    async def get_delivery_tasks(
        self,
        delivery_id: str | None = None,
        project_id: str | None = None,
        project_name: str | None = None,
        status: TaskStatus | str | None = None,
        completed_after: datetime | str | None = None,
        completed_before: datetime | str | None = None,
        limit: int | None = None,
        next_token: str | None = None,
    ) -> GetDeliveryTasksResponse:
        """One page of delivered tasks with responses (``GET /v2/delivery/tasks``)."""
        query = self._delivery_tasks_query(locals())
        return await self._get("delivery/tasks", query, GetDeliveryTasksResponse)

    @staticmethod
    def _delivery_tasks_query(args: dict[str, Any]) -> dict[str, Any]:
        return v2_query(arguments(args), times=COMPLETED, enums={"status": TaskStatus})

    # -- datasets ------------------------------------------------------------------------------

    async def get_datasets(self) -> GetDatasetsResponse:
        """Every dataset of the account (``GET /v2/datasets``, not paged)."""
        return await self._get("datasets", None, GetDatasetsResponse)

    async def get_dataset_deliveries(
        self,
        dataset_id: str | None = None,
        delivered_after: datetime | str | None = None,
        delivered_before: datetime | str | None = None,
        expand: list[ExpandableEnumDatasetsDeliveries | str] | None = None,
    ) -> GetDatasetDeliveriesResponse:
        """A dataset's deliveries (``GET /v2/datasets/deliveries``, not paged)."""
        params = arguments(locals())
        query = v2_query(
            params, times=DELIVERED, lists={"expand": ExpandableEnumDatasetsDeliveries}
        )
        return await self._get("datasets/deliveries", query, GetDatasetDeliveriesResponse)

    async def get_dataset_delivery(
        self,
        delivery_id: str | None = None,
        limit: int | None = None,
        next_token: str | None = None,
        expand: list[ExpandableEnumDatasetsDeliveries | str] | None = None,
    ) -> GetDatasetDeliveryResponse:
        """One page of a dataset delivery's tasks (``GET /v2/datasets/delivery``)."""
        query = self._dataset_delivery_query(locals())
        return await self._get("datasets/delivery", query, GetDatasetDeliveryResponse)

    @staticmethod
    def _dataset_delivery_query(args: dict[str, Any]) -> dict[str, Any]:
        return v2_query(arguments(args), lists={"expand": ExpandableEnumDatasetsDeliveries})

    async def get_dataset_task(
        self, task_id: str, expand: list[ExpandableEnumDatasetTask | str] | None = None
    ) -> DatasetTask:
        """One dataset task with its response (``GET /v2/datasets/task``)."""
        require_text("task_id", task_id)
        query = v2_query(
            {"task_id": task_id, "expand": expand}, lists={"expand": ExpandableEnumDatasetTask}
        )
        return await self._get("datasets/task", query, DatasetTask)

    async def get_dataset_tasks(
        self,
        dataset_id: str | None = None,
        delivery_id: str | None = None,
        delivered_after: datetime | str | None = None,
        delivered_before: datetime | str | None = None,
        limit: int | None = None,
        next_token: str | None = None,
        expand: list[ExpandableEnumDatasetTask | str] | None = None,
    ) -> GetDatasetTasksResponse:
        """One page of dataset tasks (``GET /v2/datasets/tasks``); see ``iter_dataset_tasks``."""
        query = self._dataset_tasks_query(locals())
        return await self._get("datasets/tasks", query, GetDatasetTasksResponse)

    @staticmethod
    def _dataset_tasks_query(args: dict[str, Any]) -> dict[str, Any]:
        return v2_query(
            arguments(args), times=DELIVERED, lists={"expand": ExpandableEnumDatasetTask}
        )

    async def get_dataset_task_response_url(self, task_id: str, attachment_id: str) -> str:
        """Where an attachment of a dataset task's response is stored: the URL it redirects to.

        ``GET /v2/datasets/task/{taskId}/response_url/{attachmentId}`` answers 302. The SDK
        follows the redirect and returns None; this returns the URL, without following it
        (it is a storage URL, not Scale's API: the key must not travel there).
        """
        require_text("task_id", task_id)
        require_text("attachment_id", attachment_id)
        path = f"v2/datasets/task/{segment(task_id)}/response_url/{segment(attachment_id)}"
        location = await self._call(Call(method="GET", path=path, redirect=True))
        if not isinstance(location, str):
            raise ScaleInvalidResponse(
                "the response URL endpoint did not redirect", method="GET", path=path
            )
        return location

    async def get_schema(self, schema_id: str) -> GetSchemaResponse:
        """A response schema (``GET /v2/schema``)."""
        require_text("schema_id", schema_id)
        return await self._get("schema", {"schema_id": schema_id}, GetSchemaResponse)
