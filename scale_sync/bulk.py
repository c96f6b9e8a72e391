"""What bulk operations report: one outcome per input, in input order, and the totals.

The sync client hands out these very classes: they have no helpers that would need a twin.
"""

from scale_async import bulk as _async
from scale_async.bulk import *

__all__ = []
__all__ += _async.__all__
