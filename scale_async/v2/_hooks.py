"""What the v2 models need from the one converter beyond v1's rules, registered on it once.

v2 responses hold references that are an id or, when expanded, the whole object
(``project: "p_1"`` or ``project: {...}``): a ``str | Model`` field takes either.

Times are ISO-8601 strings, read as aware datetimes (``Timestamp``, a ``datetime`` to every
reader). A listing carries two per task, so the common shape takes the C parser; anything
else goes to the package's own ISO-8601 parser, the one NGA's models use. The plain
``datetime`` rule of the converter is left to NGA's models.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, NewType

from .._engine.model import Model
from .._engine.serde import converter, register_str_or
from .._engine.times import parse_datetime

__all__ = ["Timestamp", "parse_timestamp"]

#: A time from a v2 response: an aware ``datetime``.
Timestamp = NewType("Timestamp", datetime)


def _reference(model: type[Model], value: Any) -> Any:
    return value if isinstance(value, str) else converter.structure(value, model)


register_str_or(Model, _reference)


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
