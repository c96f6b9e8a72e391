"""Models read as the SDK's dict-backed ones: fields the server did not send raise."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from scale_async._engine.model import AbsentKeysRaise, Model, _SentOrAbsent, absent_keys
from scale_async._engine.serde import structure


@attrs.define(kw_only=True, eq=False)
class _Fields(Model):
    ident: str
    note: str | None = None
    size: int | None = attrs.field(default=None, metadata={"wire": "sizeOnWire"})
    kept: str | None = None


_Fields._sdk_absent = absent_keys(_Fields, always=frozenset({"ident", "kept"}))


@attrs.define(kw_only=True, eq=False, repr=False)
class _SdkLike(AbsentKeysRaise, _Fields):
    pass


@attrs.define(kw_only=True, eq=False, repr=False)
class _Deeper(_SdkLike):
    pass


def _built(data: dict[str, Any]) -> Any:
    return structure(data, _SdkLike)


def test_a_key_not_sent_raises_and_one_sent_as_null_reads_none() -> None:
    obj = _built({"ident": "a", "sizeOnWire": None})
    assert not hasattr(obj, "note")
    with pytest.raises(AttributeError, match="note"):
        _ = obj.note
    assert obj.size is None  # sent, as null: present, under its wire name
    assert obj.kept is None  # not one of the checked fields: None as on any model
    assert obj.ident == "a"


def test_only_the_fields_that_can_be_absent_are_read_through_a_check() -> None:
    assert isinstance(vars(_SdkLike)["note"], _SentOrAbsent)
    assert "ident" not in vars(_SdkLike)
    assert "kept" not in vars(_SdkLike)
    assert not any(isinstance(v, _SentOrAbsent) for v in vars(_Deeper).values())
    deeper = structure({"ident": "a"}, _Deeper)
    assert not hasattr(deeper, "note")


def test_a_field_set_later_reads_its_value() -> None:
    obj = _built({"ident": "a"})
    obj.note = "written"
    assert obj.note == "written"
    del obj.note
    assert not hasattr(obj, "note")


def test_repr_shows_absent_fields_as_none() -> None:
    obj = _built({"ident": "a", "note": "n"})
    assert repr(obj) == "_SdkLike(ident='a', note='n', size=None, kept=None)"
