"""The v2 client's footing: the engine's HTTP core, with the v1 client's settings and key.

The v2 API authenticates the same API key as a Bearer token (v1 wants HTTP Basic), so the
v2 client has its own connection pool, opened with the v1 client's TLS, proxy, timeout,
pool size and transport settings, and the same retry policy. Everything else (retries,
error mapping, key redaction, timeouts) is the engine's ``Requester``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from .._engine.core import HttpCore
from .._engine.http import Auth
from .._engine.model import Model
from .._engine.requester import Call
from ._wire import v2_host

__all__ = ["V2Core"]

M = TypeVar("M", bound=Model)


class V2Core(HttpCore):
    """What every v2 operation stands on: ``_get`` and ``_post`` of one typed answer."""

    def __init__(self, parent: HttpCore) -> None:
        settings = parent._session.settings
        secret = settings.auth.secret if settings.auth is not None else ""
        super().__init__(
            base_url=v2_host(parent.base_url),
            auth=Auth.bearer(secret),
            verify=settings.verify,
            proxies=settings.proxies,
            cert=settings.cert,
            timeout=settings.timeout,
            retry=parent.retry,
            max_connections=settings.max_connections,
            transport=settings.transport,
            on_request=parent._requester.on_request,
        )
        # The User-Agent too is the parent's (it carries the parent's ``source``).
        self._session.settings = attrs.evolve(
            self._session.settings, user_agent=settings.user_agent
        )

    async def _get(self, path: str, query: Mapping[str, Any] | None, cls: type[M]) -> M:
        return await self._one(Call(method="GET", path=f"v2/{path}", params=query or None), cls)

    async def _post(
        self, path: str, body: Mapping[str, Any], cls: type[M], *, replay_safe: bool = True
    ) -> M:
        call = Call(method="POST", path=f"v2/{path}", body=dict(body), replay_safe=replay_safe)
        return await self._one(call, cls)
