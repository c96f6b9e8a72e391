"""The v2 records of the fake, per API key, and how they render on the wire. No I/O here.

Records hold JSON-ready dicts plus the millisecond stamps the filters compare; the wire
shapes are those the official SDK's pydantic models require (every required key present,
references as ids unless expanded).
"""

from __future__ import annotations

import copy
import functools
import random
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from .._clock import FakeClock, IdFactory, Now, to_ms, utc_now
from .._clock import format_ms as _format_ms


@dataclass
class V2Task:
    """A v2 task; ``completed_ms`` is None until it is done."""

    task_id: str
    project_id: str
    created_ms: int
    status: str
    batch_id: str | None = None
    completed_ms: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    threads: list[dict[str, Any]] | None = None
    template_variables: dict[str, Any] | None = None
    callback_url: str | None = None
    #: The response schema and response a delivery hands over.
    response: dict[str, Any] | None = None
    response_schema_id: str | None = None


@dataclass
class V2Batch:
    """A v2 batch."""

    id: str
    name: str
    project_id: str
    created_ms: int
    status: str
    metadata: dict[str, Any] = field(default_factory=dict)
    callback: str | None = None
    completed_ms: int | None = None


@dataclass
class V2Project:
    """A GenAI project."""

    id: str
    name: str
    created_ms: int
    types: list[str] = field(default_factory=lambda: ["SFT"])
    models: list[str] = field(default_factory=list)


@dataclass
class V2Delivery:
    """A delivery of a project's tasks."""

    id: str
    name: str
    project_id: str
    delivered_ms: int
    task_ids: list[str] = field(default_factory=list)


@dataclass
class V2DatasetDelivery:
    """A delivery of a dataset, and the dataset tasks it holds."""

    id: str
    name: str
    dataset_id: str
    delivered_ms: int
    task_ids: list[str] = field(default_factory=list)
    turn_count: int = 0


@dataclass
class V2DatasetTask:
    """A task of a dataset delivery, with its response."""

    task_id: str
    dataset_id: str
    delivery_id: str
    response: dict[str, Any]


@dataclass
class V2Account:
    """Everything one API key owns on v2."""

    projects: dict[str, V2Project] = field(default_factory=dict)
    batches: dict[str, V2Batch] = field(default_factory=dict)
    #: By id; ``ordered`` holds the same tasks in creation order, for listings.
    tasks: dict[str, V2Task] = field(default_factory=dict)
    ordered: list[V2Task] = field(default_factory=list)
    annotations: dict[str, dict[str, Any]] = field(default_factory=dict)
    deliveries: dict[str, V2Delivery] = field(default_factory=dict)
    datasets: dict[str, str] = field(default_factory=dict)
    dataset_deliveries: dict[str, V2DatasetDelivery] = field(default_factory=dict)
    dataset_tasks: dict[str, V2DatasetTask] = field(default_factory=dict)
    #: (dataset task id, attachment id) -> the stored response file's JSON.
    attachments: dict[tuple[str, str], Any] = field(default_factory=dict)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add_task(self, task: V2Task) -> None:
        """Store a new task (stamped later than every earlier one)."""
        self.tasks[task.task_id] = task
        self.ordered.append(task)

    def project_named(self, name: str) -> V2Project | None:
        """The project called ``name``."""
        return next((p for p in self.projects.values() if p.name == name), None)

    def batch_named(self, name: str) -> V2Batch | None:
        """The batch called ``name``."""
        return next((b for b in self.batches.values() if b.name == name), None)

    def delivery_named(self, name: str) -> V2Delivery | None:
        """The delivery called ``name``."""
        return next((d for d in self.deliveries.values() if d.name == name), None)


#: Stamps are rendered on every listing of them; each is formatted once.
format_ms = functools.lru_cache(maxsize=1 << 16)(_format_ms)


class V2Clock(FakeClock):
    """The fake's clock, which can also stamp what Scale made in the past (seeded work)."""

    def __init__(self, now: Now | None = None) -> None:
        super().__init__(now)
        self._wall = now or utc_now

    def ago(self, ms: int) -> int:
        """A fresh stamp ``ms`` before now, or just after the latest stamp if that is later:
        stamps stay strictly increasing, so listings in creation order stay exact."""
        self._last = max(to_ms(self._wall()) - ms, self._last + 1)
        return self._last


