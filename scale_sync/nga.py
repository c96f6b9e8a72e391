"""The synchronous client for NGA Scale's v6 Batch Services (``scale_async.nga``'s twin).

The models have no helper methods, so the sync client returns the async package's classes;
only the client is generated (in ``scale_sync._generated``, with ``ScaleClient``).
"""

from scale_async import nga as _async
from scale_async.nga import *

from ._generated import NGAScaleClient

__all__ = ["NGAScaleClient"]
__all__ += _async.__all__
__all__.remove("AsyncNGAScaleClient")
