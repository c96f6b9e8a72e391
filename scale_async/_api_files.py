"""The files endpoints."""

from __future__ import annotations

from ._core import ClientCore

__all__ = ["FilesAPI"]


class FilesAPI(ClientCore):
    """Upload and import files (``/files``)."""
