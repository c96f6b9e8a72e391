"""Scale Studio: labeler assignments, project groups and the priority order of pending batches."""

from __future__ import annotations

from typing import Any

from .._errors import bad_request, conflict, not_found
from .._params import as_object, req_str, str_list
from .batches import batch_status, batch_tasks, get_batch
from .projects import get_project
from .state import Account, Batch, Group, Project, World


def assignments_json(account: Account) -> dict[str, list[str]]:
    """``{email: [project names]}`` for active teammates that have assignments."""
    return {
        email: list(projects)
        for email, projects in account.assignments.items()
        if projects and account.teammates[email].role != "disabled"
    }


def _emails_projects(account: Account, payload: Any) -> tuple[list[str], list[str]]:
    body = as_object(payload)
    emails = str_list(body.get("emails"), "emails")
    projects = str_list(body.get("projects"), "projects")
    if not emails or not projects:
        raise bad_request("Please include emails and projects parameters.")
    for email in emails:
        if email not in account.teammates:
            raise not_found(f"No teammate with email {email}.")
        if account.teammates[email].role == "disabled":
            raise bad_request(f"Teammate {email} is disabled.")
    for name in projects:
        get_project(account, name)
    return emails, projects


def add_assignments(account: Account, payload: Any) -> dict[str, list[str]]:
    """Assign projects to teammates; answers with the full mapping."""
    emails, projects = _emails_projects(account, payload)
    for email in emails:
        current = account.assignments.setdefault(email, [])
        current.extend(p for p in projects if p not in current)
    return assignments_json(account)


def remove_assignments(account: Account, payload: Any) -> dict[str, list[str]]:
    """Unassign projects from teammates; answers with the full mapping."""
    emails, projects = _emails_projects(account, payload)
    for email in emails:
        current = account.assignments.get(email, [])
        account.assignments[email] = [p for p in current if p not in projects]
    return assignments_json(account)


def _group_json(account: Account, group: Group) -> dict[str, Any]:
    workers = [{"id": account.teammates[e].id, "email": e} for e in group.emails]
    return {
        "id": group.id,
        "name": group.name,
        "numWorkers": len(workers),
        "isSingleton": False,
        "workers": workers,
    }


def _check_assigned(account: Account, project: Project, emails: list[str]) -> None:
    for email in emails:
        if project.name not in account.assignments.get(email, []):
            raise bad_request(f"{email} is not assigned to project {project.name}.")


def list_groups(account: Account, project_name: str) -> list[dict[str, Any]]:
    """The project's groups as a bare array."""
    project = get_project(account, project_name)
    return [_group_json(account, g) for g in project.groups.values()]


def create_group(world: World, account: Account, project_name: str, payload: Any) -> dict[str, Any]:
    """A new group of teammates already assigned to the project."""
    project = get_project(account, project_name)
    body = as_object(payload)
    name = req_str(body, "name")
    emails = str_list(body.get("emails"), "emails")
    if name in project.groups:
        raise conflict(f'A group named "{name}" already exists in project {project.name}.')
    _check_assigned(account, project, emails)
    group = Group(id=world.new_id(), name=name, emails=list(dict.fromkeys(emails)))
    project.groups[name] = group
    return _group_json(account, group)


def update_group(
    account: Account, project_name: str, group_name: str, payload: Any
) -> dict[str, Any]:
    """Add and remove group members."""
    project = get_project(account, project_name)
    group = project.groups.get(group_name)
    if group is None:
        raise not_found(f"Group {group_name} not found in project {project.name}.")
    body = as_object(payload)
    added = str_list(body.get("add_emails"), "add_emails")
    removed = set(str_list(body.get("remove_emails"), "remove_emails"))
    _check_assigned(account, project, added)
    group.emails = [e for e in dict.fromkeys([*group.emails, *added]) if e not in removed]
    return _group_json(account, group)


def _pending_studio_batches(account: Account) -> list[Batch]:
    pending = [
        b
        for b in account.batches.values()
        if account.projects[b.project].studio and batch_status(account, b) != "completed"
    ]
    default = sorted(pending, key=lambda b: (not b.calibration_batch, b.created_ms))
    if not account.studio_order_custom:
        return default
    ranked = [b for b in default if b.studio_priority is not None]
    ranked.sort(key=lambda b: b.studio_priority or 0)
    return ranked + [b for b in default if b.studio_priority is None]


def _studio_batch_json(account: Account, batch: Batch) -> dict[str, Any]:
    tasks = batch_tasks(account, batch)
    out: dict[str, Any] = {
        "id": batch.id,
        "name": batch.name,
        "projectId": account.projects[batch.project].id,
        "projectName": batch.project,
        "batchType": "Calibration" if batch.calibration_batch else "Production",
        "total": len(tasks),
        "completed": sum(1 for t in tasks if t.status == "completed"),
        "groups": list(batch.studio_groups),
    }
    if account.studio_order_custom and batch.studio_priority is not None:
        out["studioPriority"] = batch.studio_priority
    return out


def list_studio_batches(account: Account) -> list[dict[str, Any]]:
    """Pending Studio batches in priority order."""
    return [_studio_batch_json(account, b) for b in _pending_studio_batches(account)]


def assign_batch(account: Account, batch_name: str, payload: Any) -> dict[str, Any]:
    """Set (replace) the groups or member emails that work on a Studio batch."""
    batch = get_batch(account, batch_name)
    if batch not in _pending_studio_batches(account):
        raise not_found(f"Batch {batch_name} is not a pending Studio batch.")
    groups = str_list(as_object(payload).get("groups"), "groups")
    project = account.projects[batch.project]
    for entry in groups:
        if entry in project.groups:
            continue
        if "@" in entry:
            _check_assigned(account, project, [entry])
            continue
        raise bad_request(f"{entry} is neither a group of {project.name} nor an assigned email.")
    batch.studio_groups = list(dict.fromkeys(groups))
    return _studio_batch_json(account, batch)


def set_priorities(account: Account, payload: Any) -> list[dict[str, Any]]:
    """Order pending Studio batches; the list must name every one of them exactly once."""
    entries = as_object(payload).get("batches")
    if not isinstance(entries, list):
        raise bad_request("Please include a batches parameter.")
    names: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise bad_request("Each batches entry must be an object with a name.")
        names.append(entry["name"])
    pending = {b.name: b for b in _pending_studio_batches(account)}
    if len(set(names)) != len(names) or set(names) != set(pending):
        raise bad_request("batches must list every pending Studio batch exactly once.")
    for rank, name in enumerate(names, start=1):
        pending[name].studio_priority = rank
    account.studio_order_custom = True
    return list_studio_batches(account)


def reset_priorities(account: Account) -> list[dict[str, Any]]:
    """Back to the default order: calibration batches first, then by creation date."""
    for batch in account.batches.values():
        batch.studio_priority = None
    account.studio_order_custom = False
    return list_studio_batches(account)
