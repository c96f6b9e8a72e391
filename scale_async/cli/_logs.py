"""``-v``: the client's own log (the ``scale_async`` logger, every request) on stderr.

Why the library's logger rather than CLI prints: the client already says what it does there
(each request with its status and time, failed attempts, recoveries), and a user who sees it
here learns what ``logging.getLogger("scale_async")`` gives them in their own program. Lines
are written to whatever ``sys.stderr`` is at that moment, so while the rich bar is live they
appear above it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

__all__ = ["verbose_logging"]


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """A handler that writes to the ``sys.stderr`` of the moment, redacting ``secrets``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass

    def format(self, record: logging.LogRecord) -> str:
        from . import redact

        return redact(super().format(record), self._secrets)


@contextmanager
def verbose_logging(verbosity: int, secrets: Iterable[str]) -> Iterator[None]:
    """Show the ``scale_async`` log at ``verbosity`` (0: nothing) for the duration."""
    if verbosity <= 0:
        yield
        return
    logger = logging.getLogger("scale_async")
    handler = _CurrentStderr(secrets)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
    )
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
