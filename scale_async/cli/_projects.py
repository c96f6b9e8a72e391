"""``scale-async projects create|list``, and the project check other commands share.

Why a shared check: listing batches or exporting tasks of a project that does not exist
returns nothing, which would read as "this project is empty"; looking it up first turns a
typo into an error (exit 6), while an existing empty project still exits 0.
"""

from __future__ import annotations

import argparse
from typing import Any

from scale_async import AsyncScaleClient, ScaleDuplicateResource, ScaleResourceNotFound

from ._env import Env
from ._exit import API_ERROR, OK, CliError
from ._output import choose_format, write_records
from ._run import run as run_async

__all__ = ["create", "listing", "require_batch", "require_project"]

COLUMNS = ("name", "type", "created_at")


async def require_project(client: AsyncScaleClient, project: str) -> None:
    """End the command with "project not found" (exit 6) unless ``project`` exists."""
    try:
        await client.get_project(project)
    except ScaleResourceNotFound:
        raise CliError(f"project {project!r} not found", API_ERROR) from None


async def require_batch(client: AsyncScaleClient, batch: str) -> None:
    """End the command with "batch not found" (exit 6) unless ``batch`` exists."""
    try:
        await client.get_batch(batch)
    except ScaleResourceNotFound:
        raise CliError(f"batch {batch!r} not found", API_ERROR) from None


def create(args: argparse.Namespace, env: Env) -> int:
    """Create the project; print its name."""
    env.require_key()
    params = {"instruction": args.instruction} if args.instruction else None

    async def go() -> None:
        async with env.client() as client:
            try:
                await client.create_project(args.name, args.task_type, params=params)
            except ScaleDuplicateResource:
                raise CliError(f"project {args.name!r} already exists", API_ERROR) from None

    run_async(go)
    print(f"created project {args.name} ({args.task_type})", file=env.stdout)
    return OK


def listing(args: argparse.Namespace, env: Env) -> int:
    """Print every project (the API does not page this list)."""
    env.require_key()

    async def fetch() -> list[dict[str, Any]]:
        async with env.client() as client:
            return [project.as_dict() for project in await client.projects()]

    records = run_async(fetch)
    write_records(records, COLUMNS, choose_format(args.format, env.stdout), env.stdout)
    return OK
