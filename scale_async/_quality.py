"""Evaluation and training tasks (Rapid projects)."""

from __future__ import annotations

from typing import Any

import attrs

from ._model import Model

__all__ = ["EvaluationTask", "QualityTask", "TrainingTask"]


@attrs.define(kw_only=True, eq=False)
class QualityTask(Model):
    """A task with a known answer, used to check or train labelers."""

    id: str
    expected_response: Any
    initial_response: Any = None


@attrs.define(kw_only=True, eq=False)
class EvaluationTask(QualityTask):
    """An evaluation task; with ``initial_response`` it is a review-phase evaluation."""


@attrs.define(kw_only=True, eq=False)
class TrainingTask(QualityTask):
    """A training task."""
