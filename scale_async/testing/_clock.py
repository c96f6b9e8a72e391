"""Timestamps and ids: a strictly increasing clock and ObjectId-like ids.

Keyset paging on ``/tasks`` orders by ``created_at``; two tasks sharing a millisecond would make
the cursor ambiguous, so every stamp handed out is at least one millisecond after the previous one.
"""

from __future__ import annotations

import functools
import random
import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

Now = Callable[[], datetime]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)


def utc_now() -> datetime:
    """The real wall clock, aware and in UTC."""
    return datetime.now(timezone.utc)


def to_ms(moment: datetime) -> int:
    """Milliseconds since the epoch; naive datetimes are taken as UTC, as Scale does."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


@functools.lru_cache(maxsize=1 << 16)
def format_ms(ms: int) -> str:
    """Scale's wire format: ISO-8601 with milliseconds and ``Z``.

    Remembered: a listing writes three stamps per task per page, and a stamp never changes.
    """
    moment = _EPOCH + timedelta(milliseconds=ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def parse_iso(text: str) -> int:
    """Parse the ISO-8601 forms clients send in filters into epoch milliseconds.

    Accepts a bare date, ``T`` or space separators, 1-9 fractional digits, ``Z`` or an offset
    (with or without a colon); raises ``ValueError`` for anything else.
    """
    match = _ISO.match(text.strip())
    if match is None:
        raise ValueError(f"not an ISO-8601 timestamp: {text!r}")
    year, month, day, hour, minute, second, frac, zone = match.groups()
    micros = int((frac or "0")[:6].ljust(6, "0"))
    tz = timezone.utc
    if zone and zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        tz = timezone(sign * offset)
    moment = datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        micros,
        tzinfo=tz,
    )
    return to_ms(moment)


def within(value: int | None, low: int | None, high: int | None) -> bool:
    """Inclusive range test for optional stamps; with a bound set, an absent stamp is outside."""
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


class FakeClock:
    """Hands out strictly increasing millisecond stamps that follow the given wall clock."""

    def __init__(self, now: Now | None = None) -> None:
        self._now = now or utc_now
        self._last = 0

    def tick(self) -> int:
        """A fresh stamp, later than every earlier one."""
        self._last = max(to_ms(self._now()), self._last + 1)
        return self._last


class IdFactory:
    """ObjectId-shaped ids (seconds, a per-run salt, a counter) and UUIDs, both seedable.

    The counter makes ids sort in creation order, which keeps the keyset tie-break exact.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._salt = rng.getrandbits(40)
        self._counter = rng.getrandbits(16)

    def object_id(self, ms: int) -> str:
        """A 24-hex id like Scale's task ids."""
        self._counter = (self._counter + 1) % (1 << 24)
        return f"{(ms // 1000) & 0xFFFFFFFF:08x}{self._salt:010x}{self._counter:06x}"

    def uuid(self) -> str:
        """A version-4 UUID string drawn from the seeded generator."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
