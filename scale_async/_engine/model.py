"""The base of every response model: typed fields, the raw JSON kept whole, bound to a client."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from enum import Enum, EnumMeta
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

__all__ = [
    "AbsentKeysRaise",
    "Model",
    "ValueEnum",
    "absent_keys",
    "install_reader",
    "tolerant",
    "wire",
]


M = TypeVar("M", bound="Model")


def wire(name: str) -> dict[str, str]:
    """Field metadata naming the JSON key when it differs from the attribute (``firstName``)."""
    return {"wire": name}


class _ModelType(type):
    """Models are built either way: ``Model(json, client)``, as the SDK's constructors are
    (its users build models that way, in callback handlers), or by keyword, as attrs'
    ``__init__`` takes them (what the serde and tests do)."""

    if not TYPE_CHECKING:
        # Type checkers see attrs' keyword-only __init__ alone.
        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            if args:
                return _from_json(cls, *args, **kwargs)
            return type.__call__(cls, **kwargs)


class _OwnAttributes:  # no __slots__, on purpose
    """Gives every model a ``__dict__``: code written for the SDK's plain objects may set
    attributes of its own on a model (``task.note = ...``), async or sync alike, since a
    sync twin has exactly its model's layout."""


@attrs.define(kw_only=True, eq=False)
class Model(_OwnAttributes, metaclass=_ModelType):
    """Typed view of one JSON object from the API.

    Fields the API documents are typed attributes (None when the server left them out);
    everything the server sent, known or not, stays in the raw JSON that ``as_dict()`` returns,
    and any top-level key is readable as an attribute, as with the official SDK. As in the
    SDK, fields are the server's values themselves: a nested object or array (``metadata``,
    ``tags``) is the very one in the raw JSON, not a copy, so listing copies nothing.
    Objects compare and hash by identity, as the SDK's do.
    """

    _raw: dict[str, Any] = attrs.field(factory=dict, repr=False)
    _client: Any = attrs.field(default=None, repr=False)

    #: Fields whose JSON key, when the server did not send it, reads as AttributeError on
    #: the models that behave as the SDK's dict-backed ones (``AbsentKeysRaise``), by wire key.
    _sdk_absent: ClassVar[Mapping[str, str]] = {}
    #: How an unknown attribute is reported: the SDK's Task omits the quotes around the name.
    _sdk_missing: ClassVar[str] = "{cls!r} object has no attribute {name!r}"

    def _bind(self, client: Any) -> None:
        """Attach the client whose methods the helpers call (a sync twin unwraps its own)."""
        self._client = client

    def as_dict(self) -> dict[str, Any]:
        """The whole JSON object as the server sent it, as a deep copy: fields share their
        values with the model's JSON, but changing what this returns changes nothing."""
        return copy.deepcopy(self._raw)

    def _update_from(self, other: Model) -> None:
        """Take every field of ``other`` (a fresher copy of the same resource) in place."""
        for field in attrs.fields(type(other)):
            if field.name != "_client":
                setattr(self, field.name, getattr(other, field.name))

    if not TYPE_CHECKING:
        # At run time any top-level key reads as an attribute; type checkers see only the
        # documented fields, so a typo in typed code is still caught.
        def __getattr__(self, name: str) -> Any:
            if name.startswith("_"):
                raise AttributeError(name)
            try:
                return self._raw[name]
            except KeyError:
                message = self._sdk_missing.format(cls=type(self).__name__, name=name)
                raise AttributeError(message) from None


def absent_keys(
    cls: type[Model], *, always: frozenset[str] = frozenset(), only: frozenset[str] | None = None
) -> dict[str, str]:
    """Every public field of ``cls`` but ``always`` (or just those in ``only``), by attribute
    name, with its JSON key."""
    return {
        f.name: f.metadata.get("wire", f.name)
        for f in attrs.fields(cls)
        if not f.name.startswith("_") and f.name not in always and (only is None or f.name in only)
    }


class _SentOrAbsent:
    """A field read as the SDK's dict-backed models read it: None from a key the server did
    not send is an AttributeError. It stands over the field's slot, which holds the value."""

    __slots__ = ("key", "name", "slot")

    def __init__(self, slot: Any, name: str, key: str) -> None:
        self.slot, self.name, self.key = slot, name, key

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        value = self.slot.__get__(obj, owner)
        if value is None and self.key not in obj._raw:
            raise AttributeError(self.name)  # __getattr__ words it, as for any absent key
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.slot.__delete__(obj)


