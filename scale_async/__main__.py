"""``python -m scale_async``: the ``scale-async`` command, for when the script is not on PATH."""

from __future__ import annotations

from scale_async.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
