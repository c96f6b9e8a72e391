"""The synchronous ``client.v2`` (``scale_async.v2``'s twin): ``ScaleClient().v2``.

The v2 models have no helper methods, so the sync client returns the async package's
classes; only ``V2Client`` is generated (in ``scale_sync._generated_v2``).
"""

import scale_async.v2 as _v2
from scale_async.v2 import *

from ._generated_v2 import V2Client as V2Client

__all__ = sorted({*_v2.__all__, "V2Client"} - {"AsyncV2Client"})
