"""Creating tasks: project and batch lookup, param inheritance, required params, idempotency.

Also evaluation and training tasks, which take the same params plus an expected response.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .._errors import bad_request, conflict
from .._params import as_object, opt_int, opt_str
from .batches import get_batch
from .projects import get_project
from .state import Account, Batch, Project, QualityTask, Task, World
from .tasks import check_unique_id, tag_list
from .tasktypes import QUALITY_TASK_TYPES, fake_response, missing_parameter, require_task_type

_TOP_LEVEL = frozenset(
    {"project", "batch", "instruction", "callback_url", "unique_id", "metadata", "tags", "priority"}
)
_CONSUMED = frozenset({"project_version", "clear_unique_id_on_error"})


@dataclass
class _Resolved:
    task_type: str
    project: Project | None
    batch: Batch | None
    params: dict[str, Any]
    instruction: str | None
    version: int | None


def _with_defaults(task_type: str, params: dict[str, Any]) -> dict[str, Any]:
    """Fill the defaults Scale echoes back in ``params`` (box minimum sizes)."""
    geometries = params.get("geometries")
    if task_type == "imageannotation" and isinstance(geometries, dict):
        for spec in geometries.values():
            if isinstance(spec, dict) and "objects_to_annotate" in spec:
                spec.setdefault("min_height", 0)
                spec.setdefault("min_width", 0)
    return params


def _resolve(account: Account, type_name: str, body: dict[str, Any]) -> _Resolved:
    """Find the project and batch, inherit the project's params, check required params."""
    task_type = require_task_type(type_name)
    project_name = opt_str(body, "project")
    batch: Batch | None = None
    batch_name = opt_str(body, "batch")
    if batch_name is not None:
        batch = get_batch(account, batch_name)
        if project_name is not None and project_name != batch.project:
            raise bad_request(f"Batch {batch_name} does not belong to project {project_name}.")
        project_name = batch.project
    project: Project | None = None
    if project_name is not None:
        project = get_project(account, project_name)
    wanted = opt_int(body, "project_version")
    inherited: dict[str, Any] = {}
    version: int | None = None
    if project is not None and wanted != -1:
        entries = [e for e in project.param_history if wanted is None or e["version"] == wanted]
        if not entries:
            raise bad_request(f"Project {project.name} has no param version {wanted}.")
        entry = entries[-1]
        version = int(entry["version"])
        inherited = {k: v for k, v in entry.items() if k not in ("version", "created_at")}
    inherited_instruction = inherited.pop("instruction", None)
    instruction = opt_str(body, "instruction") or inherited_instruction
    own = {k: v for k, v in body.items() if k not in _TOP_LEVEL and k not in _CONSUMED}
    params = _with_defaults(task_type, json.loads(json.dumps({**inherited, **own})))
    missing = missing_parameter(task_type, {**params, "instruction": instruction})
    if missing is not None:
        raise bad_request(missing)
    return _Resolved(task_type, project, batch, params, instruction, version)


def _fingerprint(task_type: str, body: dict[str, Any]) -> str:
    return task_type + json.dumps(body, sort_keys=True, separators=(",", ":"))


def create_task(
    world: World,
    account: Account,
    type_name: str,
    payload: Any,
    idempotency_key: str | None = None,
) -> tuple[Task, bool]:
    """Create a task; returns it and whether it is new (False for an idempotent replay)."""
    body = as_object(payload)
    fingerprint = _fingerprint(require_task_type(type_name), body)
    if idempotency_key:
        seen = account.idempotency.get(idempotency_key)
        if seen is not None:
            if seen[0] != fingerprint:
                raise conflict(
                    f"The idempotency key ({idempotency_key}) is already in use "
                    "for a different request."
                )
            return account.tasks[seen[1]], False
    resolved = _resolve(account, type_name, body)
    metadata = as_object(body.get("metadata"), "metadata")
    tags = None if body.get("tags") is None else tag_list(body["tags"])
    priority = opt_int(body, "priority")
    if priority is None:
        priority = resolved.batch.priority if resolved.batch and resolved.batch.priority else 0
    unique_id = check_unique_id(account, body.get("unique_id"))
    ms = world.tick()
    task = Task(
        task_id=world.ids.object_id(ms),
        type=resolved.task_type,
        created_ms=ms,
        updated_ms=ms,
        status="pending",
        params=resolved.params,
        is_test=account.mode == "test",
        metadata=metadata,
        instruction=resolved.instruction,
        callback_url=opt_str(body, "callback_url"),
        project=resolved.project.name if resolved.project else None,
        batch=resolved.batch.name if resolved.batch else None,
        unique_id=unique_id,
        tags=tags,
        priority=priority,
        project_param_version=resolved.version,
    )
    if task.is_test:
        task.status = "completed"
        task.completed_ms = ms
        task.response = fake_response(task.type, task.params, world.ids.uuid)
    account.add_task(task)
    if unique_id is not None:
        account.unique_ids[unique_id] = task.task_id
    if resolved.batch is not None:
        resolved.batch.task_ids.append(task.task_id)
    if idempotency_key:
        account.idempotency[idempotency_key] = (fingerprint, task.task_id)
    world.stats.tasks_created += 1
    return task, True


def create_quality_task(
    world: World, account: Account, kind: str, type_name: str, payload: Any
) -> QualityTask:
    """An evaluation or training task for a Rapid project."""
    task_type = require_task_type(type_name)
    if task_type not in QUALITY_TASK_TYPES:
        raise bad_request(f"Task type {task_type} does not support {kind} tasks.")
    body = as_object(payload)
    if body.get("project") is None and body.get("batch") is None:
        raise bad_request("Please include a project parameter.")
    expected = body.get("expected_response")
    if expected is None:
        raise bad_request("Please include an expected_response parameter.")
    initial = body.get("initial_response") if kind == "evaluation" else None
    stripped = {k: v for k, v in body.items() if k not in ("expected_response", "initial_response")}
    resolved = _resolve(account, type_name, stripped)
    assert resolved.project is not None
    if not resolved.project.rapid:
        raise bad_request(f"{kind.capitalize()} tasks are only supported for Scale Rapid projects.")
    ms = world.tick()
    quality = QualityTask(
        id=world.ids.object_id(ms),
        kind=kind,
        type=task_type,
        project=resolved.project.name,
        created_ms=ms,
        params=resolved.params,
        expected_response=expected,
        initial_response=initial,
    )
    account.quality_tasks.append(quality)
    return quality
