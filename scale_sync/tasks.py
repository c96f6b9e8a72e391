"""Tasks, under the import path of the official SDK (``scaleapi.tasks``)."""

from scale_async.tasks import TaskReviewStatus, TaskStatus, TaskType

from ._generated import Task, Tasklist

__all__ = ["Task", "TaskReviewStatus", "TaskStatus", "TaskType", "Tasklist"]
