"""Pure helpers that turn Python arguments into wire format, for every API this package speaks.

No I/O here: URL pieces, query strings and the User-Agent.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any
from urllib.parse import quote, urlsplit

from .._version import __version__
from ..exceptions import ScaleInvalidRequest

__all__ = [
    "check_query_keys",
    "encode_query",
    "normalise_base_url",
    "segment",
    "user_agent",
    "wire_value",
]


def segment(value: str) -> str:
    """Quote one path segment: names may hold ``/`` or spaces (``a b/c`` -> ``a%20b%2Fc``)."""
    return quote(str(value), safe="")


def normalise_base_url(url: str, name: str = "api_instance_url") -> str:
    """Check and normalise a base URL such as ``https://api.scale.com/v1``.

    ``name`` is the argument the URL came from, for the error message.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an http(s) URL, got {url!r}")
    return url.rstrip("/")


def user_agent(source: str | None = None) -> str:
    """``scale-async/<v> Python/<v> OS/<platform> [source]``, the SDK's format under our name."""
    agent = f"scale-async/{__version__} Python/{platform.python_version()} OS/{platform.platform()}"
    return f"{agent} {source}" if source else agent


def wire_value(value: Any) -> str:
    """One query value as the SDK's ``requests`` sends it (``True``, enum values, str)."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def encode_query(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Encode a query: None is dropped, a list or tuple repeats its key, bools read ``True``."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            pairs.extend((key, wire_value(item)) for item in value)
        else:
            pairs.append((key, wire_value(value)))
    return pairs


def check_query_keys(method_name: str, params: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse unknown filters before sending, with the SDK's exception and wording."""
    allowed_set = frozenset(allowed)
    for key in params:
        if key not in allowed_set:
            raise ScaleInvalidRequest(f"Illegal parameter {key} for ScaleClient.{method_name}()")
