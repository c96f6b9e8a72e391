"""Projects, under the import path of the official SDK (``scaleapi.projects``)."""

from ._project import Project, TaskTemplate

__all__ = ["Project", "TaskTemplate"]
