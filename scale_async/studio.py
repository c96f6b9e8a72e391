"""Scale Studio, under the import path of the official SDK (``scaleapi.studio``)."""

from ._studio import (
    StudioBatch,
    StudioBatchStatus,
    StudioLabelerAssignment,
    StudioProjectGroup,
    StudioWorker,
)

__all__ = [
    "StudioBatch",
    "StudioBatchStatus",
    "StudioLabelerAssignment",
    "StudioProjectGroup",
    "StudioWorker",
]
