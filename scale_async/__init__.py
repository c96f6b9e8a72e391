"""scale-async: an async-first client for the Scale AI API.

``AsyncScaleClient`` mirrors the official ``scaleapi.ScaleClient`` method for method, awaited;
``scale_sync.ScaleClient`` is its synchronous twin.
"""

from ._batch import Batch, Batchlist
from ._bulk import (
    BulkCancelResult,
    BulkCreateResult,
    BulkError,
    BulkStream,
    BulkUpdateResult,
    CancelledTask,
    CreatedTask,
    FailedItem,
    JobStopped,
    Progress,
    SkippedTask,
    TaskFailure,
    UpdatedTask,
)
from ._client import AsyncScaleClient
from ._enums import BatchStatus, TaskReviewStatus, TaskStatus, TaskType, TeammateRole
from ._errors import (
    ScaleDuplicateResource,
    ScaleException,
    ScaleForbidden,
    ScaleInternalError,
    ScaleInvalidRequest,
    ScaleInvalidResponse,
    ScaleNotEnabled,
    ScaleResourceNotFound,
    ScaleServiceUnavailable,
    ScaleTimeoutError,
    ScaleTooManyRequests,
    ScaleTransportError,
    ScaleUnauthorized,
)
from ._file import File
from ._http import Timeout
from ._idempotency import derive_unique_id
from ._pages import Paginator
from ._pagination import AsyncPageIterator
from ._project import Project, TaskTemplate
from ._quality import EvaluationTask, QualityTask, TrainingTask
from ._retry import RetryPolicy
from ._studio import (
    StudioBatch,
    StudioBatchStatus,
    StudioLabelerAssignment,
    StudioProjectGroup,
    StudioWorker,
)
from ._task import Task, Tasklist
from ._teammate import Teammate
from ._version import __version__

#: The SDK's name for the client; here it is the async one (``scale_sync`` has the sync one).
ScaleClient = AsyncScaleClient

__all__ = [
    "AsyncPageIterator",
    "AsyncScaleClient",
    "Batch",
    "BatchStatus",
    "Batchlist",
    "BulkCancelResult",
    "BulkCreateResult",
    "BulkError",
    "BulkStream",
    "BulkUpdateResult",
    "CancelledTask",
    "CreatedTask",
    "EvaluationTask",
    "FailedItem",
    "File",
    "JobStopped",
    "Paginator",
    "Progress",
    "Project",
    "QualityTask",
    "RetryPolicy",
    "ScaleClient",
    "ScaleDuplicateResource",
    "ScaleException",
    "ScaleForbidden",
    "ScaleInternalError",
    "ScaleInvalidRequest",
    "ScaleInvalidResponse",
    "ScaleNotEnabled",
    "ScaleResourceNotFound",
    "ScaleServiceUnavailable",
    "ScaleTimeoutError",
    "ScaleTooManyRequests",
    "ScaleTransportError",
    "ScaleUnauthorized",
    "SkippedTask",
    "StudioBatch",
    "StudioBatchStatus",
    "StudioLabelerAssignment",
    "StudioProjectGroup",
    "StudioWorker",
    "Task",
    "TaskFailure",
    "TaskReviewStatus",
    "TaskStatus",
    "TaskTemplate",
    "TaskType",
    "Tasklist",
    "Teammate",
    "TeammateRole",
    "Timeout",
    "TrainingTask",
    "UpdatedTask",
    "__version__",
    "derive_unique_id",
]
