"""scale-async: an async-first client for the Scale AI API.

``AsyncScaleClient`` mirrors the official ``scaleapi.ScaleClient`` method for method, awaited;
``scale_sync.ScaleClient`` is its synchronous twin. The models live in the modules the SDK
imports them from (``scale_async.tasks``, ``.batches``, ...); everything public is also here.
"""

from . import (
    batches,
    bulk,
    evaluation_tasks,
    exceptions,
    files,
    projects,
    quality_tasks,
    studio,
    tasks,
    teams,
    training_tasks,
)
from ._client import AsyncScaleClient
from ._engine.config import Timeout
from ._engine.events import RequestEvent
from ._engine.idempotency import derive_unique_id
from ._engine.jobs import BulkStream
from ._engine.pages import Paginator
from ._engine.pagination import AsyncPageIterator
from ._engine.retry import RetryPolicy
from ._version import __version__
from .batches import *
from .bulk import *
from .evaluation_tasks import *
from .exceptions import *
from .files import *
from .projects import *
from .quality_tasks import *
from .studio import *
from .tasks import *
from .teams import *
from .training_tasks import *

#: The SDK's name for the client; here it is the async one (``scale_sync`` has the sync one).
ScaleClient = AsyncScaleClient

__all__ = [
    "AsyncPageIterator",
    "AsyncScaleClient",
    "BulkStream",
    "Paginator",
    "RequestEvent",
    "RetryPolicy",
    "ScaleClient",
    "Timeout",
    "__version__",
    "derive_unique_id",
]
__all__ += batches.__all__
__all__ += bulk.__all__
__all__ += evaluation_tasks.__all__
__all__ += exceptions.__all__
__all__ += files.__all__
__all__ += projects.__all__
__all__ += quality_tasks.__all__
__all__ += studio.__all__
__all__ += tasks.__all__
__all__ += teams.__all__
__all__ += training_tasks.__all__
