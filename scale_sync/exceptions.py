"""The exceptions, under the import path of the official SDK (``scaleapi.exceptions``)."""

from scale_async.exceptions import (
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

__all__ = [
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
]
