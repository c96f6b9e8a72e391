"""scale-sync: the synchronous twin of ``scale_async``, for code written against ``scaleapi``.

``import scale_sync as scaleapi`` is meant to be the only change legacy code needs. Every call
runs the async core on a private event loop thread, so retries, pagination and bulk work behave
exactly as they do for async callers. The public names are those of ``scale_async`` with each
model that has helpers replaced by its sync twin, and no async-only names.
"""

from scale_async import (
    Paginator,
    RequestEvent,
    RetryPolicy,
    Timeout,
    __version__,
    derive_unique_id,
)

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
from ._generated import ScaleClient
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

__all__ = [
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
