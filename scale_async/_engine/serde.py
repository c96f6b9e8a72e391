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
from .model import Model, ValueEnum, install_reader, tolerant
from .redact import chain_safe

__all__ = ["converter", "register_str_or", "str_or", "structure", "structure_list"]

M = TypeVar("M", bound=Model)
B = TypeVar("B")

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
        if type(value) is list and all(a is b for a, b in zip(items, value, strict=True)):
            return value  # nothing converted: the server's array itself, as the SDK keeps it
        return items

    return hook


converter.register_structure_hook_factory(_is_list, _make_list_hook)

_copy_object = converter.get_structure_hook(dict[str, Any])


def _structure_object(value: Any, tp: Any) -> dict[str, Any]:
    # The server's object itself, as the SDK keeps it; cattrs reads any other mapping.
    if type(value) is dict:
        return value
    copied: dict[str, Any] = _copy_object(value, tp)
    return copied


converter.register_structure_hook_func(lambda tp: tp == dict[str, Any], _structure_object)


def str_or(tp: Any, base: type[B]) -> type[B] | None:
    """The subclass of ``base`` in ``str | X`` (optionally ``| None``), else None.

    Both the enums that must not reject new values (``E | str``) and v2's expandable
    references (``str | Model``, an id or the whole object) have this shape.
    """
    if get_origin(tp) not in (Union, types.UnionType):
        return None
    args = [a for a in get_args(tp) if a is not type(None)]
    found = [a for a in args if isinstance(a, type) and issubclass(a, base)]
    if len(found) == 1 and str in args and len(args) == 2:
        return found[0]
    return None


def register_str_or(base: type[B], build: Callable[[type[B], Any], Any]) -> None:
    """Read every ``str | X`` field (``X`` a ``base``) with ``build(X, value)``; None stays."""

    def make_hook(tp: Any) -> Callable[[Any, Any], Any]:
        cls = str_or(tp, base)
        assert cls is not None

        def hook(value: Any, _: Any) -> Any:
            return None if value is None else build(cls, value)

        return hook

    converter.register_structure_hook_factory(lambda t: str_or(t, base) is not None, make_hook)


register_str_or(Enum, tolerant)


def _structure_value_enum(value: Any, cls: type[ValueEnum]) -> ValueEnum:
    return tolerant(cls, value)


# A field typed as the enum keeps its type for any value: new ones become pseudo-members.
# (By class, so that it wins over cattrs' hook for str, which these enums also are.)
converter.register_structure_hook(ValueEnum, _structure_value_enum)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Model)


class _Slow(Exception):
    """Raised by a fast builder for a value it does not build as it stands: cattrs then
    builds the object (converting the value) or says what is wrong with it."""


def _check_lines(tp: Any, i: int) -> list[str] | None:
    """Lines that raise ``_Slow`` unless ``v`` (not None) has the plain JSON type ``tp``
    and, where the field needs a new object, make ``v`` that object; None for any other
    type (those models take the slow path).

    Every value built is what cattrs gives for it: ``str(v)`` of a str is itself, an enum
    value its member, and a JSON object or array is the server's own (shared with the raw
    JSON, as the SDK's models share it, not copied).
    """
    if str_or(tp, Enum) is not None or (isinstance(tp, type) and issubclass(tp, Enum)):
        # One dict look-up for the values seen before; the converter's own hook (whatever
        # is registered for the field's type) for a new one.
        return [
            f"m = _members{i}.get(v)",
            "if m is None:",
            "    if type(v) is not str:",
            "        raise _Slow",
            f"    m = _enum{i}(v)",
            "v = m",
        ]
    if tp is Any:
        return []
    if tp in _PLAIN:
        return [f"if type(v) is not {_PLAIN[tp]}:", "    raise _Slow"]
    if get_origin(tp) is dict and get_args(tp) in ((str, Any), ()):
        return ["if type(v) is not dict:", "    raise _Slow"]
    if get_origin(tp) is list and len(get_args(tp)) == 1:
        (item,) = get_args(tp)
        if item is Any:
            return ["if type(v) is not list:", "    raise _Slow"]
        if item in _PLAIN or (get_origin(item) is dict and get_args(item) == (str, Any)):
            name = _PLAIN.get(item, "dict")
            # A loop, not all(<generator>): no object is made for the test.
            lines = ["if type(v) is not list:", "    raise _Slow", "for x in v:"]
            lines += [f"    if type(x) is not {name}:", "        raise _Slow"]
            return lines
    return None


