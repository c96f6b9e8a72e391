"""Batches, under the import path of the official SDK (``scaleapi.batches``)."""

from ._enums import BatchStatus

__all__ = ["BatchStatus"]
