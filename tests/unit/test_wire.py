"""The wire format: path segments, base URL, User-Agent, query strings and /tasks filters."""

from __future__ import annotations

import platform
import re
from typing import Any

import pytest

from scale_async import TaskReviewStatus, TaskStatus, TaskType
from scale_async._api.wire import TASKS_QUERY_KEYS, tasks_query
from scale_async._engine.wire import (
    check_query_keys,
    encode_query,
    normalise_base_url,
    segment,
    user_agent,
)
from scale_async._version import __version__
from scale_async.exceptions import ScaleInvalidRequest

# -- segment / base URL / User-Agent -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("task_123", "task_123"),
        ("a b/c", "a%20b%2Fc"),
        ("../etc", "..%2Fetc"),
        ("q?x=1&y#z", "q%3Fx%3D1%26y%23z"),
        ("100%", "100%25"),
        ("café", "caf%C3%A9"),
        ("项目", "%E9%A1%B9%E7%9B%AE"),
        ("a-b.c_d~e", "a-b.c_d~e"),
    ],
)
def test_segment(value: str, expected: str) -> None:
    """Names are quoted as one path segment: spaces, slashes and non-ASCII escaped."""
    assert segment(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.scale.com/v1", "https://api.scale.com/v1"),
        ("https://api.scale.com/v1/", "https://api.scale.com/v1"),
        ("http://127.0.0.1:8080/v1//", "http://127.0.0.1:8080/v1"),
        ("HTTPS://api.scale.com/v1", "HTTPS://api.scale.com/v1"),
    ],
)
def test_normalise_base_url(url: str, expected: str) -> None:
    """Trailing slashes are removed so that joining with '/path' never doubles them."""
    assert normalise_base_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["ftp://api.scale.com/v1", "api.scale.com/v1", "https:///v1", "https://", "", "file:///tmp"],
)
def test_normalise_base_url_rejects(url: str) -> None:
    """A non-http(s) scheme or a missing host is refused with ValueError."""
    with pytest.raises(ValueError, match="api_instance_url"):
        normalise_base_url(url)


def test_user_agent_format() -> None:
    """The User-Agent follows the SDK's format under the scale-async name."""
    agent = user_agent()
    expected_head = f"scale-async/{__version__} Python/{platform.python_version()} OS/"
    assert agent.startswith(expected_head)
    assert agent == expected_head + platform.platform()
    assert re.fullmatch(r"scale-async/\S+ Python/\d+\.\d+\.\d+\S* OS/\S+", agent)


def test_user_agent_source_suffix() -> None:
    """``source`` is appended after a space; an empty source adds nothing."""
    assert user_agent("sail/v1.2") == f"{user_agent()} sail/v1.2"
    assert user_agent("") == user_agent()
    assert user_agent(None) == user_agent()


# -- encode_query / check_query_keys -------------------------------------------------------


def test_encode_query() -> None:
    """None dropped, lists repeated, bools capitalised, enums by value, ints as text."""
    pairs = encode_query(
        {
            "skip": None,
            "tags": ["a", "b"],
            "flag": True,
            "off": False,
            "status": TaskStatus.Completed,
            "type": TaskType.ImageAnnotation,
            "limit": 5,
            "statuses": (TaskStatus.Pending, "canceled"),
            "name": "x y",
            "one": {"only"},
            "empty": [],
        }
    )
    assert pairs == [
        ("tags", "a"),
        ("tags", "b"),
        ("flag", "True"),
        ("off", "False"),
        ("status", "completed"),
        ("type", "imageannotation"),
        ("limit", "5"),
        ("statuses", "pending"),
        ("statuses", "canceled"),
        ("name", "x y"),
        ("one", "only"),
    ]


def test_encode_query_empty() -> None:
    """An empty mapping encodes to no pairs."""
    assert encode_query({}) == []


def test_check_query_keys_refuses_unknown() -> None:
    """An unknown filter raises ScaleInvalidRequest with the SDK's wording."""
    with pytest.raises(ScaleInvalidRequest) as info:
        check_query_keys("tasks", {"project": "p", "projct": "typo"}, TASKS_QUERY_KEYS)
    assert info.value.message == "Illegal parameter projct for ScaleClient.tasks()"
    assert info.value.code == 400