def _optional(tp: Any) -> tuple[Any, bool]:
    """``tp`` without its ``| None``, and whether None is one of its values."""
    if tp is Any:
        return tp, True
    if str_or(tp, Enum) is not None:
        # ``E | str | None`` stays whole: the converter's hook for it is the enum's.
        return tp, type(None) in get_args(tp)
    if get_origin(tp) in (Union, types.UnionType):
        args = get_args(tp)
        if len(args) == 2 and type(None) in args:
            return next(a for a in args if a is not type(None)), True
    return tp, False


def _field_lines(
    field: attrs.Attribute[Any], i: int, namespace: dict[str, Any]
) -> list[str] | None:
    """The lines that read field number ``i`` from ``data`` into ``v``, or None."""
    inner, optional = _optional(field.type)
    check = _check_lines(inner, i)
    if check is None:
        return None
    if "_enum" in "".join(check):
        members: dict[Any, Any] = {}
        namespace[f"_members{i}"] = members
        namespace[f"_enum{i}"] = _remembering(
            converter.get_structure_hook(field.type), members, field.type
        )
    key = field.metadata.get("wire", field.name)
    default = field.default
    if optional:
        check = ["if v is not None:", *(f"    {line}" for line in check)] if check else []
    if default is attrs.NOTHING:
        return [f"v = data[{key!r}]", *check]
    if default is None and optional:
        # Absent or null alike are None, the default: one look-up, no sentinel.
        if inner in _PLAIN:
            # The usual case, a present value of the right type, costs one test.
            name = _PLAIN[inner]
            return [
                f"v = data.get({key!r})",
                f"if type(v) is not {name} and v is not None:",
                "    raise _Slow",
            ]
        return [f"v = data.get({key!r})", *check]
    fill = _fill(default, f"_default{i}", namespace)
    lines = [f"v = data.get({key!r}, _ABSENT)", "if v is _ABSENT:", f"    v = {fill}"]
    if not check:
        return lines
    return [*lines, "else:", *(f"    {line}" for line in check)]


def _fill(default: Any, name: str, namespace: dict[str, Any]) -> str:
    """The expression giving a field's ``default`` (a new one from a factory), as ``name``."""
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        namespace[name] = default.factory
        return f"{name}()"
    namespace[name] = default
    return name


def _remembering(
    hook: Callable[[Any, Any], Any], seen: dict[Any, Any], tp: Any
) -> Callable[[Any], Any]:
    """``hook`` for ``tp``, its answers kept in ``seen`` for the first few hundred values."""

    def lookup(value: Any) -> Any:
        answer = hook(value, tp)
        if len(seen) < 512:
            seen[value] = answer
        return answer

    return lookup


#: Marks a key the JSON object does not have, where None would be a value.
_ABSENT: Any = object()

_PLAIN = {str: "str", int: "int", float: "float", bool: "bool"}


def _direct(cls: type[Model]) -> bool:
    """Whether ``cls`` may be filled in without its ``__init__``: nothing runs there but
    assignments (no validator, converter, post-init or attribute hook)."""
    return (
        cls.__setattr__ is object.__setattr__
        and not hasattr(cls, "__attrs_post_init__")
        and all(
            f.validator is None
            and f.converter is None
            and not (isinstance(f.default, attrs.Factory) and f.default.takes_self)  # type: ignore[arg-type]
            for f in attrs.fields(cls)
        )
    )