class AbsentKeysRaise:
    """Mixin for models that must behave as the SDK's: a field the server did not send raises
    AttributeError (``hasattr(task, "tags")`` is False) instead of reading as None.

    Only the fields that can be absent (``_sdk_absent``) are read through a descriptor that
    checks; every other attribute (``task.task_id``) is read as on any slotted class.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        absent: Mapping[str, str] = getattr(cls, "_sdk_absent", {})
        for name, key in absent.items():
            slot = next((vars(k)[name] for k in cls.__mro__[1:] if name in vars(k)), None)
            if isinstance(slot, _SentOrAbsent):
                continue  # a base already reads it so
            if slot is not None and hasattr(slot, "__set__"):
                setattr(cls, name, _SentOrAbsent(slot, name, key))

    def __repr__(self) -> str:
        # attrs' own repr would trip over the absent fields; show them as None.
        fields = attrs.fields(type(self))  # type: ignore[arg-type]
        shown = ", ".join(f"{f.name}={_stored(self, f.name)!r}" for f in fields if f.repr)
        return f"{type(self).__name__}({shown})"


def _stored(obj: Any, name: str) -> Any:
    """What a field of ``obj`` holds, None for a key the server did not send."""
    for klass in type(obj).__mro__:
        found = vars(klass).get(name)
        if isinstance(found, _SentOrAbsent):
            return found.slot.__get__(obj, type(obj))
        if found is not None:
            break
    return getattr(obj, name)


_Built = TypeVar("_Built", bound=Model)
#: How ``cls(json, client)`` reads the JSON: installed by the serde, which stands on this
#: module (so this one cannot import it).
_readers: list[Callable[[Any, type[Any]], Any]] = []


def install_reader(reader: Callable[[Any, type[Any]], Any]) -> None:
    """Make ``reader(json, cls)`` what builds a model from JSON for ``cls(json, client)``."""
    _readers.append(reader)


def _from_json(cls: type[_Built], json: Any, client: Any = None) -> _Built:
    """``cls(json, client)`` as the SDK builds models; a missing required key is a KeyError."""
    if not isinstance(json, dict):
        raise TypeError(f"{cls.__name__}(json, client) needs a dict, got {type(json).__name__}")
    for field in attrs.fields(cls):
        required = field.default is attrs.NOTHING and not field.name.startswith("_")
        if required and field.metadata.get("wire", field.name) not in json:
            raise KeyError(field.metadata.get("wire", field.name))
    obj: _Built = _readers[-1](json, cls)
    obj._bind(client)
    return obj


E = TypeVar("E", bound=Enum)


class _ValueEnumType(EnumMeta):
    """``in`` as for a plain Enum on every Python, except that pseudo-members are not in."""

    def __contains__(cls, value: object) -> bool:
        if isinstance(value, cls):
            # Python 3.12+ would answer True for any instance, pseudo-members included.
            return cls._member_map_.get(value._name_) is value
        return super().__contains__(value)  # type: ignore[operator]  # typeshed: Enum only


class ValueEnum(str, Enum, metaclass=_ValueEnumType):
    """A string enum that prints as its value on every Python, as the SDK's plain strings do.

    ``print(task.status)``, ``f"{task.type}"`` and ``"%s" % status`` give ``completed``,
    where Python 3.11+ would give ``TaskStatus.Completed`` for a ``str, Enum`` mixin.
    Iteration and membership are the declared members only; values the server adds later
    become pseudo-members (``tolerant``), so a field is always of its enum type.
    """

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(str.__str__(self), format_spec)

    def __reduce_ex__(self, protocol: Any) -> Any:
        return tolerant, (type(self), str.__str__(self))


_pseudo_members: dict[tuple[type, str], Any] = {}
_PSEUDO_LIMIT = 1024


def tolerant(enum_cls: type[E], value: Any) -> E:
    """``value`` as a member of ``enum_cls``; a value it lacks becomes a pseudo-member.

    A pseudo-member is an instance of the enum (equal to its string, named after it) that
    iteration and ``in`` do not list, so new server values neither fail a parse nor change
    what ``list(TaskStatus)`` gives. Enums that do not mix in ``str`` refuse unknown values.
    """
    try:
        return enum_cls(value)
    except ValueError:
        if not (issubclass(enum_cls, str) and isinstance(value, str | int | float)):
            raise
    text = str(value)
    member = _pseudo_members.get((enum_cls, text))
    if member is None:
        member = str.__new__(enum_cls, text)
        member._name_ = text
        member._value_ = text
        if len(_pseudo_members) < _PSEUDO_LIMIT:
            _pseudo_members[(enum_cls, text)] = member
    return member
