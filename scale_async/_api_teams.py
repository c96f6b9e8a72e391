"""The teams endpoints."""

from __future__ import annotations

from ._core import ClientCore

__all__ = ["TeamsAPI"]


class TeamsAPI(ClientCore):
    """List and manage teammates (``/teams``)."""
