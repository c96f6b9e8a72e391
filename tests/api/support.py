"""Helpers shared by the per-endpoint tests: the base URL and reading what a route was sent."""

from __future__ import annotations

import importlib
import json
from types import ModuleType
from typing import Any

import httpx
import respx

from tests.drivers import Driver

BASE = "https://api.scale.com/v1"


def sent(route: respx.Route) -> httpx.Request:
    """The one request ``route`` received."""
    assert route.call_count == 1
    return route.calls.last.request


def body(route: respx.Route) -> Any:
    """The JSON body of the one request ``route`` received, sent as JSON."""
    request = sent(route)
    assert request.headers["content-type"] == "application/json"
    return json.loads(request.content)


def last_body(route: respx.Route) -> Any:
    """The JSON body of the last request ``route`` received (earlier attempts may exist)."""
    return json.loads(route.calls.last.request.content)


def models(driver: Driver, module: str) -> ModuleType:
    """The SDK-path module (``files``, ``teams``, ``studio``) of the driver's package."""
    package = "scale_async" if driver.kind == "async" else "scale_sync"
    return importlib.import_module(f"{package}.{module}")
