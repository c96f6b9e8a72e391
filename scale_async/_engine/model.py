"""The base of every response model: typed fields, the raw JSON kept whole, bound to a client."""

from __future__ import annotations

import copy
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

__all__ = ["Model", "tolerant", "wire"]


M = TypeVar("M", bound="Model")


def wire(name: str) -> dict[str, str]:
    """Field metadata naming the JSON key when it differs from the attribute (``firstName``)."""
    return {"wire": name}


@attrs.define(kw_only=True, eq=False)
class Model:
    """Typed view of one JSON object from the API.

    Fields the API documents are typed attributes (None when the server left them out);
    everything the server sent, known or not, stays in the raw JSON that ``as_dict()`` returns,
    and any top-level key is readable as an attribute, as with the official SDK. Objects
    compare and hash by identity, as the SDK's do.
    """

    _raw: dict[str, Any] = attrs.field(factory=dict, repr=False)
    _client: Any = attrs.field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The whole JSON object as the server sent it (a copy: changing it changes nothing)."""
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
                raise AttributeError(
                    f"{type(self).__name__!r} object has no attribute {name!r}"
                ) from None


E = TypeVar("E", bound=Enum)


def tolerant(enum_cls: type[E], value: Any) -> E | str:
    """``value`` as a member of ``enum_cls``, or as a plain string if the enum lacks it."""
    try:
        return enum_cls(value)
    except ValueError:
        return str(value)
