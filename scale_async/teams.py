"""Teams, under the import path of the official SDK (``scaleapi.teams``)."""

from ._enums import TeammateRole
from ._teammate import Teammate

__all__ = ["Teammate", "TeammateRole"]
