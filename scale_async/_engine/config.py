"""The plain values a session is built from: timeouts, credentials, settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, TypeAlias

import attrs

from .tls import Cert, Verify

if TYPE_CHECKING:
    import httpx


# httpx loads where it is first used (see ``http``).


__all__ = ["Auth", "HttpSettings", "Proxies", "Timeout", "TimeoutArg", "Transport"]


#: What ``transport=`` accepts: any httpx async transport (``httpx.MockTransport``,
#: ``httpx.ASGITransport``, ``httpx.AsyncHTTPTransport``, ...).
Transport: TypeAlias = "httpx.AsyncBaseTransport"


Proxies: TypeAlias = "str | Mapping[str, str] | None"


#: What ``timeout=`` accepts: seconds for every phase, a ``Timeout`` or an ``httpx.Timeout``.
TimeoutArg: TypeAlias = "float | Timeout | httpx.Timeout | None"


_DEFAULT_TIMEOUTS = {"connect": 10.0, "read": 60.0, "write": 60.0, "pool": 30.0}


@attrs.frozen(init=False)
class Timeout:
    """Per-phase time limits in seconds; none of them may be infinite.

    As with ``httpx.Timeout``, ``Timeout(5)`` sets every phase to 5 s and ``Timeout(5,
    connect=2)`` every phase but connect; a phase given neither way keeps its default (connect
    10 s, read 60 s, write 60 s, pool 30 s). ``pool`` bounds the wait for a free connection,
    which the client's own concurrency limit keeps near zero.
    """

    connect: float
    read: float
    write: float
    pool: float

    def __init__(
        self,
        default: float | None = None,
        *,
        connect: float | None = None,
        read: float | None = None,
        write: float | None = None,
        pool: float | None = None,
    ) -> None:
        given = {"connect": connect, "read": read, "write": write, "pool": pool}
        chosen = {
            name: value if value is not None else default if default is not None else fallback
            for (name, value), fallback in zip(
                given.items(), _DEFAULT_TIMEOUTS.values(), strict=True
            )
        }
        self.__attrs_init__(**chosen)

    def __attrs_post_init__(self) -> None:
        for name in ("connect", "read", "write", "pool"):
            value = getattr(self, name)
            if isinstance(value, bool) or not (
                isinstance(value, int | float) and 0 < value < float("inf")
            ):
                raise ValueError(f"Timeout.{name} must be a positive number, got {value!r}")

    @classmethod
    def of(cls, value: TimeoutArg) -> Timeout:
        """Normalise ``timeout=``: None means the defaults, a number every phase.

        An ``httpx.Timeout`` is taken phase by phase; one that leaves a phase unlimited is
        refused, since no request of this client may wait forever.
        """
        if value is None:
            return cls()
        if isinstance(value, Timeout):
            return value
        import httpx

        if isinstance(value, httpx.Timeout):
            phases = {"connect": value.connect, "read": value.read}
            phases.update(write=value.write, pool=value.pool)
            unlimited = [name for name, seconds in phases.items() if seconds is None]
            if unlimited:
                raise ValueError(
                    f"timeout: this httpx.Timeout sets no {' or '.join(unlimited)} limit; "
                    "every phase needs one, so that no request waits forever"
                )
            return cls(**phases)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(
                "timeout must be seconds, a Timeout or an httpx.Timeout, "
                f"got {type(value).__name__}"
            )
        return cls(value)

    def as_httpx(self) -> httpx.Timeout:
        """The same limits for httpx."""
        import httpx

        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@attrs.frozen
class Auth:
    """How every request proves who sends it; the secret never shows in a ``repr``.

    Scale AI's v1 API wants HTTP Basic with the API key as the user name (``Auth.basic``), its
    v2 API the same key as a Bearer token (``Auth.bearer``); NGA's Scale takes a Django REST
    framework token (``Auth.token``). A client without credentials passes no ``Auth`` at all.
    """

    scheme: Literal["basic", "token", "bearer"]
    secret: str = attrs.field(repr=False)

    @classmethod
    def basic(cls, api_key: str) -> Auth:
        """HTTP Basic with ``api_key`` as the user name and an empty password."""
        return cls("basic", api_key)

    @classmethod
    def token(cls, token: str) -> Auth:
        """``Authorization: Token <token>``, DRF's token authentication."""
        return cls("token", token)

    @classmethod
    def bearer(cls, token: str) -> Auth:
        """``Authorization: Bearer <token>``, how Scale AI's v2 API takes the API key."""
        return cls("bearer", token)


@attrs.frozen(kw_only=True)
class HttpSettings:
    """Everything needed to open the connection pool. Secrets stay out of ``repr``."""

    auth: Auth | None
    user_agent: str
    timeout: Timeout
    max_connections: int
    verify: Verify = None
    cert: Cert = None
    proxies: Proxies = None
    transport: Transport | None = attrs.field(default=None, repr=False)

    @property
    def api_key(self) -> str | None:
        """The Scale AI key, when the requests use HTTP Basic."""
        return self.auth.secret if self.auth is not None and self.auth.scheme == "basic" else None
