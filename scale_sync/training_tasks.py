"""Training tasks (Rapid projects; ``scaleapi.training_tasks``).

The sync client hands out these very classes: they have no helpers that would need a twin.
"""

from scale_async import training_tasks as _async
from scale_async.training_tasks import *

__all__ = []
__all__ += _async.__all__
