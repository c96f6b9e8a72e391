"""Batches, under the import path of the official SDK (``scaleapi.batches``)."""

from scale_async.batches import BatchStatus

__all__ = ["BatchStatus"]
