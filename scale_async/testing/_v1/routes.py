"""The Scale v1 routes: each handler turns a request into a call on the in-memory world."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._asgi import Reply, Request
from .._params import query_bool
from .._router import Router
from . import batches, creation, files, projects, studio, tasklist, tasks, team
from .state import Account, World


@dataclass
class Ctx:
    """What a handler works on: the world (clock, ids, stats) and the caller's account."""

    world: World
    account: Account


Handler = Callable[[Ctx, Request], Reply]
ROUTES: Router[Handler] = Router()


def ok(body: Any) -> Reply:
    """Scale answers 200 to every success, creates included."""
    return Reply(200, body)


def _arg(req: Request, name: str) -> str:
    return req.path_params[name]


# --- tasks ---------------------------------------------------------------------------------


@ROUTES.add("GET", "tasks")
def _list_tasks(ctx: Ctx, req: Request) -> Reply:
    return ok(tasklist.list_tasks(ctx.account, req.query))


@ROUTES.add("GET", "task/{task_id}")
def _get_task(ctx: Ctx, req: Request) -> Reply:
    return ok(tasks.get_task(ctx.account, _arg(req, "task_id")).to_json())


@ROUTES.add("POST", "task/{task_type}", creates_task=True)
def _create_task(ctx: Ctx, req: Request) -> Reply:
    key = req.headers.get("idempotency-key")
    task, _ = creation.create_task(ctx.world, ctx.account, _arg(req, "task_type"), req.json(), key)
    return ok(task.to_json())


@ROUTES.add("POST", "task/{task_id}/cancel")
def _cancel_task(ctx: Ctx, req: Request) -> Reply:
    clear = query_bool(req.query, "clear_unique_id")
    return ok(tasks.cancel_task(ctx.world, ctx.account, _arg(req, "task_id"), clear).to_json())


@ROUTES.add("POST", "task/{task_id}/audit")
def _audit_task(ctx: Ctx, req: Request) -> Reply:
    return ok(tasks.audit_task(ctx.world, ctx.account, _arg(req, "task_id"), req.json()).to_json())


@ROUTES.add("POST", "task/{task_id}/unique_id")
def _set_unique_id(ctx: Ctx, req: Request) -> Reply:
    task = tasks.set_unique_id(ctx.world, ctx.account, _arg(req, "task_id"), req.json())
    return ok(task.to_json())


@ROUTES.add("DELETE", "task/{task_id}/unique_id")
def _clear_unique_id(ctx: Ctx, req: Request) -> Reply:
    return ok(tasks.clear_unique_id(ctx.world, ctx.account, _arg(req, "task_id")).to_json())


@ROUTES.add("POST", "task/{task_id}/setMetadata")
def _set_task_metadata(ctx: Ctx, req: Request) -> Reply:
    task = tasks.set_metadata(ctx.world, ctx.account, _arg(req, "task_id"), req.json())
    return ok(task.to_json())


def _tags(how: str) -> Handler:
    def handle(ctx: Ctx, req: Request) -> Reply:
        task = tasks.change_tags(ctx.world, ctx.account, _arg(req, "task_id"), req.json(), how)
        return ok(task.to_json())

    return handle


ROUTES.add("POST", "task/{task_id}/tags")(_tags("set"))
ROUTES.add("PUT", "task/{task_id}/tags")(_tags("add"))
ROUTES.add("DELETE", "task/{task_id}/tags")(_tags("remove"))


def _quality(kind: str) -> Handler:
    def handle(ctx: Ctx, req: Request) -> Reply:
        made = creation.create_quality_task(
            ctx.world, ctx.account, kind, _arg(req, "task_type"), req.json()
        )
        return ok(made.to_json())

    return handle


ROUTES.add("POST", "evaluation_tasks/{task_type}")(_quality("evaluation"))
ROUTES.add("POST", "training_tasks/{task_type}")(_quality("training"))

# --- batches -------------------------------------------------------------------------------


@ROUTES.add("POST", "batches")
def _create_batch(ctx: Ctx, req: Request) -> Reply:
    batch = batches.create_batch(ctx.world, ctx.account, req.json())
    return ok(batches.batch_json(ctx.account, batch))


@ROUTES.add("GET", "batches")
def _list_batches(ctx: Ctx, req: Request) -> Reply:
    return ok(batches.list_batches(ctx.account, req.query))


@ROUTES.add("GET", "batches/{name}")
def _get_batch(ctx: Ctx, req: Request) -> Reply:
    return ok(batches.batch_json(ctx.account, batches.get_batch(ctx.account, _arg(req, "name"))))


@ROUTES.add("POST", "batches/{name}/finalize")
def _finalize_batch(ctx: Ctx, req: Request) -> Reply:
    batch = batches.finalize_batch(ctx.account, _arg(req, "name"))
    return ok(batches.batch_json(ctx.account, batch))


@ROUTES.add("GET", "batches/{name}/status")
def _batch_status(ctx: Ctx, req: Request) -> Reply:
    return ok(batches.status_counts(ctx.account, _arg(req, "name")))


