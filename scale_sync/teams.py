"""Teams, under the import path of the official SDK (``scaleapi.teams``)."""

from scale_async.teams import TeammateRole

from ._generated import Teammate

__all__ = ["Teammate", "TeammateRole"]
