"""The registry of live secrets survives a client's finalizer running inside ``register``.

A client unregisters its key from a ``weakref.finalize``; the garbage collector may run that
finalizer on the thread that is inside ``register`` (its rebuild allocates). With a plain
lock that thread waited on itself forever: the suite hung in whatever test built a client.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from scale_async._engine import redact

FIRST = "live_first_registry_secret"
SECOND = "live_second_registry_secret"


def test_an_unregister_from_inside_register_neither_hangs_nor_is_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    redact.register(FIRST)
    real_forms = redact.forms
    fired: list[str] = []

    def forms_with_a_finalizer(secret: str) -> frozenset[str]:
        if not fired:  # as if GC ran the first client's finalizer right here
            fired.append(secret)
            redact.unregister(FIRST)
        return real_forms(secret)

    monkeypatch.setattr(redact, "forms", forms_with_a_finalizer)
    worker = threading.Thread(target=redact.register, args=(SECOND,), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "register deadlocked on a finalizer's unregister"
    assert fired
    monkeypatch.setattr(redact, "forms", real_forms)
    # The nested unregister took effect: FIRST is no longer masked, SECOND is.
    assert redact.redact(f"{FIRST} {SECOND}") == f"{FIRST} {redact.MASK}"
    redact.unregister(SECOND)
    assert redact.redact(SECOND) == SECOND


def test_counts_still_pair_up(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    redact.register(FIRST)
    redact.register(FIRST)
    redact.unregister(FIRST)
    seen.append(redact.redact(FIRST))
    redact.unregister(FIRST)
    seen.append(redact.redact(FIRST))
    redact.unregister(FIRST)  # one too many is harmless
    assert seen == [redact.MASK, FIRST]
