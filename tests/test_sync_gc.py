"""An abandoned sync iterator is collected silently, even after its client was closed."""

from __future__ import annotations

import gc
import sys
from typing import Any

import httpx
import pytest

from scale_sync import ScaleClient
from tests.scripted import Scripted, ok, page_json, task_json


def ours(unraisable: list[Any]) -> list[Any]:
    """What the sync layer left behind (other tests' garbage may be collected here too)."""
    return [
        u
        for u in unraisable
        if "portal" in str(u.exc_value).lower() or "PortalRunner" in repr(u.object)
    ]


def test_a_half_read_iterator_outliving_close_is_collected_silently(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The SDK's generators vanish without a word; ours used to print "Exception ignored ...
    This portal is not running" when collected after ``close()``."""
    gc.collect()
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    script = Scripted(ok(page_json([task_json("a"), task_json("b")], has_more=True, token="t")))
    client = ScaleClient("test_key", transport=httpx.MockTransport(script))
    tasks = client.get_tasks(project_name="p", limit=2)
    assert next(tasks).task_id == "a"
    client.close()
    del tasks
    gc.collect()
    assert ours(unraisable) == []


def test_a_half_read_iterator_collected_while_open_still_stops_its_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gc.collect()
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    script = Scripted(ok(page_json([task_json("a")], has_more=True, token="t")))
    with ScaleClient("test_key", transport=httpx.MockTransport(script)) as client:
        tasks = client.get_tasks(project_name="p", prefetch=1)
        assert next(tasks).task_id == "a"
        del tasks
        gc.collect()
        fetched = len(script.requests)
        assert len(client.tasks(project="p")) == 1  # the loop still serves calls
        assert len(script.requests) == fetched + 1
    assert ours(unraisable) == []
