"""``operation``: one signature written once, serving several public methods."""

from __future__ import annotations

import inspect
from typing import Any, Generic, TypeVar

import attrs
import pytest

from scale_async.v2 import AsyncV2Client
from scale_async.v2._base import operation
from scale_async.v2._wire import arguments

M = TypeVar("M")


@attrs.frozen
class _Fixed(Generic[M]):
    name: str
    answer: type[M]


class _Answer:
    pass


class _Owner:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []

    async def _on(self, fixed: _Fixed[M], /, thing: str, *, times: int = 1) -> M:
        """Not what the operations say."""
        self.calls.append((fixed.name, thing, times))
        return fixed.answer()

    first = operation(_on, _Fixed("first", _Answer), "The first operation.")
    second = operation(_on, _Fixed("second", int), "The second operation.")

    async def _plain(self, fixed: _Fixed[int], /, value: int = 2) -> str:
        return f"{fixed.name}:{value}"

    third = operation(_plain, _Fixed("third", int), "The third.")


def test_the_operation_shows_the_shared_parameters_without_the_fixed_one() -> None:
    signature = inspect.signature(_Owner.first)
    assert list(signature.parameters) == ["self", "thing", "times"]
    self_param = signature.parameters["self"]
    assert self_param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert signature.parameters["times"].kind is inspect.Parameter.KEYWORD_ONLY
    assert signature.parameters["times"].default == 1
    assert list(inspect.signature(_Owner().first).parameters) == ["thing", "times"]


def test_a_type_variable_return_reads_as_the_fixed_answer() -> None:
    assert inspect.signature(_Owner.first).return_annotation == "_Answer"
    assert inspect.signature(_Owner.second).return_annotation == "int"
    assert inspect.signature(_Owner.third).return_annotation == "str"


def test_each_operation_has_its_own_docstring_and_module() -> None:
    assert inspect.getdoc(_Owner.first) == "The first operation."
    assert inspect.getdoc(_Owner.second) == "The second operation."
    assert _Owner.first.__module__ == __name__
    assert inspect.iscoroutinefunction(_Owner.first)


@pytest.mark.anyio
async def test_the_call_passes_the_fixed_argument_and_the_rest_on() -> None:
    owner = _Owner()
    assert isinstance(await owner.first("x", times=3), _Answer)
    assert await owner.second(thing="y") == 0
    assert owner.calls == [("first", "x", 3), ("second", "y", 1)]
    assert await owner.third() == "third:2"
    with pytest.raises(TypeError):
        await owner.first("x", 3)  # type: ignore[call-arg]


def test_arguments_leave_out_self_and_the_named_options() -> None:
    def method(self: object, a: int, b: str | None = None, *, prefetch: int = 2) -> dict[str, Any]:
        return arguments(locals(), "prefetch")

    assert method(object(), 1, prefetch=5) == {"a": 1, "b": None}


def test_the_client_names_its_operations_as_defs_are_named() -> None:
    assert AsyncV2Client.finalize_batch.__qualname__ == "V2Operations.finalize_batch"
    assert AsyncV2Client.cancel_batches.__name__ == "cancel_batches"
    assert AsyncV2Client.cancel_batches.__qualname__ == "V2Bulk.cancel_batches"
