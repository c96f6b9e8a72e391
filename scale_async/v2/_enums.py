"""The v2 API's enums, with the official SDK's member names and values.

Like v1's, they mix in ``str`` (``status == "completed"`` holds) and a value the server adds
later reads as a plain string instead of failing the parse (the models type them ``E | str``).
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "AnnotationType",
    "BatchStatus",
    "ErrorType",
    "Expandable",
    "ExpandableEnumBatch",
    "ExpandableEnumDatasetTask",
    "ExpandableEnumDatasetsDeliveries",
    "ExpandableEnumDeliveries",
    "ExpandableEnumDelivery",
    "ExpandableEnumTask",
    "GenAIProjectType",
    "MessageRole",
    "Option",
    "TaskStatus",
]


class TaskStatus(str, Enum):
    """A v2 task's state (v2 adds ``deleted`` to v1's set)."""

    PENDING = "pending"
    COMPLETED = "completed"
    CANCELED = "canceled"
    ERROR = "error"
    DELETED = "deleted"


class BatchStatus(str, Enum):
    """A v2 batch's state; v2 batches can be paused and cancelled."""

    STAGING = "staging"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    PAUSED = "paused"
    CANCELLED = "cancelled"


class AnnotationType(str, Enum):
    """What an annotation's ``value`` holds; it picks the annotation's class."""

    INTEGER = "integer"
    BOOLEAN = "boolean"
    TEXT = "text"
    CATEGORY = "category"
    CATEGORY_MULTIPLE = "category_multiple"
    FILE = "file"
    WORKSPACE_CONTAINER = "workspace_container"
    RANKED_CHOICES = "ranked_choices"
    RANKED_GROUPS = "ranked_groups"
    RUBRIC_CRITERIA = "rubric_criteria"
    RUBRIC_RATING = "rubric_rating"
    LABELED_TEXT = "labeled_text"


class MessageRole(str, Enum):
    """Who wrote a message of a conversation turn."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    FUNCTION = "function"


class Option(str, Enum):
    """Extra properties task reads include when asked (``opts``)."""

    ANNOTATION_DETAILS = "annotation_details"
    ATTACHMENT_DETAILS = "attachment_details"
    MODEL_PARAMETERS = "model_parameters"
    SUBMISSIONS = "submissions"


class ErrorType(str, Enum):
    """Why a chat task could not be done, in a task's ``errors``."""

    UNSUPPORTED_LANGUAGE = "UNSUPPORTED_LANGUAGE"
    LANGUAGE_MISMATCH = "LANGUAGE_MISMATCH"
    PROMPT_LENGTH_EXCEEDED = "PROMPT_LENGTH_EXCEEDED"
    INVALID_CATEGORY = "INVALID_CATEGORY"
    PROMPT_INFEASIBLE = "PROMPT_INFEASIBLE"


class GenAIProjectType(str, Enum):
    """The kinds of GenAI project (a project's ``types``)."""

    SFT = "SFT"
    RLHF_COLON__PREF_RANKING = "RLHF: Pref Ranking"
    RLHF_COLON__PREF_RANKING_WITH_REWRITES = "RLHF: Pref Ranking with Rewrites"
    RLVR_COLON__REINFORCEMENT_LEARNING_WITH_VERIFIABLE_REWARDS = (
        "RLVR: Reinforcement Learning with Verifiable Rewards"
    )
    RUBRICS = "Rubrics"
    PROCESS_SUPERVISION = "Process Supervision"
    EVALS = "Evals"
    PROMPT_GENERATION = "Prompt Generation"
    CONTENT_UNDERSTANDING = "Content Understanding"
    OTHER = "Other"


class Expandable(str, Enum):
    """Every reference a v2 response can expand into the whole object."""

    PROJECT = "project"
    BATCH = "batch"
    DELIVERY = "delivery"


class ExpandableEnumTask(str, Enum):
    """What ``expand`` can name on task reads."""

    PROJECT = "project"
    BATCH = "batch"


class ExpandableEnumBatch(str, Enum):
    """What ``expand`` can name on batch reads."""

    PROJECT = "project"


class ExpandableEnumDelivery(str, Enum):
    """What ``expand`` can name on ``get_delivery``."""

    PROJECT = "project"
    BATCH = "batch"
    DELIVERY = "delivery"


class ExpandableEnumDeliveries(str, Enum):
    """What ``expand`` can name on ``get_deliveries``."""

    PROJECT = "project"


class ExpandableEnumDatasetTask(str, Enum):
    """What ``expand`` can name on dataset task reads."""

    DATASET = "dataset"
    DELIVERY = "delivery"


class ExpandableEnumDatasetsDeliveries(str, Enum):
    """What ``expand`` can name on dataset delivery reads."""

    DATASET = "dataset"
