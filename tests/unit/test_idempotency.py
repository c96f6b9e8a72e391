"""Derived unique_ids: stable, and different wherever the task would differ."""

from __future__ import annotations

import pytest

from scale_async import TaskType, derive_unique_id
from scale_async._engine.idempotency import PREFIX, canonical_json

BASE = {"project": "p", "attachment": "https://x/1.png", "metadata": {"a": 1, "b": [1, 2]}}


def test_same_input_same_id() -> None:
    assert derive_unique_id("imageannotation", BASE, "job") == derive_unique_id(
        "imageannotation", dict(reversed(list(BASE.items()))), "job"
    )


def test_id_shape() -> None:
    uid = derive_unique_id("imageannotation", BASE, None)
    assert uid.startswith(PREFIX)
    assert len(uid) == len(PREFIX) + 40


@pytest.mark.parametrize(
    ("task_type", "payload", "namespace"),
    [
        ("categorization", BASE, "job"),
        ("imageannotation", {**BASE, "project": "q"}, "job"),
        ("imageannotation", {**BASE, "batch": "b"}, "job"),
        ("imageannotation", {**BASE, "metadata": {"a": 2, "b": [1, 2]}}, "job"),
        ("imageannotation", BASE, "other job"),
        ("imageannotation", BASE, None),
    ],
)
def test_anything_that_differs_changes_the_id(
    task_type: str, payload: dict[str, object], namespace: str | None
) -> None:
    assert derive_unique_id(task_type, payload, namespace) != derive_unique_id(
        "imageannotation", BASE, "job"
    )


def test_the_payload_s_own_unique_id_is_not_part_of_the_digest() -> None:
    assert derive_unique_id("x", {**BASE, "unique_id": "u"}, "n") == derive_unique_id(
        "x", BASE, "n"
    )


def test_canonical_json_spells_each_value_once() -> None:
    assert canonical_json({"b": 1, "a": [TaskType.Chat, "é"]}) == '{"a":["chat","é"],"b":1}'
    assert canonical_json({"s": {2, 1}}) == '{"s":[1,2]}'
    with pytest.raises(TypeError, match="not JSON-serialisable"):
        canonical_json({"f": object()})
