"""Training tasks (Rapid projects; ``scaleapi.training_tasks``)."""

from __future__ import annotations

import attrs

from .quality_tasks import QualityTask

__all__ = ["TrainingTask"]


@attrs.define(kw_only=True, eq=False)
class TrainingTask(QualityTask):
    """A training task."""
