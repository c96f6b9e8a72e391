"""The fake's indexed ``GET /tasks``: the same answers as filtering everything, at page cost."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from scale_async.testing._clock import format_ms, within
from scale_async.testing._errors import ApiError
from scale_async.testing._keyset import Ordered, take
from scale_async.testing._v1.paging import decode_cursor, encode_cursor
from scale_async.testing._v1.state import Account, Task
from scale_async.testing._v1.tasklist import list_tasks

T0 = 1_714_000_000_000
PROJECTS = ["p1", "p2", "p3"]
BATCHES = ["b1", "b2", "b3", "b4"]
STATUSES = ["pending", "completed", "canceled", "error"]
TYPES = ["categorization", "textcollection"]
TAGS = ["red", "blue", "big", "small"]
REVIEWS = ["pending", "accepted", "rejected", "fixed"]

# -- the pure helpers --------------------------------------------------------------------------


def test_ordered_keeps_key_order_and_spans_are_half_open() -> None:
    index: Ordered[int] = Ordered(lambda n: n)
    for n in (5, 1, 9, 3, 3, 7):
        index.add(n)
    assert list(index.items) == [1, 3, 3, 5, 7, 9]
    assert index.span(3, 7) == range(1, 4)
    assert index.span(None, 4) == range(3)
    assert index.span(6) == range(4, 6)
    assert index.span(8, 2) == range(4, 4)  # an empty range, never a negative one
    assert index.after(3) == 3
    assert len(index) == 6


def test_take_stops_at_the_first_wanted_item_past_the_page() -> None:
    items = list(range(100))
    seen: list[int] = []

    def even(n: int) -> bool:
        seen.append(n)
        return n % 2 == 0

    assert take(items, range(100), 3, even) == ([0, 2, 4], True)
    assert seen == [0, 1, 2, 3, 4, 5, 6]
    assert take(items, reversed(range(10)), 3, even, skip=1) == ([6, 4, 2], True)
    assert take(items, range(95, 100), 10) == ([95, 96, 97, 98, 99], False)
    assert take(items, range(95, 100), 5) == ([95, 96, 97, 98, 99], False)
    assert take(items, range(94, 100), 5) == ([94, 95, 96, 97, 98], True)


# -- a brute-force reference: filter the whole account, as the fake did -----------------------


def reference(account: Account, query: dict[str, list[str]]) -> dict[str, Any]:
    """``GET /tasks`` by filtering every task of the account for every page."""

    def one(name: str) -> str | None:
        values = query.get(name)
        return values[-1] if values else None

    def stamp(name: str) -> int | None:
        value = one(name)
        return None if value is None else int(value)

    def every(name: str) -> set[str]:
        return {v for v in query.get(name, []) if v}

    limit = int(one("limit") or 100)
    offset = int(one("offset") or 0)
    project, batch, status = one("project") or None, one("batch") or None, one("status")
    reviews = {v for raw in query.get("customer_review_status", []) for v in raw.split(",")}

    def keep(task: Task) -> bool:
        return (
            (not status or task.status == status)
            and (not one("type") or task.type == one("type"))
            and (project is None or task.project == project)
            and (batch is None or task.batch == batch)
            and (not reviews or task.review_status in reviews)
            and (not every("unique_id") or task.unique_id in every("unique_id"))
            and (not every("tags") or bool(every("tags") & set(task.tags or ())))
            and within(task.created_ms, stamp("start_ms"), stamp("end_ms"))
            and within(task.completed_ms, stamp("completed_after_ms"), stamp("completed_before_ms"))
            and within(task.updated_ms, stamp("updated_after_ms"), stamp("updated_before_ms"))
        )

    matches = [t for t in reversed(account.tasks.values()) if keep(t)]
    total = len(matches)
    token = one("next_token")
    if token:
        cursor = decode_cursor(token)
        matches = [t for t in matches if (t.created_ms, t.task_id) < cursor]
    else:
        matches = matches[offset:]
    page = matches[:limit]
    more = len(matches) > limit
    tail = page[-1] if more else None
    return {
        "docs": [t.to_json() for t in page],
        "total": total,
        "offset": 0 if token else offset,
        "limit": limit,
        "has_more": more,
        "next_token": encode_cursor(tail.task_id, format_ms(tail.created_ms)) if tail else None,
    }


def random_account(rng: random.Random, count: int, *, kind: type[Task] = Task) -> Account:
    account = Account(key="test_k", mode="test")
    ms = T0
    for n in range(count):
        ms += rng.choice([1, 1, 2, 7, 250])
        status = rng.choice(STATUSES)
        batch = rng.choice([*BATCHES, None])
        project = rng.choice(PROJECTS) if batch is None else f"p{int(batch[1]) % 3 + 1}"
        task = kind(
            task_id=f"{ms // 1000:08x}{n:016x}",
            type=rng.choice(TYPES),
            created_ms=ms,
            updated_ms=ms + rng.randrange(0, 5_000),
            status=status,
            params={},
            is_test=True,
            metadata={"n": n},
            project=rng.choice([project, project, None]),
            batch=batch,
            unique_id=rng.choice([None, f"u{n}"]),
            tags=rng.sample(TAGS, rng.randrange(3)) or rng.choice([None, []]),
            completed_ms=ms + rng.randrange(1, 3_000) if status == "completed" else None,
            audits=[
                {"audit_source": "customer", "audit_result": rng.choice(REVIEWS)}
                for _ in range(rng.randrange(0, 2))
            ],
        )
        account.add_task(task)
    return account


def random_query(rng: random.Random, account: Account) -> dict[str, list[str]]:
    """A query with a random subset of every filter; times also kept as ms for the reference."""
    tasks = list(account.tasks.values())
    query: dict[str, list[str]] = {"limit": [str(rng.choice([1, 3, 10, 100]))]}

    def maybe(name: str, *values: str) -> None:
        if rng.random() < 0.3:
            query[name] = list(values)

    maybe("project", rng.choice([*PROJECTS, "", "nope"]))
    maybe("batch", rng.choice([*BATCHES, ""]))
    maybe("status", rng.choice(STATUSES))
    maybe("type", rng.choice(TYPES))
    maybe("customer_review_status", ",".join(rng.sample(REVIEWS, 2)))
    maybe("unique_id", *(t.unique_id or "u0" for t in rng.sample(tasks, 5)))
    maybe("tags", *rng.sample(TAGS, 2))
    for low, high, field in (
        ("start", "end", "created_ms"),
        ("completed_after", "completed_before", "completed_ms"),
        ("updated_after", "updated_before", "updated_ms"),
    ):
        stamps = sorted(getattr(t, field) for t in tasks if getattr(t, field) is not None)
        for name, pick in ((low, rng.choice(stamps[: len(stamps) // 2])), (high, stamps[-40])):
            if rng.random() < 0.35:
                moment = pick + rng.choice([-1, 0, 1])
                wire = "start_time" if name == "start" else "end_time" if name == "end" else name
                query[wire] = [format_ms(moment)]
                query[f"{name}_ms"] = [str(moment)]
    if rng.random() < 0.2:
        query["offset"] = [str(rng.randrange(0, 20))]
    return query


def wire_only(query: dict[str, list[str]]) -> dict[str, list[str]]:
    return {k: v for k, v in query.items() if not k.endswith("_ms")}


@pytest.mark.parametrize("seed", range(6))
def test_every_filter_and_page_agrees_with_filtering_everything(seed: int) -> None:
    rng = random.Random(seed)
    account = random_account(rng, 400)
    for _ in range(40):
        query = random_query(rng, account)
        pages = 0
        while True:
            got = list_tasks(account, wire_only(query))
            assert got == reference(account, query), query
            pages += 1
            if not got["has_more"]:
                break
            query = {**query, "next_token": [got["next_token"]]}
            query.pop("offset", None)
        assert pages <= 400


def test_a_cursor_from_elsewhere_still_resumes_by_created_at_and_id() -> None:
    """A token the fake did not hand out (a stamp between tasks, an unknown id) still pages."""
    account = random_account(random.Random(9), 120)
    tasks = list(account.tasks.values())
    for task in tasks[::7]:
        for ms, task_id in (
            (task.created_ms, "0"),
            (task.created_ms, "z"),
            (task.created_ms + 1, ""),
        ):
            token = encode_cursor(task_id, format_ms(ms))
            query = {"limit": ["5"], "next_token": [token]}
            assert list_tasks(account, query) == reference(account, query)


def test_bad_filters_are_refused_before_the_token_is_read() -> None:
    account = random_account(random.Random(3), 10)
    with pytest.raises(ApiError, match="Invalid status"):
        list_tasks(account, {"status": ["weird"], "next_token": ["xx"]})
    with pytest.raises(ApiError, match="next_token"):
        list_tasks(account, {"next_token": ["xx"]})


# -- the cost of a page ------------------------------------------------------------------------


#: The tasks read since the last clear (by id: tasks are not hashable).
TOUCHED: set[int] = set()


class Touched(Task):
    """A task that notes every read of any of its fields, whoever reads it."""

    def __getattribute__(self, name: str) -> Any:
        TOUCHED.add(id(self))
        return object.__getattribute__(self, name)


def read_per_page(account: Account, query: dict[str, list[str]]) -> Iterator[tuple[int, Any]]:
    """Page through ``query``, giving how many tasks each page read and the page."""
    while True:
        TOUCHED.clear()
        got = list_tasks(account, query)
        yield len(TOUCHED), got
        if not got["has_more"]:
            return
        query = {**query, "next_token": [got["next_token"]]}


#: The binary searches of a page (the range's two ends and the cursor) over 3,000 tasks.
SEARCHES = 3 * 13


def test_a_page_reads_the_page_not_the_account() -> None:
    account = random_account(random.Random(5), 3_000, kind=Touched)
    in_project = sum(1 for t in account.tasks.values() if t.project == "p2")
    assert in_project > 300
    seen = 0
    for touched, got in read_per_page(account, {"project": ["p2"], "limit": ["50"]}):
        assert touched <= 50 + 1 + SEARCHES
        seen += len(got["docs"])
    assert seen == got["total"] == in_project


def test_a_filtered_window_reads_the_window_not_the_account() -> None:
    account = random_account(random.Random(6), 3_000, kind=Touched)
    tasks = list(account.tasks.values())
    low, high = tasks[1_000].created_ms, tasks[1_400].created_ms
    window = [t for t in tasks if low <= t.created_ms <= high and t.batch == "b2"]
    query = {
        "batch": ["b2"],
        "status": ["completed"],
        "start_time": [format_ms(low)],
        "end_time": [format_ms(high)],
        "limit": ["10"],
    }
    pages = list(read_per_page(account, query))
    # The count reads the window (the filters leave the index); the page walks in it.
    assert all(touched <= len(window) + SEARCHES for touched, _ in pages)
    assert pages[-1][1]["total"] == sum(1 for t in window if t.status == "completed")
    assert 0 < len(window) < 100