def _fast_builder(cls: type[Model]) -> Callable[..., Any] | None:
    """``build(data, client=None)``: a ``cls`` from a JSON object whose values all have
    their plain types, bound to ``client``; any other object makes it raise (``_Slow``, or
    the KeyError of a missing key), and cattrs builds it or says what is wrong.

    Generated once per model: cattrs' own function structures every value through a hook,
    copying each nested dict and list through a comprehension, which made structuring a
    task most of the cost of listing one. Here nested objects and arrays are not copied.
    """
    hints = attrs.resolve_types(cls)
    direct = _direct(cls)
    namespace: dict[str, Any] = {
        "_Slow": _Slow,
        "_ABSENT": _ABSENT,
        "cls": cls,
        "_new": object.__new__,
    }
    body: list[str] = []
    private: list[tuple[str, str]] = []
    for index, field in enumerate(attrs.fields(hints)):
        if field.name.startswith("_") or not field.init:
            if field.name == "_raw":
                private.append((field.name, "data"))
            elif field.name == "_client":
                private.append((field.name, "client"))
            else:
                private.append((field.name, _fill(field.default, f"_default{index}", namespace)))
            continue
        lines = _field_lines(field, index, namespace)
        if lines is None:
            return None
        body += lines
        body.append(f"o.{field.name} = v" if direct else f"kwargs[{field.alias!r}] = v")
    head = ["def build(data, client=None):"]
    if direct:
        head.append("    o = _new(cls)")
        head += [f"    o.{name} = {value}" for name, value in private]
        tail = ["    return o"]
    else:
        head.append("    kwargs = {}")
        tail = [
            "    o = cls(**kwargs)",
            "    o._raw = data",
            "    o._client = client",
            "    return o",
        ]
    exec("\n".join([*head, *(f"    {line}" for line in body), *tail]), namespace)
    built: Callable[..., Any] = namespace["build"]
    return built


def _make_model_hook(cls: type[Model]) -> Callable[[Any, Any], Model]:
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name.startswith("_"):
            overrides[field.name] = override(omit=True)
        elif "wire" in field.metadata:
            overrides[field.name] = override(rename=field.metadata["wire"])
    build = make_dict_structure_fn(cls, converter, **overrides)
    fast = _fast_builder(cls)

    def hook(data: Any, _: Any) -> Model:
        if fast is not None:
            try:
                return fast(data)  # type: ignore[no-any-return]
            except Exception:
                pass
        if not isinstance(data, dict):
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        obj: Model = build(data, cls)
        obj._raw = data
        return obj

    hook.fast = fast  # type: ignore[attr-defined]  # what structure_list builds pages with
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
    hook = converter.get_structure_hook(cls)
    fast = getattr(hook, "fast", None)
    if fast is not None:
        try:
            # The whole page in one comprehension: no dispatch, hook or try block per item.
            built: list[M] = [fast(item, client) for item in data]
        except Exception:
            pass
        else:
            return built
    try:
        items: list[M] = [hook(item, cls) for item in data]
    except Exception:
        # Some item is wrong: build them one by one, so the error names it as it always has.
        return [structure(item, cls, client=client, method=method, path=path) for item in data]
    for item in items:
        item._client = client
    return items


def structurer(
    cls: type[M], *, client: Any = None, method: str = "", path: str = ""
) -> Callable[[Any], M]:
    """``structure`` for one ``cls`` and ``client``, looked up once: for items built one by one."""
    fast = getattr(converter.get_structure_hook(cls), "fast", None)

    def one(data: Any) -> M:
        if fast is not None:
            try:
                return fast(data, client)  # type: ignore[no-any-return]
            except Exception:
                pass
        return structure(data, cls, client=client, method=method, path=path)

    return one


def _read_for_construction(json: Any, cls: type[Any]) -> Any:
    """``cls(json, client)``: the converter's reading, any failure a ``TypeError``."""
    try:
        return converter.structure(json, cls)
    except Exception as exc:
        raise TypeError(f"cannot build {cls.__name__} from this JSON: {_describe(exc)}") from exc


install_reader(_read_for_construction)
