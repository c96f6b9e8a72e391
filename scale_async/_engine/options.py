"""The options users set by name on a client (``max_retries=``, ``timeout=``), checked once.

``retry=3`` used to fail deep inside the first request (``'int' object has no attribute
'clock'``); here every option is checked, with a hint, when the client is built or copied.
The constructors spell the options out for users and type checkers; ``ClientOptions`` is
how they hand them on, so the list of what a client is built from is written once.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .checks import require_int
from .retry import RetryPolicy

if TYPE_CHECKING:
    from .config import Proxies, TimeoutArg, Transport
    from .core import HttpCore
    from .events import OnRequest
    from .tls import Cert, Verify

__all__ = ["ClientOptions", "LimitChanges", "forget_cached_properties", "retry_policy"]

C = TypeVar("C", bound="HttpCore")


@attrs.frozen(kw_only=True)
class ClientOptions:
    """The options every client of this package is built with, whatever API it speaks.

    ``source`` joins the User-Agent; ``verify``/``proxies``/``cert`` shape TLS and proxies;
    ``timeout`` bounds each request phase; ``retry`` is the policy and ``max_retries``
    overrides its count; ``max_connections`` bounds the pool; ``transport`` replaces the
    HTTP transport; ``on_request`` is told about every attempt.
    """

    source: str | None = None
    verify: Verify = None
    proxies: Proxies = None
    cert: Cert = None
    timeout: TimeoutArg = None
    retry: RetryPolicy | None = None
    max_retries: int | None = None
    max_connections: int = 64
    transport: Transport | None = None
    on_request: OnRequest | None = None

    @classmethod
    def among(cls, arguments: Mapping[str, Any]) -> ClientOptions:
        """The options among a constructor's ``locals()``, which name them as we do."""
        names = [field.name for field in attrs.fields(cls)]
        return cls(**{name: arguments[name] for name in names if name in arguments})


@attrs.frozen(kw_only=True)
class LimitChanges:
    """What ``with_options`` was asked to change; None keeps what the client had."""

    timeout: TimeoutArg = None
    max_retries: int | None = None
    retry: RetryPolicy | None = None

    def applied_to(self, client: C) -> C:
        """``client.with_options(...)`` with these changes (for the clients a client holds)."""
        return client.with_options(
            timeout=self.timeout, max_retries=self.max_retries, retry=self.retry
        )


def retry_policy(retry: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    """The policy from ``retry=`` (default ``RetryPolicy()``) with ``max_retries=`` applied."""
    if retry is not None and not isinstance(retry, RetryPolicy):
        hint = (
            f"; for a number of retries pass max_retries={retry!r}"
            if isinstance(retry, int) and not isinstance(retry, bool)
            else ""
        )
        raise TypeError(f"retry must be a RetryPolicy{hint}, got {type(retry).__name__}")
    policy = retry if retry is not None else RetryPolicy()
    if max_retries is None:
        return policy
    return attrs.evolve(policy, max_retries=require_int("max_retries", max_retries, low=0))


def forget_cached_properties(obj: Any) -> None:
    """Drop ``obj``'s cached properties (``client.api``...), so that a copy builds its own."""
    for klass in type(obj).__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, functools.cached_property):
                obj.__dict__.pop(name, None)
