"""The teams endpoints."""

from __future__ import annotations

from typing import Any

from .._engine.checks import require_text
from .._engine.requester import Call
from ..teams import Teammate, TeammateRole
from .base import ClientCore

__all__ = ["TeamsAPI", "require_strings"]


def require_strings(name: str, value: Any) -> list[str]:
    """Refuse anything but a list (or tuple) of strings before any request is made.

    A lone string is refused too: it is the classic mistake for a one-element list.
    """
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{name} must be a list of strings, got {value!r}")
    return list(value)


def _role(role: Any) -> str:
    if isinstance(role, TeammateRole):
        return role.value
    return require_text("role", role)


class TeamsAPI(ClientCore):
    """List and manage teammates (``/teams``)."""

    async def list_teammates(self) -> list[Teammate]:
        """Every member of the team, invitations included."""
        return await self._many(Call(method="GET", path="teams"), Teammate)

    async def invite_teammates(self, emails: list[str], role: TeammateRole | str) -> list[Teammate]:
        """Invite ``emails`` as ``role`` and return the whole team.

        ``labeler`` is for Studio accounts only.
        """
        return await self._set_team("teams/invite", emails, role)

    async def update_teammates_role(
        self, emails: list[str], role: TeammateRole | str
    ) -> list[Teammate]:
        """Give ``emails`` (non-admin members) ``role``; returns the whole team."""
        return await self._set_team("teams/set_role", emails, role)

    async def _set_team(self, path: str, emails: Any, role: Any) -> list[Teammate]:
        body = {"emails": require_strings("emails", emails), "team_role": _role(role)}
        # Repeating an invitation or a role change leaves the team as one would: replay-safe.
        return await self._many(Call(method="POST", path=path, body=body), Teammate)
