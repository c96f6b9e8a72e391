"""Evaluation tasks (Rapid projects; ``scaleapi.evaluation_tasks``).

The sync client hands out these very classes: they have no helpers that would need a twin.
"""

from scale_async import evaluation_tasks as _async
from scale_async.evaluation_tasks import *

__all__ = []
__all__ += _async.__all__
