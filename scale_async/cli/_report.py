"""The JSONL report of ``tasks create``: one record per input line, written as results arrive.

Why line by line, flushed: a run killed with ``kill -9`` keeps every result it wrote, and the
report is the user's answer to "which of my lines became which task?". Records carry the line
number, the input, and either the task id (``duplicate`` when the task existed before) or the
error, so ``jq 'select(.status == "failed")'`` yields exactly the lines to fix.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from ._exit import BAD_FILE, CliError
from ._lines import Malformed

__all__ = [
    "ReportWriter",
    "created_record",
    "default_report_path",
    "failed_record",
    "malformed_record",
]


def created_record(
    line: int, payload: Any, *, task_id: str, unique_id: str, duplicate: bool
) -> dict[str, Any]:
    """A line whose task exists: created now, or found already there (``duplicate``)."""
    return {
        "line": line,
        "status": "duplicate" if duplicate else "created",
        "task_id": task_id,
        "unique_id": unique_id,
        "duplicate": duplicate,
        "input": payload,
    }


def describe_error(error: BaseException) -> str:
    """The error as one line; API errors keep their status and the server's message."""
    return " ".join(str(error).split()) or type(error).__name__


def failed_record(line: int, payload: Any, error: BaseException) -> dict[str, Any]:
    """A line the API (or the client's own checks) refused, with the reason."""
    record: dict[str, Any] = {
        "line": line,
        "status": "failed",
        "error": describe_error(error),
        "error_type": type(error).__name__,
    }
    code = getattr(error, "code", None)
    if isinstance(code, int):
        record["status_code"] = code
    record["input"] = payload
    return record


def malformed_record(bad: Malformed) -> dict[str, Any]:
    """A line that is not a JSON object: kept verbatim under ``raw``, since it has no value."""
    return {
        "line": bad.line,
        "status": "failed",
        "error": bad.reason,
        "error_type": "MalformedLine",
        "raw": bad.raw,
    }


def default_report_path(input_path: Path) -> Path:
    """``data.jsonl`` reports to ``data.report.jsonl``, next to it, so it is easy to find."""
    return input_path.with_name(f"{input_path.stem}.report.jsonl")


class ReportWriter:
    """Writes records as JSON lines to a file (truncated first) or, for ``-``, to stdout.

    Each record is flushed at once: the operating system holds it even if the process is
    killed the next instant.
    """

    def __init__(self, target: str, stdout: TextIO | None = None) -> None:
        self.target = target
        self._owned = target != "-"
        if self._owned:
            try:
                self._stream: TextIO = Path(target).open("w", encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise CliError(
                    f"cannot write the report {target}: {exc.strerror or exc}", BAD_FILE
                ) from None
        else:
            self._stream = stdout or sys.stdout

    def write(self, record: dict[str, Any]) -> None:
        """Append one record and flush it."""
        # A file is UTF-8; a terminal may not be, so stdout gets ASCII escapes.
        text = json.dumps(record, ensure_ascii=not self._owned, separators=(",", ":"))
        self._stream.write(text + "\n")
        self._stream.flush()

    def close(self) -> None:
        """Close the file (never stdout)."""
        if self._owned:
            self._stream.close()

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
