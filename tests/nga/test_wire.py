"""Pure helpers of the NGA client: ISO-8601 durations and date-times, list filter encoding."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from scale_async import ScaleInvalidRequest
from scale_async.nga import format_duration, parse_duration
from scale_async.nga._wire import (
    LIST_FILTERS,
    check_id,
    format_datetime,
    list_query,
    parse_datetime,
)

# -- durations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT9M2S", timedelta(minutes=9, seconds=2)),
        ("PT3H0M0S", timedelta(hours=3)),
        ("PT12S", timedelta(seconds=12)),
        ("P0DT00H09M02S", timedelta(minutes=9, seconds=2)),  # Django's duration_iso_string
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("P2W", timedelta(weeks=2)),
        ("PT0.5S", timedelta(milliseconds=500)),
        ("PT1,25S", timedelta(seconds=1.25)),
        ("PT0.000001S", timedelta(microseconds=1)),
        ("PT1.5H", timedelta(minutes=90)),
        ("-P1D", timedelta(days=-1)),
        ("+PT1M", timedelta(minutes=1)),
        (" PT1S ", timedelta(seconds=1)),
        ("PT0S", timedelta(0)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    """NGA's spellings, Django's zero-padded one, fractions, weeks and a sign all parse."""
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "P1DT", "PT1H2", "1H", "T1H", "PT-1S", "P1.S"])
def test_parse_duration_refuses_non_durations(text: str) -> None:
    """Anything that is not an ISO-8601 duration is a ValueError naming the text."""
    with pytest.raises(ValueError, match="not an ISO-8601 duration"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["P1Y", "P2M", "P1Y2M3D", "P1MT2H"])
def test_parse_duration_refuses_calendar_units(text: str) -> None:
    """Years and months have no fixed length, so no timedelta can hold them."""
    with pytest.raises(ValueError, match="no fixed length"):
        parse_duration(text)


def test_parse_duration_refuses_non_strings() -> None:
    with pytest.raises(ValueError, match="must be a string"):
        parse_duration(542)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (timedelta(hours=3), "PT3H"),
        (timedelta(minutes=9, seconds=2), "PT9M2S"),
        (timedelta(days=2), "P2D"),
        (timedelta(days=1, microseconds=500_000), "P1DT0.5S"),
        (timedelta(seconds=1, microseconds=250_000), "PT1.25S"),
        (timedelta(hours=1, seconds=1), "PT1H1S"),
        (timedelta(0), "PT0S"),
        (-timedelta(hours=1), "-PT1H"),
    ],
)
def test_format_duration(value: timedelta, expected: str) -> None:
    """The shortest spelling, fractions without trailing zeros, and back again."""
    assert format_duration(value) == expected
    assert parse_duration(expected) == value


# -- date-times ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1970-01-01T00:00:00Z", datetime(1970, 1, 1, tzinfo=timezone.utc)),
        ("2024-05-01T12:00:00.123456Z", datetime(2024, 5, 1, 12, 0, 0, 123456, timezone.utc)),
        ("2024-05-01T12:00:00.5Z", datetime(2024, 5, 1, 12, 0, 0, 500000, timezone.utc)),
        ("2024-05-01T12:00:00.123456789Z", datetime(2024, 5, 1, 12, 0, 0, 123456, timezone.utc)),
        ("2024-05-01T14:00:00+02:00", datetime(2024, 5, 1, 12, tzinfo=timezone.utc)),
        ("2024-05-01T10:30:00-0130", datetime(2024, 5, 1, 12, tzinfo=timezone.utc)),
        ("2024-05-01 12:00", datetime(2024, 5, 1, 12, tzinfo=timezone.utc)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    """Aware datetimes; no zone means UTC; nanoseconds are cut to microseconds."""
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize("text", ["2024-05-01", "yesterday", "2024-05-01T12", "PT1H"])
def test_parse_datetime_refuses_other_text(text: str) -> None:
    with pytest.raises(ValueError, match="not an ISO-8601 date-time"):
        parse_datetime(text)


def test_format_datetime_is_utc_with_z() -> None:
    """Aware datetimes are converted to UTC; naive ones are taken as UTC."""
    plus_two = timezone(timedelta(hours=2))
    assert format_datetime(datetime(2024, 5, 1, 14, tzinfo=plus_two)) == "2024-05-01T12:00:00Z"
    assert format_datetime(datetime(2024, 5, 1, 12, 0, 0, 5)) == "2024-05-01T12:00:00.000005Z"


# -- filters ---------------------------------------------------------------------------------


def test_every_documented_filter_is_encoded() -> None:
    """Repeated keys become lists, booleans true/false, times ISO-8601, None is dropped."""
    query = list_query(
        "list_batches",
        {
            "started": datetime(2024, 5, 1, 12, tzinfo=timezone.utc),
            "ended": timedelta(hours=3),
            "recipe_type_id": [208, 209],
            "root_batch_id": 7,
            "is_creation_done": True,
            "is_superseded": False,
            "order": ["-title", "recipe_type_id"],
            "page": 2,
            "page_size": 1000,
        },
    )
    assert query == {
        "started": "2024-05-01T12:00:00Z",
        "ended": "PT3H",
        "recipe_type_id": ["208", "209"],
        "root_batch_id": ["7"],
        "is_creation_done": "true",
        "is_superseded": "false",
        "order": ["-title", "recipe_type_id"],
        "page": "2",
        "page_size": "1000",
    }


def test_none_means_not_given() -> None:
    """A filter set to None is left out, so callers can pass optional values straight on."""
    assert list_query("list_batches", dict.fromkeys(LIST_FILTERS)) == {}


def test_time_strings_pass_verbatim() -> None:
    """The server is the judge of ISO-8601 strings; they are only trimmed."""
    query = list_query("list_batches", {"started": " PT3H0M0S ", "ended": "2015-01-01T00:00:00Z"})
    assert query == {"started": "PT3H0M0S", "ended": "2015-01-01T00:00:00Z"}


def test_order_takes_one_field_or_a_tuple() -> None:
    assert list_query("list_batches", {"order": "title"}) == {"order": ["title"]}
    assert list_query("list_batches", {"order": ("-id",)}) == {"order": ["-id"]}


def test_unknown_filter_is_scale_invalid_request() -> None:
    """As with the Scale AI client's filters; the message lists the known ones."""
    with pytest.raises(ScaleInvalidRequest, match="Illegal parameter recipe_type for") as info:
        list_query("list_batches", {"recipe_type": 208})
    assert "recipe_type_id" in info.value.message
    assert "NGAScaleClient.list_batches()" in info.value.message


