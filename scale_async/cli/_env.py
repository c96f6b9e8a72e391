"""What every command needs from its surroundings: the key, the URL, the streams, the client.

Why one object: commands stay testable by building an ``Env`` with an in-process transport and
string buffers, and the key is read in one place only, which is also the one place that makes
sure it never reaches a message.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from ._exit import NO_KEY, CliError

if TYPE_CHECKING:
    import httpx

    from scale_async import AsyncScaleClient

__all__ = ["DEFAULT_BASE_URL", "Env"]

DEFAULT_BASE_URL = "https://api.scale.com/v1"


@dataclass(frozen=True)
class Env:
    """Connection settings and streams for one command run.

    ``transport`` replaces the HTTP transport (tests mount the fake Scale API in-process);
    ``max_retries`` and ``timeout`` feed the client's ``RetryPolicy`` and ``Timeout``.
    """

    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    max_retries: int = 4
    timeout: float | None = None
    transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)
    stdout: TextIO = field(default_factory=lambda: sys.stdout, repr=False)
    stderr: TextIO = field(default_factory=lambda: sys.stderr, repr=False)

    @classmethod
    def from_args(
        cls,
        args: argparse.Namespace,
        environ: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> Env:
        """Flags first, then ``SCALE_API_KEY`` / ``SCALE_API_BASE_URL``."""
        environ = os.environ if environ is None else environ
        retries = getattr(args, "max_retries", None)
        return cls(
            api_key=getattr(args, "api_key", None) or environ.get("SCALE_API_KEY") or None,
            base_url=getattr(args, "base_url", None) or environ.get("SCALE_API_BASE_URL") or None,
            max_retries=4 if retries is None else retries,
            timeout=getattr(args, "timeout", None),
            transport=transport,
        )

    @property
    def shown_url(self) -> str:
        """The base URL requests go to, for messages (it never contains the key)."""
        return self.base_url or DEFAULT_BASE_URL

    def require_key(self) -> str:
        """The API key, or the end of the command with a hint (exit 3)."""
        if not self.api_key:
            raise CliError(
                "no API key: set SCALE_API_KEY or pass --api-key "
                "(or try `scale-async demo`, which needs none)",
                NO_KEY,
            )
        return self.api_key

    def client(self, *, concurrency: int = 0) -> AsyncScaleClient:
        """An async client for these settings, with room for ``concurrency`` requests at once."""
        from scale_async import AsyncScaleClient, RetryPolicy

        return AsyncScaleClient(
            api_key=self.require_key(),
            api_instance_url=self.shown_url,
            timeout=self.timeout,
            retry=RetryPolicy(max_retries=self.max_retries),
            max_connections=max(64, concurrency),
            transport=self.transport,
        )
