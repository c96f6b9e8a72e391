"""Methods that pass their ``locals()`` on must keep the same parameters as what they call."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from scale_async import AsyncScaleClient
from scale_async._api.wire import tasks_query
from scale_async._engine.options import ClientOptions
from scale_async.nga import AsyncNGAScaleClient
from scale_async.v2._client import AsyncV2Client


def names(func: Callable[..., Any], *drop: str) -> list[str]:
    return [name for name in inspect.signature(func).parameters if name not in ("self", *drop)]


@pytest.mark.parametrize(
    ("caller", "callee", "drop"),
    [
        (AsyncScaleClient.create_tasks, AsyncScaleClient._create_job, ("payloads",)),
        (AsyncScaleClient.stream_create_tasks, AsyncScaleClient._create_job, ("payloads",)),
        (AsyncV2Client.create_chat_tasks, AsyncV2Client._chat_job, ("payloads",)),
        (AsyncV2Client.stream_create_chat_tasks, AsyncV2Client._chat_job, ("payloads",)),
        (AsyncScaleClient.get_tasks, tasks_query, ("prefetch", "partitions")),
        (AsyncScaleClient.get_tasks_count, tasks_query, ()),
        (AsyncScaleClient.v2_get_tasks, AsyncV2Client.iter_tasks, ()),
    ],
)
def test_a_forwarding_method_takes_what_it_forwards(
    caller: Callable[..., Any], callee: Callable[..., Any], drop: tuple[str, ...]
) -> None:
    forwarded = names(caller, *drop)
    accepted = names(callee)
    assert set(forwarded) <= set(accepted), set(forwarded) - set(accepted)
    if caller is not AsyncScaleClient.get_tasks_count:  # count has no limit: it sends limit=1
        assert set(forwarded) == set(accepted)


@pytest.mark.parametrize("client", [AsyncScaleClient, AsyncNGAScaleClient])
def test_a_constructor_hands_on_every_option_it_takes(client: type[Any]) -> None:
    """``ClientOptions.among(locals())`` picks options by name: a constructor parameter
    that is an option under another name would be dropped without a word."""
    options = {field.name for field in attrs.fields(ClientOptions)}
    own = {"api_key", "api_instance_url", "base_url", "token"}
    assert set(names(client.__init__)) - own == options


def test_client_options_among_takes_the_options_and_nothing_else() -> None:
    def on_request(event: object) -> None:
        del event

    arguments = {"self": object(), "api_key": "k", "timeout": 3, "on_request": on_request}
    options = ClientOptions.among(arguments)
    assert options == ClientOptions(timeout=3, on_request=on_request)
    assert options.max_connections == 64
