"""The NGA client's construction and auth, and its generated sync twin."""

from __future__ import annotations

import inspect
import logging

import httpx
import pytest

import scale_sync.nga
from scale_async import AsyncScaleClient, ScaleUnauthorized
from scale_async._engine.config import Auth, HttpSettings, Timeout
from scale_async.nga import AsyncNGAScaleClient
from scale_sync.nga import NGAScaleClient

SECRET = "tok-7f3a9c-secret"


def test_auth_choices_hide_their_secret() -> None:
    for auth in (Auth.token(SECRET), Auth.basic(SECRET)):
        assert SECRET not in repr(auth)
        settings = HttpSettings(auth=auth, user_agent="ua", timeout=Timeout(), max_connections=1)
        assert SECRET not in repr(settings)
    assert (
        HttpSettings(
            auth=Auth.basic("k"), user_agent="", timeout=Timeout(), max_connections=1
        ).api_key
        == "k"
    )
    assert (
        HttpSettings(
            auth=Auth.token("t"), user_agent="", timeout=Timeout(), max_connections=1
        ).api_key
        is None
    )
    assert (
        HttpSettings(auth=None, user_agent="", timeout=Timeout(), max_connections=1).api_key is None
    )


def test_the_two_clients_authenticate_differently() -> None:
    scale = AsyncScaleClient("live_key")
    assert scale._session.settings.auth == Auth.basic("live_key")
    nga = AsyncNGAScaleClient("http://nga.example/api/", token=SECRET)
    assert nga._session.settings.auth == Auth.token(SECRET)
    assert nga.base_url == "http://nga.example/api"
    assert AsyncNGAScaleClient("https://nga.example")._session.settings.auth is None
    for text in (repr(nga), repr(nga._session), repr(nga._requester), repr(nga._session.settings)):
        assert SECRET not in text


@pytest.mark.parametrize("token", ["", 42])
def test_a_token_must_be_a_non_empty_string(token: object) -> None:
    with pytest.raises(ValueError, match="token must be a non-empty string"):
        AsyncNGAScaleClient("http://nga.example/api", token=token)  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["nga.example/api", "ftp://nga.example", ""])
def test_a_bad_base_url_names_the_argument(url: str) -> None:
    with pytest.raises(ValueError, match="base_url must be an http"):
        AsyncNGAScaleClient(url)


def test_max_connections_is_checked_by_the_shared_core() -> None:
    with pytest.raises(ValueError, match="max_connections"):
        AsyncNGAScaleClient("http://nga.example", max_connections=0)


async def test_the_token_stays_out_of_logs(caplog: pytest.LogCaptureFixture) -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        header = request.headers["authorization"]
        return httpx.Response(401, json={"detail": f"Bad credentials: {header}"})

    caplog.set_level(logging.DEBUG, logger="scale_async")
    client = AsyncNGAScaleClient(
        "http://nga.example/api", token=SECRET, transport=httpx.MockTransport(echo)
    )
    async with client:
        with pytest.raises(ScaleUnauthorized) as info:
            await client.get_batch(1)
    assert info.value.message == "Bad credentials: Token [redacted]"
    assert caplog.records
    assert SECRET not in caplog.text


# -- the generated twin -----------------------------------------------------------------------


def _public(cls: type) -> dict[str, object]:
    return {
        name: func
        for name, func in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


# aclose is the sync base class's close; with_options returns a copy on the same loop (its
# parameters are compared in test_client_options).
ASYNC_METHODS = sorted(set(_public(AsyncNGAScaleClient)) - {"aclose", "with_options"})


def test_every_operation_has_a_sync_twin() -> None:
    assert set(ASYNC_METHODS) == {
        "compare_batches",
        "create_batch",
        "create_batch_from_previous",
        "edit_batch",
        "get_batch",
        "get_batches",
        "list_batches",
        "validate_batch",
    }
    assert set(ASYNC_METHODS) <= set(_public(NGAScaleClient))
    assert scale_sync.nga.NGAScaleClient is NGAScaleClient


@pytest.mark.parametrize("name", ASYNC_METHODS)
def test_sync_signatures_and_docstrings_match(name: str) -> None:
    async_method = getattr(AsyncNGAScaleClient, name)
    sync_method = getattr(NGAScaleClient, name)
    async_params = inspect.signature(async_method).parameters
    sync_params = inspect.signature(sync_method).parameters
    assert [(p.name, p.kind, p.default) for p in async_params.values()] == [
        (p.name, p.kind, p.default) for p in sync_params.values()
    ]
    assert inspect.getdoc(async_method) == inspect.getdoc(sync_method)
    assert not inspect.iscoroutinefunction(sync_method)


def test_sync_constructor_matches() -> None:
    async_params = inspect.signature(AsyncNGAScaleClient).parameters
    sync_params = inspect.signature(NGAScaleClient).parameters
    assert [(p.name, p.kind, p.default) for p in async_params.values()] == [
        (p.name, p.kind, p.default) for p in sync_params.values()
    ]
    assert "with NGAScaleClient(url) as client:" in (NGAScaleClient.__doc__ or "")


def test_sync_client_drives_an_async_one_and_closes() -> None:
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(200, json={"count": 0, "next": None, "previous": None, "results": []})

    with NGAScaleClient("http://nga.example/api", transport=httpx.MockTransport(answer)) as client:
        assert isinstance(client.async_client, AsyncNGAScaleClient)
        assert repr(client) == "<NGAScaleClient http://nga.example/api>"
        batches = client.get_batches()
        assert inspect.isgenerator(batches)
        assert list(batches) == []
        assert client.async_client._session.is_open
    assert not client.async_client._session.is_open
    assert calls == ["/api/v6/batches/"]
