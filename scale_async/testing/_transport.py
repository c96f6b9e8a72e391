"""An httpx transport that runs the fake in-process, with injected drops as transport errors."""

from __future__ import annotations

import httpx

from ._asgi import ASGIApp, ConnectionDropped


class FakeTransport(httpx.AsyncBaseTransport):
    """``httpx.ASGITransport`` over the fake: zero sockets, works on asyncio and trio.

    A plain ASGITransport would surface an injected dropped connection as an app exception; this
    one raises ``httpx.RemoteProtocolError``, which is what a client sees on a real network.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._inner = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request through the app."""
        try:
            return await self._inner.handle_async_request(request)
        except ConnectionDropped as exc:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a complete response.", request=request
            ) from exc

    async def aclose(self) -> None:
        """Nothing to release; kept for the transport interface."""
        await self._inner.aclose()
