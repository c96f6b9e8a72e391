"""One keep-alive HTTP/1.1 connection for the trio pool: h11 over an httpcore network stream.

httpcore's ``AsyncHTTPConnection`` and ``AsyncHTTP11Connection`` wrap each request in three
lock acquisitions (each a trip through trio's scheduler), five trace hooks, a generator
context manager per event, an async generator for the body and a shielded close: at 256
requests in flight that was a quarter of the client's CPU on trio. The pool runs one request
at a time on a connection and always reads the whole body, so none of that buys anything
here. This keeps what matters of httpcore: h11 for the protocol, httpcore's streams for
the bytes (connect and TLS included), and httpcore's exceptions, which httpx maps.

h11 events go out in one write (the stream holds it until the read, so the request leaves
in one send); a connection is handed back only when both sides finished the exchange and
neither asked to close, and it is closed on any failure or cancellation.
"""

from __future__ import annotations

import time

import anyio
import h11
import httpcore

__all__ = ["Http11"]

#: As httpcore reads and bounds an incomplete response head.
READ_SIZE = 64 * 1024
MAX_INCOMPLETE_EVENT_SIZE = 100 * 1024

Headers = list[tuple[bytes, bytes]]


class Http11:
    """One connection; ``exchange`` sends a request and reads the whole response."""

    def __init__(self, stream: httpcore.AsyncNetworkStream, keepalive: float) -> None:
        self._stream = stream
        self._keepalive = keepalive
        self._h11 = h11.Connection(
            our_role=h11.CLIENT, max_incomplete_event_size=MAX_INCOMPLETE_EVENT_SIZE
        )
        self._expires_at: float | None = None
        self.closed = False

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<Http11 {state}>"

    def reusable(self) -> bool:
        """Whether an idle connection may carry another request: not closed, not past its
        keep-alive, and not readable (a readable idle connection was closed by the server)."""
        if self.closed:
            return False
        if self._expires_at is not None and time.monotonic() > self._expires_at:
            return False
        return not self._stream.get_extra_info("is_readable")

    async def exchange(
        self,
        method: bytes,
        target: bytes,
        headers: Headers,
        body: bytes,
        timeouts: dict[str, float],
    ) -> tuple[int, bytes, Headers, bytes]:
        """Status, reason, headers and body of the response to one request.

        Raises httpcore's exceptions, as its own connection does; on any failure, and on
        cancellation, the connection is closed before the exception leaves.
        """
        try:
            request = h11.Request(method=method, target=target, headers=headers)
            await self._send(request, body, timeouts.get("write"))
            return await self._response(timeouts.get("read"))
        except h11.LocalProtocolError as exc:
            await self.aclose()
            raise httpcore.LocalProtocolError(str(exc)) from exc
        except BaseException:
            await self.aclose()
            raise

    async def _send(
        self,
        request: h11.Request,
        body: bytes,
        timeout: float | None,  # noqa: ASYNC109 - the write phase's limit
    ) -> None:
        connection = self._h11
        events: list[h11.Event] = [request, h11.Data(data=body)] if body else [request]
        events.append(h11.EndOfMessage())
        data = b"".join([connection.send(event) or b"" for event in events])
        # Held by the stream until the first read, so the request leaves in one send; a
        # failed send still lets the answer be read (a server that refuses early).
        await self._stream.write(data, timeout)

    async def _response(
        self,
        read: float | None,  # the read phase's limit, per read
    ) -> tuple[int, bytes, Headers, bytes]:
        connection = self._h11
        while True:
            event = await self._next_event(read)
            if isinstance(event, h11.Response):
                break
            if isinstance(event, h11.InformationalResponse) and event.status_code == 101:
                break  # an upgrade this client never asks for: answered, then closed
        status, reason, raw = event.status_code, event.reason, event.headers.raw_items()
        chunks: list[bytes] = []
        while True:
            part = await self._next_event(read)
            if isinstance(part, h11.Data):
                chunks.append(bytes(part.data))
            elif isinstance(part, h11.EndOfMessage) or part is h11.PAUSED:
                break
        if connection.our_state is h11.DONE and connection.their_state is h11.DONE:
            connection.start_next_cycle()
            self._expires_at = time.monotonic() + self._keepalive
        else:
            await self.aclose()  # the server said close, or the exchange ended otherwise
        content = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        return status, reason, list(raw), content

    async def _next_event(
        self,
        timeout: float | None,  # noqa: ASYNC109 - the read phase's limit, per read
    ) -> h11.Event | type[h11.PAUSED]:
        connection = self._h11
        while True:
            try:
                event = connection.next_event()
            except h11.RemoteProtocolError as exc:
                raise httpcore.RemoteProtocolError(str(exc)) from exc
            if event is not h11.NEED_DATA:
                return event  # type: ignore[return-value]
            data = await self._stream.read(READ_SIZE, timeout)
            if data == b"" and connection.their_state is h11.SEND_RESPONSE:
                raise httpcore.RemoteProtocolError(
                    "Server disconnected without sending a response."
                )
            connection.receive_data(data)

    async def aclose(self) -> None:
        """Close the socket, even for a cancelled caller; closing twice is harmless."""
        if self.closed:
            return
        self.closed = True
        with anyio.CancelScope(shield=True):
            await self._stream.aclose()
