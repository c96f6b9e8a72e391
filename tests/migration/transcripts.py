"""Run a legacy script on ``scale_sync`` or, imports rewritten, on the official SDK.

``transcript`` returns what the script printed with ids and timestamps masked, so that two
runs against the same fake can be compared line by line.
"""

from __future__ import annotations

import contextlib
import io
import re
import types
from pathlib import Path
from typing import Any

_MASKS = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?"), "<time>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"\b[0-9a-f]{24}\b"), "<id>"),
]


def mask(text: str) -> str:
    """``text`` with timestamps and generated ids replaced by placeholders."""
    for pattern, placeholder in _MASKS:
        text = pattern.sub(placeholder, text)
    return text


def load(path: Path, package: str) -> types.ModuleType:
    """The script at ``path`` with its imports of ``scale_sync`` pointed at ``package``."""
    source = path.read_text()
    module = types.ModuleType(f"{path.stem}_on_{package}")
    module.__file__ = str(path)
    exec(compile(source.replace("scale_sync", package), str(path), "exec"), vars(module))
    return module


def transcript(path: Path, package: str, *args: Any) -> list[str]:
    """Run the script's ``main(*args)`` on ``package``; its printed lines, masked."""
    module = load(path, package)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        module.main(*args)
    return mask(out.getvalue()).splitlines()
