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
from . import _models
from ._client import AsyncNGAScaleClient
from ._models import *
from ._wire import format_duration, parse_duration

__all__ = [
    "AsyncNGAScaleClient",
    # The errors NGA's API answers with: Scale AI's classes (it has no 402, 409 or 429).
    "ScaleException",
    "ScaleForbidden",
    "ScaleInternalError",
    "ScaleInvalidRequest",
    "ScaleInvalidResponse",
    "ScaleResourceNotFound",
    "ScaleTransportError",
    "ScaleUnauthorized",
    "format_duration",
    "parse_duration",
]
__all__ += _models.__all__
