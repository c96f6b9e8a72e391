"""Quality tasks: tasks with a known answer (Rapid projects; ``scaleapi.quality_tasks``)."""

from __future__ import annotations

from typing import Any

import attrs

from ._engine.model import Model

__all__ = ["QualityTask"]


@attrs.define(kw_only=True, eq=False)
class QualityTask(Model):
    """A task with a known answer, used to check or train labelers."""

    id: str
    expected_response: Any
    initial_response: Any = None

    def __str__(self) -> str:
        return f"{type(self).__name__}(id={self.id})"
