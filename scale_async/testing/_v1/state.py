"""The in-memory world of the fake: accounts and the records they own. No I/O here.

Every API key is its own account, so test (``test_...``) and live (``live_...``) worlds never
see each other's tasks, projects or batches, just as on Scale.
"""

from __future__ import annotations

import copy
import random
from dataclasses import asdict, dataclass, field
from typing import Any

from .._clock import FakeClock, IdFactory, Now, format_ms
from .._keyset import Ordered
from .._params import Mode


@dataclass
class Stats:
    """Counters reported by ``GET /_fake/stats``."""

    requests_served: int = 0
    faults_injected: int = 0
    tasks_created: int = 0
    duplicates_refused: int = 0
    callbacks_delivered: int = 0
    callbacks_failed: int = 0
    faults_by_kind: dict[str, int] = field(default_factory=dict)
    responses_by_status: dict[str, int] = field(default_factory=dict)

    def count_fault(self, kind: str) -> None:
        """Record one injected fault."""
        self.faults_injected += 1
        self.faults_by_kind[kind] = self.faults_by_kind.get(kind, 0) + 1

    def count_response(self, status: int) -> None:
        """Record the status a v1 request was answered with."""
        key = str(status)
        self.responses_by_status[key] = self.responses_by_status.get(key, 0) + 1
        if status == 409:
            self.duplicates_refused += 1

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return asdict(self)


def _opt(out: dict[str, Any], key: str, value: Any, *, share: bool = False) -> None:
    if value is not None:
        out[key] = value if share else copy.deepcopy(value)


@dataclass
class Task:
    """A task as stored; ``to_json`` renders Scale's wire shape."""

    task_id: str
    type: str
    created_ms: int
    updated_ms: int
    status: str
    params: dict[str, Any]
    is_test: bool
    metadata: dict[str, Any]
    instruction: str | None = None
    callback_url: str | None = None
    project: str | None = None
    batch: str | None = None
    unique_id: str | None = None
    tags: list[str] | None = None
    priority: int = 0
    project_param_version: int | None = None
    response: Any = None
    completed_ms: int | None = None
    audits: list[dict[str, Any]] = field(default_factory=list)
    callback_succeeded: bool | None = None

    @property
    def review_status(self) -> str:
        """The customer review status: the last customer audit's result, else ``pending``."""
        for audit in reversed(self.audits):
            if audit.get("audit_source") == "customer":
                return str(audit["audit_result"])
        return "pending"

    def to_json(self, *, copy_values: bool = True) -> dict[str, Any]:
        """The task object; ``tags``/``unique_id`` are absent when unset, as on Scale.

        ``copy_values=False`` shares ``params``, ``metadata``, ``response`` and ``tags`` with
        the store, for a page that is encoded at once: the fake only ever replaces those,
        never changes them in place (``audits`` grow in place, so they are always copied).
        """
        share = not copy_values
        out: dict[str, Any] = {
            "task_id": self.task_id,
            "created_at": format_ms(self.created_ms),
            "updated_at": format_ms(self.updated_ms),
        }
        if self.completed_ms is not None:
            out["completed_at"] = format_ms(self.completed_ms)
        out["type"] = self.type
        out["status"] = self.status
        _opt(out, "instruction", self.instruction)
        out["params"] = self.params if share else copy.deepcopy(self.params)
        _opt(out, "callback_url", self.callback_url)
        out["is_test"] = self.is_test
        out["urgency"] = "standard"
        out["priority"] = self.priority
        out["metadata"] = self.metadata if share else copy.deepcopy(self.metadata)
        _opt(out, "project", self.project)
        _opt(out, "batch", self.batch)
        _opt(out, "project_param_version", self.project_param_version)
        out["processed_attachments"] = []
        out["work_started"] = self.status != "pending"
        out["audits"] = copy.deepcopy(self.audits) if self.audits else []
        if self.audits:
            out["customer_review_status"] = self.review_status
        _opt(out, "response", self.response, share=share)
        _opt(out, "callback_succeeded", self.callback_succeeded)
        _opt(out, "tags", self.tags, share=share)
        _opt(out, "unique_id", self.unique_id)
        return out


@dataclass
class Batch:
    """A batch as stored; its status is derived from its tasks by ``_batches``."""

    id: str
    name: str
    project: str
    created_ms: int
    callback: str
    metadata: dict[str, Any]
    calibration_batch: bool
    self_label_batch: bool
    staged: bool
    priority: int | None = None
    task_ids: list[str] = field(default_factory=list)
    studio_groups: list[str] = field(default_factory=list)
    studio_priority: int | None = None


@dataclass
class Group:
    """A Studio project group."""

    id: str
    name: str
    emails: list[str]


