"""Turning the async core's results into their sync twins, bound to the sync client's loop."""

from __future__ import annotations

from typing import Any

import attrs

from scale_async._engine.model import Model
from scale_async._engine.pages import Paginator

__all__ = ["register_twin", "to_sync"]

_twins: dict[type, type] = {}


def register_twin(async_cls: type, sync_cls: type) -> None:
    """Declare that results of type ``async_cls`` reach sync callers as ``sync_cls``."""
    _twins[async_cls] = sync_cls


def to_sync(value: Any, runner: Any) -> Any:
    """``value`` with every model and page replaced by its sync twin (recursively)."""
    twin = _twins.get(type(value))
    if twin is not None and isinstance(value, Model):
        copy = twin(**{f.alias: getattr(value, f.name) for f in attrs.fields(type(value))})
        copy._runner = runner
        return copy
    if twin is not None and isinstance(value, Paginator):
        return value._map_into(twin, lambda item: to_sync(item, runner))
    if attrs.has(type(value)) and not isinstance(value, Model):
        # A result object (a bulk outcome, say) that may hold models.
        changes = {
            f.alias: to_sync(getattr(value, f.name), runner)
            for f in attrs.fields(type(value))
            if f.init
        }
        return attrs.evolve(value, **changes)
    if isinstance(value, list):
        return [to_sync(item, runner) for item in value]
    if isinstance(value, dict):
        return {key: to_sync(item, runner) for key, item in value.items()}
    return value
