"""The Scale Studio models (``/studio``).

The sync client hands out these very classes: they have no helpers that would need a twin.
"""

from scale_async import studio as _async
from scale_async.studio import *

__all__ = []
__all__ += _async.__all__
