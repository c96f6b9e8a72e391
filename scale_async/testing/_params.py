"""Reading request inputs the way Scale does: query strings, auth headers, JSON body fields.

Pure functions; every refusal is an ``ApiError`` carrying the status Scale would answer.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal
from urllib.parse import parse_qs

from ._clock import parse_iso
from ._errors import bad_request

Query = Mapping[str, list[str]]
Mode = Literal["test", "live"]

_TRUE = frozenset({"true", "1", "yes", "t"})
_FALSE = frozenset({"false", "0", "no", "f"})


def parse_query(raw: bytes) -> dict[str, list[str]]:
    """A query string as a multi-dict: repeated keys (``tags=a&tags=b``) keep every value."""
    text = raw.decode("latin-1")
    return parse_qs(text, keep_blank_values=True)


def check_allowed(query: Query, allowed: Iterable[str], endpoint: str) -> None:
    """Refuse query keys the endpoint does not know, as Scale answers 400 for invalid parameters."""
    known = set(allowed)
    for key in query:
        if key not in known:
            raise bad_request(f"Illegal parameter {key} for {endpoint}")


def last(query: Query, name: str) -> str | None:
    """The last value of a query key; requests sends one, but a repeated key must not crash."""
    values = query.get(name)
    return values[-1] if values else None


def many(query: Query, name: str) -> list[str]:
    """Every value of a repeated key, with empty strings dropped."""
    return [v for v in query.get(name, []) if v != ""]


def parse_bool(text: str, name: str) -> bool:
    """Case-insensitive booleans: the official SDK sends Python's ``True``/``False``."""
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise bad_request(f"Parameter {name} must be a boolean")


def query_bool(query: Query, name: str, default: bool = False) -> bool:
    """A boolean query parameter, or ``default`` when absent."""
    value = last(query, name)
    return default if value is None or value == "" else parse_bool(value, name)


def query_int(query: Query, name: str, *, default: int, low: int, high: int | None) -> int:
    """An integer query parameter within ``[low, high]``; out of range is a 400, not a clamp."""
    value = last(query, name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise bad_request(f"Parameter {name} must be an integer") from None
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise bad_request(f"Parameter {name} must be {bound}")
    return number


def query_time(query: Query, name: str) -> int | None:
    """An ISO-8601 query parameter as epoch milliseconds."""
    value = last(query, name)
    if value is None or value == "":
        return None
    try:
        return parse_iso(value)
    except ValueError:
        raise bad_request(f"Parameter {name} must be an ISO-8601 date") from None


def api_key_from_header(header: str | None) -> str | None:
    """The API key from ``Basic base64(key:)`` (Scale's scheme) or ``Bearer key``."""
    if not header:
        return None
    scheme, _, credentials = header.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        return credentials or None
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    key, _, _password = decoded.partition(":")
    return key or None


def key_mode(key: str) -> Mode | None:
    """Which environment a key belongs to: ``test_``/``...|test`` keys are test, ``live_`` live."""
    if key.startswith("test_") or key.endswith("|test"):
        return "test"
    if key.startswith("live_"):
        return "live"
    return None


def parse_json(body: bytes) -> Any:
    """The JSON body, or ``None`` when empty (the SDK sends no body for ``{}`` and ``[]``)."""
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("Request body must be valid JSON") from None


def as_object(value: Any, what: str = "Request body") -> dict[str, Any]:
    """A JSON object (an absent body counts as ``{}``)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad_request(f"{what} must be a JSON object")
    return value


def str_list(value: Any, name: str) -> list[str]:
    """A list of strings (an absent body counts as ``[]``)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad_request(f"{name} must be an array of strings")
    return list(value)


def req_str(body: Mapping[str, Any], name: str) -> str:
    """A required non-empty string field."""
    value = body.get(name)
    if value is None or value == "":
        raise bad_request(f"Please include a valid {name} parameter.")
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    return value


def opt_str(body: Mapping[str, Any], name: str) -> str | None:
    """An optional string field (``null`` and ``""`` mean unset)."""
    value = body.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    return value


def opt_bool(body: Mapping[str, Any], name: str, default: bool = False) -> bool:
    """An optional JSON boolean field."""
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise bad_request(f"{name} must be a boolean")
    return value


def opt_int(body: Mapping[str, Any], name: str) -> int | None:
    """An optional JSON integer field; booleans are not integers here."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"{name} must be an integer")
    return value
