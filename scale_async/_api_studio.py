"""The studio endpoints."""

from __future__ import annotations

from ._core import ClientCore

__all__ = ["StudioAPI"]


class StudioAPI(ClientCore):
    """Scale Studio: labeler assignments, project groups, batch priorities (``/studio``)."""
