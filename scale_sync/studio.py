"""Scale Studio, under the import path of the official SDK (``scaleapi.studio``).

The studio models have no helper methods, so the sync client returns the async package's
classes.
"""

from scale_async.studio import (
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
