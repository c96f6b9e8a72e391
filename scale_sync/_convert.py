"""Turning the async core's results into their sync twins.

A twin has the layout of the model it mirrors (the same slots), so a model becomes its twin
by taking the twin's class: the object the serde built is the one the sync caller gets, with
nothing copied. Which loop runs a twin's helpers follows from the async client it is bound
to (``runner_for``), so the twin needs no state of its own.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import attrs

from scale_async._engine.model import Model
from scale_async._engine.pages import Paginator

__all__ = ["register_runner", "register_twin", "runner_for", "to_sync"]

_twins: dict[type, type] = {}
#: For each async model class, what makes its twin from a model: a change of class when
#: the twin's layout allows it, else a copy through the twin's ``__init__``.
_converters: dict[type, Callable[[Any], Any]] = {}
#: The loop runner of each async client a sync client drives (clones of with_options too).
_runners: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def register_runner(async_client: Any, runner: Any) -> None:
    """Declare that ``runner``'s loop drives ``async_client`` (for the twins bound to it)."""
    _runners[async_client] = runner


def runner_for(async_client: Any) -> Any:
    """The runner driving ``async_client``, None when no sync client drives it."""
    try:
        return _runners.get(async_client)
    except TypeError:  # not weakly referenceable or not hashable: not a client of ours
        return None


def register_twin(async_cls: type, sync_cls: type) -> None:
    """Declare that results of type ``async_cls`` reach sync callers as ``sync_cls``."""
    _twins[async_cls] = sync_cls
    if issubclass(async_cls, Model):
        _converters[async_cls] = _converter(async_cls, sync_cls)


def _converter(async_cls: type, twin: type) -> Callable[[Any], Any]:
    if _same_layout(async_cls, twin):

        def become(value: Any) -> Any:
            value.__class__ = twin
            return value

        return become
    fields = attrs.fields(async_cls)

    def by_init(value: Any) -> Any:
        return twin(**{f.alias: getattr(value, f.name) for f in fields})

    return by_init


def _same_layout(async_cls: type, twin: type) -> bool:
    """Whether an ``async_cls`` object can take ``twin`` as its class (Python's own test)."""
    probe: Any = object.__new__(async_cls)
    try:
        probe.__class__ = twin
    except TypeError:
        return False
    return {f.name for f in attrs.fields(twin)} == {f.name for f in attrs.fields(async_cls)}


def to_sync(value: Any) -> Any:
    """``value`` with every model and page replaced by its sync twin (recursively).

    The async core made ``value`` for this caller alone, so its models may change class.
    """
    convert = _converters.get(type(value))
    if convert is not None:
        return convert(value)
    twin = _twins.get(type(value))
    if twin is not None and isinstance(value, Paginator):
        return value._map_into(twin, to_sync)
    if attrs.has(type(value)) and not isinstance(value, Model):
        # A result object (a bulk outcome, say) that may hold models.
        changes = {
            f.alias: to_sync(getattr(value, f.name)) for f in attrs.fields(type(value)) if f.init
        }
        return attrs.evolve(value, **changes)
    if isinstance(value, list):
        if value and type(value) is list:
            kind = type(value[0])
            convert = _converters.get(kind)
            if convert is not None:
                # A page of one model: one look-up for the whole page.
                return [convert(item) if type(item) is kind else to_sync(item) for item in value]
        return [to_sync(item) for item in value]
    if isinstance(value, dict):
        return {key: to_sync(item) for key, item in value.items()}
    return value
