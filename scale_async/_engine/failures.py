"""What a broken exchange means: the words a user reads, and whether a retry may follow.

The transports (httpx, httpx-aiohttp, this package's trio connections) each name failures
their own way; this module reads the chain of causes underneath so that the same failure
reads the same, and so that a create is retried only when the server provably saw nothing.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx


# httpx and ssl load where they are first used (see ``http``).


__all__ = ["TransportFailure", "describe_failure", "exchange_failure", "foreign_failures"]


class TransportFailure(Exception):
    """No response was received. ``sent`` is False when the server provably saw nothing;
    ``retryable`` is False when another attempt cannot help (a certificate that fails)."""

    def __init__(self, message: str, *, sent: bool, retryable: bool = True) -> None:
        super().__init__(message)
        self.sent = sent
        self.retryable = retryable


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, its causes, and the members of any group among them (trio's connection
    attempts to each address come as a group), breadth first, bounded."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 32:
        current = todo.pop(0)
        if any(current is known for known in seen):
            continue
        seen.append(current)
        members = getattr(current, "exceptions", None)  # an exception group (3.10: backport)
        if isinstance(members, tuple | list):
            todo.extend(m for m in members if isinstance(m, BaseException))
        following = current.__cause__ or current.__context__
        if following is not None:
            todo.append(following)
    return seen


def _provably_unsent(exc: httpx.TransportError) -> bool:
    """Whether the request never reached the server (so even a create may be retried)."""
    import httpx

    cause = exc.__cause__
    if cause is not None and type(cause).__module__.startswith("aiohttp"):
        # httpx-aiohttp maps every aiohttp connection error, even a server hang-up after
        # the request was sent, to ConnectTimeout: judge by the original exception.
        import aiohttp

        return isinstance(cause, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def _certificate_failure(chain: list[BaseException]) -> BaseException | None:
    import ssl

    for link in chain:
        if isinstance(link, ssl.SSLCertVerificationError):
            return link
        if type(link).__name__ == "ClientConnectorCertificateError":
            return link
    return None


def describe_failure(exc: BaseException) -> tuple[str, bool]:
    """What went wrong in plain words, and whether trying again could help.

    httpx-aiohttp calls every aiohttp connection error ``ConnectTimeout``, and httpx errors
    raised under trio often carry no text: the socket or TLS error underneath says what
    happened, so the name comes from there. A certificate that does not verify will not
    verify on the next attempt either.
    """
    import httpx

    chain = _chain(exc)
    detail = next((str(link) for link in chain if str(link)), "")
    certificate = _certificate_failure(chain)
    if certificate is not None:
        reason = getattr(certificate, "verify_message", None) or getattr(
            getattr(certificate, "certificate_error", None), "verify_message", None
        )
        text = "certificate verify failed" + (f" ({reason})" if reason else "")
        return f"{text}: {detail}" if detail else text, False
    if any(isinstance(link, ConnectionRefusedError) for link in chain) or any(
        isinstance(getattr(link, "os_error", None), ConnectionRefusedError) for link in chain
    ):
        return f"connection refused: {detail}" if detail else "connection refused", True
    kind = type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout) and not isinstance(
        exc.__cause__, TimeoutError | type(None)
    ):
        kind = "ConnectError"  # httpx-aiohttp's name for any connection error
    return (f"{kind}: {detail}" if detail else kind), True


@functools.cache
def foreign_failures() -> tuple[type[BaseException], ...]:
    """What the transports raise about a broken exchange besides httpx.TransportError."""
    import httpx

    failures: list[type[BaseException]] = [httpx.HTTPError, OSError, EOFError, ValueError]
    try:
        import aiohttp
    except ImportError:  # pragma: no cover - httpx-aiohttp brings it
        pass
    else:
        failures.append(aiohttp.ClientError)
    return tuple(failures)


def exchange_failure(exc: BaseException) -> TransportFailure:
    """What a broken exchange (one of ``foreign_failures``) means for a retry."""
    import httpx

    if isinstance(exc, httpx.TransportError):
        message, retryable = describe_failure(exc)
        return TransportFailure(message, sent=not _provably_unsent(exc), retryable=retryable)
    # A reply that is not HTTP, a body that does not decode (gzip garbage): the exchange
    # failed after the request went out, whatever library noticed it.
    return TransportFailure(describe_failure(exc)[0], sent=True)
