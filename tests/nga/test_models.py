"""NGA models: typed reading of the documented JSON, and the schema checks on what is sent."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from scale_async import ScaleInvalidResponse
from scale_async._engine.serde import structure
from scale_async.nga import (
    BatchComparison,
    BatchConfiguration,
    BatchDefinition,
    BatchDetails,
    BatchListItem,
    BatchPage,
    ForcedNodes,
    InputMapping,
    PreviousBatch,
    ValidationResult,
)
from scale_async.nga._outgoing import configuration_json, definition_json, to_wire
from tests.nga.support import JOB_A, details, list_item

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# -- reading ---------------------------------------------------------------------------------


def test_list_item_from_the_documentation() -> None:
    """Typed fields, nested objects, aware datetimes; undocumented keys stay in the raw JSON."""
    item = structure(list_item(), BatchListItem)
    assert (item.id, item.title, item.is_superseded) == (1234, "My Batch", True)
    assert item.recipe_type.name == "my-recipe-type"
    assert item.recipe_type_rev.recipe_type.id == 208
    assert item.recipe_type_rev.recipe_type.name is None
    assert item.root_batch is not None
    assert item.root_batch.id == 1232
    assert item.superseded_batch is not None
    assert item.superseded_batch.created == EPOCH
    assert item.event is not None
    assert item.event.type == "USER"
    assert item.last_modified == EPOCH
    assert (item.jobs_total, item.jobs_running, item.recipes_completed) == (10, 3, 1)
    assert item.as_dict()["event"]["rule"] is None


def test_details_turn_durations_into_timedeltas() -> None:
    """job_metrics durations are ISO-8601 strings on the wire, timedelta | None here."""
    batch = structure(details(), BatchDetails)
    metrics = batch.job_metrics["job_a"]
    assert metrics.min_seed_duration == timedelta(minutes=9, seconds=2)
    assert metrics.avg_job_duration == timedelta(minutes=10, seconds=59)
    assert metrics.max_job_duration is None
    assert metrics.jobs_completed == 6
    assert batch.definition is not None
    assert batch.definition.dataset == 1
    assert batch.definition.forced_nodes is not None
    assert batch.definition.forced_nodes.all is True
    assert batch.configuration is not None
    assert batch.configuration.priority == 100
    assert batch.event is not None
    assert batch.event.description == {"user": "Anonymous"}
    assert batch.recipe_type_rev.created == EPOCH


def test_a_pre_v6_batch_reports_an_empty_definition() -> None:
    batch = structure(details(definition={}, configuration={}, job_metrics={}), BatchDetails)
    assert batch.definition is not None
    assert to_wire(batch.definition) == {}
    assert batch.job_metrics == {}


def test_definition_and_configuration_echoed_back_use_python_names() -> None:
    """``inputMap``/``datasetParameter`` on the wire, snake case on the objects."""
    configuration = {"priority": 1, "inputMap": [{"input": "F", "datasetParameter": "P"}]}
    batch = structure(details(configuration=configuration), BatchDetails)
    assert batch.configuration is not None
    assert batch.configuration.input_map is not None
    assert batch.configuration.input_map[0].dataset_parameter == "P"
    assert to_wire(batch.configuration) == configuration


@pytest.mark.parametrize(
    ("key", "value"),
    [("id", None), ("created", "yesterday"), ("is_superseded", "maybe"), ("jobs_total", "ten")],
)
def test_a_misleading_batch_is_an_invalid_response(key: str, value: Any) -> None:
    with pytest.raises(ScaleInvalidResponse, match="BatchListItem"):
        structure(list_item(**{key: value}), BatchListItem)


def test_a_bad_duration_is_an_invalid_response() -> None:
    data = details(job_metrics={"job_a": {**JOB_A, "min_seed_duration": "nine minutes"}})
    with pytest.raises(ScaleInvalidResponse, match="BatchDetails"):
        structure(data, BatchDetails)


def test_validation_result_groups_by_name() -> None:
    """Errors and warnings are items with a name and a description, grouped by name."""
    result = structure(
        {
            "is_valid": False,
            "errors": [
                {"name": "INVALID_INPUT_MAP", "description": "A does not exist"},
                {"name": "INVALID_INPUT_MAP", "description": "B does not exist"},
                {"name": "NO_RECIPES", "description": "none"},
            ],
            "warnings": [{"name": "EXAMPLE_WARNING", "description": "This is an example."}],
            "recipes_estimated": None,
            "recipe_type": None,
        },
        ValidationResult,
    )
    assert result.errors_by_name == {
        "INVALID_INPUT_MAP": ["A does not exist", "B does not exist"],
        "NO_RECIPES": ["none"],
    }
    assert result.warnings_by_name == {"EXAMPLE_WARNING": ["This is an example."]}
    assert result.errors[2].name == "NO_RECIPES"
    assert result.prev_batch is None
    assert result.recipe_type is None


def test_comparison_arrays_line_up_with_batches() -> None:
    data = {
        "batches": [
            {"id": 101, "title": "a", "description": "", "created": "1970-01-01T00:00:00Z"},
            {"id": 102, "title": "b", "description": "", "created": "1970-01-01T00:00:00Z"},
        ],
        "metrics": {
            **{name: [10, None] for name in ("jobs_total", "jobs_pending", "jobs_blocked")},
            **{name: [0, 1] for name in ("jobs_queued", "jobs_running", "jobs_failed")},
            **{name: [2, 2] for name in ("jobs_completed", "jobs_canceled")},
            **{name: [2, 1] for name in ("recipes_estimated", "recipes_total")},
            "recipes_completed": [2, 0],
            "job_metrics": {
                "job_a": {
                    **{key: [value, None] for key, value in JOB_A.items() if "duration" not in key},
                    **{key: ["PT12S", None] for key in JOB_A if "duration" in key},
                }
            },
        },
    }
    comparison = structure(data, BatchComparison)
    column = comparison.column(102)
    assert column == 1
    assert comparison.metrics.jobs_total[column] is None
    assert comparison.metrics.jobs_queued == [0, 1]
    job = comparison.metrics.job_metrics["job_a"]
    assert job.min_seed_duration == [timedelta(seconds=12), None]
    assert job.jobs_running == [3, None]
    with pytest.raises(ValueError, match="not in this comparison"):
        comparison.column(7)


def test_batch_page_knows_its_place() -> None:
    items = [structure(list_item(n), BatchListItem) for n in (1, 2)]
    page = BatchPage(results=items, count=5, page=2, page_size=2, next_url="n", previous_url="p")
    assert (page.count, page.pages, page.has_more, len(page)) == (5, 3, True, 2)
    assert [b.id for b in page] == [1, 2]
    assert page[1].id == 2
    last = BatchPage(results=[], count=0, page=1, page_size=100)
    assert (last.pages, last.has_more, list(last)) == (0, False, [])


# -- what callers send -----------------------------------------------------------------------


def test_objects_and_dicts_give_the_same_wire_json() -> None:
    """The attrs objects are written with wire names and without unset fields."""
    typed = BatchDefinition(
        dataset=1,
        forced_nodes=ForcedNodes(
            all=False, nodes=["job_a"], sub_recipes={"recipe_a": ForcedNodes(all=True)}
        ),
        previous_batch=PreviousBatch(root_batch_id=1234, forced_nodes=ForcedNodes(all=False)),
        supersedes=True,
    )
    plain = {
        "supersedes": True,
        "dataset": 1,
        "forced_nodes": {
            "all": False,
            "nodes": ["job_a"],
            "sub_recipes": {"recipe_a": {"all": True}},
        },
        "previous_batch": {"root_batch_id": 1234, "forced_nodes": {"all": False}},
    }
    assert definition_json(typed) == plain
    assert definition_json(plain) == plain
    config = BatchConfiguration(
        priority=100, input_map=[InputMapping(input="F", dataset_parameter="P")]
    )
    assert configuration_json(config) == {
        "priority": 100,
        "inputMap": [{"input": "F", "datasetParameter": "P"}],
    }


def test_the_sent_dict_is_a_copy() -> None:
    plain: dict[str, Any] = {"forced_nodes": {"all": True, "nodes": ["a"]}}
    sent = definition_json(plain)
    sent["forced_nodes"]["nodes"].append("b")
    assert plain == {"forced_nodes": {"all": True, "nodes": ["a"]}}


@pytest.mark.parametrize(
    ("definition", "match"),
    [
        (
            {"previous_batc": {"root_batch_id": 1}},
            r"unknown key 'previous_batc'; did you mean 'previous_batch'",
        ),
        (
            {"supersedes": True, "recipe_type_id": 208},
            r"definition has an unknown key 'recipe_type_id'",
        ),
        (
            {"forced_nodes": {"all": True, "node": ["a"]}},
            r"definition\.forced_nodes has an unknown key 'node'",
        ),
        (
            {"forced_nodes": {"all": False, "sub_recipes": {"r": {"al": True}}}},
            r"definition\.forced_nodes\.sub_recipes\.r has an unknown key 'al'",
        ),
        ({"previous_batch": {"root_id": 1}}, r"previous_batch has an unknown key 'root_id'"),
        ({"previous_batch": {}}, r"previous_batch lacks the required key 'root_batch_id'"),
        ({"forced_nodes": {}}, r"forced_nodes lacks the required key 'all'"),
        ({"dataset": True}, r"definition\.dataset must be an integer, got True"),
        ({"dataset": "1"}, r"definition\.dataset must be an integer"),
        ({"dataset": None}, r"definition\.dataset must be an integer, got None"),
        ({"supersedes": 1}, r"definition\.supersedes must be a boolean"),
        ({"forced_nodes": {"all": True, "nodes": "job_a"}}, r"nodes must be a list"),
        ({"forced_nodes": {"all": True, "nodes": [1]}}, r"nodes\[0\] must be a string"),
        ({"forced_nodes": {"all": True, "sub_recipes": []}}, r"sub_recipes must be an object"),
        (
            {"forced_nodes": {"all": True, "sub_recipes": {1: {"all": True}}}},
            r"keys must be strings",
        ),
        ({"version": 6}, r"definition\.version must be a string"),
    ],
)
def test_definition_dicts_are_checked_against_the_schema(definition: Any, match: str) -> None:
    """``additionalProperties: false`` and the types, each failure naming where it is."""
    with pytest.raises(ValueError, match=match):
        definition_json(definition)


@pytest.mark.parametrize(
    ("configuration", "match"),
    [
        ({"input_map": []}, r"unknown key 'input_map'; did you mean 'inputMap'"),
        ({"inputMap": []}, r"inputMap must hold at least 1 item"),
        (
            {"inputMap": [{"input": "F"}]},
            r"inputMap\[0\] lacks the required key 'datasetParameter'",
        ),
        (
            {"inputMap": [{"input": "F", "dataset_parameter": "P"}]},
            r"unknown key 'dataset_parameter'",
        ),
        ({"priority": "high"}, r"configuration\.priority must be an integer"),
    ],
)
def test_configuration_dicts_are_checked_against_the_schema(configuration: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        configuration_json(configuration)


def test_typed_objects_with_wrong_values_are_refused_too() -> None:
    """attrs does not check types, so the objects go through the same schema check."""
    with pytest.raises(ValueError, match=r"forced_nodes\.all must be a boolean, got 'yes'"):
        definition_json(BatchDefinition(forced_nodes=ForcedNodes(all="yes")))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be a BatchDefinition or a dict"):
        definition_json(BatchConfiguration(priority=1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be a BatchConfiguration or a dict"):
        configuration_json([("priority", 1)])  # type: ignore[arg-type]
