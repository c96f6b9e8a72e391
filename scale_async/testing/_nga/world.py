"""The in-memory world of the fake NGA Scale: recipe types, datasets and batches. No I/O here.

It follows ``ngageoint/scale``'s batch views (§8 of the API reference): DRF's ``{"detail"}``
errors, jsonschema-style checks of the definition and configuration, the ``previous_batch``
chain with superseding, validation error names, and comparison arrays with ``null`` fill.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._clock import FakeClock, Now, format_ms
from .catalog import (
    CONFIGURATION,
    DEFINITION,
    SEED_DATASETS,
    SEED_RECIPE_TYPES,
    SUPPORTED_VERSIONS,
    RecipeType,
    schema_error,
)
from .checks import Checked, Verdict, dict_param, int_param, str_param
from .errors import NOT_FOUND, NGAError, ServerCrash
from .metrics import DURATIONS, JOB_COUNTS, RECIPE_COUNTS, iso_duration

__all__ = ["Batch", "NGAWorld"]


@dataclass
class Batch:
    """A batch as stored; ``list_json``/``details_json`` render the v6 serializers."""

    id: int
    title: str | None
    description: str | None
    recipe_type: RecipeType
    event_id: int
    definition: dict[str, Any]
    configuration: dict[str, Any]
    created_ms: int
    last_modified_ms: int
    root_id: int
    recipes: int
    superseded_batch_id: int | None = None
    is_superseded: bool = False
    superseded_ms: int | None = None
    is_creation_done: bool = True
    legacy: bool = False

    @property
    def recipes_estimated(self) -> int:
        """Recipes including sub-recipes."""
        return self.recipes * (1 + len(self.recipe_type.sub_recipes))

    def job_metrics(self) -> dict[str, dict[str, Any]]:
        """Per top-level job: counts and ISO-8601 durations (none until recipes exist)."""
        if not self.is_creation_done:
            return {}
        out: dict[str, dict[str, Any]] = {}
        for index, job in enumerate(self.recipe_type.jobs):
            seed = 9 * 60 + 2 + 7 * index + self.id % 5
            counts: dict[str, Any] = dict.fromkeys(JOB_COUNTS, 0)
            counts.update(jobs_total=self.recipes, jobs_completed=self.recipes)
            stats = {"seed": seed, "job": seed + 48}
            for kind, low in stats.items():
                known = self.recipes > 0
                counts[f"min_{kind}_duration"] = iso_duration(low) if known else None
                counts[f"avg_{kind}_duration"] = iso_duration(low + 70) if known else None
                counts[f"max_{kind}_duration"] = iso_duration(low + 403) if known else None
            out[job] = counts
        return out

    def counts(self) -> dict[str, int]:
        """Batch-wide job and recipe counts."""
        metrics = self.job_metrics().values()
        out = {name: sum(m[name] for m in metrics) for name in JOB_COUNTS}
        out["recipes_estimated"] = self.recipes_estimated
        out["recipes_total"] = self.recipes_estimated if self.is_creation_done else 0
        out["recipes_completed"] = out["recipes_total"]
        return out

    def ref_json(self) -> dict[str, Any]:
        """``{id, title, description, created}``, how batches name each other."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "created": format_ms(self.created_ms),
        }


