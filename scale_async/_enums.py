"""The SDK's enums with its exact member names and values.

They mix in ``str``, so ``status == "completed"`` and ``status == TaskStatus.Completed`` both
hold; a value the server invents later is kept as a plain string rather than failing a parse.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

__all__ = ["BatchStatus", "TaskReviewStatus", "TaskStatus", "TaskType", "TeammateRole", "tolerant"]

E = TypeVar("E", bound=Enum)


def tolerant(enum_cls: type[E], value: Any) -> E | str:
    """``value`` as a member of ``enum_cls``, or as a plain string if the enum lacks it."""
    try:
        return enum_cls(value)
    except ValueError:
        return str(value)


class TaskType(str, Enum):
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


class TaskStatus(str, Enum):
    """A task's lifecycle state; ``error`` is documented by Scale although the SDK omits it."""

    Pending = "pending"
    Completed = "completed"
    Canceled = "canceled"
    Error = "error"


class TaskReviewStatus(str, Enum):
    """Customer review outcomes, the ``customer_review_status`` filter."""

    Accepted = "accepted"
    Fixed = "fixed"
    Commented = "commented"
    Rejected = "rejected"
    Pending = "pending"


class BatchStatus(str, Enum):
    """A batch's lifecycle state."""

    Staging = "staging"
    InProgress = "in_progress"
    Completed = "completed"


class TeammateRole(str, Enum):
    """Team roles for invitations and role changes."""

    Labeler = "labeler"
    Member = "member"
    Manager = "manager"
    Admin = "admin"
