"""Reading a JSONL input file: one task payload per line, bad lines kept as values, not raised.

Why values: one malformed line among a million must not stop the other lines, so a line that
is not a JSON object becomes a ``Malformed`` that travels through the job like any payload and
ends in the report with its line number. Blank lines are skipped (editors add a trailing one).
The file is read as bytes and decoded per line, so invalid UTF-8 on one line is that line's
problem only, and a line nested too deeply (which makes the JSON parser itself give up with
``RecursionError``, not ``ValueError``) is refused on its own, so it cannot end the input.

Only regular files are read: the input is read twice (once to count the lines, for the
progress total), and a FIFO or a device would block or differ between the two reads.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ._exit import BAD_FILE, USAGE, CliError

__all__ = [
    "MAX_DEPTH",
    "Malformed",
    "count_lines",
    "depth",
    "open_input",
    "parse_line",
    "read_lines",
]

_BOM = b"\xef\xbb\xbf"
#: Nesting a payload may have: no task parameter is anywhere near it, and deeper values would
#: reach the recursion limit later (when the payload is hashed or sent) instead of here.
MAX_DEPTH = 100


@dataclass(frozen=True)
class Malformed:
    """A line that is not a JSON object: where it is, what it says, and why it was refused."""

    line: int
    raw: str
    reason: str


def _no_constants(name: str) -> Any:
    # NaN and Infinity are not JSON; the API would refuse them, so refuse them here, by line.
    raise ValueError(f"{name} is not valid JSON")


def _content(number: int, raw: bytes) -> bytes:
    """The line without the byte-order mark some editors put at the start of a file."""
    return raw[len(_BOM) :] if number == 1 and raw.startswith(_BOM) else raw


def parse_line(number: int, raw: bytes) -> dict[str, Any] | Malformed | None:
    """The payload on line ``number`` (1-based), a ``Malformed``, or None for a blank line."""
    raw = _content(number, raw)
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        return Malformed(number, shown, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    text = text.rstrip("\r\n")
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except ValueError as exc:
        return Malformed(number, text, f"not valid JSON: {exc}")
    except RecursionError:
        return Malformed(number, text, f"nested more than {MAX_DEPTH} levels deep")
    if not isinstance(value, dict):
        kind = "null" if value is None else type(value).__name__
        return Malformed(number, text, f"not a JSON object (got {kind})")
    if depth(value) > MAX_DEPTH:
        return Malformed(number, text, f"nested more than {MAX_DEPTH} levels deep")
    return value


def depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects (a scalar is 0), without recursing."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is None:
            continue
        deepest = max(deepest, level + 1)
        stack.extend((child, level + 1) for child in children)
    return deepest


def read_lines(handle: BinaryIO) -> Iterator[tuple[int, dict[str, Any] | Malformed]]:
    """Every non-blank line of ``handle`` with its line number, parsed."""
    for number, raw in enumerate(handle, start=1):
        parsed = parse_line(number, raw)
        if parsed is not None:
            yield number, parsed


def open_input(path: Path) -> BinaryIO:
    """Open the input file, or end the command with a one-line reason.

    A missing or unreadable file is exit 5; a FIFO, device or socket is a usage error (2),
    refused before opening it, which for a FIFO without a writer would block forever.
    """
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory")
        if not stat.S_ISREG(mode):
            raise CliError(
                f"{path} is not a regular file (a pipe or a device?): save the input to a "
                "file first",
                USAGE,
            )
        return path.open("rb")
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}", BAD_FILE) from None


def count_lines(path: Path) -> int:
    """How many payload lines (non-blank) the file has: the total the progress counts to."""
    with open_input(path) as handle:
        try:
            return sum(1 for n, raw in enumerate(handle, start=1) if _content(n, raw).strip())
        except OSError as exc:
            raise CliError(f"cannot read {path}: {exc.strerror or exc}", BAD_FILE) from None
