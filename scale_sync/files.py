"""Files, under the import path of the official SDK (``scaleapi.files``).

``File`` has no helper methods, so the sync client returns the async package's class.
"""

from scale_async.files import File

__all__ = ["File"]
