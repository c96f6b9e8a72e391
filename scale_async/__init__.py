"""scale-async: an async-first client for the Scale AI API.

``AsyncScaleClient`` mirrors the official ``scaleapi.ScaleClient`` method for method, awaited;
``scale_sync.ScaleClient`` is its synchronous twin.
"""

from ._batch import Batch, Batchlist
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
from ._http import Timeout
from ._pages import Paginator
from ._pagination import AsyncPageIterator
from ._project import Project, TaskTemplate
from ._quality import EvaluationTask, QualityTask, TrainingTask
from ._retry import RetryPolicy
from ._task import Task, Tasklist
from ._version import __version__

__all__ = [
    "AsyncPageIterator",
    "AsyncScaleClient",
    "Batch",
    "BatchStatus",
    "Batchlist",
    "EvaluationTask",
    "Paginator",
    "Project",
    "QualityTask",
    "RetryPolicy",
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
    "Task",
    "TaskReviewStatus",
    "TaskStatus",
    "TaskTemplate",
    "TaskType",
    "Tasklist",
    "TeammateRole",
    "Timeout",
    "TrainingTask",
    "__version__",
]
