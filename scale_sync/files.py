"""The File model: what ``upload_file`` and ``import_file`` return.

The sync client hands out these very classes: they have no helpers that would need a twin.
"""

from scale_async import files as _async
from scale_async.files import *

__all__ = []
__all__ += _async.__all__
