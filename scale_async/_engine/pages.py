"""Single pages of list endpoints, list-like as the SDK's ``Tasklist`` and ``Batchlist``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

__all__ = ["Paginator"]

T = TypeVar("T")
U = TypeVar("U")


class Paginator(list[T], Generic[T]):
    """One page: the items themselves, plus where the page sits in the whole listing."""

    def __init__(
        self,
        docs: Iterable[T],
        total: int | None = None,
        limit: int | None = None,
        offset: int | None = None,
        has_more: bool = False,
        next_token: str | None = None,
    ) -> None:
        super().__init__(docs)
        self.total = total
        self.limit = limit
        self.offset = offset
        self.has_more = has_more
        self.next_token = next_token

    @property
    def docs(self) -> list[T]:
        """The page's items as a plain list."""
        return list(self)

    def _map_into(self, cls: type[Paginator[U]], convert: Callable[[T], U]) -> Paginator[U]:
        """The same page with each item converted, as another page class."""
        return cls(
            (convert(item) for item in self),
            self.total,
            self.limit,
            self.offset,
            self.has_more,
            self.next_token,
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(docs={len(self)}, total={self.total}, "
            f"has_more={self.has_more}, next_token={self.next_token!r})"
        )
