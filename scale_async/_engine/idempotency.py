"""Deterministic ``unique_id`` values, so that re-running a bulk job never duplicates a task.

Scale's ``unique_id`` is global to the account, across projects and task types, so the id
covers the task type, project, batch and the canonical payload, plus a caller-chosen namespace
that tells apart two jobs which deliberately send the same payload.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

__all__ = ["canonical_json", "derive_unique_id"]

PREFIX = "sa1-"


def _default(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    raise TypeError(f"payload value of type {type(value).__name__} is not JSON-serialisable")


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept, enums by value."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def derive_unique_id(task_type: str, payload: Mapping[str, Any], namespace: str | None) -> str:
    """The ``unique_id`` for ``payload`` (its own ``unique_id`` aside) in ``namespace``."""
    content = {key: value for key, value in payload.items() if key != "unique_id"}
    material = canonical_json(
        {
            "namespace": namespace or "",
            "type": task_type,
            "project": content.get("project"),
            "batch": content.get("batch"),
            "payload": content,
        }
    )
    import hashlib  # with the first id: hashlib (OpenSSL) is a noticeable part of import time

    return PREFIX + hashlib.sha256(material.encode()).hexdigest()[:40]
