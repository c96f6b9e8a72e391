"""Turning the async core's results into their sync twins, bound to the sync client's loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from scale_async._engine.model import Model
from scale_async._engine.pages import Paginator

__all__ = ["register_twin", "to_sync"]

_twins: dict[type, type] = {}
#: For each async model class, the function that makes its twin: generated once, it fills
#: the twin's slots from the model's, which costs a fraction of the twin's ``__init__``.
_copiers: dict[type, Callable[[Any, Any], Any]] = {}


def register_twin(async_cls: type, sync_cls: type) -> None:
    """Declare that results of type ``async_cls`` reach sync callers as ``sync_cls``."""
    _twins[async_cls] = sync_cls
    if issubclass(async_cls, Model):
        _copiers[async_cls] = _make_copier(async_cls, sync_cls)


def _make_copier(async_cls: type, twin: type) -> Callable[[Any, Any], Any]:
    fields = attrs.fields(async_cls)
    names = {f.name for f in fields}
    extra = [f for f in attrs.fields(twin) if f.name not in names and f.name != "_runner"]
    plain = (
        getattr(twin, "__setattr__", None) is object.__setattr__
        and not hasattr(twin, "__attrs_post_init__")
        and not extra
        and all(f.validator is None and f.converter is None for f in attrs.fields(twin))
    )
    if not plain:

        def by_init(value: Any, runner: Any) -> Any:
            copy = twin(**{f.alias: getattr(value, f.name) for f in fields})
            copy._runner = runner
            return copy

        return by_init
    lines = ["def copy(v, runner):", "    o = _new(twin)"]
    lines += [f"    o.{f.name} = v.{f.name}" for f in fields]
    lines += ["    o._runner = runner", "    return o"]
    namespace: dict[str, Any] = {"_new": object.__new__, "twin": twin}
    exec("\n".join(lines), namespace)
    copier: Callable[[Any, Any], Any] = namespace["copy"]
    return copier


def to_sync(value: Any, runner: Any) -> Any:
    """``value`` with every model and page replaced by its sync twin (recursively)."""
    copier = _copiers.get(type(value))
    if copier is not None:
        return copier(value, runner)
    twin = _twins.get(type(value))
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
        if value and type(value[0]) in _copiers and type(value) is list:
            first = _copiers[type(value[0])]
            kind = type(value[0])
            return [
                first(item, runner) if type(item) is kind else to_sync(item, runner)
                for item in value
            ]
        return [to_sync(item, runner) for item in value]
    if isinstance(value, dict):
        return {key: to_sync(item, runner) for key, item in value.items()}
    return value
