"""The project endpoints (``/projects``) and the quality tasks of Rapid projects."""

from __future__ import annotations

from typing import Any, TypeVar

from .._engine.checks import require_text
from .._engine.requester import Call
from .._engine.serde import structure
from .._engine.wire import segment
from ..evaluation_tasks import EvaluationTask
from ..projects import Project, TaskTemplate
from ..quality_tasks import QualityTask
from ..tasks import TaskType
from ..training_tasks import TrainingTask
from .base import ClientCore

__all__ = ["ProjectsAPI"]

Q = TypeVar("Q", bound=QualityTask)


def _type_name(task_type: TaskType | str) -> str:
    return require_text(
        "task_type", task_type.value if isinstance(task_type, TaskType) else task_type
    )


class ProjectsAPI(ClientCore):
    """Create, inspect and configure projects; create evaluation and training tasks."""

    async def create_project(
        self,
        project_name: str,
        task_type: TaskType | str,
        params: dict[str, Any] | None = None,
        rapid: bool = False,
        studio: bool = False,
        dataset_id: str | None = None,
        pipeline: str | None = None,
        consensus_attempts: int | None = None,
    ) -> Project:
        """Create a project whose tasks inherit ``params``.

        ``pipeline`` (``"standard_task"`` or ``"consensus_task"``) and ``consensus_attempts``
        apply to Studio projects. Retried on transient failures: a 409 after an ambiguous
        attempt returns the project that attempt created.
        """
        require_text("project_name", project_name)
        body: dict[str, Any] = {
            "type": _type_name(task_type),
            "name": project_name,
            "params": params,
            "rapid": rapid,
            "studio": studio,
            "datasetId": dataset_id,
        }
        if pipeline is not None:
            body["pipeline"] = pipeline
        if consensus_attempts is not None:
            body["consensus_attempts"] = consensus_attempts
        get = Call(method="GET", path=f"projects/{segment(project_name)}")
        return await self._one(
            Call(method="POST", path="projects", body=body, recover=lambda: self._call(get)),
            Project,
        )

    async def get_project(self, project_name: str) -> Project:
        """Fetch one project by name."""
        require_text("project_name", project_name)
        return await self._one(
            Call(method="GET", path=f"projects/{segment(project_name)}"), Project
        )

    async def projects(self, *, archived: bool | None = None) -> list[Project]:
        """Every project of the account (the API does not page this list).

        ``archived=True`` lists only archived projects, ``False`` only active ones; by
        default the server's choice (seed 003's ``?archived=`` filter).
        """
        if archived is not None and not isinstance(archived, bool):
            raise ValueError(f"archived must be a bool, got {archived!r}")
        params = None if archived is None else {"archived": "true" if archived else "false"}
        return await self._many(Call(method="GET", path="projects", params=params), Project)

    async def get_projects(self, *, archived: bool | None = None) -> list[Project]:
        """Every project of the account; the same as ``projects()``."""
        return await self.projects(archived=archived)

    async def update_project(self, project_name: str, **kwargs: Any) -> Project:
        """Set new default task parameters, creating a new parameter version.

        Pass ``patch=True`` to merge with the current parameters instead of replacing them.
        Not retried after an ambiguous failure, since each call adds a version.
        """
        require_text("project_name", project_name)
        return await self._one(
            Call(
                method="POST",
                path=f"projects/{segment(project_name)}/setParams",
                body=kwargs,
                replay_safe=False,
            ),
            Project,
        )

    async def set_project_ontology(
        self, project_name: str, ontology: list[Any], name: str | None = None
    ) -> Project:
        """Set the project's ontology (choices, unique), saved as version ``name`` if given.

        Returns the updated project, fetched again if the server's answer is not one.
        """
        require_text("project_name", project_name)
        if name is not None:
            require_text("name", name)
        if not isinstance(ontology, list):
            raise ValueError(f"ontology must be a list, got {ontology!r}")
        path = f"projects/{segment(project_name)}/setOntology"
        body: dict[str, Any] = {"ontology": ontology}
        if name is not None:
            body["name"] = name
        data = await self._call(
            Call(
                method="POST",
                path=path,
                body=body,
                replay_safe=False,
                allow_text=True,
            )
        )
        if isinstance(data, dict) and "param_history" in data:
            return structure(data, Project, client=self, method="POST", path=path)
        return await self.get_project(project_name)

    async def get_project_template(self, project_name: str) -> TaskTemplate:
        """The task template of a Chat or TextCollection project."""
        require_text("project_name", project_name)
        return await self._one(
            Call(method="GET", path=f"projects/{segment(project_name)}/taskTemplates"),
            TaskTemplate,
        )

    async def create_evaluation_task(
        self, task_type: TaskType | str, **kwargs: Any
    ) -> EvaluationTask:
        """Create an evaluation task (Rapid): the usual task parameters plus
        ``expected_response``, and ``initial_response`` for a review-phase evaluation."""
        return await self._quality_task("evaluation_tasks", task_type, kwargs, EvaluationTask)

    async def create_training_task(self, task_type: TaskType | str, **kwargs: Any) -> TrainingTask:
        """Create a training task (Rapid): the usual task parameters plus ``expected_response``."""
        return await self._quality_task("training_tasks", task_type, kwargs, TrainingTask)

    async def _quality_task(
        self,
        route: str,
        task_type: TaskType | str,
        params: dict[str, Any],
        cls: type[Q],
    ) -> Q:
        kind = _type_name(task_type)
        if "expected_response" not in params:
            raise ValueError(f"{route} need an expected_response")
        return await self._one(
            Call(method="POST", path=f"{route}/{segment(kind)}", body=params, replay_safe=False),
            cls,
        )
