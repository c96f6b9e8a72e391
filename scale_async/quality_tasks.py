"""QualityTask, under the import path of the official SDK (``scaleapi.quality_tasks``)."""

from ._quality import QualityTask

__all__ = ["QualityTask"]