@ROUTES.add("POST", "batches/{name}/setMetadata")
def _set_batch_metadata(ctx: Ctx, req: Request) -> Reply:
    batch = batches.set_batch_metadata(ctx.account, _arg(req, "name"), req.json())
    return ok(batches.batch_json(ctx.account, batch))


@ROUTES.add("POST", "batches/{name}/prioritize")
def _prioritize_batch(ctx: Ctx, req: Request) -> Reply:
    return ok(batches.prioritize_batch(ctx.world, ctx.account, _arg(req, "name"), req.json()))


# --- projects ------------------------------------------------------------------------------


@ROUTES.add("POST", "projects")
def _create_project(ctx: Ctx, req: Request) -> Reply:
    return ok(projects.create_project(ctx.world, ctx.account, req.json()).to_json())


@ROUTES.add("GET", "projects")
def _list_projects(ctx: Ctx, req: Request) -> Reply:
    return ok(projects.list_projects(ctx.account, req.query))


@ROUTES.add("GET", "projects/{name}")
def _get_project(ctx: Ctx, req: Request) -> Reply:
    return ok(projects.get_project(ctx.account, _arg(req, "name")).to_json())


@ROUTES.add("POST", "projects/{name}/setParams")
def _set_params(ctx: Ctx, req: Request) -> Reply:
    project = projects.set_params(ctx.world, ctx.account, _arg(req, "name"), req.json())
    return ok(project.to_json())


@ROUTES.add("POST", "projects/{name}/setOntology")
def _set_ontology(ctx: Ctx, req: Request) -> Reply:
    project = projects.set_ontology(ctx.world, ctx.account, _arg(req, "name"), req.json())
    return ok(project.to_json())


@ROUTES.add("GET", "projects/{name}/taskTemplates")
def _task_template(ctx: Ctx, req: Request) -> Reply:
    return ok(projects.task_template(ctx.account, _arg(req, "name")))


# --- files and teams -----------------------------------------------------------------------


@ROUTES.add("POST", "files/upload")
def _upload_file(ctx: Ctx, req: Request) -> Reply:
    content_type = req.headers.get("content-type")
    return ok(files.upload_file(ctx.world, ctx.account, req.body, content_type).to_json())


@ROUTES.add("POST", "files/import")
def _import_file(ctx: Ctx, req: Request) -> Reply:
    return ok(files.import_file(ctx.world, ctx.account, req.json()).to_json())


@ROUTES.add("GET", "teams")
def _list_teammates(ctx: Ctx, req: Request) -> Reply:
    return ok(team.teammates_json(ctx.account))


@ROUTES.add("POST", "teams/invite")
def _invite(ctx: Ctx, req: Request) -> Reply:
    return ok(team.invite(ctx.world, ctx.account, req.json()))


@ROUTES.add("POST", "teams/set_role")
def _set_role(ctx: Ctx, req: Request) -> Reply:
    return ok(team.set_role(ctx.account, req.json()))


# --- studio --------------------------------------------------------------------------------


@ROUTES.add("GET", "studio/assignments")
def _assignments(ctx: Ctx, req: Request) -> Reply:
    return ok(studio.assignments_json(ctx.account))


@ROUTES.add("POST", "studio/assignments/add")
def _add_assignments(ctx: Ctx, req: Request) -> Reply:
    return ok(studio.add_assignments(ctx.account, req.json()))


@ROUTES.add("POST", "studio/assignments/remove")
def _remove_assignments(ctx: Ctx, req: Request) -> Reply:
    return ok(studio.remove_assignments(ctx.account, req.json()))


@ROUTES.add("GET", "studio/projects/{project}/groups")
def _list_groups(ctx: Ctx, req: Request) -> Reply:
    return ok(studio.list_groups(ctx.account, _arg(req, "project")))


@ROUTES.add("POST", "studio/projects/{project}/groups")
def _create_group(ctx: Ctx, req: Request) -> Reply:
    return ok(studio.create_group(ctx.world, ctx.account, _arg(req, "project"), req.json()))


@ROUTES.add("PUT", "studio/projects/{project}/groups/{group}")
def _update_group(ctx: Ctx, req: Request) -> Reply:
    project, group = _arg(req, "project"), _arg(req, "group")
    return ok(studio.update_group(ctx.account, project, group, req.json()))


@ROUTES.add("GET", "studio/batches")
def _studio_batches(ctx: Ctx, req: Request) -> Reply:
    return ok(studio.list_studio_batches(ctx.account))


@ROUTES.add("POST", "studio/batches/set_priorities")
def _set_priorities(ctx: Ctx, req: Request) -> Reply:
    return ok(studio.set_priorities(ctx.account, req.json()))


@ROUTES.add("POST", "studio/batches/reset_priorities")
def _reset_priorities(ctx: Ctx, req: Request) -> Reply:
    return ok(studio.reset_priorities(ctx.account))


@ROUTES.add("PUT", "studio/batches/{batch}")
def _assign_batch(ctx: Ctx, req: Request) -> Reply:
    return ok(studio.assign_batch(ctx.account, _arg(req, "batch"), req.json()))
