"""``scale-async projects list``: the account's projects, as a table or JSON lines."""

from __future__ import annotations

import argparse
from typing import Any

import anyio

from ._env import Env
from ._exit import OK
from ._output import choose_format, write_records

__all__ = ["listing"]

COLUMNS = ("name", "type", "created_at")


def listing(args: argparse.Namespace, env: Env) -> int:
    """Print every project (the API does not page this list)."""
    env.require_key()

    async def fetch() -> list[dict[str, Any]]:
        async with env.client() as client:
            return [project.as_dict() for project in await client.projects()]

    records = anyio.run(fetch)
    write_records(records, COLUMNS, choose_format(args.format, env.stdout), env.stdout)
    return OK
