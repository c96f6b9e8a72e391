"""Keeping credentials out of every text the client produces, in every encoding.

Servers and proxies echo what they were sent: the key itself, the ``Authorization: Basic``
value (base64 of ``key:``), a ``Bearer``/``Token`` header, the key URL- or JSON-escaped. Each
client registers its secret here when it is built, and every ``ScaleException`` message, every
error-body extract (before it is shortened, so no tail of a key survives a cut), the
``scale_async`` log records and the CLI's output pass through ``redact``. That one pass is
why no path can forget it.

Pure apart from the small registry of live secrets, which only ever grows by what clients
register and shrinks when they are collected.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import threading
import traceback
from collections import Counter
from collections.abc import Iterable
from urllib.parse import quote

__all__ = ["MASK", "chain_safe", "forms", "redact", "register", "unregister"]

MASK = "[redacted]"

#: Secrets shorter than this are not searched for: masking every "ab" would garble messages
#: and hides nothing worth hiding.
MIN_SECRET = 4
#: Registered secrets are masked in every client's messages, so a short one (a test's
#: "wrong") would garble other clients' words; real keys are far longer. A client still
#: masks its own short secret in its own messages (``redact``'s ``extra``).
MIN_REGISTERED = 8

# Re-entrant: a finalizer that garbage collection runs inside ``register`` takes it again.
_lock = threading.RLock()
_live: Counter[str] = Counter()
#: Unregisters that arrived while this thread was already changing the registry.
_pending: list[str] = []
_busy = False
_patterns: tuple[str, ...] = ()


def _b64_variants(raw: bytes) -> set[str]:
    out = set()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        text = encode(raw).decode("ascii")
        out.add(text)
        out.add(text.rstrip("="))
    return out


@functools.lru_cache(maxsize=64)
def forms(secret: str) -> frozenset[str]:
    """Every spelling of ``secret`` that may come back in a response or a log.

    The literal, the HTTP Basic credential as sent (base64 of ``secret:``, padded or not,
    standard or URL-safe alphabet), the base64 of the secret alone, and its URL and JSON
    escapes. A ``Bearer`` or ``Token`` header carries the literal, which covers it.
    """
    if len(secret) < MIN_SECRET:
        return frozenset()
    raw = secret.encode("utf-8")
    found = {secret, quote(secret, safe=""), json.dumps(secret)[1:-1]}
    found |= _b64_variants(raw + b":")
    found |= _b64_variants(raw)
    return frozenset(form for form in found if len(form) >= MIN_SECRET)


def _rebuild() -> None:
    global _patterns
    patterns: set[str] = set()
    for secret in _live:
        patterns |= forms(secret)
    # Longest first, so that a form containing another is masked whole.
    _patterns = tuple(sorted(patterns, key=len, reverse=True))


def register(secret: str) -> None:
    """Start masking ``secret`` (and its encodings) everywhere; pair with ``unregister``."""
    if len(secret) < MIN_REGISTERED:
        return
    with _lock:
        _change(secret, +1)


def unregister(secret: str) -> None:
    """Undo one ``register``; the secret is forgotten when no client holds it any more.

    Clients call it from a ``weakref.finalize``, which the garbage collector may run in the
    middle of ``register`` on the same thread (``_rebuild`` allocates). Then the lock is
    already this thread's, and the change waits in ``_pending`` for that call to apply.
    """
    with _lock:
        if _busy:
            _pending.append(secret)
            return
        _change(secret, -1)


def _count(secret: str, delta: int) -> bool:
    """Apply one register (+1) or unregister (-1); True when the set of secrets changed."""
    if delta > 0:
        _live[secret] += 1
        return _live[secret] == 1
    if _live[secret] <= 0:
        _live.pop(secret, None)
        return False
    _live[secret] -= 1
    if _live[secret] == 0:
        del _live[secret]
        return True
    return False


def _change(secret: str, delta: int) -> None:
    global _busy
    _busy = True
    try:
        changed = _count(secret, delta)
        while changed or _pending:
            while _pending:
                changed = _count(_pending.pop(), -1) or changed
            if changed:
                _rebuild()  # may collect garbage, and so queue more in _pending
                changed = False
    finally:
        _busy = False


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """``text`` with every form of every live secret (and of ``extra``) masked."""
    patterns = _patterns
    more = [form for secret in extra for form in forms(secret)]
    if more:
        patterns = tuple(sorted({*patterns, *more}, key=len, reverse=True))
    for pattern in patterns:
        if pattern in text:
            text = text.replace(pattern, MASK)
    return text


def _leaks(text: str) -> bool:
    return any(pattern in text for pattern in _patterns)


def chain_safe(cause: BaseException | None) -> BaseException | None:
    """``cause`` if its traceback names no secret, else None (``raise ... from None``).

    A foreign exception's text (a validation error quoting a field, a transport error
    quoting a header) is not ours to rewrite; when it would print a secret, the chain is cut
    and the ``ScaleException`` raised in its place, already redacted, says what happened.
    """
    if cause is None or not _patterns:
        return cause
    try:
        text = "".join(traceback.format_exception(cause))
    except Exception:  # pragma: no cover - formatting a foreign exception failed
        return None
    return None if _leaks(text) else cause


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's final message, so no handler ever sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _patterns:
            message = record.getMessage()
            masked = redact(message)
            if masked != message:
                record.msg, record.args = masked, None
        return True


_FILTER = RedactingFilter()


def install_log_filter(logger: logging.Logger) -> None:
    """Make ``logger`` mask secrets in every record it emits (idempotent)."""
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


install_log_filter(logging.getLogger("scale_async"))
