"""The Scale Studio models (``/studio``)."""

from __future__ import annotations

import attrs

from ._engine.model import Model, ValueEnum, wire

__all__ = [
    "StudioBatch",
    "StudioBatchStatus",
    "StudioLabelerAssignment",
    "StudioProjectGroup",
    "StudioWorker",
]


class StudioBatchStatus(ValueEnum):
    """The SDK's one studio batch value (a ``batch_type``; the SDK never uses the enum)."""

    Production = "Production"


@attrs.define(kw_only=True, eq=False)
class StudioWorker(Model):
    """A labeler in a project group."""

    id: str
    email: str

    def __str__(self) -> str:
        # Sic: the SDK labels the email ``id``.
        return f"StudioWorker(id={self.email})"


@attrs.define(kw_only=True, eq=False)
class StudioProjectGroup(Model):
    """A named group of labelers within a studio project.

    ``workers`` is a list of ``StudioWorker`` (empty when the server sends none); the SDK
    wraps it in a 1-tuple by mistake.
    """

    id: str
    name: str
    num_workers: int = attrs.field(metadata=wire("numWorkers"))
    is_singleton: bool = attrs.field(metadata=wire("isSingleton"))
    workers: list[StudioWorker] = attrs.field(factory=list)

    def __str__(self) -> str:
        return f"StudioProjectGroup(name={self.name})"

    @property
    def numWorkers(self) -> int:
        """The SDK's name for ``num_workers``."""
        return self.num_workers

    @property
    def isSingleton(self) -> bool:
        """The SDK's name for ``is_singleton``."""
        return self.is_singleton


@attrs.define(kw_only=True, eq=False)
class StudioBatch(Model):
    """A pending studio batch, with its priority and the groups assigned to it.

    ``batch_type`` is ``"Production"`` or ``"Calibration"``; ``groups`` names the project
    groups (or member emails) that work on it.
    """

    id: str
    name: str
    project_id: str = attrs.field(metadata=wire("projectId"))
    project_name: str = attrs.field(metadata=wire("projectName"))
    batch_type: str = attrs.field(metadata=wire("batchType"))
    studio_priority: int | None = attrs.field(default=None, metadata=wire("studioPriority"))
    total: int
    completed: int
    groups: list[str]

    def __str__(self) -> str:
        return f"StudioBatch(name={self.name})"


@attrs.define(kw_only=True, eq=False)
class StudioLabelerAssignment(Model):
    """The projects one labeler is assigned to.

    The API answers with a mapping ``{email: [project names]}``; each entry becomes one of
    these, and ``as_dict()`` gives ``{"email": ..., "assigned_projects": [...]}``.
    """

    email: str
    assigned_projects: list[str]

    def __str__(self) -> str:
        return (
            f"StudioLabelerAssignment(email={self.email},"
            f"assigned_projects={self.assigned_projects})"
        )
