"""Projects, under the import path of the official SDK (``scaleapi.projects``)."""

from scale_async.projects import TaskTemplate

from ._generated import Project

__all__ = ["Project", "TaskTemplate"]
