"""Batches, under the import path of the official SDK (``scaleapi.batches``)."""

from ._batch import Batch, Batchlist
from ._enums import BatchStatus

__all__ = ["Batch", "BatchStatus", "Batchlist"]
