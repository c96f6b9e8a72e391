"""What the fake's workers produce for a v2 chat task: a thread of turns with annotations.

Every annotation made is also stored in the account, so ``get_annotation`` finds it. The
shapes are those the SDK's models accept: messages carry text (the SDK cannot read a message
attachment: its ``DetailedFile`` is a oneOf of three schemas any file matches), and a file
annotation holds a list of basic files.
"""

from __future__ import annotations

from typing import Any

from .world import V2Account, V2World


def annotation(
    world: V2World, account: V2Account, kind: str, key: str, value: Any, **extra: Any
) -> dict[str, Any]:
    """A stored annotation of ``kind`` with ``value``."""
    made = {
        "id": world.new_id("ann_"),
        "key": key,
        "type": kind,
        "title": key.replace("_", " ").title(),
        "value": value,
        **extra,
    }
    account.annotations[made["id"]] = made
    return dict(made)


def every_kind(world: V2World, account: V2Account) -> list[dict[str, Any]]:
    """One annotation of each type the API documents."""
    file = {"url": "https://files.invalid/e.png", "mime_type": "image/png", "name": "e.png"}
    rating = {"score": 3, "color": "green", "justification": "clear"}
    workspace = {
        "workspace_id": "ws_1",
        "output_files": [{"scale_url": "scale://ws/out.txt", "file_name": "out.txt"}],
    }
    kinds: list[tuple[str, str, Any, dict[str, Any]]] = [
        ("integer", "quality", 4, {"possible_values": [1, 2, 3, 4, 5]}),
        ("boolean", "is_safe", True, {"possible_values": [True, False]}),
        ("text", "rewrite", "A better answer.", {}),
        ("category", "tone", "neutral", {"possible_values": ["warm", "neutral"]}),
        ("category_multiple", "issues", ["verbosity"], {"possible_values": ["verbosity", "tone"]}),
        ("file", "evidence", [file], {}),
        ("labeled_text", "entities", [{"label": "PLACE", "text": "Paris"}], {}),
        ("ranked_choices", "ranking", ["b", "a"], {}),
        ("ranked_groups", "groups", [["b"], ["a", "c"]], {}),
        ("rubric_criteria", "criterion", {"weight": 2}, {}),
        ("rubric_rating", "rating", rating, {}),
        ("workspace_container", "workspace", workspace, {}),
    ]
    return [
        annotation(world, account, kind, key, value, **extra) for kind, key, value, extra in kinds
    ]


def chat_thread(
    world: V2World, account: V2Account, variables: dict[str, Any], *, rich: bool = False
) -> dict[str, Any]:
    """A finished conversation: the prompt from ``variables`` and an answer, annotated.

    ``rich`` annotates the answer with one annotation of every type (seeded tasks); plain
    tasks get a single rating.
    """
    prompt = str(variables.get("prompt", "Say something helpful."))
    answers = (
        every_kind(world, account)
        if rich
        else [annotation(world, account, "integer", "quality", 5, possible_values=[1, 2, 3, 4, 5])]
    )
    turn = {
        "id": world.new_id("turn_"),
        "messages": [
            {
                "role": "user",
                "content": {"text": prompt},
                "source_id": "customer",
                "annotations": [],
            },
            {
                "role": "assistant",
                "content": {
                    "text": f"An answer to: {prompt}",
                    "reasoning": [{"content": "Because."}],
                },
                "source_id": "model",
                "model_parameters": {"model": "fake-model", "temperature": 0.2},
                "annotations": answers,
            },
        ],
        "annotations": [],
    }
    return {"id": world.new_id("thread_"), "turns": [turn], "annotations": [], "submissions": []}
