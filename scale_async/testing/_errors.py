"""The one error type the fake's domain code raises; the app turns it into Scale's error body."""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


class ApiError(Exception):
    """A request the fake refuses, answered as ``{"status_code": N, "error": message}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def body(self) -> dict[str, Any]:
        """Scale's v1 error envelope."""
        return {"status_code": self.status, "error": self.message}


def bad_request(message: str) -> ApiError:
    """400: a parameter is missing or invalid."""
    return ApiError(400, message)


def not_found(message: str) -> ApiError:
    """404: the named resource does not exist in this account."""
    return ApiError(404, message)


def conflict(message: str) -> ApiError:
    """409: a unique_id, idempotency key or name is already taken."""
    return ApiError(409, message)


def found(value: T | None, message: str) -> T:
    """``value``, or a 404 with ``message`` when there is none."""
    if value is None:
        raise not_found(message)
    return value
