"""``str_or``: the ``str | X`` fields the converter reads with a rule of their own."""

from __future__ import annotations

from enum import Enum
from typing import Any, Optional, Union

import pytest

from scale_async._engine.model import Model
from scale_async._engine.serde import str_or
from scale_async.v2 import Project, TaskStatus


class _Colour(str, Enum):
    RED = "red"


@pytest.mark.parametrize(
    ("tp", "base", "found"),
    [
        (_Colour | str, Enum, _Colour),
        (str | _Colour | None, Enum, _Colour),
        (Optional[Union[TaskStatus, str]], Enum, TaskStatus),  # noqa: UP007, UP045
        (str | Project | None, Model, Project),
        (str | Project, Enum, None),
        (_Colour | None, Enum, None),
        (_Colour | int, Enum, None),
        (_Colour | TaskStatus | str, Enum, None),
        (list[str], Model, None),
        (str, Enum, None),
    ],
)
def test_the_one_base_subclass_beside_str(tp: Any, base: type, found: type | None) -> None:
    assert str_or(tp, base) is found
