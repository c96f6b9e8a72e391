"""Issue 14.4 and 14.15: an error body of any size or shape is read in bounded, linear time."""

from __future__ import annotations

import time

import anyio
import pytest

from scale_async import ScaleException, ScaleInternalError
from scale_async._engine.errors import error_message
from scale_async._engine.html import MAX_EXAMINED, html_text

from .loopback import response, serving
from .support import client_for

HOSTILE_SCRIPT = b"<html>" + b"<script>" * 24_000  # 192 KB of unclosed <script> tags


def test_html_text_keeps_the_words() -> None:
    page = "<html><style>p{}</style><p>Bad&nbsp;<b>gateway</b></p><script>x()</script>ok</html>"
    assert " ".join(html_text(page).split()) == "Bad gateway ok"
    assert html_text("a < b") == "a < b"  # a lone "<" is text
    assert html_text("<p>shown<script>hidden") == " shown"  # an unclosed script hides the rest
    assert html_text("<SCRIPT>x</Script >after") == " after"


@pytest.mark.parametrize(
    "hostile",
    [b"<html>" + b"<script>" * 125_000, b"<html>" + b"<" * 1_000_000, b"<" + b"<a" * 500_000],
    ids=["unclosed-scripts", "lone-lt", "unclosed-tags"],
)
def test_cleaning_a_hostile_page_is_linear(hostile: bytes) -> None:
    # 1 MB: the quadratic regex needed hours for this; a linear pass takes milliseconds.
    started = time.perf_counter()
    html_text(hostile.decode())
    error_message(hostile)
    assert time.perf_counter() - started < 3


def test_only_a_bounded_prefix_of_a_huge_body_is_examined() -> None:
    body = b"<html><p>upstream failed</p>" + b"<p>filler</p>" * (50_000_000 // 13) + b"TAIL"
    started = time.perf_counter()
    message = error_message(body)
    assert time.perf_counter() - started < 2
    assert message.startswith("upstream failed")
    assert "TAIL" not in message
    assert len(body) > 700 * MAX_EXAMINED


async def test_unclosed_script_502_neither_hangs_nor_blocks_the_loop() -> None:
    """A 502 page of unclosed <script> tags, retried twice: done long before the deadline."""
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await anyio.sleep(0.05)
            ticks += 1

    with serving(response(502, HOSTILE_SCRIPT, content_type="text/html")) as server:
        async with client_for(server.url, retries=2) as client:
            started = time.perf_counter()
            with anyio.fail_after(10):
                async with anyio.create_task_group() as group:
                    group.start_soon(ticker)
                    with pytest.raises(ScaleException) as info:
                        await client.get_task("t1")
                    group.cancel_scope.cancel()
            elapsed = time.perf_counter() - started
    assert info.value.code == 502
    assert info.value.retries == 2
    assert len(server.requests) == 3
    assert elapsed < 5
    # The loop kept turning: the ticker ran about as often as the time allowed.
    assert ticks >= int(elapsed / 0.05) // 4


async def test_huge_html_500_costs_a_read_not_a_parse() -> None:
    body = b"<html><h1>Internal error</h1>" + b"<div>x</div>" * 1_500_000  # 18 MB
    with serving(response(500, body, content_type="text/html")) as server:
        async with client_for(server.url, retries=1) as client:
            started = time.perf_counter()
            with pytest.raises(ScaleInternalError) as info:
                await client.get_task("t1")
            elapsed = time.perf_counter() - started
    assert info.value.message.startswith("Internal error")
    assert len(server.requests) == 2
    assert elapsed < 8