def test_check_query_keys_accepts_known() -> None:
    """Every documented filter passes."""
    check_query_keys("tasks", dict.fromkeys(TASKS_QUERY_KEYS, 1), TASKS_QUERY_KEYS)
    check_query_keys("batches", {}, [])


def test_tasks_query_keys_are_the_sdks() -> None:
    """The /tasks filters are exactly the SDK's allowed list."""
    assert (
        frozenset(
            {
                "start_time",
                "end_time",
                "status",
                "type",
                "project",
                "batch",
                "limit",
                "completed_before",
                "completed_after",
                "next_token",
                "customer_review_status",
                "tags",
                "updated_before",
                "updated_after",
                "unique_id",
                "include_attachment_url",
                "limited_response",
            }
        )
        == TASKS_QUERY_KEYS
    )


# -- tasks_query ---------------------------------------------------------------------------


def test_tasks_query_minimal() -> None:
    """Only include_attachment_url is sent when nothing else is given."""
    assert tasks_query() == {"include_attachment_url": True}
    assert tasks_query(include_attachment_url=False) == {"include_attachment_url": False}


def test_tasks_query_full_mapping() -> None:
    """Every argument lands under the wire name the SDK uses."""
    query = tasks_query(
        project_name="proj",
        batch_name="b1",
        task_type=TaskType.Categorization,
        status=TaskStatus.Completed,
        review_status=TaskReviewStatus.Accepted,
        unique_id="u1",
        completed_after="2024-01-01",
        completed_before="2024-02-01",
        updated_after="2024-03-01",
        updated_before="2024-04-01",
        created_after="2023-01-01",
        created_before="2023-12-31",
        tags=["x", "y"],
        include_attachment_url=False,
        limited_response=True,
        limit=50,
    )
    assert query == {
        "project": "proj",
        "batch": "b1",
        "type": TaskType.Categorization,
        "status": TaskStatus.Completed,
        "customer_review_status": "accepted",
        "unique_id": "u1",
        "completed_after": "2024-01-01",
        "completed_before": "2024-02-01",
        "updated_after": "2024-03-01",
        "updated_before": "2024-04-01",
        "start_time": "2023-01-01",
        "end_time": "2023-12-31",
        "tags": ["x", "y"],
        "include_attachment_url": False,
        "limited_response": True,
        "limit": 50,
    }
    assert set(query) <= TASKS_QUERY_KEYS
    check_query_keys("tasks", query, TASKS_QUERY_KEYS)


@pytest.mark.parametrize(
    ("review_status", "expected"),
    [
        (TaskReviewStatus.Fixed, "fixed"),
        ("rejected", "rejected"),
        ([TaskReviewStatus.Accepted, TaskReviewStatus.Fixed], "accepted,fixed"),
        (("commented", TaskReviewStatus.Pending), "commented,pending"),
    ],
)
def test_tasks_query_review_status_joined(review_status: Any, expected: str) -> None:
    """review_status, single or many, travels comma-joined as customer_review_status."""
    assert tasks_query(review_status=review_status)["customer_review_status"] == expected


def test_tasks_query_tags_string_becomes_list() -> None:
    """A single tag string becomes a one-element list (so it is not split into letters)."""
    assert tasks_query(tags="urgent")["tags"] == ["urgent"]
    assert encode_query(tasks_query(tags="urgent")) == [
        ("tags", "urgent"),
        ("include_attachment_url", "True"),
    ]


@pytest.mark.parametrize("limited", [None, False])
def test_tasks_query_limited_response_only_when_true(limited: bool | None) -> None:
    """limited_response is left out unless true."""
    assert "limited_response" not in tasks_query(limited_response=limited)


@pytest.mark.parametrize("limit", [0, -1, 101, 1000])
def test_tasks_query_limit_out_of_range(limit: int) -> None:
    """A page size outside 1..100 is refused before any request."""
    with pytest.raises(ValueError, match="limit"):
        tasks_query(limit=limit)


@pytest.mark.parametrize("limit", [1, 100])
def test_tasks_query_limit_bounds(limit: int) -> None:
    """1 and 100 are valid page sizes."""
    assert tasks_query(limit=limit)["limit"] == limit
