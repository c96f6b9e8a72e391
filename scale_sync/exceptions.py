"""The exception hierarchy, under the import path of the official SDK (``scaleapi.exceptions``).

The sync client hands out these very classes: they have no helpers that would need a twin.
"""

from scale_async import exceptions as _async
from scale_async.exceptions import *

__all__ = []
__all__ += _async.__all__
