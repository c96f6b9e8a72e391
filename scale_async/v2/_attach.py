"""How ``AsyncScaleClient`` gets ``v2`` and the SDK's ``v2_get_tasks``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .._api.base import ClientCore
from .._engine.core import HttpCore
from .._engine.options import LimitChanges
from .._engine.pagination import AsyncPageIterator

if TYPE_CHECKING:
    # The v2 client and models load on first use of ``client.v2``, not with ``scale_async``.
    from ._client import AsyncV2Client
    from ._enums import ExpandableEnumTask, Option
    from ._enums import TaskStatus as V2TaskStatus
    from ._tasks import Task as V2Task

__all__ = ["V2Attachment", "V2Task", "V2TaskStatus"]


class V2Attachment(ClientCore):
    """The v2 API beside the v1 endpoints, made on first use."""

    _v2_client: AsyncV2Client | None = None

    @property
    def v2(self) -> AsyncV2Client:
        """Scale's v2 API with this client's key and settings (the SDK's ``client.v2``)."""
        if self._v2_client is None:
            from ._client import AsyncV2Client

            self._v2_client = AsyncV2Client(self)
        return self._v2_client

    def v2_get_tasks(
        self,
        project_id: str | None = None,
        project_name: str | None = None,
        batch_id: str | None = None,
        batch_name: str | None = None,
        status: V2TaskStatus | str | None = None,
        completed_after: datetime | str | None = None,
        completed_before: datetime | str | None = None,
        limit: int | None = None,
        expand: list[ExpandableEnumTask | str] | None = None,
        opts: list[Option | str] | None = None,
        *,
        prefetch: int = 2,
        partitions: int = 1,
    ) -> AsyncPageIterator[V2Task]:
        """Every v2 task matching the filters, as the SDK's generator: ``v2.iter_tasks``.

        ``partitions`` walks that many ``completed_at`` windows at once (with
        ``status="completed"``); each task still comes exactly once.
        """
        # The parameters are exactly iter_tasks's; pass them on as they came.
        return self.v2.iter_tasks(**{k: v for k, v in locals().items() if k != "self"})

    def _copy_parts(self, clone: HttpCore, changes: LimitChanges) -> None:
        # A with_options copy's v2 is a copy of this client's: same v2 pool, same limits.
        super()._copy_parts(clone, changes)
        assert isinstance(clone, V2Attachment)
        clone._v2_client = changes.applied_to(self.v2)

    async def aclose(self) -> None:
        """Close the connection pools (v1's and v2's). The client reopens one if used again."""
        if self._v2_client is not None:
            await self._v2_client.aclose()
        await super().aclose()

    def _forget_connections(self) -> None:
        if self._v2_client is not None:
            self._v2_client._forget_connections()
        super()._forget_connections()
