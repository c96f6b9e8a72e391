"""One logical API call: build the request, send it under the retry policy, map the answer.

This is the single place where retries, error mapping, the key's redaction and the "false 500"
recovery happen; every endpoint method goes through ``Requester.call``.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import Any

import attrs
import orjson

from ..exceptions import (
    ScaleDuplicateResource,
    ScaleException,
    ScaleInvalidResponse,
    ScaleTooManyRequests,
    ScaleTransportError,
)
from .closing import InFlight, client_closed
from .config import Timeout
from .errors import error_for_status, error_message
from .events import OnRequest, RequestEvent, emit, last_request_id, log_retry, request_id
from .failures import TransportFailure
from .http import HttpSession, RawResponse
from .limits import PauseGate
from .redact import chain_safe, redact
from .retry import (
    RetryPolicy,
    is_ambiguous,
    make_retrying,
    next_delay,
    parse_retry_after,
    should_retry,
)
from .wire import encode_query

__all__ = ["NO_BODY", "Call", "Requester"]

logger = logging.getLogger("scale_async")

#: Marks a request without a JSON body (``None`` is a valid JSON body: ``null``).
NO_BODY: Any = object()

Recover = Callable[[], Awaitable[Any]]


@attrs.frozen(kw_only=True)
class Call:
    """A description of one API call, free of I/O.

    ``replay_safe`` says whether sending it twice is harmless. ``recover`` is what a create
    that carried a natural key does on a 409 that follows an ambiguous attempt: fetch what
    the earlier attempt created. ``redirect`` makes a 3xx with a ``Location`` the answer
    (that URL, as a string) instead of an error: for endpoints whose answer is a redirect.
    """

    method: str
    path: str
    params: Mapping[str, Any] | None = None
    body: Any = NO_BODY
    files: Mapping[str, tuple[str, bytes]] | None = None
    data: Mapping[str, str] | None = None
    headers: Mapping[str, str] | None = None
    replay_safe: bool = True
    recover: Recover | None = attrs.field(default=None, eq=False)
    allow_text: bool = False
    redirect: bool = False


#: The logical call whose 409 recovery is running (its lookups are calls made inside it):
#: they spend what is left of its deadline, under its scope, rather than get their own.
_RECOVERING: ContextVar[_Attempts | None] = ContextVar("scale_async_recovering", default=None)

_JSON_HEADERS = {"Content-Type": "application/json"}


def dumps(body: Any) -> bytes:
    """JSON bytes of a request body: orjson, or the standard library for what orjson refuses
    (integers beyond 64 bits), so that any body the client took before still goes."""
    try:
        return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return json.dumps(body).encode()


def loads(content: bytes) -> Any:
    """Decoded JSON: orjson, or the standard library for what only it reads (NaN, say)."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)


class _Attempts:
    """What one logical call has seen so far; the attempt number itself is tenacity's.

    ``deadline`` is on the policy's clock (which decides whether a retry may start; tests
    inject it). ``root`` is the call a recovery runs inside (itself otherwise), whose
    ``current`` names the call whose attempt a deadline would cut; ``started`` is set while
    an attempt waits for its answer.

    Neither refers to the object itself (None stands for it): a call that left a cycle
    behind would be garbage only the cycle collector frees, and a listing or bulk job makes
    thousands of calls.
    """

    __slots__ = (
        "_current",
        "_root",
        "ambiguous",
        "call",
        "count",
        "deadline",
        "requester",
        "started",
    )

    def __init__(
        self,
        requester: Requester,
        call: Call,
        deadline: float | None,
        root: _Attempts | None = None,
    ) -> None:
        self.requester = requester
        self.call = call
        self.ambiguous = False
        self.count = 0  # the attempt in progress: tenacity's number, set by _attempt
        self.deadline = deadline
        self._root = root
        self._current: _Attempts | None = None
        self.started: float | None = None

    @property
    def root(self) -> _Attempts:
        return self if self._root is None else self._root

    @property
    def current(self) -> _Attempts:
        return self if self._current is None else self._current

    @current.setter
    def current(self, attempts: _Attempts) -> None:
        self._current = None if attempts is self else attempts


