"""The v6 Batch Services objects, typed; and the checks the JSON schemas would make.

Responses are read leniently, as every model of this package: unknown keys stay in the raw
JSON. The batch definition and configuration are also what callers send, and there NGA's
schemas say ``additionalProperties: false``: a misspelt key would only come back as a 400
(or, inside ``forced_nodes``, a 500), so ``definition_json`` and ``configuration_json`` refuse
it first, naming the key.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import attrs

from .._engine.model import Model, wire
from .._engine.serde import converter
from ._wire import parse_datetime, parse_duration

__all__ = [
    "BatchComparison",
    "BatchConfiguration",
    "BatchDefinition",
    "BatchDetails",
    "BatchListItem",
    "BatchPage",
    "BatchRef",
    "ComparisonMetrics",
    "ForcedNodes",
    "InputMapping",
    "JobComparisonMetrics",
    "JobMetrics",
    "PreviousBatch",
    "PreviousBatchInfo",
    "RecipeTypeRef",
    "RecipeTypeRevision",
    "TriggerEvent",
    "ValidationItem",
    "ValidationResult",
]

M = TypeVar("M", bound=Model)

# ISO-8601 is the only JSON spelling of these two types, so the hooks sit on the one converter.
converter.register_structure_hook(timedelta, lambda value, _: parse_duration(value))
converter.register_structure_hook(datetime, lambda value, _: parse_datetime(value))


# -- what callers send (and what batch details echo back) ------------------------------------


@attrs.define(kw_only=True, eq=False)
class ForcedNodes(Model):
    """Recipe nodes to re-process even when nothing about them changed.

    ``all`` forces every node; otherwise ``nodes`` names jobs and ``sub_recipes`` maps a
    sub-recipe node to its own ``ForcedNodes``.
    """

    all: bool
    nodes: list[str] | None = None
    sub_recipes: dict[str, ForcedNodes] | None = None
    version: str | None = None


@attrs.define(kw_only=True, eq=False)
class PreviousBatch(Model):
    """Re-process the recipes of the latest batch of the chain rooted at ``root_batch_id``."""

    root_batch_id: int
    forced_nodes: ForcedNodes | None = None


@attrs.define(kw_only=True, eq=False)
class BatchDefinition(Model):
    """What a batch runs: the recipes of a ``dataset``, or those of a ``previous_batch``.

    ``supersedes`` (the server's default is true) makes the new recipes supersede the old.
    Batches created before v6 report an empty definition.
    """

    version: str | None = None
    supersedes: bool | None = None
    dataset: int | None = None
    forced_nodes: ForcedNodes | None = None
    previous_batch: PreviousBatch | None = None


@attrs.define(kw_only=True, eq=False)
class InputMapping(Model):
    """Feeds the dataset parameter ``dataset_parameter`` to the recipe input ``input``."""

    input: str
    dataset_parameter: str = attrs.field(metadata=wire("datasetParameter"))


@attrs.define(kw_only=True, eq=False)
class BatchConfiguration(Model):
    """How the batch's jobs run: their ``priority``, and the recipe inputs' dataset sources."""

    version: str | None = None
    priority: int | None = None
    input_map: list[InputMapping] | None = attrs.field(
        default=None, metadata={**wire("inputMap"), "min_items": 1}
    )


# -- what the server answers -----------------------------------------------------------------


@attrs.define(kw_only=True, eq=False)
class RecipeTypeRef(Model):
    """The recipe type of a batch (list items carry all of it, a revision only the id)."""

    id: int
    name: str | None = None
    title: str | None = None
    description: str | None = None
    revision_num: int | None = None


@attrs.define(kw_only=True, eq=False)
class RecipeTypeRevision(Model):
    """The revision of the recipe type the batch's recipes were created from."""

    id: int
    recipe_type: RecipeTypeRef
    revision_num: int | None = None
    created: datetime | None = None


@attrs.define(kw_only=True, eq=False)
class TriggerEvent(Model):
    """The event that created the batch: ``USER`` for batches created through the API."""

    id: int
    type: str | None = None
    occurred: datetime | None = None
    description: dict[str, Any] | None = None


@attrs.define(kw_only=True, eq=False)
class BatchRef(Model):
    """Another batch, named by a batch (root, superseded) or by a comparison."""

    id: int
    title: str | None = None
    description: str | None = None
    created: datetime | None = None


@attrs.define(kw_only=True, eq=False)
class BatchListItem(Model):
    """A batch as ``GET /v6/batches/`` lists it: identity, chain, progress counts.

    ``root_batch`` is the first batch of the chain (the batch itself when it has no previous
    batch); ``superseded_batch`` the one this batch re-processed.
    """

    id: int
    title: str | None = None
    description: str | None = None
    created: datetime
    recipe_type: RecipeTypeRef
    recipe_type_rev: RecipeTypeRevision
    event: TriggerEvent | None = None
    is_superseded: bool
    root_batch: BatchRef | None = None
    superseded_batch: BatchRef | None = None
    is_creation_done: bool
    jobs_total: int
    jobs_pending: int
    jobs_blocked: int
    jobs_queued: int
    jobs_running: int
    jobs_failed: int
    jobs_completed: int
    jobs_canceled: int
    recipes_estimated: int
    recipes_total: int
    recipes_completed: int
    superseded: datetime | None = None
    last_modified: datetime


@attrs.define(kw_only=True, eq=False)
class JobMetrics(Model):
    """Counts and durations of one top-level job of a batch's recipes (None until known)."""

    jobs_total: int
    jobs_pending: int
    jobs_blocked: int
    jobs_queued: int
    jobs_running: int
    jobs_failed: int
    jobs_completed: int
    jobs_canceled: int
    min_seed_duration: timedelta | None = None
    avg_seed_duration: timedelta | None = None
    max_seed_duration: timedelta | None = None
    min_job_duration: timedelta | None = None
    avg_job_duration: timedelta | None = None
    max_job_duration: timedelta | None = None


@attrs.define(kw_only=True, eq=False)
class BatchDetails(BatchListItem):
    """One batch in full: the list item plus its definition, configuration and job metrics."""

    definition: BatchDefinition | None = None
    configuration: BatchConfiguration | None = None
    job_metrics: dict[str, JobMetrics] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class BatchPage:
    """One page of ``GET /v6/batches/``: its batches, and where the page sits.

    ``count`` is the server's count of all the batches that match; ``next_url`` and
    ``previous_url`` are its absolute links, None at either end. The page iterates, indexes
    and sizes as the list of its batches.
    """

    results: list[BatchListItem]
    count: int
    page: int
    page_size: int
    next_url: str | None = None
    previous_url: str | None = None

    @property
    def has_more(self) -> bool:
        """Whether a later page exists."""
        return self.next_url is not None

    @property
    def pages(self) -> int:
        """How many pages the listing has at this page size."""
        return -(-self.count // self.page_size)

    def __iter__(self) -> Iterator[BatchListItem]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, index: int) -> BatchListItem:
        return self.results[index]


@attrs.define(kw_only=True, eq=False)
class ValidationItem(Model):
    """One error or warning of a validation: a stable ``name`` and a readable description."""

    name: str
    description: str = ""


@attrs.define(kw_only=True, eq=False)
class PreviousBatchInfo(Model):
    """The previous batch a definition would re-process, and the recipe diff when computed."""

    recipe_type_rev: RecipeTypeRevision | None = None
    diff: dict[str, Any] | None = None


def _by_name(items: list[ValidationItem]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in items:
        found.setdefault(item.name, []).append(item.description)
    return found


@attrs.define(kw_only=True, eq=False)
class ValidationResult(Model):
    """Whether creating the batch would succeed, and why not.

    Error names are stable (``PREV_BATCH_NOT_FOUND``, ``INVALID_BATCH_DEFINITION``...), so
    code tests ``"NO_RECIPES" in result.errors_by_name`` rather than parsing descriptions.
    """

    is_valid: bool
    errors: list[ValidationItem] = attrs.field(factory=list)
    warnings: list[ValidationItem] = attrs.field(factory=list)
    recipes_estimated: int | None = None
    recipe_type: RecipeTypeRef | None = None
    prev_batch: PreviousBatchInfo | None = None

    @property
    def errors_by_name(self) -> dict[str, list[str]]:
        """Error descriptions grouped by error name."""
        return _by_name(self.errors)

    @property
    def warnings_by_name(self) -> dict[str, list[str]]:
        """Warning descriptions grouped by warning name."""
        return _by_name(self.warnings)


@attrs.define(kw_only=True, eq=False)
class _JobCountArrays(Model):
    """The eight job counts, one entry per batch of a chain (None where there is none)."""

    jobs_total: list[int | None]
    jobs_pending: list[int | None]
    jobs_blocked: list[int | None]
    jobs_queued: list[int | None]
    jobs_running: list[int | None]
    jobs_failed: list[int | None]
    jobs_completed: list[int | None]
    jobs_canceled: list[int | None]


@attrs.define(kw_only=True, eq=False)
class JobComparisonMetrics(_JobCountArrays):
    """``JobMetrics`` of one job across a chain: one entry per batch, None where it did not run."""

    min_seed_duration: list[timedelta | None]
    avg_seed_duration: list[timedelta | None]
    max_seed_duration: list[timedelta | None]
    min_job_duration: list[timedelta | None]
    avg_job_duration: list[timedelta | None]
    max_job_duration: list[timedelta | None]


@attrs.define(kw_only=True, eq=False)
class ComparisonMetrics(_JobCountArrays):
    """A chain's batch counts as arrays aligned with ``BatchComparison.batches``."""

    recipes_estimated: list[int | None]
    recipes_total: list[int | None]
    recipes_completed: list[int | None]
    job_metrics: dict[str, JobComparisonMetrics] = attrs.field(factory=dict)


@attrs.define(kw_only=True, eq=False)
class BatchComparison(Model):
    """The batches of one chain, oldest first, with their metrics side by side.

    Index ``i`` of every metric array belongs to ``batches[i]``; an unknown root gives
    empty arrays rather than a 404.
    """

    batches: list[BatchRef]
    metrics: ComparisonMetrics

    def column(self, batch_id: int) -> int:
        """The index of ``batch_id`` in the metric arrays (``ValueError`` if not in the chain)."""
        for index, batch in enumerate(self.batches):
            if batch.id == batch_id:
                return index
        raise ValueError(f"batch {batch_id} is not in this comparison")


# -- to the wire, and the schema's checks ----------------------------------------------------


def to_wire(value: Any) -> Any:
    """A model as the JSON it stands for: wire names, unset (None) fields left out."""
    if isinstance(value, Model):
        out: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if not field.name.startswith("_") and item is not None:
                out[field.metadata.get("wire", field.name)] = to_wire(item)
        return out
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    if isinstance(value, Mapping):
        return {key: to_wire(item) for key, item in value.items()}
    return value


_JSON_TYPES: dict[type, str] = {bool: "a boolean", int: "an integer", str: "a string"}


def _check_value(tp: Any, value: Any, where: str, min_items: int = 0) -> None:
    """Check one JSON value against a field annotation, as the JSON schema would."""
    if get_origin(tp) in (Union, types.UnionType):
        (tp,) = (arg for arg in get_args(tp) if arg is not type(None))
    origin = get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, Model):
        check_json(tp, value, where)
    elif origin is list:
        if not isinstance(value, list):
            raise ValueError(f"{where} must be a list, got {value!r}")
        if len(value) < min_items:
            raise ValueError(f"{where} must hold at least {min_items} item(s)")
        for index, item in enumerate(value):
            _check_value(get_args(tp)[0], item, f"{where}[{index}]")
    elif origin is dict:
        if not isinstance(value, Mapping):
            raise ValueError(f"{where} must be an object, got {value!r}")
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where} keys must be strings, got {key!r}")
            _check_value(get_args(tp)[1], item, f"{where}.{key}")
    elif tp in _JSON_TYPES:
        wrong_bool = tp is int and isinstance(value, bool)
        if wrong_bool or not isinstance(value, tp):
            raise ValueError(f"{where} must be {_JSON_TYPES[tp]}, got {value!r}")


