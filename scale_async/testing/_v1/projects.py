"""Project operations: create, read, list, versioned params, ontologies, task templates."""

from __future__ import annotations

from typing import Any

from .._clock import format_ms
from .._errors import bad_request, conflict, found
from .._params import (
    Query,
    as_object,
    check_allowed,
    opt_bool,
    opt_int,
    opt_str,
    query_bool,
    req_str,
)
from .state import Account, Project, World
from .tasktypes import TEMPLATE_TYPES, canonical_type

PIPELINES = frozenset({"standard_task", "consensus_task"})


def get_project(account: Account, name: str) -> Project:
    """The named project or 404."""
    return found(account.projects.get(name), f"Project {name} not found.")


def create_project(world: World, account: Account, payload: Any) -> Project:
    """A new project; its first param version (0) holds the given default params."""
    body = as_object(payload)
    type_name = req_str(body, "type")
    task_type = canonical_type(type_name)
    if task_type is None:
        raise bad_request(f"Invalid task type: {type_name}")
    name = req_str(body, "name")
    if name in account.projects:
        raise conflict(f'A project named "{name}" already exists.')
    params = as_object(body.get("params"), "params")
    studio = opt_bool(body, "studio")
    pipeline = opt_str(body, "pipeline")
    if pipeline is not None:
        if pipeline not in PIPELINES:
            raise bad_request(f"pipeline must be one of {', '.join(sorted(PIPELINES))}")
        if not studio:
            raise bad_request("pipeline is only supported for Scale Studio projects.")
    attempts = opt_int(body, "consensus_attempts")
    if attempts is not None and (attempts < 1 or pipeline != "consensus_task"):
        raise bad_request(
            "consensus_attempts needs pipeline consensus_task and a value of 1 or more."
        )
    ms = world.tick()
    first = {**params, "version": 0, "created_at": format_ms(ms)}
    project = Project(
        id=world.ids.object_id(ms),
        name=name,
        type=task_type,
        created_ms=ms,
        param_history=[first],
        rapid=opt_bool(body, "rapid"),
        studio=studio,
        dataset_id=opt_str(body, "datasetId"),
        pipeline=pipeline,
        consensus_attempts=attempts,
    )
    account.projects[name] = project
    return project


def list_projects(account: Account, query: Query) -> list[dict[str, Any]]:
    """Every project as a bare array; none is ever archived in the fake."""
    check_allowed(query, ("archived",), "ScaleClient.projects()")
    if query_bool(query, "archived"):
        return []
    return [p.to_json() for p in account.projects.values()]


def set_params(world: World, account: Account, name: str, payload: Any) -> Project:
    """Append param version N+1: the body's params, merged over the last version if ``patch``."""
    project = get_project(account, name)
    body = dict(as_object(payload))
    patch = opt_bool(body, "patch")
    body.pop("patch", None)
    base: dict[str, Any] = {}
    if patch:
        base = {
            k: v for k, v in project.param_history[-1].items() if k not in ("version", "created_at")
        }
    previous = int(project.param_history[-1]["version"])
    entry = {**base, **body, "version": previous + 1, "created_at": format_ms(world.tick())}
    project.param_history.append(entry)
    return project


def _choice_name(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("choice"), str):
        return str(item["choice"])
    raise bad_request("Each ontology entry must be a string or an object with a choice.")


def _check_unique(choices: list[Any], where: str) -> None:
    names = [_choice_name(c) for c in choices]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise bad_request(f"Duplicate choices in {where}: {', '.join(duplicates)}")
    for choice in choices:
        if isinstance(choice, dict) and choice.get("subchoices") is not None:
            subchoices = choice["subchoices"]
            if not isinstance(subchoices, list):
                raise bad_request("subchoices must be an array")
            _check_unique(subchoices, f"subchoices of {_choice_name(choice)}")


def set_ontology(world: World, account: Account, name: str, payload: Any) -> Project:
    """Add an ontology version; choices and sub-choices must be unique."""
    project = get_project(account, name)
    body = as_object(payload)
    ontology = body.get("ontology")
    if not isinstance(ontology, list) or not ontology:
        raise bad_request("Please include an ontology parameter (a non-empty array).")
    _check_unique(ontology, "ontology")
    version_name = opt_str(body, "name")
    entry: dict[str, Any] = {} if version_name is None else {"name": version_name}
    entry.update(
        ontology=ontology,
        version=len(project.ontology_history),
        created_at=format_ms(world.tick()),
    )
    project.ontology_history.append(entry)
    return project


def task_template(account: Account, name: str) -> dict[str, Any]:
    """The task template of a TextCollection or Chat project; 400 for other types."""
    project = get_project(account, name)
    if project.type not in TEMPLATE_TYPES:
        raise bad_request(f"Task templates are not supported for {project.type} projects.")
    current = project.param_history[-1]
    variables = current.get("template_variables")
    out: dict[str, Any] = {
        "id": project.id,
        "version": current["version"],
        "created_at": format_ms(project.created_ms),
        "updated_at": current["created_at"],
        "template_variables": variables if isinstance(variables, dict) else {},
        "auto_onboard_enabled": False,
    }
    if isinstance(current.get("response_schema"), dict):
        out["response_schema"] = current["response_schema"]
    return out
