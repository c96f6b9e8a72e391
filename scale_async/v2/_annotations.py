"""Annotations (the answers on a v2 task, thread, turn or message) and the files they hold.

The API sends one shape per annotation ``type``, differing only in ``value``; each type has
its class, picked by ``type`` when reading, and a type the API adds later reads as
``Annotation`` with its ``value`` left as JSON.
"""

from __future__ import annotations

from typing import Any

import attrs

from .._engine.model import Model
from .._engine.serde import converter
from ._enums import AnnotationType

__all__ = [
    "Annotation",
    "AnnotationBoolean",
    "AnnotationCategory",
    "AnnotationCategoryMultiple",
    "AnnotationFile",
    "AnnotationInteger",
    "AnnotationLabeledText",
    "AnnotationMetadata",
    "AnnotationRankedChoices",
    "AnnotationRankedGroups",
    "AnnotationRubricCriteria",
    "AnnotationRubricRating",
    "AnnotationText",
    "AnnotationWorkspaceContainer",
    "BasicFile",
    "ContentAndUrl",
    "DetailedFile",
    "LabeledTextValue",
    "RubricCriteriaValue",
    "RubricRatingValue",
    "WorkspaceContainerConfig",
    "WorkspaceContainerValue",
    "WorkspaceFile",
]


@attrs.define(kw_only=True, eq=False)
class BasicFile(Model):
    """A file by content or URL."""

    content: str | None = None
    mime_type: str | None = None
    scale_url: str | None = None
    url: str | None = None
    name: str | None = None


@attrs.define(kw_only=True, eq=False)
class DetailedFile(Model):
    """An attachment: the SDK's ``BasicFile | ImageFile | AudioFile``, every field of the three."""

    content: str | None = None
    mime_type: str | None = None
    scale_url: str | None = None
    url: str | None = None
    name: str | None = None
    file_size_in_bytes: int | None = None
    duration: float | None = None
    transcript: str | None = None
    transcript_url: str | None = None
    transcript_start: float | None = None
    transcript_end: float | None = None


@attrs.define(kw_only=True, eq=False)
class LabeledTextValue(Model):
    """One labelled span of a ``labeled_text`` annotation."""

    label: str | None = None
    text: str | None = None


@attrs.define(kw_only=True, eq=False)
class RubricCriteriaValue(Model):
    """A rubric criterion's weight (other keys stay in ``as_dict()``)."""

    weight: float | None = None


@attrs.define(kw_only=True, eq=False)
class RubricRatingValue(Model):
    """A rubric rating: score, colour, justification (other keys stay in ``as_dict()``)."""

    score: float | None = None
    color: str | None = None
    justification: str | None = None


@attrs.define(kw_only=True, eq=False)
class ContentAndUrl(Model):
    """Output captured inline and/or stored at a URL."""

    content: str | None = None
    url: str | None = None
    scale_url: str | None = None


@attrs.define(kw_only=True, eq=False)
class WorkspaceFile(Model):
    """A file a workspace run produced."""

    scale_url: str
    file_name: str | None = None
    url: str | None = None
    file_language: str | None = None
    file_content: str | None = None


@attrs.define(kw_only=True, eq=False)
class WorkspaceContainerConfig(Model):
    """How to reach a code workspace (the token is a workspace token, not the API key)."""

    workspace_id: str
    workspace_url: str | None = None
    workspace_token: str | None = attrs.field(default=None, repr=False)
    expires_at: str | None = None
    inactivity_freeze_time: int | None = None
    force_enable_workspace_access: bool | None = None
    workspace_image_version: int | None = None


@attrs.define(kw_only=True, eq=False)
class WorkspaceContainerValue(Model):
    """A code workspace's state: its config, last run, files and outputs."""

    workspace_id: str | None = None
    workspace_config: WorkspaceContainerConfig | None = None
    last_code_run_event: dict[str, Any] | None = None
    output_files: list[WorkspaceFile] | None = None
    stdout_output: ContentAndUrl | None = None
    stderr_output: ContentAndUrl | None = None
    test_stdout_output: ContentAndUrl | None = None
    test_stderr_output: ContentAndUrl | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationMetadata(Model):
    """Where an annotation comes from: the criteria annotation (an id, or expanded)."""

    criteria: str | Annotation | None = None


