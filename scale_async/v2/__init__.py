"""Scale's v2 API (GenAI: chat tasks, batches, deliveries, datasets), typed and concurrent.

Reached as ``AsyncScaleClient().v2`` (``scale_sync.ScaleClient().v2`` for sync code), with
the official SDK's ``client.v2`` method names and parameters::

    async with AsyncScaleClient() as client:
        task = await client.v2.get_task("task_id", expand=[ExpandableEnumTask.PROJECT])
        page = await client.v2.get_tasks(project_name="p", status=TaskStatus.COMPLETED)
        async for task in client.v2_get_tasks(project_name="p", status="completed", partitions=8):
            ...

The models are this package's: attrs classes with the SDK's attribute names (``task.task_id``,
``resp.tasks``, ``resp.next_token``), unknown fields kept in ``as_dict()``, unknown enum
values kept as strings.
"""

from typing import TYPE_CHECKING

#: The modules whose ``__all__`` make up this package's (the star imports below, for type
#: checkers), imported when a name is first read: ``import scale_async`` does not load v2.
_MODULES = [
    "_annotations",
    "_bulk",
    "_client",
    "_deliveries",
    "_enums",
    "_requests",
    "_resources",
    "_tasks",
]
#: Names the modules export for each other, not for users.
_INTERNAL = {"V2Bulk", "request_body"}

if TYPE_CHECKING:
    from ._annotations import *
    from ._bulk import *
    from ._client import *
    from ._deliveries import *
    from ._enums import *
    from ._requests import *
    from ._resources import *
    from ._tasks import *

    __all__: list[str]
else:
    from .._lazy import lazy_exports

    __getattr__, __dir__ = lazy_exports(__name__, globals(), _MODULES, internal=_INTERNAL)
