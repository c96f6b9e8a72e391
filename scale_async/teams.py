"""Teams: the Teammate model and its role enum (``/teams``, ``scaleapi.teams``)."""

from __future__ import annotations

import attrs

from ._engine.model import Model, ValueEnum, wire

__all__ = ["Teammate", "TeammateRole"]


class TeammateRole(ValueEnum):
    """Team roles for invitations and role changes."""

    Labeler = "labeler"
    Member = "member"
    Manager = "manager"
    Admin = "admin"


@attrs.define(kw_only=True, eq=False)
class TeammateFields(Model):
    """The data of a teammate, shared by the async ``Teammate`` and its sync twin.

    The API's camelCase keys (``firstName``, ``isStudioLabeler``) become the SDK's snake_case
    attributes. ``expiry`` is set only for invitations not yet accepted.
    """

    email: str
    role: TeammateRole
    first_name: str | None = attrs.field(default=None, metadata=wire("firstName"))
    last_name: str | None = attrs.field(default=None, metadata=wire("lastName"))
    company: str | None = None
    is_studio_labeler: bool | None = attrs.field(default=None, metadata=wire("isStudioLabeler"))
    disable_rapid_emails: bool | None = attrs.field(
        default=None, metadata=wire("disableRapidEmails")
    )
    expiry: str | None = None

    def __str__(self) -> str:
        return f"Teammate(email={self.email})"


@attrs.define(kw_only=True, eq=False)
class Teammate(TeammateFields):
    """A member of the team (or an invitation), bound to the client that listed it."""

    # The sync twin runs these very coroutines on its own instances, so they may only use
    # fields, ``_client`` and ``_update_from``, never another public method of ``self``.

    async def update_teammate_role(self, new_role: TeammateRole | str) -> list[Teammate]:
        """Give this teammate ``new_role``; returns the whole team, as the SDK does.

        This object is updated in place from the returned list as well.
        """
        team: list[Teammate] = await self._client.update_teammates_role([self.email], new_role)
        for teammate in team:
            if teammate.email == self.email:
                self._update_from(teammate)
                break
        return team
