"""Files, under the import path of the official SDK (``scaleapi.files``)."""

from ._file import File

__all__ = ["File"]
