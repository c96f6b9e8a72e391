"""A page's URL is built without httpx parsing it again, and is exactly httpx's own."""

from __future__ import annotations

import httpx
import pytest

from scale_async._engine.http import with_query

PARAMS: list[list[tuple[str, str]]] = [
    [("project", "p"), ("limit", "100")],
    [("next_token", "eyJhIjoiYiJ9=="), ("limit", "100")],
    [("q", "a b+c&d=e/f?g#h%i~j")],
    [("name", "naïve ☃ 日本"), ("name", "second")],
    [("empty", ""), ("percent", "%41%zz")],
]


@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize(
    "url",
    [
        "https://api.scale.com/v1/tasks",
        "http://127.0.0.1:8123/v1/tasks",
        "https://api.scale.com/v1/tasks?old=1",
        "https://user@host.example/v2/a b",
    ],
)
def test_the_url_is_httpx_s_own(url: str, params: list[tuple[str, str]]) -> None:
    expected = httpx.URL(url, params=tuple(params))
    built = with_query(url, params)
    assert built == expected
    assert str(built) == str(expected)
    assert built.raw_path == expected.raw_path
    assert built.params == expected.params
    assert (built.raw_scheme, built.raw_host, built.port) == (
        expected.raw_scheme,
        expected.raw_host,
        expected.port,
    )


def test_values_that_are_not_text_are_httpx_s_to_convert() -> None:
    params: list[tuple[str, str]] = [("flag", True), ("n", 3)]  # type: ignore[list-item]
    assert str(with_query("https://h/x", params)) == "https://h/x?flag=true&n=3"


def test_the_base_url_is_left_as_it_was() -> None:
    first = with_query("https://h/x", [("a", "1")])
    second = with_query("https://h/x", [("a", "2")])
    assert (str(first), str(second)) == ("https://h/x?a=1", "https://h/x?a=2")
    assert str(httpx.URL("https://h/x")) == "https://h/x"


def test_the_remembered_quoting_stays_bounded() -> None:
    """Every page brings a new cursor: what is remembered of the quoting cannot grow forever."""
    from scale_async._engine import http

    for n in range(10_000):
        with_query("https://h/x", [("next_token", f"token-{n}")])
    assert http._q.cache_info().currsize <= 4096
    assert str(with_query("https://h/x", [("a b", "c&d")])) == "https://h/x?a+b=c%26d"
