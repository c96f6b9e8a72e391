"""The exception hierarchy, under the import path of the official SDK (``scaleapi.exceptions``).

The sync client hands out these very classes: they have no helpers that would need a twin.
"""

from scale_async.exceptions import *

# Imported by name (not built with ``+=`` from an aliased module), so that type checkers see
# the names as this module's too, and so as the package's ``scale_sync.ScaleException``.
from scale_async.exceptions import __all__ as __all__
