"""The readable text of an HTML error page, in time linear in its length.

Gateways answer 502s with HTML; only the words matter for an error message. A regex with a
lazy ``.*?</script>`` (or ``<[^>]+>`` over a run of ``<``) rescans the rest of the page from
every candidate tag and takes minutes on a hostile or broken page, blocking the event loop;
this scanner moves forward only. Callers also bound what they hand it (``MAX_EXAMINED``).
"""

from __future__ import annotations

import re

__all__ = ["MAX_EXAMINED", "html_text", "looks_like_html"]

#: At most this many bytes of any error body are ever decoded or examined: the message shown
#: is a few hundred characters, and a 50 MB page must cost no more than a small one.
MAX_EXAMINED = 64 * 1024

_BLOCK = re.compile(r"<(script|style)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` reads as markup rather than plain words."""
    return text.startswith("<") or "<html" in text[:200].lower()


def html_text(markup: str) -> str:
    """``markup`` without its tags, scripts and styles, entities decoded.

    An unclosed ``<script>`` or ``<style>`` hides everything after it, as in a browser; a
    ``<`` that no ``>`` follows is kept as text.
    """
    lower = markup.lower()
    size = len(markup)
    parts: list[str] = []
    pos = 0
    while pos < size:
        start = markup.find("<", pos)
        if start < 0:
            parts.append(markup[pos:])
            break
        parts.append(markup[pos:start])
        block = _BLOCK.match(markup, start)
        if block is not None:
            close = lower.find("</" + block.group(1).lower(), block.end())
            end = lower.find(">", close) if close >= 0 else -1
            if end < 0:
                break
            parts.append(" ")
            pos = end + 1
            continue
        end = markup.find(">", start + 1)
        if end < 0:
            parts.append(markup[start:])
            break
        parts.append(" ")
        pos = end + 1
    from html import unescape  # error pages only: not worth loading at import

    return unescape("".join(parts))
