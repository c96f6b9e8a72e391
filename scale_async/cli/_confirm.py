"""Asking before something that cannot be undone, only where a person can answer.

Why only on a terminal: a script or a CI job has no one to answer, and a prompt there would
hang or fail; the command's own flags are its consent. ``--yes`` skips the question.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._env import Env

__all__ = ["confirm"]


def confirm(question: str, env: Env) -> bool:
    """True to go ahead: yes on a terminal, or no terminal to ask on; False otherwise."""
    if not (sys.stdin.isatty() and env.stderr.isatty()):
        return True
    from rich.console import Console
    from rich.prompt import Confirm

    try:
        return Confirm.ask(question, console=Console(file=env.stderr), default=False)
    except EOFError:
        return False
