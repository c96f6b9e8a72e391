"""Batches, under the import path of the official SDK (``scaleapi.batches``)."""

from scale_async.batches import BatchStatus

from ._generated import Batch, Batchlist

__all__ = ["Batch", "BatchStatus", "Batchlist"]
