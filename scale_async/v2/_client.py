"""``AsyncV2Client``: what ``AsyncScaleClient().v2`` is."""

from __future__ import annotations

from ._bulk import V2Bulk

__all__ = ["AsyncV2Client"]


class AsyncV2Client(V2Bulk):
    """Scale's v2 API (GenAI: chat tasks, deliveries, datasets), as the SDK's ``client.v2``.

    The 25 operations of the SDK's ``V2Api`` have its names and parameter names; where the
    SDK takes a request object (``create_batch_request``, ``batch_operation_request``, ...)
    its fields may be given as keyword arguments instead. On top: ``iter_*`` iterators over
    every ``next_token`` cursor (prefetching, with ``partitions=`` where the API filters by
    time), ``create_chat_tasks`` and the ``*_batches`` bulk operations.

    It is reached as ``client.v2`` and shares the client's key (sent as a Bearer token),
    settings and retry policy, with a pool of its own; closing the client closes it.
    """
