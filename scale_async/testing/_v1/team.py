"""Teams: list, invite and set roles; every call answers with the full teammate list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .._errors import bad_request, not_found
from .._params import as_object, req_str, str_list
from .state import Account, Teammate, World

INVITE_ROLES = frozenset({"labeler", "member", "manager"})
SETTABLE_ROLES = INVITE_ROLES | {"disabled"}
_INVITE_TTL_MS = timedelta(days=7) // timedelta(milliseconds=1)


def teammates_json(account: Account) -> list[dict[str, Any]]:
    """The teammate list in joining order."""
    return [t.to_json() for t in account.teammates.values()]


def _emails_and_role(payload: Any, roles: frozenset[str]) -> tuple[list[str], str]:
    body = as_object(payload)
    emails = str_list(body.get("emails"), "emails")
    if not emails:
        raise bad_request("Please include an emails parameter.")
    for email in emails:
        if "@" not in email:
            raise bad_request(f"Invalid email: {email}")
    role = req_str(body, "team_role")
    if role not in roles:
        raise bad_request(f"team_role must be one of {', '.join(sorted(roles))}")
    return emails, role


def invite(world: World, account: Account, payload: Any) -> list[dict[str, Any]]:
    """Invite new emails with a role; already-present emails are left as they are."""
    emails, role = _emails_and_role(payload, INVITE_ROLES)
    for email in emails:
        if email not in account.teammates:
            ms = world.tick()
            account.teammates[email] = Teammate(
                id=world.ids.object_id(ms), email=email, role=role, expiry_ms=ms + _INVITE_TTL_MS
            )
    return teammates_json(account)


def set_role(account: Account, payload: Any) -> list[dict[str, Any]]:
    """Change the role of non-admin teammates."""
    emails, role = _emails_and_role(payload, SETTABLE_ROLES)
    for email in emails:
        mate = account.teammates.get(email)
        if mate is None:
            raise not_found(f"No teammate with email {email}.")
        if mate.role == "admin":
            raise bad_request(f"The role of admin {email} cannot be changed.")
    for email in emails:
        account.teammates[email].role = role
    return teammates_json(account)
