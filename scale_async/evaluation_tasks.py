"""Evaluation tasks (Rapid projects; ``scaleapi.evaluation_tasks``)."""

from __future__ import annotations

import attrs

from .quality_tasks import QualityTask

__all__ = ["EvaluationTask"]


@attrs.define(kw_only=True, eq=False)
class EvaluationTask(QualityTask):
    """An evaluation task; with ``initial_response`` it is a review-phase evaluation."""
