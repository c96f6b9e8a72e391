"""Teams, under the import path of the official SDK (``scaleapi.teams``)."""

from scale_async.teams import TeammateRole

__all__ = ["TeammateRole"]
