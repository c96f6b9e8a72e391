"""What every generated sync class stands on: the portal plumbing, no API logic."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from scale_async import AsyncScaleClient
from scale_async._api.legacy import process_tasks_endpoint_args
from scale_async._engine.core import HttpCore
from scale_async._engine.model import AbsentKeysRaise
from scale_async._engine.options import forget_cached_properties

from ._convert import register_runner, runner_for, to_sync

if TYPE_CHECKING:
    from ._portal import PortalRunner

__all__ = ["SyncClient", "SyncClientBase", "SyncModelMixin", "SyncNamespace"]

A = TypeVar("A", bound=HttpCore)
S = TypeVar("S", bound="SyncClient[Any]")


class _OnLoop:
    """Runs an async object's calls on the loop thread of ``_runner``: the generated
    methods of a sync client and of its helper objects forward through these four."""

    _runner: PortalRunner

    def _call(self, func: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any) -> Any:
        return to_sync(self._runner.call(func, *args, **kwargs))

    def _iterate(self, pages: Any) -> Iterator[Any]:
        """A page iterator's items, crossing the loop once per page, inside its block so
        that it prefetches; each item is built (``pages.finish``) as the caller reaches it."""
        finish = pages.finish
        if finish is None:
            return self._runner.iterate(pages, _next_chunk, self._to_sync)
        return self._runner.iterate(pages, _next_chunk, lambda raw: self._to_sync(finish(raw)))

    def _stream(self, stream: Any) -> Iterator[Any]:
        """A bulk stream's results, a batch of ready ones per crossing."""
        return self._runner.iterate(stream, _next_batch, self._to_sync)

    def _to_sync(self, value: Any) -> Any:
        return to_sync(value)


class SyncClient(_OnLoop, Generic[A]):
    """Holds an async client (of any API this package speaks) and the loop thread it runs on.

    ``close()`` (or leaving a ``with`` block) closes the connections and stops the thread.
    """

    def __init__(self, async_client: A) -> None:
        # The loop thread's machinery (anyio's portal, concurrent.futures) loads with the first
        # client, not with ``import scale_sync``.
        from ._portal import PortalRunner

        self._async = async_client
        self._runner = PortalRunner(
            on_fork=async_client._forget_connections, on_close=async_client.aclose
        )
        self._owns_runner = True
        register_runner(async_client, self._runner)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._async.base_url}>"

    @property
    def async_client(self) -> A:
        """The async client this one drives (use it from async code, not from here)."""
        return self._async

    def _copy_with(self: S, async_copy: Any) -> S:
        """This client on ``async_copy`` (the async client's ``with_options``): the same loop
        thread, which closing the copy leaves to the client it came from."""
        clone = copy.copy(self)
        forget_cached_properties(clone)
        clone._async = async_copy
        clone._owns_runner = False
        register_runner(async_copy, self._runner)
        return clone

    def close(self) -> None:
        """Close the connections and stop the event loop thread."""
        if self._owns_runner:
            self._runner.close()

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


async def _next_chunk(pages: Any) -> Any:
    return await pages.next_chunk()


async def _next_batch(stream: Any) -> Any:
    return await stream.next_batch()


class SyncClientBase(SyncClient[AsyncScaleClient]):
    """The base of the generated ``ScaleClient``: the sync driver of an ``AsyncScaleClient``."""

    #: The SDK's private helper, which its own test suite calls (no I/O, so nothing to run).
    _process_tasks_endpoint_args = staticmethod(process_tasks_endpoint_args)


class SyncNamespace(_OnLoop):
    """Drives a helper object of an async client (``client.api``, ``client.v2``) on that
    client's loop; closing the client closes it."""

    def __init__(self, async_obj: Any, runner: PortalRunner) -> None:
        self._async = async_obj
        self._runner = runner

    def __repr__(self) -> str:
        return repr(self._async).replace("<", "<Sync", 1)


class SyncModelMixin(AbsentKeysRaise):
    """Runs a model's async helper on the loop of the sync client that produced the model.

    It comes first among a twin's bases, so its ``_bind`` (``Task(json, sync_client)``) and
    the SDK's AttributeError for keys the server did not send apply to every sync twin. It
    adds no slot: a twin has its model's layout, so that a model becomes its twin in place.
    """

    __slots__ = ()

    _client: Any

    def _bind(self, client: Any) -> None:
        self._client = client._async if isinstance(client, SyncClient) else client

    @property
    def _runner(self) -> Any:
        """The loop of the sync client driving this model's async client, or None."""
        return runner_for(self._client)

    def _run(self, func: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any) -> Any:
        runner = self._runner
        if runner is None:
            raise RuntimeError(f"this {type(self).__name__} is not bound to a sync client")
        return to_sync(runner.call(func, self, *args, **kwargs))