@pytest.mark.parametrize("size", [0, -1, 1001, True, 2.5, "10"])
def test_page_size_outside_1_to_1000_is_a_value_error(size: Any) -> None:
    with pytest.raises(ValueError, match="page_size"):
        list_query("list_batches", {"page_size": size})


@pytest.mark.parametrize("size", [1, 1000])
def test_page_size_bounds_are_accepted(size: int) -> None:
    assert list_query("list_batches", {"page_size": size}) == {"page_size": str(size)}


@pytest.mark.parametrize(
    ("name", "value", "match"),
    [
        ("page", 0, "page must be a positive integer"),
        ("started", timedelta(seconds=-1), "that long ago"),
        ("ended", 1700000000, "datetime, a timedelta or an ISO-8601 string"),
        ("started", "  ", "datetime, a timedelta or an ISO-8601 string"),
        ("recipe_type_id", "208", "recipe_type_id must be a positive integer"),
        ("root_batch_id", [1, True], "root_batch_id must be a positive integer"),
        ("root_batch_id", [], "at least one id"),
        ("is_superseded", "true", "True or False"),
        ("order", "title desc", "field names"),
        ("order", ["+title"], "field names"),
        ("order", [], "at least one field"),
    ],
)
def test_bad_filter_values_are_value_errors(name: str, value: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        list_query("list_batches", {name: value})


@pytest.mark.parametrize("value", [0, -3, True, "7", None, 1.0])
def test_check_id_wants_a_positive_int(value: Any) -> None:
    with pytest.raises(ValueError, match="batch_id must be a positive integer"):
        check_id("batch_id", value)
