"""Exit codes, and the one exception a command raises to end with a message.

Scripts that drive the CLI branch on the exit status, so each kind of trouble a user can fix
differently (no key, no network, no file, a wrong flag) gets its own code rather than ``1``.
"""

from __future__ import annotations

__all__ = [
    "API_ERROR",
    "BAD_FILE",
    "FAILED",
    "INTERRUPTED",
    "NO_KEY",
    "OK",
    "UNREACHABLE",
    "USAGE",
    "CliError",
]

OK = 0
#: Some items (lines, tasks) failed; the others were done. The report says which.
FAILED = 1
#: Bad arguments (argparse's own convention).
USAGE = 2
#: No API key in ``--api-key`` or ``SCALE_API_KEY``.
NO_KEY = 3
#: The server could not be reached (connection refused, DNS, TLS, timeouts).
UNREACHABLE = 4
#: The input file is missing or unreadable, or the report cannot be written.
BAD_FILE = 5
#: The API answered with a refusal: a rejected key, an unknown project or batch, ...
API_ERROR = 6
#: Stopped by Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130


class CliError(Exception):
    """End the command with a one-line ``message`` on stderr and exit status ``code``."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
