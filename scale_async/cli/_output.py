"""Printing records for people (an aligned table) or for programs (JSON lines).

Why both, chosen by ``--format auto``: at a terminal a table reads best, while in a pipe the
same command should feed ``jq`` without an extra flag. The formatters are pure functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

__all__ = ["choose_format", "format_table", "json_line", "write_records"]


def choose_format(requested: str, stream: TextIO) -> str:
    """``table`` or ``jsonl``: ``auto`` means a table on a terminal, JSON lines elsewhere."""
    if requested != "auto":
        return requested
    return "table" if stream.isatty() else "jsonl"


def json_line(record: Mapping[str, Any]) -> str:
    """One record as compact JSON (non-ASCII escaped, so any terminal encoding copes)."""
    return json.dumps(record, separators=(",", ":"), default=str)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if hasattr(value, "value"):  # enums
        return str(value.value)
    return json.dumps(value, default=str)


def format_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Rows as left-aligned columns under an upper-case header; ``-`` for missing values."""
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    header = [column.upper() for column in columns]
    widths = [max(len(text) for text in column) for column in zip(header, *cells, strict=True)]
    return "\n".join(
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *cells]
    )


def write_records(
    records: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str, stream: TextIO
) -> None:
    """Print ``records`` in ``fmt``: the table shows ``columns``, JSON lines show everything."""
    if fmt == "table":
        stream.write(format_table(records, columns) + "\n")
    else:
        for record in records:
            stream.write(json_line(record) + "\n")
    stream.flush()
