"""EvaluationTask, under the import path of the official SDK (``scaleapi.evaluation_tasks``)."""

from scale_async.evaluation_tasks import EvaluationTask

__all__ = ["EvaluationTask"]
