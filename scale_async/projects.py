"""The Project and TaskTemplate models."""

from __future__ import annotations

from typing import Any

import attrs

from ._engine.model import Model, absent_keys, wire
from .tasks import TaskType

__all__ = ["Project", "TaskTemplate"]


@attrs.define(kw_only=True, eq=False)
class TaskTemplate(Model):
    """The task template of a Chat or TextCollection project."""

    id: str
    version: int
    created_at: str
    updated_at: str
    template_variables: dict[str, Any]
    response_schema: dict[str, Any] | None = None
    auto_onboard_enabled: bool = False

    def get_template_variables(self) -> dict[str, Any]:
        """The variables a task of this template fills in."""
        return self.template_variables

    def is_auto_onboardable(self) -> bool:
        """Whether the template supports auto-onboarding."""
        return self.auto_onboard_enabled

    def get_response_schema(self) -> dict[str, Any] | None:
        """The schema that task responses follow, if the template has one."""
        return self.response_schema

    def __str__(self) -> str:
        return f"TaskTemplate(id={self.id})"


@attrs.define(kw_only=True, eq=False)
class ProjectFields(Model):
    """The data of a project, shared by the async ``Project`` and its sync twin.

    ``params``, ``version`` and ``instruction`` read the latest entry of ``param_history``.
    """

    name: str
    type: TaskType
    param_history: list[dict[str, Any]]
    created_at: str | None = None
    ontology_history: list[Any] | None = attrs.field(default=None, metadata=wire("ontologyHistory"))

    @property
    def params(self) -> dict[str, Any] | None:
        """The current task parameters (the last version), None for a project without any."""
        return self.param_history[-1] if self.param_history else None

    @property
    def version(self) -> int | None:
        """The current parameter version."""
        return self.params.get("version") if self.params else None

    @property
    def instruction(self) -> str | None:
        """The current instruction."""
        return self.params.get("instruction") if self.params else None

    def __str__(self) -> str:
        return f"Project(name={self.name})"


# The SDK's Project has neither attribute: when the server leaves them out, neither do we.
ProjectFields._sdk_absent = absent_keys(
    ProjectFields, only=frozenset({"created_at", "ontology_history"})
)


@attrs.define(kw_only=True, eq=False)
class Project(ProjectFields):
    """A project: a task type with default parameters that its tasks inherit."""

    async def get_template(self) -> TaskTemplate:
        """The project's task template (Chat and TextCollection projects only)."""
        template: TaskTemplate = await self._client.get_project_template(self.name)
        return template
