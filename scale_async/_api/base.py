"""The base of the v1 client: the API key, the base URL and the SDK's constructor arguments."""

from __future__ import annotations

import os

from .._engine.config import Auth, Proxies, TimeoutArg, Transport
from .._engine.core import HttpCore
from .._engine.events import OnRequest
from .._engine.options import ClientOptions
from .._engine.retry import RetryPolicy
from .._engine.tls import Cert, Verify
from .._engine.wire import normalise_base_url
from ..exceptions import ScaleException
from .wire import DEFAULT_BASE_URL

__all__ = ["ClientCore"]


class ClientCore(HttpCore):
    """Configuration and connection handling shared by every group of Scale AI endpoints."""

    def __init__(
        self,
        api_key: str | None = None,
        source: str | None = None,
        api_instance_url: str | None = None,
        verify: Verify = None,
        proxies: Proxies = None,
        cert: Cert = None,
        *,
        timeout: TimeoutArg = None,
        retry: RetryPolicy | None = None,
        max_retries: int | None = None,
        max_connections: int = 64,
        transport: Transport | None = None,
        on_request: OnRequest | None = None,
    ) -> None:
        key = api_key or os.environ.get("SCALE_API_KEY")
        if not key:
            raise ScaleException(
                "Please provide a valid API Key: pass api_key= or set SCALE_API_KEY."
            )
        super().__init__(
            base_url=normalise_base_url(
                api_instance_url or os.environ.get("SCALE_API_BASE_URL") or DEFAULT_BASE_URL
            ),
            auth=Auth.basic(key),
            options=ClientOptions.among(locals()),
        )