@attrs.define(kw_only=True, eq=False)
class Annotation(Model):
    """One answer: its ``key`` in the project's schema, ``type``, and ``value``."""

    id: str
    key: str | None = None
    type: AnnotationType | str | None = None
    title: str | None = None
    description: str | None = None
    labels: list[str] | None = None
    not_applicable: bool | None = None
    cannot_assess: bool | None = None
    metadata: AnnotationMetadata | None = None
    justification: str | None = None
    value: Any = None


@attrs.define(kw_only=True, eq=False)
class AnnotationBoolean(Annotation):
    """A yes/no answer."""

    value: bool | None = None
    possible_values: list[bool] | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationInteger(Annotation):
    """A whole-number answer (a rating, a count)."""

    value: int | None = None
    possible_values: list[int] | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationText(Annotation):
    """A free-text answer."""

    value: str | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationCategory(Annotation):
    """One choice among ``possible_values``."""

    value: str | None = None
    possible_values: list[str] | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationCategoryMultiple(Annotation):
    """Several choices among ``possible_values``."""

    value: list[str] | None = None
    possible_values: list[str] | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationFile(Annotation):
    """A file answer: one detailed file, or a list of basic ones."""

    value: DetailedFile | list[BasicFile] | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationLabeledText(Annotation):
    """Labelled spans of text."""

    value: list[LabeledTextValue] | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationRankedChoices(Annotation):
    """Choices in rank order."""

    value: list[str] | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationRankedGroups(Annotation):
    """Groups of choices in rank order."""

    value: list[list[str]] | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationRubricCriteria(Annotation):
    """A rubric criterion."""

    value: RubricCriteriaValue | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationRubricRating(Annotation):
    """A rubric rating."""

    value: RubricRatingValue | None = None


@attrs.define(kw_only=True, eq=False)
class AnnotationWorkspaceContainer(Annotation):
    """A code workspace answer."""

    value: WorkspaceContainerValue | None = None


#: The class of each annotation ``type``.
ANNOTATION_CLASSES: dict[str, type[Annotation]] = {
    AnnotationType.BOOLEAN.value: AnnotationBoolean,
    AnnotationType.INTEGER.value: AnnotationInteger,
    AnnotationType.TEXT.value: AnnotationText,
    AnnotationType.CATEGORY.value: AnnotationCategory,
    AnnotationType.CATEGORY_MULTIPLE.value: AnnotationCategoryMultiple,
    AnnotationType.FILE.value: AnnotationFile,
    AnnotationType.LABELED_TEXT.value: AnnotationLabeledText,
    AnnotationType.RANKED_CHOICES.value: AnnotationRankedChoices,
    AnnotationType.RANKED_GROUPS.value: AnnotationRankedGroups,
    AnnotationType.RUBRIC_CRITERIA.value: AnnotationRubricCriteria,
    AnnotationType.RUBRIC_RATING.value: AnnotationRubricRating,
    AnnotationType.WORKSPACE_CONTAINER.value: AnnotationWorkspaceContainer,
}


@attrs.define(kw_only=True, eq=False)
class _OtherAnnotation(Annotation):
    """An annotation of a type this client does not know yet."""


def _structure_annotation(data: Any, _: Any) -> Annotation:
    kind = data.get("type") if isinstance(data, dict) else None
    cls = ANNOTATION_CLASSES.get(kind, _OtherAnnotation) if isinstance(kind, str) else None
    return converter.structure(data, cls or _OtherAnnotation)


def _structure_file_value(data: Any, _: Any) -> DetailedFile | list[BasicFile] | None:
    if data is None:
        return None
    if isinstance(data, list):
        return converter.structure(data, list[BasicFile])
    return converter.structure(data, DetailedFile)


converter.register_structure_hook_func(lambda t: t is Annotation, _structure_annotation)
converter.register_structure_hook_func(
    lambda t: t == (DetailedFile | list[BasicFile] | None), _structure_file_value
)
