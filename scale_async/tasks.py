"""Tasks, the SDK's task enums, and the page type (``scaleapi.tasks``).

The enums have the SDK's exact member names and values. They mix in ``str`` and print as
their values, so ``status == "completed"`` and ``status == TaskStatus.Completed`` both hold
and ``print(task.status)`` shows ``completed`` as on the SDK; a value the server invents
later becomes a pseudo-member rather than failing a parse.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ._engine.model import Model, ValueEnum, absent_keys
from ._engine.pages import Paginator

__all__ = [
    "Task",
    "TaskReviewStatus",
    "TaskReviewStatusValue",
    "TaskStatus",
    "TaskStatusValue",
    "TaskType",
    "TaskTypeValue",
    "Tasklist",
]


class TaskType(ValueEnum):
    """The task types ``create_task`` accepts (``POST /task/{type}``)."""

    Annotation = "annotation"
    Categorization = "categorization"
    Comparison = "comparison"
    CuboidAnnotation = "cuboidannotation"
    DataCollection = "datacollection"
    DocumentModel = "documentmodel"
    DocumentTranscription = "documenttranscription"
    ImageAnnotation = "imageannotation"
    LaneAnnotation = "laneannotation"
    LidarAnnotation = "lidarannotation"
    LidarLinking = "lidarlinking"
    LidarSegmentation = "lidarsegmentation"
    LidarTopdown = "lidartopdown"
    LineAnnotation = "lineannotation"
    NamedEntityRecognition = "namedentityrecognition"
    PointAnnotation = "pointannotation"
    PolygonAnnotation = "polygonannotation"
    SegmentAnnotation = "segmentannotation"
    Transcription = "transcription"
    TextCollection = "textcollection"
    VideoAnnotation = "videoannotation"
    VideoBoxAnnotation = "videoboxannotation"
    VideoPlaybackAnnotation = "videoplaybackannotation"
    VideoCuboidAnnotation = "videocuboidannotation"
    SensorFusion = "sensorfusion"
    Chat = "chat"
    ChatExperimental = "chatexperimental"
    ChatLite = "chatlite"
    MultiChat = "multichat"
    MultiStage = "multistage"
    Federal2dVideoAnnotation = "federal2dvideoannotation"


class TaskStatus(ValueEnum):
    """A task's lifecycle state: the SDK's members. Scale also documents ``error``, which
    arrives as a pseudo-member (``TaskStatus("error")`` is refused, as by the SDK)."""

    Pending = "pending"
    Completed = "completed"
    Canceled = "canceled"


class TaskReviewStatus(ValueEnum):
    """Customer review outcomes, the ``customer_review_status`` filter."""

    Accepted = "accepted"
    Fixed = "fixed"
    Commented = "commented"
    Rejected = "rejected"
    Pending = "pending"


# The enums' values as Literals: arguments typed ``TaskStatus | TaskStatusValue`` take the
# member or its string under mypy (``get_tasks(status="completed")``), and a typo fails.
TaskTypeValue: TypeAlias = Literal[
    "annotation",
    "categorization",
    "comparison",
    "cuboidannotation",
    "datacollection",
    "documentmodel",
    "documenttranscription",
    "imageannotation",
    "laneannotation",
    "lidarannotation",
    "lidarlinking",
    "lidarsegmentation",
    "lidartopdown",
    "lineannotation",
    "namedentityrecognition",
    "pointannotation",
    "polygonannotation",
    "segmentannotation",
    "transcription",
    "textcollection",
    "videoannotation",
    "videoboxannotation",
    "videoplaybackannotation",
    "videocuboidannotation",
    "sensorfusion",
    "chat",
    "chatexperimental",
    "chatlite",
    "multichat",
    "multistage",
    "federal2dvideoannotation",
]
#: ``error`` is documented by Scale although the SDK's enum lacks it.
TaskStatusValue: TypeAlias = Literal["pending", "completed", "canceled", "error"]
TaskReviewStatusValue: TypeAlias = Literal["accepted", "fixed", "commented", "rejected", "pending"]


@attrs.define(kw_only=True, eq=False)
class TaskFields(Model):
    """The data of a task, shared by the async ``Task`` and its sync twin."""

    task_id: str
    # Every task Scale returns has a status (limited_response keeps it), so it is required:
    # ``s: TaskStatus = task.status`` is true. ``type`` may be left out.
    status: TaskStatus
    type: TaskType | None = None
    instruction: str | None = None
    params: dict[str, Any] | None = None
    callback_url: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    completed_at: str | None = None
    response: Any = None
    metadata: dict[str, Any] | None = None
    callback_succeeded: bool | None = None
    audits: list[dict[str, Any]] | None = None
    tags: list[str] | None = None
    unique_id: str | None = None
    project: str | None = None
    batch: str | None = None
    is_test: bool | None = None
    priority: int | None = None
    project_param_version: int | None = None

    @property
    def id(self) -> str:
        """The task id (``task_id``)."""
        return self.task_id

    def __str__(self) -> str:
        return f"Task(id={self.task_id})"

    _sdk_missing = "{cls!r} object has no attribute {name}"


# Every key of an SDK Task is read from its JSON, so every field but the id may be absent.
TaskFields._sdk_absent = absent_keys(TaskFields, always=frozenset({"task_id", "status"}))


@attrs.define(kw_only=True, eq=False)
class Task(TaskFields):
    """A Scale task. Its helper methods act on the server and update this object in place."""

    # The sync twin runs these very coroutines on its own instances, so they may only use
    # fields, ``_client`` and ``_update_from``, never another public method of ``self``.

    async def refresh(self) -> None:
        """Reload this task from the server."""
        self._update_from(await self._client.get_task(self.task_id))

    async def cancel(self, clear_unique_id: bool = False) -> None:
        """Cancel this task (optionally freeing its ``unique_id``) and update it."""
        self._update_from(await self._client.cancel_task(self.task_id, clear_unique_id))

    async def audit(self, accepted: bool, comments: str | None = None) -> None:
        """Accept or reject this completed task, then reload it to show the audit."""
        await self._client.audit_task(self.task_id, accepted, comments)
        # Not self.refresh(): on a sync twin that name is the blocking version.
        self._update_from(await self._client.get_task(self.task_id))

    async def update_unique_id(self, unique_id: str) -> None:
        """Give this task another ``unique_id``."""
        self._update_from(await self._client.update_task_unique_id(self.task_id, unique_id))

    async def clear_unique_id(self) -> None:
        """Remove this task's ``unique_id`` so that it can be reused."""
        self._update_from(await self._client.clear_task_unique_id(self.task_id))

    async def set_metadata(self, metadata: dict[str, Any]) -> None:
        """Replace this task's metadata."""
        self._update_from(await self._client.set_task_metadata(self.task_id, metadata))

    async def set_tags(self, tags: list[str]) -> None:
        """Replace this task's tags."""
        self._update_from(await self._client.set_task_tags(self.task_id, tags))

    async def add_tags(self, tags: list[str]) -> None:
        """Add tags to this task (tags it already has are ignored)."""
        self._update_from(await self._client.add_task_tags(self.task_id, tags))

    async def delete_tags(self, tags: list[str]) -> None:
        """Remove tags from this task (tags it does not have are ignored)."""
        self._update_from(await self._client.delete_task_tags(self.task_id, tags))


class Tasklist(Paginator[Task]):
    """One page of ``GET /tasks``: a list of tasks with ``total``, ``has_more``, ``next_token``."""
