"""The counters and durations of a batch's metrics, and ISO-8601 durations as NGA writes them."""

from __future__ import annotations

import re

__all__ = ["DURATIONS", "JOB_COUNTS", "RECIPE_COUNTS", "duration_ms", "iso_duration"]


JOB_COUNTS = (
    "jobs_total",
    "jobs_pending",
    "jobs_blocked",
    "jobs_queued",
    "jobs_running",
    "jobs_failed",
    "jobs_completed",
    "jobs_canceled",
)


RECIPE_COUNTS = ("recipes_estimated", "recipes_total", "recipes_completed")


DURATIONS = tuple(
    f"{stat}_{kind}_duration" for kind in ("seed", "job") for stat in ("min", "avg", "max")
)


def iso_duration(seconds: int) -> str:
    """Seconds as NGA writes durations: ``PT9M2S``, ``PT1H0M3S``, ``PT12S``."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"PT{hours}H{minutes}M{secs}S"
    return f"PT{minutes}M{secs}S" if minutes else f"PT{secs}S"


_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?")


def duration_ms(text: str) -> int | None:
    """An ISO-8601 duration (days to seconds) in milliseconds, None if it is not one."""
    match = _DURATION.fullmatch(text)
    if match is None or text in ("P", "PT") or text.endswith("T"):
        return None
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return int((((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000)
