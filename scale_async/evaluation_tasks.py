"""EvaluationTask, under the import path of the official SDK (``scaleapi.evaluation_tasks``)."""

from ._quality import EvaluationTask

__all__ = ["EvaluationTask"]
