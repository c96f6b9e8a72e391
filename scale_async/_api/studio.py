"""The studio endpoints."""

from __future__ import annotations

from typing import Any

from .._engine.checks import require_text
from .._engine.requester import Call
from .._engine.serde import structure
from .._engine.wire import segment
from ..exceptions import ScaleInvalidResponse
from ..studio import StudioBatch, StudioLabelerAssignment, StudioProjectGroup
from .base import ClientCore
from .teams import require_strings

__all__ = ["StudioAPI"]

# Every call here sets state to a given value (assignments, members, priorities), so sending
# one twice leaves the same result: they are all replay-safe, which is Call's default.


def _groups_path(project: str) -> str:
    return f"studio/projects/{segment(require_text('project', project))}/groups"


def _bind_workers(group: StudioProjectGroup) -> StudioProjectGroup:
    """Bind the nested workers to the group's client too."""
    for worker in group.workers:
        worker._client = group._client
    return group


class StudioAPI(ClientCore):
    """Scale Studio: labeler assignments, project groups, batch priorities (``/studio``)."""

    async def _studio_assignments(self, call: Call) -> dict[str, StudioLabelerAssignment]:
        data = await self._call(call)
        if not isinstance(data, dict):
            raise ScaleInvalidResponse(
                f"expected a JSON object of assignments, got {type(data).__name__}",
                method=call.method,
                path=call.path,
            )
        assignments: dict[str, StudioLabelerAssignment] = {}
        for email, projects in data.items():
            if not isinstance(projects, list):
                raise ScaleInvalidResponse(
                    f"assignments of {email!r} are not a list of projects: {projects!r}",
                    method=call.method,
                    path=call.path,
                )
            assignments[email] = structure(
                {"email": email, "assigned_projects": projects},
                StudioLabelerAssignment,
                client=self,
                method=call.method,
                path=call.path,
            )
        return assignments

    async def list_studio_assignments(self) -> dict[str, StudioLabelerAssignment]:
        """The projects of every active labeler (not invited or disabled ones), by email."""
        return await self._studio_assignments(Call(method="GET", path="studio/assignments"))

    async def add_studio_assignments(
        self, emails: list[str], projects: list[str]
    ) -> dict[str, StudioLabelerAssignment]:
        """Assign each of ``emails`` to each of ``projects``; returns every assignment."""
        return await self._change_assignments("add", emails, projects)

    async def remove_studio_assignments(
        self, emails: list[str], projects: list[str]
    ) -> dict[str, StudioLabelerAssignment]:
        """Unassign each of ``emails`` from each of ``projects``; returns every assignment."""
        return await self._change_assignments("remove", emails, projects)

    async def _change_assignments(
        self, action: str, emails: Any, projects: Any
    ) -> dict[str, StudioLabelerAssignment]:
        body = {
            "emails": require_strings("emails", emails),
            "projects": require_strings("projects", projects),
        }
        return await self._studio_assignments(
            Call(method="POST", path=f"studio/assignments/{action}", body=body)
        )

    async def list_project_groups(self, project: str) -> list[StudioProjectGroup]:
        """The labeler groups of studio project ``project``."""
        groups = await self._many(
            Call(method="GET", path=_groups_path(project)), StudioProjectGroup
        )
        return [_bind_workers(group) for group in groups]

    async def create_project_group(
        self, project: str, emails: list[str], project_group: str
    ) -> StudioProjectGroup:
        """Create group ``project_group`` of ``emails`` in ``project``.

        The members must already be assigned to the project (``add_studio_assignments``).
        """
        path = _groups_path(project)
        body = {"emails": require_strings("emails", emails), "name": project_group}
        require_text("project_group", project_group)
        return _bind_workers(
            await self._one(Call(method="POST", path=path, body=body), StudioProjectGroup)
        )

    async def update_project_group(
        self,
        project: str,
        project_group: str,
        add_emails: list[str],
        remove_emails: list[str],
    ) -> StudioProjectGroup:
        """Add ``add_emails`` to and remove ``remove_emails`` from a project group."""
        path = f"{_groups_path(project)}/{segment(require_text('project_group', project_group))}"
        body = {
            "add_emails": require_strings("add_emails", add_emails),
            "remove_emails": require_strings("remove_emails", remove_emails),
        }
        return _bind_workers(
            await self._one(Call(method="PUT", path=path, body=body), StudioProjectGroup)
        )

    async def list_studio_batches(self) -> list[StudioBatch]:
        """The pending studio batches, highest priority first."""
        return await self._many(Call(method="GET", path="studio/batches"), StudioBatch)

    async def assign_studio_batches(
        self, batch_name: str, project_groups: list[str]
    ) -> StudioBatch:
        """Set (replace) the project groups, or member emails, that work on ``batch_name``."""
        path = f"studio/batches/{segment(require_text('batch_name', batch_name))}"
        body = {"groups": require_strings("project_groups", project_groups)}
        return await self._one(Call(method="PUT", path=path, body=body), StudioBatch)

    async def set_studio_batches_priorities(self, batch_names: list[str]) -> list[StudioBatch]:
        """Order the pending batches as ``batch_names``, which must list all of them."""
        names = require_strings("batch_names", batch_names)
        body = {"batches": [{"name": name} for name in names]}
        return await self._many(
            Call(method="POST", path="studio/batches/set_priorities", body=body), StudioBatch
        )

    async def reset_studio_batches_priorities(self) -> list[StudioBatch]:
        """Restore the default order: calibration batches first, then by creation date."""
        return await self._many(
            Call(method="POST", path="studio/batches/reset_priorities"), StudioBatch
        )
