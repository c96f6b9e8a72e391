"""The v6 Batch Services objects, typed.

Responses are read leniently, as every model of this package: unknown keys stay in the raw
JSON. What callers send is checked in ``_outgoing``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

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


# ISO-8601 is the only JSON spelling of these two types, so the hooks sit on the one converter.
converter.register_structure_hook(timedelta, lambda value, _: parse_duration(value))


converter.register_structure_hook(datetime, lambda value, _: parse_datetime(value))


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
