"""A client for the v6 Batch Services of NGA's Scale (ngageoint/scale), a different product.

NGA's Scale runs batches of recipes of one recipe type on a Mesos cluster. Its REST API
shares nothing with Scale AI's but the name, so it gets its own client; the HTTP core,
retries, error classes and sync derivation are this package's::

    async with AsyncNGAScaleClient("http://scale.example/api", token="...") as client:
        batch = await client.create_batch(208, {"dataset": 1, "forced_nodes": {"all": True}})
        async for item in client.get_batches(recipe_type_id=208, is_superseded=False):
            ...

``scale_sync.nga.NGAScaleClient`` is the synchronous twin.
"""

from ..exceptions import (
    ScaleException,
    ScaleForbidden,
    ScaleInternalError,
    ScaleInvalidRequest,
    ScaleInvalidResponse,
    ScaleResourceNotFound,
    ScaleTransportError,
    ScaleUnauthorized,
)
from ._client import AsyncNGAScaleClient
from ._models import (
    BatchComparison,
    BatchConfiguration,
    BatchDefinition,
    BatchDetails,
    BatchListItem,
    BatchPage,
    BatchRef,
    ComparisonMetrics,
    ForcedNodes,
    InputMapping,
    JobComparisonMetrics,
    JobMetrics,
    PreviousBatch,
    PreviousBatchInfo,
    RecipeTypeRef,
    RecipeTypeRevision,
    TriggerEvent,
    ValidationItem,
    ValidationResult,
)
from ._wire import format_duration, parse_duration

__all__ = [
    "AsyncNGAScaleClient",
    "BatchComparison",
    "BatchConfiguration",
    "BatchDefinition",
    "BatchDetails",
    "BatchListItem",
    "BatchPage",
    "BatchRef",
    "ComparisonMetrics",
    "ForcedNodes",
    "InputMapping",
    "JobComparisonMetrics",
    "JobMetrics",
    "PreviousBatch",
    "PreviousBatchInfo",
    "RecipeTypeRef",
    "RecipeTypeRevision",
    "ScaleException",
    "ScaleForbidden",
    "ScaleInternalError",
    "ScaleInvalidRequest",
    "ScaleInvalidResponse",
    "ScaleResourceNotFound",
    "ScaleTransportError",
    "ScaleUnauthorized",
    "TriggerEvent",
    "ValidationItem",
    "ValidationResult",
    "format_duration",
    "parse_duration",
]