class NGAWorld:
    """Recipe types and datasets (seeded) and the batches created through the API."""

    def __init__(self, *, instant_creation: bool = True, now: Now | None = None) -> None:
        self.clock = FakeClock(now)
        self.instant_creation = instant_creation
        self.recipe_types = {rt.id: rt for rt in SEED_RECIPE_TYPES}
        self.datasets = {ds.id: ds for ds in SEED_DATASETS}
        self.batches: dict[int, Batch] = {}
        self._next_id = 1
        self._next_event = 4000

    # -- reading the bodies -------------------------------------------------------------

    def parse_body(self, body: Any, *, for_create: bool) -> Checked:
        """The view's parameter parsing; anything wrong is a 400 ``{"detail"}``."""
        data: Mapping[str, Any] = body if isinstance(body, dict) else {}
        title = str_param(data, "title") if for_create else None
        description = str_param(data, "description") if for_create else None
        recipe_type_id = int_param(data, "recipe_type_id")
        definition = dict_param(data, "definition", required=True)
        configuration = dict_param(data, "configuration", required=False)
        recipe_type = self.recipe_types.get(recipe_type_id)
        if recipe_type is None:
            raise NGAError(400, f"Unknown recipe type: {recipe_type_id}")
        return Checked(recipe_type, definition, configuration, title, description)

    # -- validation -------------------------------------------------------------------

    def validate(self, checked: Checked) -> Verdict:
        """Schema first (nothing else is checked then), then the definition's semantics."""
        verdict = Verdict()
        for name, schema, value in (
            ("INVALID_BATCH_DEFINITION", DEFINITION, checked.definition),
            ("INVALID_BATCH_CONFIGURATION", CONFIGURATION, checked.configuration),
        ):
            what = "definition" if schema is DEFINITION else "configuration"
            problem = schema_error(schema, value)
            if problem is None and value.get("version", "7") not in SUPPORTED_VERSIONS:
                problem = f"{value['version']} is an unsupported version number"
            elif problem is not None:
                problem = f"Invalid batch {what}: {problem}"
            if problem is not None:
                verdict.errors.append((name, problem))
                verdict.schema_failed = True
                return verdict
        self._semantics(checked, verdict)
        if not verdict.errors:
            self._check_forced_nodes(checked)
        return verdict

    def _semantics(self, checked: Checked, verdict: Verdict) -> None:
        definition = checked.definition
        previous = definition.get("previous_batch")
        if previous is not None:
            verdict.previous = self.latest_in_chain(previous["root_batch_id"])
            if verdict.previous is None:
                verdict.errors.append(("PREV_BATCH_NOT_FOUND", "No batch with that root ID exists"))
                return
            prev = verdict.previous
            if prev.recipe_type.id != checked.recipe_type.id:
                verdict.errors.append(
                    (
                        "MISMATCHED_RECIPE_TYPE",
                        "New batch and previous batch must have the same recipe type",
                    )
                )
            elif not prev.is_creation_done:
                verdict.errors.append(
                    (
                        "PREV_BATCH_STILL_CREATING",
                        "Previous batch must have completed creating all of its recipes",
                    )
                )
            elif prev.legacy:
                verdict.errors.append(
                    ("PREV_BATCH_NO_REPROCESS", "Previous batch cannot be reprocessed")
                )
            else:
                verdict.recipes = prev.recipes
        if "dataset" in definition and not verdict.errors:
            self._dataset(checked, verdict)
        if not verdict.errors and verdict.recipes == 0:
            verdict.errors.append(
                ("NO_RECIPES", "Batch definition must result in creating at least one recipe")
            )

    def _dataset(self, checked: Checked, verdict: Verdict) -> None:
        # An unknown dataset has no members, so it can only end in NO_RECIPES.
        dataset = self.datasets.get(checked.definition["dataset"])
        if dataset is None:
            return
        mapped = {
            m["input"]: m["datasetParameter"] for m in checked.configuration.get("inputMap", [])
        }
        for parameter in mapped.values():
            if parameter not in dataset.parameters:
                verdict.errors.append(
                    (
                        "INVALID_INPUT_MAP",
                        f"{parameter} does not exist in the dataset parameter list",
                    )
                )
                return
        inputs = checked.recipe_type.inputs
        if not any(name in dataset.parameters or name in mapped for name in inputs):
            verdict.errors.append(
                (
                    "MISMATCHED_PARAMS",
                    "No parameters in the dataset match the recipe type inputs. "
                    f"Dataset parameters: {', '.join(dataset.parameters)}; "
                    f"recipe inputs: {', '.join(inputs)}",
                )
            )
            return
        verdict.recipes += dataset.members

    def _check_forced_nodes(self, checked: Checked) -> None:
        """An unknown node makes the recipe diff raise InvalidDiff, which no view catches."""
        recipe_type = checked.recipe_type
        found = [checked.definition.get("forced_nodes")]
        found.append((checked.definition.get("previous_batch") or {}).get("forced_nodes"))
        for forced in found:
            if not forced:
                continue
            unknown = [
                node
                for node in [*forced.get("nodes", []), *forced.get("sub_recipes", {})]
                if node not in recipe_type.jobs and node not in recipe_type.sub_recipes
            ]
            if unknown:
                raise ServerCrash(f"InvalidDiff: unknown recipe node {unknown[0]!r}")

    def validation_json(self, checked: Checked) -> dict[str, Any]:
        """``POST /v6/batches/validation/``: always 200 once the parameters parse."""
        verdict = self.validate(checked)
        out: dict[str, Any] = {
            "is_valid": not verdict.errors,
            "errors": [{"name": n, "description": d} for n, d in verdict.errors],
            "warnings": [],
            "recipes_estimated": None,
            "recipe_type": None,
        }
        if verdict.schema_failed:
            return out
        rt = checked.recipe_type
        out["recipes_estimated"] = verdict.recipes * (1 + len(rt.sub_recipes))
        if verdict.errors:
            out["recipes_estimated"] = 0
        out["recipe_type"] = rt.to_json()
        if verdict.previous is not None:
            prev = verdict.previous
            info: dict[str, Any] = {
                "recipe_type_rev": prev.recipe_type.revision_json(expanded=False)
            }
            if prev.recipe_type.id == rt.id:
                info["diff"] = self.diff_json(checked, prev)
            out["prev_batch"] = info
        return out

    def diff_json(self, checked: Checked, prev: Batch) -> dict[str, Any]:
        """A v6 recipe diff: same revision, so only forced nodes are reprocessed."""
        forced = (checked.definition.get("previous_batch") or {}).get("forced_nodes") or {}
        every = bool(forced.get("all"))
        nodes = {}
        for job in prev.recipe_type.jobs:
            force = every or job in forced.get("nodes", [])
            nodes[job] = {
                "status": "UNCHANGED",
                "changes": [],
                "reprocess_new_node": force,
                "force_reprocess": force,
                "dependencies": [],
                "node_type": {"node_type": "job", "job_type_name": job},
            }
        return {"version": "7", "can_be_reprocessed": True, "reasons": [], "nodes": nodes}

    # -- batches ----------------------------------------------------------------------

    def latest_in_chain(self, root_id: Any) -> Batch | None:
        """The chain's batch not yet superseded (the newest, if several)."""
        chain = [b for b in self.batches.values() if b.root_id == root_id and not b.is_superseded]
        return chain[-1] if chain else None

    def create(self, checked: Checked) -> Batch:
        """``POST /v6/batches/``: a new batch, superseding the previous one of its chain."""
        verdict = self.validate(checked)
        if verdict.errors:
            raise NGAError(400, verdict.errors[0][1])
        if checked.title is not None and len(checked.title) > 50:
            raise ServerCrash("DataError: value too long for type character varying(50)")
        ms = self.clock.tick()
        batch = self._store(checked, ms, verdict.recipes)
        prev = verdict.previous
        if prev is not None:
            prev.is_superseded = True
            prev.superseded_ms = ms
            prev.last_modified_ms = ms
            batch.root_id = prev.root_id
            batch.superseded_batch_id = prev.id
        return batch

    def _store(self, checked: Checked, ms: int, recipes: int, *, legacy: bool = False) -> Batch:
        batch_id, self._next_id = self._next_id, self._next_id + 1
        self._next_event += 1
        strip = {k: v for k, v in checked.definition.items() if k != "version"}
        batch = Batch(
            id=batch_id,
            title=checked.title,
            description=checked.description,
            recipe_type=checked.recipe_type,
            event_id=self._next_event,
            definition={} if legacy else strip,
            configuration={k: v for k, v in checked.configuration.items() if k != "version"},
            created_ms=ms,
            last_modified_ms=ms,
            root_id=batch_id,
            recipes=recipes,
            is_creation_done=self.instant_creation or legacy,
            legacy=legacy,
        )
        self.batches[batch_id] = batch
        return batch

    def add_legacy(self, recipe_type_id: int, title: str | None, recipes: int) -> Batch:
        """A batch from before v6: done, ``definition: {}``, and not reprocessable."""
        checked = Checked(self.recipe_types[recipe_type_id], {}, {}, title, None)
        return self._store(checked, self.clock.tick(), recipes, legacy=True)

    def finish_creation(self, batch_id: int) -> Batch:
        """Mark a batch's recipes as all created (and their jobs as run)."""
        batch = self.get(batch_id)
        batch.is_creation_done = True
        batch.last_modified_ms = self.clock.tick()
        return batch

    def get(self, batch_id: Any) -> Batch:
        """The batch or 404 ``Not found.``."""
        batch = self.batches.get(batch_id)
        if batch is None:
            raise NGAError(404, NOT_FOUND)
        return batch

    def edit(self, batch_id: int, body: Any) -> None:
        """``PATCH``: title, description, configuration (``{}`` is ignored)."""
        batch = self.get(batch_id)
        data: Mapping[str, Any] = body if isinstance(body, dict) else {}
        title = str_param(data, "title")
        description = str_param(data, "description")
        configuration = dict_param(data, "configuration", required=False)
        if configuration:
            checked = Checked(batch.recipe_type, batch.definition, configuration, None, None)
            problem = schema_error(CONFIGURATION, configuration)
            verdict = Verdict()
            if problem is None and "dataset" in batch.definition:
                self._dataset(checked, verdict)
            if problem is not None:
                problem = f"Invalid batch configuration: {problem}"
            elif verdict.errors and verdict.errors[0][0] == "INVALID_INPUT_MAP":
                problem = verdict.errors[0][1]
            if problem is not None:
                raise NGAError(400, f"Batch configuration invalid: {problem}")
        if title is not None and len(title) > 50:
            raise ServerCrash("DataError: value too long for type character varying(50)")
        if title is not None:
            batch.title = title
        if description is not None:
            batch.description = description
        if configuration:
            batch.configuration = {k: v for k, v in configuration.items() if k != "version"}
        batch.last_modified_ms = self.clock.tick()

    # -- rendering --------------------------------------------------------------------

    def list_json(self, batch: Batch) -> dict[str, Any]:
        """``BatchSerializerV6``, keys in the documented order."""
        root = self.batches.get(batch.root_id)
        superseded = self.batches.get(batch.superseded_batch_id or 0)
        return {
            "id": batch.id,
            "title": batch.title,
            "description": batch.description,
            "created": format_ms(batch.created_ms),
            "recipe_type": batch.recipe_type.to_json(),
            "recipe_type_rev": batch.recipe_type.revision_json(expanded=False),
            "event": {
                "id": batch.event_id,
                "type": "USER",
                "occurred": format_ms(batch.created_ms),
            },
            "is_superseded": batch.is_superseded,
            "root_batch": root.ref_json() if root else None,
            "superseded_batch": superseded.ref_json() if superseded else None,
            "is_creation_done": batch.is_creation_done,
            **batch.counts(),
            "superseded": format_ms(batch.superseded_ms) if batch.superseded_ms else None,
            "last_modified": format_ms(batch.last_modified_ms),
        }

    def details_json(self, batch: Batch) -> dict[str, Any]:
        """``BatchDetailsSerializerV6``: the list item plus definition, configuration, metrics."""
        out = self.list_json(batch)
        out["recipe_type_rev"] = batch.recipe_type.revision_json(
            expanded=True, created_ms=batch.created_ms
        )
        out["event"]["description"] = {"user": "Anonymous"}
        out["definition"] = copy.deepcopy(batch.definition)
        out["configuration"] = copy.deepcopy(batch.configuration)
        out["job_metrics"] = batch.job_metrics()
        return out

    def comparison_json(self, root_id: int) -> dict[str, Any]:
        """The chain's batches by id with aligned metric arrays, ``null`` for absent jobs."""
        chain = sorted(
            (b for b in self.batches.values() if b.root_id == root_id), key=lambda b: b.id
        )
        counts = [b.counts() for b in chain]
        metrics: dict[str, Any] = {
            name: [c[name] for c in counts] for name in (*JOB_COUNTS, *RECIPE_COUNTS)
        }
        per_batch = [b.job_metrics() for b in chain]
        jobs: dict[str, Any] = {}
        for job in dict.fromkeys(job for m in per_batch for job in m):
            jobs[job] = {
                name: [m[job][name] if job in m else None for m in per_batch]
                for name in (*JOB_COUNTS, *DURATIONS)
            }
        metrics["job_metrics"] = jobs
        return {"batches": [b.ref_json() for b in chain], "metrics": metrics}
