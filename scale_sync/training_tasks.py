"""TrainingTask, under the import path of the official SDK (``scaleapi.training_tasks``)."""

from scale_async.training_tasks import TrainingTask

__all__ = ["TrainingTask"]
