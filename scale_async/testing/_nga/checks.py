"""Reading a request body the way the fake NGA Scale's views do, and what a validation finds."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import NGAError

if TYPE_CHECKING:
    from .catalog import RecipeType
    from .world import Batch

__all__ = ["Checked", "Verdict", "dict_param", "int_param", "str_param"]


@dataclass
class Checked:
    """A body that passed the parameter parsing of the create and validation views."""

    recipe_type: RecipeType
    definition: dict[str, Any]
    configuration: dict[str, Any]
    title: str | None
    description: str | None


@dataclass
class Verdict:
    """What validating a definition found: the previous batch, the recipes, the errors."""

    errors: list[tuple[str, str]] = field(default_factory=list)
    previous: Batch | None = None
    recipes: int = 0
    schema_failed: bool = False


def int_param(body: Mapping[str, Any], name: str) -> int:
    if name not in body or body[name] is None:
        raise NGAError(400, f'Missing required parameter: "{name}"')
    value = body[name]
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise NGAError(400, f'Parameter must be a valid integer: "{name}"')
    return value


def dict_param(body: Mapping[str, Any], name: str, *, required: bool) -> dict[str, Any]:
    if name not in body or body[name] is None:
        if required:
            raise NGAError(400, f'Missing required parameter: "{name}"')
        return {}
    if not isinstance(body[name], dict):
        raise NGAError(400, f'Parameter must be a valid JSON object: "{name}"')
    return copy.deepcopy(body[name])


def str_param(body: Mapping[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise NGAError(400, f'Parameter must be a string: "{name}"')
    return value
