"""``python -m scale_async.cli``: the ``scale-async`` command without the console script."""

from __future__ import annotations

from . import main

if __name__ == "__main__":
    raise SystemExit(main())