def check_json(cls: type[Model], data: Any, where: str) -> None:
    """Check ``data`` against ``cls`` read as a strict JSON schema: no unknown keys,
    every required key present, each value of the right JSON type (``null`` is not).
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"{where} must be a {cls.__name__} or a dict, got {data!r}")
    fields = {
        field.metadata.get("wire", field.name): field
        for field in attrs.fields(cls)
        if not field.name.startswith("_")
    }
    for key in data:
        if key not in fields:
            close = difflib.get_close_matches(str(key), fields, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"{where} has an unknown key {key!r}{hint} (allowed: {', '.join(sorted(fields))})"
            )
    hints = get_type_hints(cls)
    for key, field in fields.items():
        if key in data:
            _check_value(
                hints[field.name], data[key], f"{where}.{key}", field.metadata.get("min_items", 0)
            )
        elif field.default is attrs.NOTHING:
            raise ValueError(f"{where} lacks the required key {key!r}")


def _checked(cls: type[M], value: M | Mapping[str, Any], where: str) -> dict[str, Any]:
    if isinstance(value, Model) and not isinstance(value, cls):
        raise ValueError(f"{where} must be a {cls.__name__} or a dict, got {value!r}")
    data = to_wire(value)
    check_json(cls, data, where)
    return data  # type: ignore[no-any-return]


def definition_json(value: BatchDefinition | Mapping[str, Any]) -> dict[str, Any]:
    """The definition to send, checked against the v6 schema (``ValueError`` otherwise)."""
    return _checked(BatchDefinition, value, "definition")


def configuration_json(value: BatchConfiguration | Mapping[str, Any]) -> dict[str, Any]:
    """The configuration to send, checked against the v6 schema (``ValueError`` otherwise)."""
    return _checked(BatchConfiguration, value, "configuration")
