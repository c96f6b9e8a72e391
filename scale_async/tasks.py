"""Tasks, under the import path of the official SDK (``scaleapi.tasks``)."""

from ._enums import TaskReviewStatus, TaskStatus, TaskType
from ._task import Task, Tasklist

__all__ = ["Task", "TaskReviewStatus", "TaskStatus", "TaskType", "Tasklist"]
