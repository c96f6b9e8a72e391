"""What every command needs from its surroundings: the key, the URL, the streams, the client.

Why one object: commands stay testable by building an ``Env`` with an in-process transport and
string buffers, and the key is read in one place only, which is also the one place that makes
sure it never reaches a message. The client's defaults (base URL, retries, pool size) are read
from the client itself, never restated here, so the CLI cannot drift from the library.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from scale_async import AsyncScaleClient, RetryPolicy

from ._exit import NO_KEY, USAGE, CliError

if TYPE_CHECKING:
    import httpx

__all__ = ["Env", "client_default", "default_base_url"]


def client_default(parameter: str) -> Any:
    """A default of ``AsyncScaleClient``'s constructor, as the client declares it."""
    return inspect.signature(AsyncScaleClient).parameters[parameter].default


def _client_base_url(url: str | None) -> str:
    """The base URL a client given ``url`` talks to: its own default and normalisation."""
    # Building a client opens nothing (the pool is opened on first use); the key is a dummy.
    return AsyncScaleClient(api_key="unused", api_instance_url=url).base_url


def default_base_url() -> str:
    """The URL a client given none uses here (``$SCALE_API_BASE_URL`` or its own default)."""
    try:
        return _client_base_url(None)
    except ValueError:
        return "the client's default"


@dataclass(frozen=True)
class Env:
    """Connection settings and streams for one command run.

    ``transport`` replaces the HTTP transport (tests mount the fake Scale API in-process);
    ``max_retries`` and ``timeout`` are None for the client's own defaults. ``on_retry``
    (set by a command's progress display) is told of every retry the client makes.
    """

    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    max_retries: int | None = None
    timeout: float | None = None
    verbose: int = 0
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
        """Flags first, then ``SCALE_API_KEY`` / ``SCALE_API_BASE_URL``; a bad URL is exit 2."""
        environ = os.environ if environ is None else environ
        url = getattr(args, "base_url", None) or environ.get("SCALE_API_BASE_URL") or None
        if url is not None:
            try:
                _client_base_url(url)
            except ValueError:
                raise CliError(
                    f"bad base URL {url!r}: expected an http(s) URL such as "
                    "https://api.scale.com/v1",
                    USAGE,
                ) from None
        return cls(
            api_key=getattr(args, "api_key", None) or environ.get("SCALE_API_KEY") or None,
            base_url=url,
            max_retries=getattr(args, "max_retries", None),
            timeout=getattr(args, "timeout", None),
            verbose=getattr(args, "verbose", 0) or 0,
            transport=transport,
        )

    @property
    def shown_url(self) -> str:
        """The base URL requests go to, for messages (it never contains the key)."""
        return _client_base_url(self.base_url)

    def require_key(self) -> str:
        """The API key, or the end of the command with a hint (exit 3)."""
        if not self.api_key:
            raise CliError(
                "no API key: set SCALE_API_KEY or pass --api-key "
                "(or try `scale-async demo`, which needs none)",
                NO_KEY,
            )
        return self.api_key

    def retry_policy(self, on_retry: Callable[..., object] | None = None) -> RetryPolicy:
        """The client's retry policy, with ``--max-retries`` if given; defaults are the client's."""
        changes: dict[str, Any] = {}
        if self.max_retries is not None:
            changes["max_retries"] = self.max_retries
        if on_retry is not None:
            changes["on_retry"] = on_retry
        return RetryPolicy(**changes)

    def client(
        self, *, concurrency: int = 0, on_retry: Callable[..., object] | None = None
    ) -> AsyncScaleClient:
        """An async client for these settings, with room for ``concurrency`` requests at once."""
        options: dict[str, Any] = {}
        pool = client_default("max_connections")
        if concurrency > (pool if isinstance(pool, int) else 0):
            options["max_connections"] = concurrency
        return AsyncScaleClient(
            api_key=self.require_key(),
            api_instance_url=self.base_url,
            timeout=self.timeout,
            retry=self.retry_policy(on_retry),
            transport=self.transport,
            **options,
        )
