"""What the v2 models need from the one converter beyond v1's rules, registered on it once.

v2 responses hold references that are an id or, when expanded, the whole object
(``project: "p_1"`` or ``project: {...}``): a ``str | Model`` field takes either.

Times are ISO-8601 strings, read as aware datetimes (``Timestamp``, a ``datetime`` to every
reader). A listing carries two per task, so the common shape takes the C parser; anything
else goes to the package's own ISO-8601 parser, the one NGA's models use. The plain
``datetime`` rule of the converter is left to NGA's models.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, NewType, Union, get_args, get_origin

from .._engine.model import Model
from .._engine.serde import converter
from .._engine.times import parse_datetime

__all__ = ["Timestamp", "id_or_model", "parse_timestamp"]

#: A time from a v2 response: an aware ``datetime``.
Timestamp = NewType("Timestamp", datetime)


def id_or_model(tp: Any) -> type[Model] | None:
    """The model in ``str | M`` (optionally ``| None``), the shape of an expandable reference."""
    if get_origin(tp) not in (Union, types.UnionType):
        return None
    args = [a for a in get_args(tp) if a is not type(None)]
    models = [a for a in args if isinstance(a, type) and issubclass(a, Model)]
    if len(args) == 2 and str in args and len(models) == 1:
        return models[0]
    return None


def _make_reference_hook(tp: Any) -> Callable[[Any, Any], Any]:
    model = id_or_model(tp)
    assert model is not None

    def hook(value: Any, _: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return converter.structure(value, model)

    return hook


converter.register_structure_hook_factory(
    lambda t: id_or_model(t) is not None, _make_reference_hook
)


def parse_timestamp(value: Any) -> Timestamp:
    """An ISO-8601 time as an aware datetime (UTC when it names no zone)."""
    if isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value[:-1] + "+00:00" if value[-1] in "Zz" else value)
        except ValueError:
            pass
        else:
            return Timestamp(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))
    return Timestamp(parse_datetime(value))


converter.register_structure_hook(Timestamp, lambda value, _: parse_timestamp(value))