class Requester:
    """Sends ``Call`` objects for a client: base URL, session, retry policy, key redaction."""

    def __init__(
        self,
        session: HttpSession,
        base_url: str,
        retry: RetryPolicy,
        secret: str,
        *,
        timeout: Timeout | None = None,
        gate: PauseGate | None = None,
        in_flight: InFlight | None = None,
        on_request: OnRequest | None = None,
    ) -> None:
        self.session = session
        self.base_url = base_url
        self.retry = retry
        self._secret = secret
        #: Replaces the pool's limits for these requests (``with_options(timeout=...)``).
        self.timeout = timeout
        #: Closed by a 429 for as long as the server asks: every request waits at it.
        self.gate = gate if gate is not None else PauseGate(retry.clock, retry.sleep)
        #: The calls running now, cut by the client's ``aclose`` (its copies' calls too).
        self.in_flight = in_flight if in_flight is not None else InFlight()
        #: Told about every attempt (method, path, status, attempt, elapsed).
        self.on_request = on_request

    def derive(self, *, retry: RetryPolicy, timeout: Timeout | None) -> Requester:
        """A requester on the same pool, 429 pause and in-flight calls, with other limits."""
        return Requester(
            self.session,
            self.base_url,
            retry,
            self._secret,
            timeout=timeout,
            gate=self.gate,
            in_flight=self.in_flight,
            on_request=self.on_request,
        )

    def __repr__(self) -> str:
        return f"<Requester {self.base_url}>"

    async def call(self, call: Call) -> Any:
        """Perform ``call`` and return its decoded JSON (None for an empty body).

        The first attempt runs on its own: the retry loop is built only once it fails in a
        way worth retrying, so a call that succeeds pays nothing for it. One cancel scope
        bounds the whole call (attempts, waits between them, and any call made inside it):
        its deadline is the call's, and the client's ``aclose`` cancels it.
        """
        root = _RECOVERING.get()
        if root is not None:
            return await self._recovering(call, root)
        policy = self.retry
        seconds = policy.deadline
        if seconds is None:
            attempts = _Attempts(self, call, None)
            seconds = math.inf
        else:
            attempts = _Attempts(self, call, policy.clock() + seconds)
        in_flight = self.in_flight
        closings = in_flight.closings
        scope = in_flight.open(seconds)
        try:
            with scope:
                return await self._run(call, attempts)
        finally:
            in_flight.done(scope)
        # Only a cancelled scope gets here: the client closed, or the deadline passed.
        if in_flight.closings != closings:
            raise client_closed(call.method, call.path)
        exc, cause = self._deadline_passed(attempts)
        raise exc from cause

    async def _recovering(self, call: Call, root: _Attempts) -> Any:
        """A call made inside ``root``'s recovery: under its scope, within its deadline."""
        attempts = _Attempts(self, call, root.deadline, root)
        previous, root.current = root.current, attempts
        try:
            result = await self._run(call, attempts)
        except Exception:
            root.current = previous
            raise
        # A cancellation leaves ``current`` naming this call, whose attempt it cut.
        root.current = previous
        return result

    async def _run(self, call: Call, attempts: _Attempts) -> Any:
        policy = self.retry
        try:
            return await self._attempt(call, attempts, 1)
        except Exception as exc:
            if not should_retry(policy, exc, replay_safe=call.replay_safe):
                raise
            first = exc
        retrying = make_retrying(
            policy,
            replay_safe=call.replay_safe,
            observe=log_retry(call.method, call.path, policy.max_retries),
            deadline=attempts.deadline,
            wait_for=self._wait_for,
        )
        async for attempt in retrying:
            with attempt:
                number = attempt.retry_state.attempt_number
                if number == 1:
                    raise first  # replayed, so that tenacity schedules what follows
                return await self._attempt(call, attempts, number)
        raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover

    def _deadline_passed(self, root: _Attempts) -> tuple[ScaleTransportError, BaseException | None]:
        """The error of a call cut by its deadline (and its cause), told as the attempt it cut.

        Cut between attempts (a retry's wait, the 429 gate), it is told as the next attempt,
        cut as it started: what happens when that attempt starts past the deadline.
        """
        attempts = root.current
        requester, call = attempts.requester, attempts.call
        if attempts.started is None:
            attempts.count += 1
            started = time.perf_counter()
        else:
            started = attempts.started
        failure = TransportFailure(
            f"the call's deadline of {requester.retry.deadline:g} s passed",
            sent=True,
            retryable=False,
        )
        exc = ScaleTransportError(
            requester._redact(str(failure)),
            sent=failure.sent,
            retryable=failure.retryable,
            method=call.method,
            path=call.path,
            retries=attempts.count - 1,
        )
        requester._tell(call, attempts, started, None, None, exc.message)
        requester._note_failure(call, attempts, exc)
        return exc, chain_safe(failure)

    def _wait_for(self, exc: BaseException) -> float | None:
        """After a 429 the retry waits exactly as long as the client's gate stays closed."""
        return self.gate.paused_for if isinstance(exc, ScaleTooManyRequests) else None

    async def _attempt(self, call: Call, attempts: _Attempts, number: int) -> Any:
        await self.gate.wait()
        attempts.count = number
        retries = number - 1
        started = attempts.started = time.perf_counter()
        try:
            response = await self._send(call)
        except TransportFailure as failure:
            attempts.started = None
            exc: ScaleException = ScaleTransportError(
                self._redact(str(failure)),
                sent=failure.sent,
                retryable=failure.retryable,
                method=call.method,
                path=call.path,
                retries=retries,
            )
            self._tell(call, attempts, started, None, None, exc.message)
            self._note_failure(call, attempts, exc)
            # Chain to the transport's own exception, which says the most.
            raise exc from chain_safe(failure.__cause__ or failure)
        attempts.started = None
        rid = request_id(response.headers)
        last_request_id.set(rid)
        self._tell(call, attempts, started, response.status, rid, None)
        if 200 <= response.status < 300:
            return self._decode(call, response, retries, rid)
        if call.redirect and 300 <= response.status < 400 and response.headers.get("location"):
            return response.headers["location"]
        exc = error_for_status(
            response.status,
            self._redact(error_message(response.content, response.reason)),
            method=call.method,
            path=call.path,
            retry_after=parse_retry_after(response.headers),
        )
        exc.retries = retries
        exc.request_id = rid
        if isinstance(exc, ScaleTooManyRequests):
            self.gate.pause_for(
                next_delay(self.retry, attempts.count, exc.retry_after, self.retry.random())
            )
        if isinstance(exc, ScaleDuplicateResource) and attempts.ambiguous and call.recover:
            logger.info("%s %s: 409 after an ambiguous attempt, recovering", call.method, call.path)
            token = _RECOVERING.set(attempts.root)
            try:
                return await call.recover()
            finally:
                _RECOVERING.reset(token)
        self._note_failure(call, attempts, exc)
        raise exc

    def _tell(
        self,
        call: Call,
        attempts: _Attempts,
        started: float,
        status: int | None,
        rid: str | None,
        error: str | None,
    ) -> None:
        if self.on_request is None:
            return
        elapsed = time.perf_counter() - started
        event = RequestEvent(call.method, call.path, status, attempts.count, elapsed, rid, error)
        emit(self.on_request, event)

    def _note_failure(self, call: Call, attempts: _Attempts, exc: ScaleException) -> None:
        attempts.ambiguous = attempts.ambiguous or is_ambiguous(exc)
        logger.debug(
            "%s %s attempt %d failed: %s", call.method, call.path, attempts.count, exc.message
        )

    async def _send(self, call: Call) -> RawResponse:
        headers = call.headers
        content: bytes | None = None
        if call.body is not NO_BODY:
            content = dumps(call.body)
            headers = {**headers, **_JSON_HEADERS} if headers else _JSON_HEADERS
        started = time.perf_counter()
        request = self.session.send(
            call.method,
            f"{self.base_url}/{call.path}",
            params=encode_query(call.params) if call.params else None,
            content=content,
            files=call.files,
            data=call.data,
            headers=headers,
            timeout=self.timeout,
        )
        response = await request
        logger.debug(
            "%s %s -> %d in %.1f ms",
            call.method,
            call.path,
            response.status,
            (time.perf_counter() - started) * 1000,
        )
        return response

    def _decode(self, call: Call, response: RawResponse, retries: int, rid: str | None) -> Any:
        if not response.content.strip():
            return None
        try:
            return loads(response.content)
        except (ValueError, RecursionError) as exc:
            if call.allow_text:
                return None
            snippet = self._redact(error_message(response.content))
            invalid = ScaleInvalidResponse(
                f"response is not JSON: {snippet}",
                response.status,
                method=call.method,
                path=call.path,
                retries=retries,
            )
            invalid.request_id = rid
            raise invalid from exc

    def _redact(self, text: str) -> str:
        return redact(text, (self._secret,)) if self._secret else redact(text)
