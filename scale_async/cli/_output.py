"""Printing records for people (a rich table) or for programs (JSON lines).

Why both, chosen by ``--format auto``: at a terminal a table reads best, while in a pipe the
same command should feed ``jq`` without an extra flag. Building the table is a pure function;
only ``write_records`` touches a stream.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["build_table", "choose_format", "json_line", "render_table", "write_records"]


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


def build_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Table:
    """Rows under an upper-case header, ``-`` for missing values; numbers right-aligned."""
    from rich import box
    from rich.table import Table

    rows = list(rows)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in columns:
        numeric = bool(rows) and all(
            isinstance(row.get(column), int) and not isinstance(row.get(column), bool)
            for row in rows
        )
        table.add_column(column.upper(), justify="right" if numeric else "left", no_wrap=True)
    for row in rows:
        table.add_row(*(_cell(row.get(column)) for column in columns))
    return table


def render_table(table: Table, stream: TextIO) -> None:
    """Print ``table``: fitted to a terminal, at its natural width (never wrapped) elsewhere."""
    from rich.console import Console

    terminal = stream.isatty()
    console = Console(file=stream, width=None if terminal else 10_000, soft_wrap=not terminal)
    console.print(table)


def write_records(
    records: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str, stream: TextIO
) -> None:
    """Print ``records`` in ``fmt``: the table shows ``columns``, JSON lines show everything."""
    if fmt == "table":
        render_table(build_table(records, columns), stream)
    else:
        for record in records:
            stream.write(json_line(record) + "\n")
    stream.flush()
