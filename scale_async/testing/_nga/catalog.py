"""What the fake NGA Scale knows before any request: its recipe types and datasets, and the
jsonschema-style checks of a recipe type's definition and configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._clock import format_ms

__all__ = [
    "CONFIGURATION",
    "DEFINITION",
    "Dataset",
    "FORCED_NODES",
    "RecipeType",
    "SEED_DATASETS",
    "SEED_RECIPE_TYPES",
    "SUPPORTED_VERSIONS",
    "Schema",
    "schema_error",
]


Schema = dict[str, Any]


FORCED_NODES: Schema = {
    "type": "object",
    "required": ["all"],
    "properties": {
        "all": {"type": "boolean"},
        "nodes": {"type": "array", "items": {"type": "string"}},
        "sub_recipes": {"type": "object", "values": "forced_nodes"},
        "version": {"type": "string"},
    },
}


DEFINITION: Schema = {
    "type": "object",
    "properties": {
        "version": {"type": "string"},
        "supersedes": {"type": "boolean"},
        "dataset": {"type": "integer"},
        "forced_nodes": "forced_nodes",
        "previous_batch": {
            "type": "object",
            "required": ["root_batch_id"],
            "properties": {"root_batch_id": {"type": "integer"}, "forced_nodes": "forced_nodes"},
        },
    },
}


CONFIGURATION: Schema = {
    "type": "object",
    "properties": {
        "version": {"type": "string"},
        "priority": {"type": "integer"},
        "inputMap": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["input", "datasetParameter"],
                "properties": {
                    "input": {"type": "string"},
                    "datasetParameter": {"type": "string"},
                },
            },
        },
    },
}


_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
}


@dataclass(frozen=True)
class RecipeType:
    """A recipe type at its latest revision: inputs, top-level jobs and sub-recipe nodes."""

    id: int
    name: str
    title: str
    description: str
    revision_num: int
    revision_id: int
    inputs: tuple[str, ...]
    jobs: tuple[str, ...]
    sub_recipes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The recipe type as batches embed it."""
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "revision_num": self.revision_num,
        }

    def revision_json(self, *, expanded: bool, created_ms: int = 0) -> dict[str, Any]:
        """The revision: ``{id, recipe_type: {id}, revision_num}``, or expanded in details."""
        if not expanded:
            return {
                "id": self.revision_id,
                "recipe_type": {"id": self.id},
                "revision_num": self.revision_num,
            }
        return {
            "id": self.revision_id,
            "recipe_type": self.to_json(),
            "revision_num": self.revision_num,
            "created": format_ms(created_ms),
        }


@dataclass(frozen=True)
class Dataset:
    """A dataset: its parameter names and how many members (one recipe each) it holds."""

    id: int
    title: str
    parameters: tuple[str, ...]
    members: int


SEED_RECIPE_TYPES = (
    RecipeType(
        208,
        "my-recipe-type",
        "My Recipe Type",
        "My Recipe Type Description",
        1,
        4,
        inputs=("INPUT_FILE",),
        jobs=("job_a", "job_b"),
        sub_recipes=("recipe_a",),
    ),
    RecipeType(
        209,
        "landsat-ndvi",
        "Landsat NDVI",
        "Vegetation index from Landsat scenes",
        3,
        7,
        inputs=("SCENE",),
        jobs=("ingest", "ndvi", "publish"),
    ),
    RecipeType(
        210,
        "sar-detect",
        "SAR Detection",
        "Ship detection on SAR images",
        2,
        9,
        inputs=("IMAGE",),
        jobs=("detect",),
    ),
)


SEED_DATASETS = (
    Dataset(1, "Sample images", ("INPUT_FILE",), 3),
    Dataset(2, "Landsat scenes", ("SCENE",), 5),
    Dataset(3, "Named files", ("NAME_FILE",), 2),
    Dataset(4, "Empty", ("INPUT_FILE",), 0),
)


SUPPORTED_VERSIONS = ("6", "7")


def schema_error(schema: Schema | str, value: Any) -> str | None:
    """The first jsonschema complaint about ``value`` (``additionalProperties: false``)."""
    if schema == "forced_nodes":
        schema = FORCED_NODES
    assert isinstance(schema, dict)
    kind = schema["type"]
    if not _TYPES[kind](value):
        return f"{value!r} is not of type {kind!r}"
    if kind == "array":
        if len(value) < schema.get("minItems", 0):
            return f"{value!r} is too short"
        return next(filter(None, (schema_error(schema["items"], v) for v in value)), None)
    if kind != "object":
        return None
    if "values" in schema:
        return next(filter(None, (schema_error(schema["values"], v) for v in value.values())), None)
    unexpected = [key for key in value if key not in schema["properties"]]
    if unexpected:
        listed = ", ".join(repr(key) for key in unexpected)
        verb = "were" if len(unexpected) > 1 else "was"
        return f"Additional properties are not allowed ({listed} {verb} unexpected)"
    for key in schema.get("required", ()):
        if key not in value:
            return f"{key!r} is a required property"
    for key, item in value.items():
        problem = schema_error(schema["properties"][key], item)
        if problem:
            return problem
    return None
