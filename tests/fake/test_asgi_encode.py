"""How the fake writes JSON: compact, UTF-8 as is, what JSON cannot say made safe."""

from __future__ import annotations

import json
import math

from scale_async.testing._asgi import encode


def test_replies_are_compact_utf8_json() -> None:
    body = {"docs": [{"task_id": "t1", "metadata": {"name": "café ☕", "n": 1.5}}], "total": 1}
    raw = encode(body)
    expected = '{"docs":[{"task_id":"t1","metadata":{"name":"café ☕","n":1.5}}],"total":1}'
    assert raw == expected.encode()
    assert json.loads(raw) == body


def test_what_json_cannot_hold_still_makes_valid_json() -> None:
    assert encode({"score": math.nan, "big": math.inf}) == b'{"score":null,"big":null}'
    # Beyond 64 bits, and keys that are not strings: the stdlib's way, still parseable.
    assert json.loads(encode({"n": 2**70})) == {"n": 2**70}
    assert json.loads(encode({1: "a"})) == {"1": "a"}
