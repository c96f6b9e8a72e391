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

from . import _annotations, _bulk, _deliveries, _enums, _hooks, _requests, _resources, _tasks
from ._annotations import *
from ._bulk import *
from ._client import AsyncV2Client as AsyncV2Client
from ._deliveries import *
from ._enums import *
from ._requests import *
from ._resources import *
from ._tasks import *

#: Names the modules export for each other, not for users (``_hooks`` only registers).
_ = _hooks
_INTERNAL = {"V2Bulk", "request_body"}

__all__ = sorted(
    {
        "AsyncV2Client",
        *(
            name
            for module in (_annotations, _bulk, _deliveries, _enums, _requests, _resources, _tasks)
            for name in module.__all__
        ),
    }
    - _INTERNAL
)
