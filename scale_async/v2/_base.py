"""The v2 client's footing: the engine's HTTP core, with the v1 client's settings and key.

The v2 API authenticates the same API key as a Bearer token (v1 wants HTTP Basic), so the
v2 client has its own connection pool, opened with the v1 client's TLS, proxy, timeout,
pool size and transport settings, and the same retry policy. Everything else (retries,
error mapping, key redaction, timeouts) is the engine's ``Requester``.
"""

from __future__ import annotations

import inspect
import sys
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

import attrs

from .._engine.config import Auth
from .._engine.core import HttpCore
from .._engine.model import Model
from .._engine.options import ClientOptions
from .._engine.requester import Call
from ._wire import v2_host

__all__ = ["BatchAction", "V2Core", "operation"]

M = TypeVar("M", bound=Model)
S = TypeVar("S")
A = TypeVar("A")
R = TypeVar("R")
P = ParamSpec("P")


@attrs.frozen
class BatchAction(Generic[M]):
    """One of the four batch operations: where it is POSTed (below ``/v2``), what the API
    answers, and what it does (the start of its docstrings)."""

    path: str
    answer: type[M]
    does: str

    def doc(self, *, many: bool = False) -> str:
        """The docstring of ``{verb}_batch`` (``many``: of ``{verb}_batches``)."""
        if not many:
            return f"{self.does} (``POST /v2/{self.path}``)."
        verb = self.path.rpartition("/")[2]
        return f'``{verb}_batch`` on many batches concurrently (ids, or names with ``by="name"``).'


def operation(
    on: Callable[Concatenate[S, A, P], Awaitable[R]], fixed: A, doc: str
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, R]]:
    """The method ``on`` with its first argument ``fixed``: an operation of its own, which
    type checkers and ``inspect`` (so the sync generator too) see with ``on``'s parameters.

    For operations that differ only in data (the four batch actions): their signature is
    written once, on ``on``. Where ``on`` returns a type variable, ``inspect`` reads the
    type ``fixed.answer`` (the one type checkers infer).
    """

    async def call(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return await on(self, fixed, *args, **kwargs)

    signature = inspect.signature(on)
    first, _, *rest = signature.parameters.values()
    first = first.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD)  # ``self``, as in a def
    returns = signature.return_annotation
    named = vars(sys.modules[on.__module__]).get(returns) if isinstance(returns, str) else returns
    if isinstance(named, TypeVar):
        returns = fixed.answer.__name__  # type: ignore[attr-defined]
    call.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[first, *rest], return_annotation=returns
    )
    call.__doc__ = doc
    call.__module__ = on.__module__
    _MADE.add(call)
    return call


#: The functions ``operation`` made; a class that holds one names it (``__init_subclass__``).
_MADE: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()


class V2Core(HttpCore):
    """What every v2 operation stands on: ``_get`` and ``_post`` of one typed answer."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # An ``operation`` is named where it is bound, as a def would be (reprs, tracebacks).
        for name, value in vars(cls).items():
            if value in _MADE:
                value.__name__ = name
                value.__qualname__ = f"{cls.__qualname__}.{name}"

    def __init__(self, parent: HttpCore) -> None:
        settings = parent._session.settings
        secret = settings.auth.secret if settings.auth is not None else ""
        super().__init__(
            base_url=v2_host(parent.base_url),
            auth=Auth.bearer(secret),
            options=ClientOptions(
                verify=settings.verify,
                proxies=settings.proxies,
                cert=settings.cert,
                timeout=settings.timeout,
                retry=parent.retry,
                max_connections=settings.max_connections,
                transport=settings.transport,
                on_request=parent._requester.on_request,
            ),
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
