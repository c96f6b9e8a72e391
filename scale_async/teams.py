"""Teams, under the import path of the official SDK (``scaleapi.teams``)."""

from ._enums import TeammateRole

__all__ = ["TeammateRole"]
