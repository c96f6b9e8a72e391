"""How the fake NGA Scale refuses: DRF's ``{"detail"}`` bodies, and crashes Django answers."""

from __future__ import annotations

from typing import Any

from .._errors import ApiError

__all__ = ["NOT_FOUND", "NGAError", "ServerCrash"]


class NGAError(ApiError):
    """A refusal answered as DRF does: ``{"detail": message}``."""

    def body(self) -> dict[str, Any]:
        """DRF's error envelope."""
        return {"detail": self.message}


class ServerCrash(Exception):
    """An exception the views do not catch: Django answers its HTML 500 page."""


NOT_FOUND = "Not found."
