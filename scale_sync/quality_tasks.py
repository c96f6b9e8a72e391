"""QualityTask, under the import path of the official SDK (``scaleapi.quality_tasks``)."""

from scale_async.quality_tasks import QualityTask

__all__ = ["QualityTask"]
