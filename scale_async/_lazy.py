"""A module ``__getattr__`` hook (PEP 562) that imports a package's parts on first use.

``import scale_sync`` should cost only what a v1 client needs at start. NGA's client, the CLI
and the fake are never imported by it; the v2 package is (``AsyncScaleClient`` stands on
``v2._attach``), so its ``__init__`` uses this hook to load its models and client only when a
name is first read (``scale_async.v2.Task``, ``from scale_async.v2 import Task``). Its
``__all__`` stays derived from its modules' ``__all__``: computed when first asked for, not
restated.

Type checkers never see the hook (a package installs it under ``if not TYPE_CHECKING``) and
read the real imports instead, so a typo'd name is still an error.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, MutableMapping
from typing import Any

__all__ = ["lazy_exports"]

ModuleGetattr = Callable[[str], Any]


def lazy_exports(
    package: str,
    namespace: MutableMapping[str, Any],
    modules: Collection[str],
    *,
    internal: Collection[str] = (),
) -> tuple[ModuleGetattr, Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for a package whose public names are its modules'.

    The first public name read (or ``__all__``, as ``from package import *`` does) imports
    every module in ``modules`` and binds each name of their ``__all__`` in ``namespace`` (the
    package's ``globals()``), as ``from .module import *`` would; ``__all__`` becomes the
    union of theirs without ``internal`` (names the modules export only to each other).
    """

    def load() -> None:
        if "__all__" in namespace:
            return
        names: set[str] = set()
        for module_name in modules:
            module = importlib.import_module(f"{package}.{module_name}")
            exported: list[str] = module.__all__
            names.update(exported)
            for name in exported:
                namespace.setdefault(name, getattr(module, name))
        namespace["__all__"] = sorted(names - set(internal))

    def __getattr__(name: str) -> Any:
        if name == "__all__" or not name.startswith("_"):
            load()
            if name in namespace:
                return namespace[name]
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        load()
        return sorted(namespace)

    return __getattr__, __dir__
