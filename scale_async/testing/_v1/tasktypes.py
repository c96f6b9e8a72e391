"""What each task type needs and what a finished one looks like.

Scale checks a type's required parameters at creation (400 otherwise) and, in the test
environment, completes the task at once with a canned answer. The answers here are shaped like
the real ones so client code that reads ``task.response`` has something realistic to parse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .._errors import bad_request

TASK_TYPES: frozenset[str] = frozenset(
    {
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
    }
)

ALIASES: Mapping[str, str] = {"categorize": "categorization"}

QUALITY_TASK_TYPES: frozenset[str] = frozenset(
    {
        "documenttranscription",
        "segmentannotation",
        "videoplaybackannotation",
        "imageannotation",
        "textcollection",
        "namedentityrecognition",
    }
)

TEMPLATE_TYPES: frozenset[str] = frozenset(
    {"textcollection", "chat", "chatexperimental", "chatlite", "multichat"}
)

_ATTACHMENT = ("attachment",)
_ANY_ATTACHMENT = ("attachment", "attachments")
_FRAMES = ("attachments",)
_OBJECTS = ("objects_to_annotate",)

# Each inner tuple is a set of alternatives: one of them must be present and non-empty.
REQUIRED: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "annotation": (_ATTACHMENT, _OBJECTS),
    "categorization": (_ATTACHMENT, ("categories",), ("instruction",)),
    "comparison": (_FRAMES,),
    "cuboidannotation": (_ATTACHMENT, _OBJECTS),
    "datacollection": (_ATTACHMENT, ("fields",)),
    "documentmodel": (_ATTACHMENT,),
    "documenttranscription": (_ATTACHMENT,),
    "imageannotation": (_ATTACHMENT, ("geometries",)),
    "laneannotation": (_ATTACHMENT, _OBJECTS),
    "lidarannotation": (_FRAMES,),
    "lidarlinking": (_FRAMES,),
    "lidarsegmentation": (_FRAMES,),
    "lidartopdown": (_FRAMES,),
    "lineannotation": (_ATTACHMENT, _OBJECTS),
    "namedentityrecognition": (("text",), ("labels",)),
    "pointannotation": (_ATTACHMENT, _OBJECTS),
    "polygonannotation": (_ATTACHMENT, _OBJECTS),
    "segmentannotation": (_ATTACHMENT, ("labels",)),
    "transcription": (_ATTACHMENT, ("fields", "repeatable_fields")),
    "videoannotation": (_ANY_ATTACHMENT, ("geometries",)),
    "videoboxannotation": (_ANY_ATTACHMENT, _OBJECTS),
    "videoplaybackannotation": (_ANY_ATTACHMENT, ("geometries",)),
    "videocuboidannotation": (_FRAMES,),
    "sensorfusion": (_FRAMES,),
}

_ATTACHMENT_MESSAGE = "Please include an attachment or attachments parameter."


def canonical_type(name: str) -> str | None:
    """The task type a ``/task/{type}`` path names, following legacy aliases; None if unknown."""
    name = ALIASES.get(name, name)
    return name if name in TASK_TYPES else None


def require_task_type(name: str) -> str:
    """The canonical task type, or a 400 for a type Scale does not have."""
    task_type = canonical_type(name)
    if task_type is None:
        raise bad_request(f"Invalid task type: {name}")
    return task_type


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def missing_parameter(task_type: str, fields: Mapping[str, Any]) -> str | None:
    """The 400 message for the first required parameter missing from ``fields``, or None."""
    for alternatives in REQUIRED.get(task_type, ()):
        if any(_present(fields.get(name)) for name in alternatives):
            continue
        if "attachment" in alternatives:
            return _ATTACHMENT_MESSAGE
        article = "an" if alternatives[0][0] in "aeiou" else "a"
        return f"Please include {article} {' or '.join(alternatives)} parameter."
    return None


def _label(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("choice", "name", "label"):
            if isinstance(item.get(key), str):
                return str(item[key])
    return str(item)


def _first_label(items: Any, default: str = "object") -> str:
    if isinstance(items, list) and items:
        return _label(items[0])
    return default


def _shape(kind: str, label: str, uuid: str) -> dict[str, Any]:
    base: dict[str, Any] = {"uuid": uuid, "type": kind, "label": label, "attributes": {}}
    if kind in ("box", "ellipse"):
        base.update(left=12, top=34, width=56, height=78)
        if kind == "ellipse":
            base.update(rotation=0)
    elif kind in ("polygon", "line"):
        base["vertices"] = [{"x": 10, "y": 10}, {"x": 60, "y": 12}, {"x": 40, "y": 55}]
    elif kind == "point":
        base.update(x=42, y=24)
    elif kind == "cuboid":
        base["points"] = [{"x": 10 + i * 5, "y": 20 + i * 3} for i in range(8)]
    return base


def _image_annotations(params: Mapping[str, Any], new_uuid: Callable[[], str]) -> list[Any]:
    geometries = params.get("geometries")
    out: list[Any] = []
    if isinstance(geometries, dict):
        for kind, spec in geometries.items():
            objects = spec.get("objects_to_annotate") if isinstance(spec, dict) else None
            out.append(_shape(kind, _first_label(objects), new_uuid()))
    return out


def _fields_answer(params: Mapping[str, Any]) -> dict[str, Any]:
    fields = params.get("fields")
    names = list(fields) if isinstance(fields, dict | list) else []
    return {
        "fields": {str(name): f"sample {name}" for name in names},
        "repeatable_fields": [],
    }


def fake_response(
    task_type: str, params: Mapping[str, Any], new_uuid: Callable[[], str]
) -> dict[str, Any]:
    """A plausible ``response`` for a task of this type, derived from its own params."""
    if task_type == "imageannotation":
        return {
            "annotations": _image_annotations(params, new_uuid),
            "links": [],
            "global_attributes": {},
        }
    if task_type in (
        "annotation",
        "polygonannotation",
        "lineannotation",
        "pointannotation",
        "cuboidannotation",
        "laneannotation",
    ):
        kind = {
            "annotation": "box",
            "polygonannotation": "polygon",
            "lineannotation": "line",
            "laneannotation": "line",
            "pointannotation": "point",
            "cuboidannotation": "cuboid",
        }[task_type]
        label = _first_label(params.get("objects_to_annotate"))
        return {"annotations": [_shape(kind, label, new_uuid())]}
    if task_type == "categorization":
        categories = params.get("categories")
        first = _first_label(categories, "unknown")
        return {"category": [first] if params.get("allow_multiple") else first}
    if task_type in ("transcription", "datacollection"):
        return _fields_answer(params)
    if task_type == "namedentityrecognition":
        text = str(params.get("text", ""))
        end = min(len(text), 5)
        label = _first_label(params.get("labels"), "entity")
        return {"annotations": [{"label": label, "start": 0, "end": end, "text": text[:end]}]}
    if task_type == "segmentannotation":
        labels = [_label(x) for x in params.get("labels") or []]
        base = f"https://fake-scale-assets.invalid/masks/{new_uuid()}"
        return {
            "annotations": {
                "allClasses": labels,
                "combined": {
                    "image": f"{base}/combined.png",
                    "indexedImage": f"{base}/indexed.png",
                },
                "labeled": {label: [f"{base}/{i}.png"] for i, label in enumerate(labels)},
                "unlabeled": None,
            },
            "labelMapping": {
                label: {"color": f"#{(i * 0x3F7A1B) & 0xFFFFFF:06x}", "index": i + 1}
                for i, label in enumerate(labels)
            },
        }
    if task_type == "comparison":
        choices = params.get("choices")
        return {**_fields_answer(params), "choice": _first_label(choices, "")}
    if task_type == "documenttranscription":
        return {"annotations": [], "global_fields": {}}
    if task_type in TEMPLATE_TYPES:
        return {"responses": [{"content": "A sample answer from the fake Scale API."}]}
    return {"annotations": []}
