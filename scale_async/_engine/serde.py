"""The one cattrs converter, and the turning of JSON into models.

Response models are lenient where servers evolve: unknown keys are kept (in the raw JSON),
unknown enum values stay plain strings. They are strict where a wrong value would mislead:
a boolean must be a boolean, and a required key must be there.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.gen import make_dict_structure_fn, override

from ..exceptions import ScaleInvalidResponse
from .model import Model, ValueEnum, tolerant
from .redact import chain_safe

__all__ = ["converter", "structure", "structure_list"]

M = TypeVar("M", bound=Model)

converter = cattrs.Converter()


def _structure_bool(value: Any, _: type) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError(f"expected a boolean, got {value!r}")


converter.register_structure_hook(bool, _structure_bool)


def _is_list(tp: Any) -> bool:
    return get_origin(tp) is list


def _make_list_hook(tp: Any) -> Callable[[Any, Any], list[Any]]:
    structure_items = list_structure_factory(tp, converter)

    def hook(value: Any, _: Any) -> list[Any]:
        # cattrs alone would turn a string into a list of its characters.
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected a JSON array, got {type(value).__name__}")
        items: list[Any] = structure_items(value, tp)
        return items

    return hook


converter.register_structure_hook_factory(_is_list, _make_list_hook)


def _tolerant_enum(tp: Any) -> type[Enum] | None:
    """The Enum in ``E | str`` (optionally ``| None``), which must not reject new values."""
    if get_origin(tp) not in (Union, types.UnionType):
        return None
    args = [a for a in get_args(tp) if a is not type(None)]
    enums = [a for a in args if isinstance(a, type) and issubclass(a, Enum)]
    if len(enums) == 1 and str in args and len(args) == 2:
        return enums[0]
    return None


def _make_tolerant_hook(tp: Any) -> Callable[[Any, Any], Any]:
    enum_cls = _tolerant_enum(tp)
    assert enum_cls is not None

    def hook(value: Any, _: Any) -> Any:
        return None if value is None else tolerant(enum_cls, value)

    return hook


converter.register_structure_hook_factory(
    lambda t: _tolerant_enum(t) is not None, _make_tolerant_hook
)


def _structure_value_enum(value: Any, cls: type[ValueEnum]) -> ValueEnum:
    return tolerant(cls, value)


# A field typed as the enum keeps its type for any value: new ones become pseudo-members.
# (By class, so that it wins over cattrs' hook for str, which these enums also are.)
converter.register_structure_hook(ValueEnum, _structure_value_enum)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Model)


def _make_model_hook(cls: type[Model]) -> Callable[[Any, Any], Model]:
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name.startswith("_"):
            overrides[field.name] = override(omit=True)
        elif "wire" in field.metadata:
            overrides[field.name] = override(rename=field.metadata["wire"])
    build = make_dict_structure_fn(cls, converter, **overrides)

    def hook(data: Any, _: Any) -> Model:
        if not isinstance(data, dict):
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        obj = build(data, cls)
        obj._raw = data
        return obj

    return hook


converter.register_structure_hook_factory(_is_model, _make_model_hook)


def _describe(exc: Exception) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(exc))
    return str(exc)


def structure(
    data: Any, cls: type[M], *, client: Any = None, method: str = "", path: str = ""
) -> M:
    """Build a ``cls`` from JSON, bound to ``client``; a bad shape is ScaleInvalidResponse."""
    try:
        obj = converter.structure(data, cls)
    except Exception as exc:
        raise ScaleInvalidResponse(
            f"unexpected {cls.__name__} in response: {_describe(exc)}", method=method, path=path
        ) from chain_safe(exc)
    obj._client = client
    return obj


def structure_list(
    data: Any, cls: type[M], *, client: Any = None, method: str = "", path: str = ""
) -> list[M]:
    """Build a list of ``cls`` from a JSON array."""
    if not isinstance(data, list):
        raise ScaleInvalidResponse(
            f"expected a JSON array of {cls.__name__}, got {type(data).__name__}",
            method=method,
            path=path,
        )
    return [structure(item, cls, client=client, method=method, path=path) for item in data]
