"""TrainingTask, under the import path of the official SDK (``scaleapi.training_tasks``)."""

from ._quality import TrainingTask

__all__ = ["TrainingTask"]
