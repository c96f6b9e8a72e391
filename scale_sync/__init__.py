"""scale-sync: the synchronous twin of ``scale_async``, for code written against ``scaleapi``.

``import scale_sync as scaleapi`` is meant to be the only change legacy code needs. Every call
runs the async core on a private event loop thread, so retries, pagination and bulk work behave
exactly as they do for async callers.
"""

from scale_async import (
    BatchStatus,
    Paginator,
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
    TaskType,
    TeammateRole,
    Timeout,
    __version__,
)

from ._generated import ScaleClient, Task, Tasklist

__all__ = [
    "BatchStatus",
    "Paginator",
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
    "TaskType",
    "Tasklist",
    "TeammateRole",
    "Timeout",
    "__version__",
]