class V2World:
    """Every account's v2 records, with the clock and ids they are stamped with."""

    def __init__(self, seed: int | None = None, now: Now | None = None) -> None:
        self.clock = V2Clock(now)
        self.ids = IdFactory(random.Random(seed))
        self.accounts: dict[str, V2Account] = {}
        #: Stored response files by (dataset task id, attachment id), served without a key.
        self.files: dict[tuple[str, str], Any] = {}

    def account(self, key: str) -> V2Account:
        """The v2 records of ``key``, created on first use."""
        return self.accounts.setdefault(key, V2Account())

    def new_id(self, prefix: str = "") -> str:
        """A fresh id, in creation order."""
        return prefix + self.ids.object_id(self.clock.tick())

    # -- wire shapes -----------------------------------------------------------------------

    def project_json(self, project: V2Project) -> dict[str, Any]:
        """A ``Project``."""
        return {
            "id": project.id,
            "name": project.name,
            "created_at": format_ms(project.created_ms),
            "types": list(project.types),
            "models": list(project.models),
        }

    def batch_json(
        self, account: V2Account, batch: V2Batch, expand: Collection[str] = ()
    ) -> dict[str, Any]:
        """A ``Batch``; ``expand`` may name ``project``."""
        out: dict[str, Any] = {
            "id": batch.id,
            "name": batch.name,
            "project": self._project_ref(account, batch.project_id, expand),
            "created_at": format_ms(batch.created_ms),
            "status": batch.status,
            "metadata": copy.deepcopy(batch.metadata),
        }
        if batch.completed_ms is not None:
            out["completed_at"] = format_ms(batch.completed_ms)
        if batch.callback:
            out["callback"] = batch.callback
        return out

    def _project_ref(self, account: V2Account, project_id: str, expand: Collection[str]) -> Any:
        project = account.projects.get(project_id)
        if "project" in expand and project is not None:
            return self.project_json(project)
        return project_id

    def task_json(
        self, account: V2Account, task: V2Task, expand: Collection[str] = ()
    ) -> dict[str, Any]:
        """A ``Task``; ``expand`` may name ``project`` and ``batch``."""
        out: dict[str, Any] = {
            "task_id": task.task_id,
            "project": self._project_ref(account, task.project_id, expand),
            "status": task.status,
            "created_at": format_ms(task.created_ms),
            # Replies are encoded at once, never kept: a shallow copy is enough.
            "metadata": dict(task.metadata),
        }
        if task.batch_id is not None:
            batch = account.batches.get(task.batch_id)
            out["batch"] = (
                self.batch_json(account, batch) if "batch" in expand and batch else task.batch_id
            )
        if task.completed_ms is not None:
            out["completed_at"] = format_ms(task.completed_ms)
        if task.threads is not None:
            out["threads"] = copy.deepcopy(task.threads)
        return out

    def delivery_json(
        self, account: V2Account, delivery: V2Delivery, expand: Collection[str] = ()
    ) -> dict[str, Any]:
        """A ``Delivery``; ``expand`` may name ``project``."""
        return {
            "id": delivery.id,
            "name": delivery.name,
            "task_count": len(delivery.task_ids),
            "delivered_at": format_ms(delivery.delivered_ms),
            "project": self._project_ref(account, delivery.project_id, expand),
        }

    def dataset_json(self, account: V2Account, dataset_id: str) -> dict[str, Any]:
        """A ``Dataset``."""
        return {"id": dataset_id, "name": account.datasets[dataset_id]}

    def dataset_delivery_json(
        self, account: V2Account, delivery: V2DatasetDelivery, expand: Collection[str] = ()
    ) -> dict[str, Any]:
        """A ``DatasetDelivery``; ``expand`` may name ``dataset``."""
        dataset = (
            self.dataset_json(account, delivery.dataset_id)
            if "dataset" in expand
            else delivery.dataset_id
        )
        return {
            "id": delivery.id,
            "name": delivery.name,
            "delivered_at": format_ms(delivery.delivered_ms),
            "dataset": dataset,
            "metadata": {"task_count": len(delivery.task_ids), "turn_count": delivery.turn_count},
        }

    def dataset_task_json(
        self, account: V2Account, task: V2DatasetTask, expand: Collection[str] = ()
    ) -> dict[str, Any]:
        """A ``DatasetTask``; ``expand`` may name ``dataset`` and ``delivery``."""
        delivery = account.dataset_deliveries[task.delivery_id]
        return {
            "task_id": task.task_id,
            "dataset": (
                self.dataset_json(account, task.dataset_id)
                if "dataset" in expand
                else task.dataset_id
            ),
            "delivery": (
                self.dataset_delivery_json(account, delivery)
                if "delivery" in expand
                else task.delivery_id
            ),
            "response": copy.deepcopy(task.response),
        }
