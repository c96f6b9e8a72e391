"""The callback helpers, pure: header check, body parsing, errors a handler can answer with."""

from __future__ import annotations

import hmac
import json
from typing import Any

import pytest

from scale_async import ScaleException, Task, TaskStatus
from scale_async.callbacks import (
    CALLBACK_AUTH_HEADER,
    CallbackAuthError,
    InvalidCallback,
    callback_auth_key,
    parse_callback,
    verify_callback_auth,
)
from scale_async.testing import callback_body

KEY = "cb-auth-7f3a"


def task_json(**changes: Any) -> dict[str, Any]:
    task = {
        "task_id": "6a1f00000000000000000001",
        "type": "categorization",
        "status": "completed",
        "params": {"attachment": "https://example.invalid/a.png"},
        "response": {"category": "cat"},
        "callback_url": "https://hooks.example.invalid/scale",
        "created_at": "2026-11-22T10:00:00.000Z",
        "metadata": {"row": 7},
        "new_server_field": [1, 2],
    }
    task.update(changes)
    return task


def body(**changes: Any) -> bytes:
    # The very body the fake sends, so the two cannot drift apart.
    return json.dumps(callback_body(task_json(**changes))).encode()


def test_verify_callback_auth_compares_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert verify_callback_auth(KEY, KEY) is True
    assert verify_callback_auth(KEY.encode(), KEY) is True
    assert verify_callback_auth("cb-auth-7f3b", KEY) is False
    assert verify_callback_auth(KEY + "x", KEY) is False
    assert seen == [
        (KEY.encode(), KEY.encode()),
        (KEY.encode(), KEY.encode()),
        (b"cb-auth-7f3b", KEY.encode()),
        ((KEY + "x").encode(), KEY.encode()),
    ]
    assert verify_callback_auth(None, KEY) is False
    assert verify_callback_auth("", KEY) is False


def test_an_empty_expected_key_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        verify_callback_auth("", "")
    with pytest.raises(ValueError, match="empty"):
        parse_callback(body(), {CALLBACK_AUTH_HEADER: ""}, auth_key="")


def test_the_header_is_found_in_any_case_in_mappings_and_pairs() -> None:
    assert callback_auth_key({"Scale-Callback-Auth": KEY}) == KEY
    assert callback_auth_key([("content-type", "x"), ("SCALE-CALLBACK-AUTH", KEY)]) == KEY
    assert callback_auth_key({"authorization": KEY}) is None


def test_parse_callback_reads_the_body_into_a_task() -> None:
    event = parse_callback(body(), {CALLBACK_AUTH_HEADER: KEY}, auth_key=KEY)
    assert isinstance(event.task, Task)
    assert event.task_id == event.task.task_id == "6a1f00000000000000000001"
    assert event.status is TaskStatus.Completed
    assert event.response == {"category": "cat"}
    assert event.task.metadata == {"row": 7}
    assert event.task.as_dict()["new_server_field"] == [1, 2]  # unknown keys kept
    assert event.body["task"]["new_server_field"] == [1, 2]
    assert "body" not in repr(event)


@pytest.mark.parametrize("raw", [body(), body().decode(), bytearray(body()), memoryview(body())])
def test_parse_callback_takes_bytes_text_or_parsed_json(raw: Any) -> None:
    assert parse_callback(raw, auth_key=None).task.status == "completed"
    assert parse_callback(json.loads(body()), auth_key=None).task_id == "6a1f00000000000000000001"


def test_top_level_status_and_response_win_and_unknown_statuses_are_kept() -> None:
    data = json.loads(body())
    data["status"] = "recalled_by_scale"
    data["response"] = {"category": "dog"}
    event = parse_callback(data, auth_key=None)
    assert event.status == "recalled_by_scale"
    assert event.response == {"category": "dog"}
    assert event.task.response == {"category": "cat"}
    minimal = parse_callback({"task": task_json(status="error")}, auth_key=None)
    assert (minimal.status, minimal.task_id) == ("error", "6a1f00000000000000000001")


@pytest.mark.parametrize(
    ("headers", "reason"),
    [(None, "missing"), ({}, "missing"), ({CALLBACK_AUTH_HEADER: "guess"}, "wrong")],
)
def test_a_missing_or_wrong_key_is_a_401_before_the_body_is_read(
    headers: dict[str, str] | None, reason: str
) -> None:
    with pytest.raises(CallbackAuthError, match=reason) as info:
        parse_callback(b"not even json", headers, auth_key=KEY)
    assert info.value.code == 401
    assert isinstance(info.value, InvalidCallback)
    assert isinstance(info.value, ScaleException)
    assert KEY not in str(info.value)
    assert "guess" not in str(info.value)


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "JSON list, not an object"),
        (b'{"task_id": "a"}', "no task object"),
        (b'{"task": "a"}', "no task object"),
        (json.dumps({"task": task_json(), "task_id": "other"}).encode(), "does not match"),
        (json.dumps({"task": task_json(task_id=None)}).encode(), "does not match"),
        (json.dumps({"task": task_json(callback_succeeded="yes")}).encode(), "malformed"),
    ],
)
def test_a_body_that_is_not_a_callback_is_a_400(raw: bytes, match: str) -> None:
    with pytest.raises(InvalidCallback, match=match) as info:
        parse_callback(raw, auth_key=None)
    assert info.value.code == 400
    assert not isinstance(info.value, CallbackAuthError)
