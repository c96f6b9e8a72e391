"""Quality tasks: tasks with a known answer (Rapid projects; ``scaleapi.quality_tasks``).

The sync client hands out these very classes: they have no helpers that would need a twin.
"""

from scale_async import quality_tasks as _async
from scale_async.quality_tasks import *

__all__ = []
__all__ += _async.__all__
