"""Many look-ups by key, one request: the callers that ask at about the same time share it.

When a bulk job meets many transient failures at once (a burst of 5xx), each failed create
must be checked against the server before it is reported (the create may have been stored
all the same). ``unique_id`` is a repeatable filter of ``GET /tasks``, so one request can
answer for up to a page of them; ``Coalesced`` gathers the keys asked for while a request
is being prepared and hands every caller its own answer. No background task: the first
caller of a round does the fetching, the others wait for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Generic, TypeVar

import anyio
import attrs

__all__ = ["Coalesced"]

T = TypeVar("T")


@attrs.define(eq=False)
class _Asked(Generic[T]):
    key: str
    done: anyio.Event = attrs.field(factory=anyio.Event)
    found: T | None = None
    error: BaseException | None = None


class Coalesced(Generic[T]):
    """``await find(key)`` gives what ``fetch`` says of ``key``, ``batch`` keys per request.

    ``fetch`` takes distinct keys and returns what it found, by key (absent: not found).
    ``window`` is how long the first caller of a round waits for others to join it.
    """

    def __init__(
        self,
        fetch: Callable[[list[str]], Awaitable[Mapping[str, T]]],
        *,
        batch: int = 100,
        window: float = 0.005,
    ) -> None:
        if batch < 1:
            raise ValueError(f"batch must be positive, got {batch!r}")
        self._fetch = fetch
        self._batch = batch
        self._window = window
        self._waiting: list[_Asked[T]] = []
        self._leading = False
        #: Requests made, for tests and progress: fewer than the keys asked for.
        self.requests = 0

    async def find(self, key: str) -> T | None:
        """What the server has under ``key``, or None; a failed request raises its error."""
        asked: _Asked[T] = _Asked(key)
        self._waiting.append(asked)
        if not self._leading:
            await self._lead()
        await asked.done.wait()
        if asked.error is not None:
            raise asked.error
        return asked.found

    async def _lead(self) -> None:
        self._leading = True
        try:
            await anyio.sleep(self._window)
            while self._waiting:
                round_, self._waiting = self._waiting[: self._batch], self._waiting[self._batch :]
                failure = await self._answer(round_)
                if failure is not None:
                    # The server could not answer this round: those who queued behind it get
                    # the same answer now rather than another request each.
                    for asked in self._waiting:
                        asked.error = failure
                        asked.done.set()
                    self._waiting = []
        finally:
            self._leading = False
            # Cancelled while leading: nobody is left to answer the others; they are told so
            # rather than left waiting (each may ask again).
            for asked in self._waiting:
                asked.error = RuntimeError("the look-up was interrupted")
                asked.done.set()
            self._waiting = []

    async def _answer(self, round_: list[_Asked[T]]) -> Exception | None:
        keys = list(dict.fromkeys(asked.key for asked in round_))
        self.requests += 1
        try:
            found = await self._fetch(keys)
        except Exception as exc:
            for asked in round_:
                asked.error = exc
                asked.done.set()
            return exc
        except BaseException:
            for asked in round_:
                asked.error = RuntimeError("the look-up was interrupted")
                asked.done.set()
            raise
        for asked in round_:
            asked.found = found.get(asked.key)
            asked.done.set()
        return None
