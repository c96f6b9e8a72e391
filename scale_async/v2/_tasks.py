"""v2 tasks: a chat task's threads, turns and messages, with their annotations."""

from __future__ import annotations

from typing import Any

import attrs

from .._engine.model import Model
from ._annotations import Annotation, DetailedFile
from ._enums import ErrorType, MessageRole, TaskStatus
from ._hooks import Timestamp
from ._resources import Batch, Project

__all__ = [
    "Chunk",
    "CriterionDefinition",
    "CriterionEvaluation",
    "ErrorDetail",
    "GetTasksResponse",
    "Message",
    "MessageContent",
    "ModelParameters",
    "Reasoning",
    "ReferenceText",
    "Rubric",
    "RubricEvaluation",
    "SensitiveContentReport",
    "Submission",
    "Task",
    "Thread",
    "Turn",
]


@attrs.define(kw_only=True, eq=False)
class ReferenceText(Model):
    """Reference material shown with a message."""

    content: str | None = None
    category: str | None = None
    url: str | None = None


@attrs.define(kw_only=True, eq=False)
class Reasoning(Model):
    """A model's reasoning step."""

    content: str | None = None


@attrs.define(kw_only=True, eq=False)
class Chunk(Model):
    """A piece of a message's content with its own annotations (``type`` ``text`` today)."""

    type: str | None = None
    text: str | None = None
    annotations: list[Annotation] = attrs.field(factory=list)


@attrs.define(kw_only=True, eq=False)
class MessageContent(Model):
    """What a message says: text, references, attachments, chunks, reasoning."""

    text: str | None = None
    reference_texts: list[ReferenceText] | None = None
    attachments: list[DetailedFile] | None = None
    chunks: list[Chunk] | None = None
    reasoning: list[Reasoning] | None = None


@attrs.define(kw_only=True, eq=False)
class ModelParameters(Model):
    """The model settings that produced a message."""

    model: str | None = None
    temperature: float | None = None
    max_completion_tokens: int | None = None
    top_p: float | None = None
    top_k: int | None = None


@attrs.define(kw_only=True, eq=False)
class CriterionDefinition(Model):
    """One criterion of a rubric."""

    id: str
    criterion: str | None = None
    weight: float | None = None
    annotations: list[Annotation] = attrs.field(factory=list)


@attrs.define(kw_only=True, eq=False)
class Rubric(Model):
    """The criteria a turn is graded by."""

    criteria_definitions: list[CriterionDefinition] = attrs.field(factory=list)
    max_total_score: int | None = None


@attrs.define(kw_only=True, eq=False)
class CriterionEvaluation(Model):
    """The score one criterion got."""

    criterion_definition_id: str | None = None
    score: float | None = None
    annotations: list[Annotation] | None = None


@attrs.define(kw_only=True, eq=False)
class RubricEvaluation(Model):
    """A message graded against a rubric."""

    criteria_evaluations: list[CriterionEvaluation] | None = None
    annotations: list[Annotation] | None = None
    total_score: float | None = None
    percentage: float | None = None


@attrs.define(kw_only=True, eq=False)
class Message(Model):
    """One message of a turn."""

    role: MessageRole | str | None = None
    content: MessageContent | None = None
    source_id: str | None = None
    model_parameters: ModelParameters | None = None
    annotations: list[Annotation] = attrs.field(factory=list)
    rubric_evaluations: list[RubricEvaluation] | None = None


@attrs.define(kw_only=True, eq=False)
class Turn(Model):
    """One exchange of a conversation."""

    id: str
    messages: list[Message] = attrs.field(factory=list)
    annotations: list[Annotation] = attrs.field(factory=list)
    rubrics: list[Rubric] | None = None


@attrs.define(kw_only=True, eq=False)
class Submission(Model):
    """Who submitted a thread, and when."""

    submitted_at: Timestamp | None = None
    contributor_id: str | None = None


@attrs.define(kw_only=True, eq=False)
class Thread(Model):
    """A conversation of a task: its turns, submissions and thread-level annotations."""

    id: str
    turns: list[Turn] = attrs.field(factory=list)
    submissions: list[Submission] | None = None
    annotations: list[Annotation] = attrs.field(factory=list)


@attrs.define(kw_only=True, eq=False)
class ErrorDetail(Model):
    """Why a task could not be done."""

    type: ErrorType | str | None = None
    message: str | None = None


@attrs.define(kw_only=True, eq=False)
class SensitiveContentReport(Model):
    """A report of sensitive content in a task."""

    type: str | None = None
    message: str | None = None


@attrs.define(kw_only=True, eq=False)
class Task(Model):
    """A v2 task. ``project`` and ``batch`` are ids, or the objects when expanded."""

    task_id: str
    project: str | Project | None = None
    batch: str | Batch | None = None
    status: TaskStatus | str | None = None
    created_at: Timestamp | None = None
    completed_at: Timestamp | None = None
    metadata: dict[str, Any] | None = None
    threads: list[Thread] | None = None
    errors: list[ErrorDetail] | None = None
    sensitive_content_reports: list[SensitiveContentReport] | None = None

    def __str__(self) -> str:
        return f"Task(task_id={self.task_id})"


@attrs.define(kw_only=True, eq=False)
class GetTasksResponse(Model):
    """One page of ``GET /v2/tasks``; ``next_token`` is None on the last page."""

    tasks: list[Task]
    next_token: str | None = None
