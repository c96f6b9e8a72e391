"""Teams: listing, inviting and re-roling teammates, and the model, through both clients."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from scale_async import (
    ScaleInvalidResponse,
    TeammateRole,
)
from tests.api.support import body, models, sent
from tests.drivers import Driver


def teammate_json(email: str = "a@x.com", role: str = "member", **fields: Any) -> dict[str, Any]:
    return {
        "email": email,
        "role": role,
        "firstName": "Ada",
        "lastName": "Lovelace",
        "company": "Analytical",
        "isStudioLabeler": False,
        **fields,
    }


# -- teams ---------------------------------------------------------------------------------


async def test_list_teammates_maps_camel_case(driver: Driver, router: respx.Router) -> None:
    route = router.get("/teams").respond(
        json=[
            teammate_json("a@x.com", "admin"),
            {
                "email": "b@x.com",
                "role": "disabled",
                "isStudioLabeler": True,
                "disableRapidEmails": True,
                "expiry": "2024-02-01",
            },
        ]
    )
    team = await driver.call("list_teammates")
    assert sent(route).content == b""
    assert [type(t) for t in team] == [models(driver, "teams").Teammate] * 2
    ada, invited = team
    assert (ada.email, ada.role) == ("a@x.com", TeammateRole.Admin)
    assert (ada.first_name, ada.last_name, ada.company) == ("Ada", "Lovelace", "Analytical")
    assert ada.is_studio_labeler is False
    assert ada.expiry is None
    assert invited.role == "disabled"
    assert isinstance(invited.role, TeammateRole)  # a pseudo-member: typed, not listed
    assert invited.role not in list(TeammateRole)
    assert invited.is_studio_labeler is True
    assert invited.disable_rapid_emails is True
    assert invited.expiry == "2024-02-01"
    assert invited.first_name is None
    assert ada.as_dict() == teammate_json("a@x.com", "admin")


@pytest.mark.parametrize(
    ("name", "path"),
    [("invite_teammates", "/teams/invite"), ("update_teammates_role", "/teams/set_role")],
)
@pytest.mark.parametrize("role", [TeammateRole.Manager, "manager"], ids=["enum", "string"])
async def test_team_changes_send_emails_and_role_value(
    driver: Driver, router: respx.Router, name: str, path: str, role: Any
) -> None:
    route = router.post(path).respond(json=[teammate_json("a@x.com", "manager")])
    team = await driver.call(name, ["a@x.com", "b@x.com"], role)
    assert body(route) == {"emails": ["a@x.com", "b@x.com"], "team_role": "manager"}
    assert team[0].role is TeammateRole.Manager
    assert isinstance(team[0], models(driver, "teams").Teammate)


@pytest.mark.parametrize(
    ("emails", "role", "match"),
    [
        ("a@x.com", "member", "emails must be a list of strings"),
        (["a@x.com", 3], "member", "emails must be a list of strings"),
        (None, "member", "emails must be a list of strings"),
        (["a@x.com"], "", "role"),
        (["a@x.com"], None, "role"),
    ],
    ids=["lone-string", "non-string-item", "none", "empty-role", "no-role"],
)
@pytest.mark.parametrize("name", ["invite_teammates", "update_teammates_role"])
async def test_team_changes_refuse_bad_arguments(
    driver: Driver, router: respx.Router, name: str, emails: Any, role: Any, match: str
) -> None:
    route = router.post(url__regex=r".*/teams/.*").respond(json=[])
    with pytest.raises(ValueError, match=match):
        await driver.call(name, emails, role)
    assert not route.called


async def test_team_changes_are_replayed_after_a_5xx(driver: Driver, router: respx.Router) -> None:
    route = router.post("/teams/invite")
    route.side_effect = [
        httpx.Response(502, json={"error": "bad gateway"}),
        httpx.Response(200, json=[teammate_json()]),
    ]
    team = await driver.call("invite_teammates", ["a@x.com"], TeammateRole.Member)
    assert route.call_count == 2
    assert [t.email for t in team] == ["a@x.com"]


async def test_teammate_helper_updates_role(driver: Driver, router: respx.Router) -> None:
    router.get("/teams").respond(json=[teammate_json("a@x.com", "member")])
    set_role = router.post("/teams/set_role").respond(
        json=[teammate_json("a@x.com", "manager"), teammate_json("b@x.com", "labeler")]
    )
    (ada,) = await driver.call("list_teammates")
    team = await driver.method(ada, "update_teammate_role", TeammateRole.Manager)
    assert body(set_role) == {"emails": ["a@x.com"], "team_role": "manager"}
    cls = models(driver, "teams").Teammate
    assert [type(t) for t in team] == [cls, cls]
    assert [(t.email, t.role) for t in team] == [
        ("a@x.com", TeammateRole.Manager),
        ("b@x.com", TeammateRole.Labeler),
    ]
    assert ada.role is TeammateRole.Manager
    assert ada.as_dict()["role"] == "manager"
    # The returned teammates are bound too: their helper works in turn.
    set_role.respond(json=[teammate_json("b@x.com", "member")])
    await driver.method(team[1], "update_teammate_role", "member")
    assert json.loads(set_role.calls.last.request.content) == {
        "emails": ["b@x.com"],
        "team_role": "member",
    }
    assert team[1].role is TeammateRole.Member


@pytest.mark.parametrize("missing", ["email", "role"])
async def test_teammate_missing_a_required_key_is_invalid(
    driver: Driver, router: respx.Router, missing: str
) -> None:
    data = teammate_json()
    del data[missing]
    router.get("/teams").respond(json=[data])
    with pytest.raises(ScaleInvalidResponse, match=rf"missing @ \$\.{missing}\b"):
        await driver.call("list_teammates")


async def test_teams_response_must_be_a_list(driver: Driver, router: respx.Router) -> None:
    router.get("/teams").respond(json={"email": "a@x.com", "role": "admin"})
    with pytest.raises(ScaleInvalidResponse, match="JSON array"):
        await driver.call("list_teammates")


def test_sdk_module_path_exports_the_team_models() -> None:
    import scale_async.teams
    import scale_sync
    import scale_sync.teams

    assert scale_sync.teams.TeammateRole is TeammateRole
    assert scale_sync.teams.Teammate.__module__ == "scale_sync._generated"
    assert issubclass(scale_sync.teams.Teammate, scale_async.teams.Teammate.__mro__[1])
    assert scale_sync.teams.Teammate is scale_sync._generated.Teammate
