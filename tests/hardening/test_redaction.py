"""Issue 14.3: the key never shows, in any encoding, on any path (exceptions, logs, CLI)."""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from scale_async import ScaleException, ScaleInvalidResponse, ScaleUnauthorized
from scale_async._engine.redact import MASK, forms, redact, register, unregister

from .loopback import Request, response, serving
from .support import API_KEY, BASIC, client_for, every_text_of, leaked_fragments, task_json


def echo_authorization(status: int, prefix: str = "", *, literal: bool = False) -> Any:
    """Answers with an error whose message quotes the Authorization header (or the key)."""

    def answer(request: Request) -> bytes:
        sent = f"Bearer {API_KEY}" if literal else request.headers["authorization"]
        message = prefix + "credentials refused: " + sent
        return response(status, json.dumps({"error": message}).encode())

    return answer


def test_forms_cover_basic_bearer_and_escapes() -> None:
    found = forms(API_KEY)
    assert API_KEY in found
    assert BASIC.split(" ", 1)[1] in found
    assert urllib.parse.quote("a/b+c=d", safe="") in forms("a/b+c=d")
    assert forms("abc") == frozenset()  # too short to search for


def test_redact_masks_every_form_of_a_registered_key() -> None:
    secret = "only_this_test_" + API_KEY[::-1]
    basic = base64.b64encode(f"{secret}:".encode()).decode()
    register(secret)
    try:
        text = f"Basic {basic} / Bearer {secret} / Token {secret} / {basic.rstrip('=')}"
        masked = redact(text)
        assert masked == f"Basic {MASK} / Bearer {MASK} / Token {MASK} / {MASK}"
    finally:
        unregister(secret)
    assert redact(secret) == secret  # forgotten once no client holds it
    assert redact("xx" + secret, extra=[secret]) == "xx" + MASK


async def test_echoed_basic_header_is_redacted_everywhere(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="scale_async")
    with serving(echo_authorization(401)) as server:
        async with client_for(server.url) as client:
            with pytest.raises(ScaleUnauthorized) as info:
                await client.get_task("t1")
    assert server.requests[0].headers["authorization"] == BASIC  # the server did echo it
    shown = every_text_of(info.value) + "\n" + caplog.text
    assert MASK in info.value.message
    assert leaked_fragments(shown) == []


async def test_key_late_in_a_long_message_is_redacted_before_the_cut() -> None:
    # The credential starts at character ~290 of a 600-character message: cut first, then
    # redact, and the first 10-20 characters of the key survive the cut.
    with serving(echo_authorization(400, prefix="x" * 255, literal=True)) as server:
        async with client_for(server.url) as client:
            with pytest.raises(ScaleException) as info:
                await client.get_task("t1")
    assert leaked_fragments(every_text_of(info.value), size=6) == []


async def test_key_echoed_in_a_field_of_a_200_stays_out_of_the_validation_error() -> None:
    body = json.dumps(task_json(priority=f"Bearer {API_KEY}")).encode()
    with serving(response(200, body)) as server:
        async with client_for(server.url) as client:
            with pytest.raises(ScaleInvalidResponse) as info:
                await client.get_task("t1")
    assert info.value.path == "task/t1"
    assert leaked_fragments(every_text_of(info.value)) == []


def test_cli_stderr_and_report_hide_the_basic_form(tmp_path: Path) -> None:
    """The CLI as a subprocess: a server echoing the header, a create job with a report."""
    payloads = tmp_path / "in.jsonl"
    payloads.write_text('{"instruction": "a", "unique_id": "u1"}\n')
    report = tmp_path / "report.jsonl"
    refuse = echo_authorization(400)
    project = json.dumps({"name": "p", "type": "categorization", "param_history": []}).encode()

    def answer(request: Request) -> bytes:
        return refuse(request) if request.method == "POST" else response(200, project)

    with serving(answer) as server:
        env = {**os.environ, "SCALE_API_KEY": API_KEY, "SCALE_API_BASE_URL": server.url}
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "scale_async.cli",
                "tasks",
                "create",
                "--max-retries",
                "0",
                "--project",
                "p",
                "--report",
                str(report),
                "categorization",
                str(payloads),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    assert server.requests, proc.stderr
    shown = proc.stdout + proc.stderr + report.read_text()
    assert "credentials refused" in shown
    assert leaked_fragments(shown) == []


def test_log_records_and_foreign_causes_are_masked() -> None:
    from scale_async._engine.redact import RedactingFilter, chain_safe

    secret = "log_only_secret_" + API_KEY
    register(secret)
    try:
        record = logging.LogRecord(
            "scale_async", logging.DEBUG, __file__, 1, "got %s", (secret,), None
        )
        assert RedactingFilter().filter(record)
        assert record.getMessage() == f"got {MASK}"
        quoting = ValueError(f"bad value {secret!r}")
        assert chain_safe(quoting) is None  # its traceback would quote the key: cut
        harmless = ValueError("bad value 7")
        assert chain_safe(harmless) is harmless
    finally:
        unregister(secret)