@dataclass
class Project:
    """A project with its versioned default params."""

    id: str
    name: str
    type: str
    created_ms: int
    param_history: list[dict[str, Any]]
    rapid: bool = False
    studio: bool = False
    dataset_id: str | None = None
    pipeline: str | None = None
    consensus_attempts: int | None = None
    ontology_history: list[dict[str, Any]] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The project object (the SDK needs ``name``, ``type`` and ``param_history``)."""
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "param_history": copy.deepcopy(self.param_history),
            "created_at": format_ms(self.created_ms),
            "rapid": self.rapid,
            "studio": self.studio,
            "archived": False,
        }
        _opt(out, "datasetId", self.dataset_id)
        _opt(out, "pipeline", self.pipeline)
        _opt(out, "consensus_attempts", self.consensus_attempts)
        if self.ontology_history:
            out["ontologyHistory"] = copy.deepcopy(self.ontology_history)
        return out


@dataclass
class File:
    """An uploaded or imported file."""

    id: str
    attachment_url: str
    created_ms: int
    mime_type: str
    size: int
    project_names: list[str]
    display_name: str | None = None
    reference_id: str | None = None
    metadata: dict[str, Any] | None = None
    file_url: str | None = None
    content: bytes | None = None

    def to_json(self) -> dict[str, Any]:
        """The file object (the SDK needs ``id`` and ``attachment_url``)."""
        out: dict[str, Any] = {
            "id": self.id,
            "attachment_url": self.attachment_url,
            "created_at": format_ms(self.created_ms),
            "updated_at": format_ms(self.created_ms),
            "mime_type": self.mime_type,
            "project_names": list(self.project_names),
            "size": self.size,
        }
        _opt(out, "display_name", self.display_name)
        _opt(out, "reference_id", self.reference_id)
        _opt(out, "metadata", self.metadata)
        _opt(out, "file_url", self.file_url)
        return out


@dataclass
class Teammate:
    """A team member; ``expiry_ms`` is set while the invitation is pending."""

    id: str
    email: str
    role: str
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    expiry_ms: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The camelCase teammate object Scale sends."""
        out: dict[str, Any] = {"email": self.email, "role": self.role}
        _opt(out, "firstName", self.first_name)
        _opt(out, "lastName", self.last_name)
        _opt(out, "company", self.company)
        out["isStudioLabeler"] = self.role == "labeler"
        if self.expiry_ms is not None:
            out["expiry"] = format_ms(self.expiry_ms)
        return out


@dataclass
class QualityTask:
    """An evaluation or training task."""

    id: str
    kind: str
    type: str
    project: str
    created_ms: int
    params: dict[str, Any]
    expected_response: Any
    initial_response: Any = None

    def to_json(self) -> dict[str, Any]:
        """The quality task object (the SDK needs ``id`` and ``expected_response``)."""
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "project": self.project,
            "created_at": format_ms(self.created_ms),
            "params": copy.deepcopy(self.params),
            "expected_response": copy.deepcopy(self.expected_response),
        }
        _opt(out, "initial_response", self.initial_response)
        return out


OWNER_EMAIL = "owner@fake-scale.invalid"


def listing_key(task: Task) -> tuple[int, str]:
    """Where a task sits in ``GET /tasks`` (read backwards: newest first) and its cursor."""
    return (task.created_ms, task.task_id)


class TaskIndex:
    """An account's tasks in listing order: all of them, and those of each project and batch.

    A task's project, batch and creation stamp never change, so a task is filed once, when it
    is made; ``GET /tasks`` then reads the narrowest list its filters allow.
    """

    __slots__ = ("_batches", "_every", "_projects")

    def __init__(self) -> None:
        self._every: Ordered[Task] = Ordered(listing_key)
        self._projects: dict[str, Ordered[Task]] = {}
        self._batches: dict[str, Ordered[Task]] = {}

    def add(self, task: Task) -> None:
        """File a new task."""
        self._every.add(task)
        if task.project is not None:
            self._projects.setdefault(task.project, Ordered(listing_key)).add(task)
        if task.batch is not None:
            self._batches.setdefault(task.batch, Ordered(listing_key)).add(task)

    def narrowest(self, project: str | None, batch: str | None) -> Ordered[Task]:
        """The tasks of ``batch``, else of ``project``, else all: a superset of the matches."""
        if batch is not None:
            return self._batches.get(batch) or Ordered(listing_key)
        if project is not None:
            return self._projects.get(project) or Ordered(listing_key)
        return self._every


@dataclass
class Account:
    """Everything one API key can see.

    Tasks are added with ``add_task``, which files them in ``listing`` too.
    """

    key: str
    mode: Mode
    tasks: dict[str, Task] = field(default_factory=dict)
    listing: TaskIndex = field(default_factory=TaskIndex, repr=False, compare=False)
    unique_ids: dict[str, str] = field(default_factory=dict)
    idempotency: dict[str, tuple[str, str]] = field(default_factory=dict)
    batches: dict[str, Batch] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    files: dict[str, File] = field(default_factory=dict)
    file_refs: dict[str, str] = field(default_factory=dict)
    teammates: dict[str, Teammate] = field(default_factory=dict)
    assignments: dict[str, list[str]] = field(default_factory=dict)
    quality_tasks: list[QualityTask] = field(default_factory=list)
    studio_order_custom: bool = False

    def add_task(self, task: Task) -> None:
        """Store a new task and file it for listings."""
        self.tasks[task.task_id] = task
        self.listing.add(task)


class World:
    """All accounts plus the shared clock, id source and counters of one fake server."""

    def __init__(self, *, seed: int | None = None, now: Now | None = None) -> None:
        self.clock = FakeClock(now)
        self.ids = IdFactory(random.Random(seed))
        self.accounts: dict[str, Account] = {}
        self.stats = Stats()

    def tick(self) -> int:
        """A new, strictly later timestamp."""
        return self.clock.tick()

    def new_id(self, ms: int | None = None) -> str:
        """A fresh ObjectId-like id."""
        return self.ids.object_id(self.tick() if ms is None else ms)

    def account(self, key: str, mode: Mode) -> Account:
        """The account of ``key``, created on first use with an admin owner."""
        account = self.accounts.get(key)
        if account is None:
            account = Account(key=key, mode=mode)
            owner = Teammate(
                id=self.new_id(),
                email=OWNER_EMAIL,
                role="admin",
                first_name="Fake",
                last_name="Owner",
                company="Fake Scale Customer",
            )
            account.teammates[owner.email] = owner
            self.accounts[key] = account
        return account

    def find_task(self, task_id: str) -> tuple[Account, Task] | None:
        """Look a task up in every account (control routes do not carry a key)."""
        for account in self.accounts.values():
            task = account.tasks.get(task_id)
            if task is not None:
                return account, task
        return None
