"""A tiny router: ``{name}`` placeholders over already-decoded path segments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

H = TypeVar("H")


@dataclass(frozen=True)
class Route(Generic[H]):
    """A method, a pattern such as ``task/{task_id}/cancel``, and what handles it."""

    method: str
    parts: tuple[str, ...]
    handler: H
    creates_task: bool = False


class Router(Generic[H]):
    """Ordered routes; literal segments win because they are registered first."""

    def __init__(self) -> None:
        self._routes: list[Route[H]] = []

    def add(self, method: str, pattern: str, *, creates_task: bool = False) -> Callable[[H], H]:
        """Decorator registering ``handler`` for ``method pattern``."""

        def register(handler: H) -> H:
            parts = tuple(p for p in pattern.strip("/").split("/") if p)
            self._routes.append(Route(method, parts, handler, creates_task))
            return handler

        return register

    def match(self, method: str, segments: list[str]) -> tuple[Route[H], dict[str, str]] | None:
        """The first route matching method and segments, with the captured parameters."""
        for route in self._routes:
            if route.method != method or len(route.parts) != len(segments):
                continue
            params: dict[str, str] = {}
            for part, segment in zip(route.parts, segments, strict=True):
                if part.startswith("{") and part.endswith("}"):
                    params[part[1:-1]] = segment
                elif part != segment:
                    break
            else:
                return route, params
        return None
