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
        return items

    return hook


converter.register_structure_hook_factory(_is_list, _make_list_hook)


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


#: Returned by a fast builder when a value is not of the plain JSON type its field expects.
_SLOW: Any = object()

_PLAIN = {str: "str", int: "int", float: "float", bool: "bool"}


def _field_check(tp: Any, var: str) -> tuple[str, str] | None:
    """Code testing ``var`` and the expression that builds the field from it, for the field
    types JSON gives as they are; None for any other type (those fields take the slow path).

    Every expression gives exactly what cattrs gives for such a value: ``str(v)`` of a str
    is itself, a ``dict[str, Any]`` is a new dict with the same items, and so on.
    """
    optional = False
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        optional = len(args) < len(get_args(tp))
        if str_or(tp, Enum) is not None:
            test, build = f"type({var}) is str", f"_enum_{var}({var}, _type_{var})"
        elif len(args) == 1:
            inner = _field_check(args[0], var)
            if inner is None:
                return None
            test, build = inner
        else:
            return None
    elif tp is Any:
        return "True", var
    elif isinstance(tp, type) and issubclass(tp, Enum):
        test, build = f"type({var}) is str", f"_enum_{var}({var}, _type_{var})"
    elif tp in _PLAIN:
        test, build = f"type({var}) is {_PLAIN[tp]}", var
    elif get_origin(tp) is dict and get_args(tp) in ((str, Any), ()):
        test, build = f"type({var}) is dict", f"dict({var})"
    elif get_origin(tp) is list and len(get_args(tp)) == 1:
        (item,) = get_args(tp)
        if item is Any:
            test, build = f"type({var}) is list", f"list({var})"
        elif item in _PLAIN:
            name = _PLAIN[item]
            test = f"type({var}) is list and all(type(x) is {name} for x in {var})"
            build = f"list({var})"
        elif get_origin(item) is dict and get_args(item) == (str, Any):
            test = f"type({var}) is list and all(type(x) is dict for x in {var})"
            build = f"[dict(x) for x in {var}]"
        else:
            return None
    else:
        return None
    if optional:
        return f"{var} is None or ({test})", f"None if {var} is None else {build}"
    return test, build


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


def _cached(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """``hook`` remembering its answers for the first few hundred values (enum members)."""
    seen: dict[Any, Any] = {}

    def lookup(value: Any, tp: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            answer = hook(value, tp)
            if len(seen) < 512:
                seen[value] = answer
            return answer

    return lookup


def _fast_builder(cls: type[Model]) -> Callable[[dict[str, Any]], Any] | None:
    """A function that builds ``cls`` from a JSON object whose values all have their plain
    types, and returns ``_SLOW`` otherwise (so cattrs builds it, or says what is wrong).

    Generated once per model: cattrs' own function structures every value through a hook,
    copying each nested dict and list through a comprehension, which made structuring a
    task most of the cost of listing one.
    """
    hints = attrs.resolve_types(cls)
    direct = _direct(cls)
    lines = ["def build(data):"]
    lines.append("    o = _new(cls)" if direct else "    kwargs = {}")
    namespace: dict[str, Any] = {"_SLOW": _SLOW, "cls": cls, "_new": object.__new__}
    for index, field in enumerate(attrs.fields(hints)):
        var = f"v{index}"
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_factory_{var}"] = default.factory
            fill = f"_factory_{var}()"
        else:
            namespace[f"_default_{var}"] = default
            fill = f"_default_{var}"
        if field.name.startswith("_") or not field.init:
            if direct:
                lines.append(f"    o.{field.name} = {fill}")
            continue
        check = _field_check(field.type, var)
        if check is None:
            return None
        test, build = check
        if "_enum_" in build:
            # The converter's own hook for the field's enum (whatever it is registered as),
            # asked once per distinct value.
            namespace[f"_type_{var}"] = field.type
            namespace[f"_enum_{var}"] = _cached(converter.get_structure_hook(field.type))
        key = field.metadata.get("wire", field.name)
        required = default is attrs.NOTHING
        store = f"o.{field.name} = " if direct else f"kwargs[{field.alias!r}] = "
        lines.append(f"    {var} = data.get({key!r}, _SLOW)")
        lines.append(f"    if {var} is _SLOW:")
        if required:
            lines.append("        return _SLOW")
        else:
            lines.append(f"        {store}{fill}" if direct else "        pass")
        lines.append(f"    elif {test}:")
        lines.append(f"        {store}{build}")
        lines.append("    else:")
        lines.append("        return _SLOW")
    lines.append("    return o" if direct else "    return cls(**kwargs)")
    exec("\n".join(lines), namespace)
    built: Callable[[dict[str, Any]], Any] = namespace["build"]
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
        if not isinstance(data, dict):
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        obj = fast(data) if fast is not None else _SLOW
        if obj is _SLOW:
            obj = build(data, cls)
        obj._raw = data
        return obj  # type: ignore[no-any-return]

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
    try:
        # One hook for the whole page: no converter dispatch and no try block per item.
        items: list[M] = [hook(item, cls) for item in data]
    except Exception:
        # Some item is wrong: build them one by one, so the error names it as it always has.
        return [structure(item, cls, client=client, method=method, path=path) for item in data]
    for item in items:
        item._client = client
    return items


def _read_for_construction(json: Any, cls: type[Any]) -> Any:
    """``cls(json, client)``: the converter's reading, any failure a ``TypeError``."""
    try:
        return converter.structure(json, cls)
    except Exception as exc:
        raise TypeError(f"cannot build {cls.__name__} from this JSON: {_describe(exc)}") from exc


install_reader(_read_for_construction)
