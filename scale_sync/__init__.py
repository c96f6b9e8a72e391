"""scale-sync: the synchronous twin of ``scale_async``, for code written against ``scaleapi``.

``import scale_sync as scaleapi`` is meant to be the only change legacy code needs. Every call
runs the async core on a private event loop thread, so retries, pagination and bulk work behave
exactly as they do for async callers.
"""

from scale_async import (
    BatchStatus,
    EvaluationTask,
    Paginator,
    QualityTask,
    RetryPolicy,
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
    TaskReviewStatus,
    TaskStatus,
    TaskTemplate,
    TaskType,
    TeammateRole,
    Timeout,
    TrainingTask,
    __version__,
)

from ._generated import Batch, Batchlist, Project, ScaleClient, Task, Tasklist

__all__ = [
    "Batch",
    "BatchStatus",
    "Batchlist",
    "EvaluationTask",
    "Paginator",
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
