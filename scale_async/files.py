"""The File model: what ``upload_file`` and ``import_file`` return."""

from __future__ import annotations

import attrs

from ._engine.model import Model

__all__ = ["File"]


@attrs.define(kw_only=True, eq=False)
class File(Model):
    """A file stored by Scale.

    Its ``attachment_url`` (``scaledata://...``) can be passed as a task's ``attachment``.
    """

    id: str
    attachment_url: str
    created_at: str | None = None
    updated_at: str | None = None
    mime_type: str | None = None
    project_names: list[str] | None = None
    size: int | None = None

    def __str__(self) -> str:
        return f"File(id={self.id})"
