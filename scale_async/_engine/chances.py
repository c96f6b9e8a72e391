"""How many more tries a bulk job gives an item whose create failed transiently.

Before a transient failure is reported, the job asks the server whether the create was
stored all the same; ``may_look_up`` stops that asking once a look-up itself failed, until
the server answers again. The per-request retry policy gives up after a few attempts (5 by
default): under 20% faults that is one item in 3,000 reported failed while the server
answered all along. A job can afford more, as long as two bounds hold: the extra tries of
one job are a budget (so a failing server cannot multiply the job's length), and they are
only spent while the server shows it is up (a request of this job succeeded lately). A
server that is gone gets no extra tries at all. Pure apart from the clock it is given.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ..exceptions import ScaleException, ScaleTransportError

__all__ = ["SecondChances", "is_transient"]


@attrs.define(kw_only=True)
class SecondChances:
    """The extra tries of one job.

    ``rounds``: at most this many extra tries per item (each a full retry policy).
    ``budget``: at most this many extra tries in the whole job, plus ``per_item`` for
    every item the job has started. ``fresh``: a success this recent (seconds) shows the
    server is up.
    """

    clock: Callable[[], float]
    rounds: int = 3
    budget: int = 32
    per_item: float = 0.02
    fresh: float = 30.0
    _spent: int = attrs.field(default=0, init=False)
    _started: int = attrs.field(default=0, init=False)
    _last_success: float | None = attrs.field(default=None, init=False)
    _lookups_fail: bool = attrs.field(default=False, init=False)

    def started(self) -> None:
        """An item was started (the budget grows with the job)."""
        self._started += 1

    def succeeded(self) -> None:
        """A request of this job succeeded: the server is up."""
        self._last_success = self.clock()
        self._lookups_fail = False

    def lookup_failed(self) -> None:
        """Asking the server what it stored failed: do not ask again before a success.

        Against a server that is gone, one failed look-up is the whole cost of asking.
        """
        self._lookups_fail = True

    def may_look_up(self) -> bool:
        """Whether a failed item's create is worth looking up on the server now."""
        return not self._lookups_fail

    @property
    def spent(self) -> int:
        """Extra tries given so far."""
        return self._spent

    def allow(self, error: BaseException, tries_so_far: int) -> bool:
        """Whether an item that failed with ``error`` after ``tries_so_far`` extra tries
        gets one more; if so, it is counted."""
        if tries_so_far >= self.rounds or not is_transient(error):
            return False
        if self._spent >= self.budget + int(self.per_item * self._started):
            return False
        if self._last_success is None or self.clock() - self._last_success > self.fresh:
            return False
        self._spent += 1
        return True


def is_transient(error: BaseException) -> bool:
    """A failure the server may not repeat: it answered 408/429/5xx, or dropped a request.

    A request that provably never reached it (refused) says the server is gone.
    """
    if isinstance(error, ScaleTransportError):
        return error.sent
    return isinstance(error, ScaleException) and error.code in (408, 429, 500, 502, 503, 504)
