"""What callers send: models or dicts to JSON, checked as NGA's schemas would check them.

The batch definition and configuration are read leniently in responses, but NGA's schemas say
``additionalProperties: false`` for what is sent: a misspelt key would only come back as a 400
(or, inside ``forced_nodes``, a 500), so ``definition_json`` and ``configuration_json`` refuse
it first, naming the key.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import attrs

from .._engine.model import Model
from ._models import BatchConfiguration, BatchDefinition

__all__ = ["check_json", "configuration_json", "definition_json", "to_wire"]


M = TypeVar("M", bound=Model)

_JSON_TYPES: dict[type, str] = {bool: "a boolean", int: "an integer", str: "a string"}


def to_wire(value: Any) -> Any:
    """A model as the JSON it stands for: wire names, unset (None) fields left out."""
    if isinstance(value, Model):
        out: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if not field.name.startswith("_") and item is not None:
                out[field.metadata.get("wire", field.name)] = to_wire(item)
        return out
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    if isinstance(value, Mapping):
        return {key: to_wire(item) for key, item in value.items()}
    return value


def _check_value(tp: Any, value: Any, where: str, min_items: int = 0) -> None:
    """Check one JSON value against a field annotation, as the JSON schema would."""
    if get_origin(tp) in (Union, types.UnionType):
        (tp,) = (arg for arg in get_args(tp) if arg is not type(None))
    origin = get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, Model):
        check_json(tp, value, where)
    elif origin is list:
        if not isinstance(value, list):
            raise ValueError(f"{where} must be a list, got {value!r}")
        if len(value) < min_items:
            raise ValueError(f"{where} must hold at least {min_items} item(s)")
        for index, item in enumerate(value):
            _check_value(get_args(tp)[0], item, f"{where}[{index}]")
    elif origin is dict:
        if not isinstance(value, Mapping):
            raise ValueError(f"{where} must be an object, got {value!r}")
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where} keys must be strings, got {key!r}")
            _check_value(get_args(tp)[1], item, f"{where}.{key}")
    elif tp in _JSON_TYPES:
        wrong_bool = tp is int and isinstance(value, bool)
        if wrong_bool or not isinstance(value, tp):
            raise ValueError(f"{where} must be {_JSON_TYPES[tp]}, got {value!r}")


def check_json(cls: type[Model], data: Any, where: str) -> None:
    """Check ``data`` against ``cls`` read as a strict JSON schema: no unknown keys,
    every required key present, each value of the right JSON type (``null`` is not).
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"{where} must be a {cls.__name__} or a dict, got {data!r}")
    fields = {
        field.metadata.get("wire", field.name): field
        for field in attrs.fields(cls)
        if not field.name.startswith("_")
    }
    for key in data:
        if key not in fields:
            close = difflib.get_close_matches(str(key), fields, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"{where} has an unknown key {key!r}{hint} (allowed: {', '.join(sorted(fields))})"
            )
    hints = get_type_hints(cls)
    for key, field in fields.items():
        if key in data:
            _check_value(
                hints[field.name], data[key], f"{where}.{key}", field.metadata.get("min_items", 0)
            )
        elif field.default is attrs.NOTHING:
            raise ValueError(f"{where} lacks the required key {key!r}")


def _checked(cls: type[M], value: M | Mapping[str, Any], where: str) -> dict[str, Any]:
    if isinstance(value, Model) and not isinstance(value, cls):
        raise ValueError(f"{where} must be a {cls.__name__} or a dict, got {value!r}")
    data = to_wire(value)
    check_json(cls, data, where)
    return data  # type: ignore[no-any-return]


def definition_json(value: BatchDefinition | Mapping[str, Any]) -> dict[str, Any]:
    """The definition to send, checked against the v6 schema (``ValueError`` otherwise)."""
    return _checked(BatchDefinition, value, "definition")


def configuration_json(value: BatchConfiguration | Mapping[str, Any]) -> dict[str, Any]:
    """The configuration to send, checked against the v6 schema (``ValueError`` otherwise)."""
    return _checked(BatchConfiguration, value, "configuration")
