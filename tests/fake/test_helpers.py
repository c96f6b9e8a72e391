"""Pure, I/O-free helpers of the fake, tested directly."""

from __future__ import annotations

import base64
import json
import random
from datetime import datetime, timedelta, timezone

import pytest

from scale_async.testing._asgi import split_path
from scale_async.testing._clock import FakeClock, IdFactory, format_ms, parse_iso, to_ms, within
from scale_async.testing._errors import ApiError
from scale_async.testing._faults import FaultConfig, FaultKind, FaultPlan, latency_from_json
from scale_async.testing._params import (
    api_key_from_header,
    key_mode,
    parse_bool,
    parse_query,
    query_int,
)
from scale_async.testing._router import Router
from scale_async.testing._v1.multipart import parse_multipart
from scale_async.testing._v1.paging import (
    Cursor,
    decode_cursor,
    encode_cursor,
    offset_envelope,
)
from scale_async.testing._v1.tasktypes import (
    canonical_type,
    fake_response,
    missing_parameter,
)


def test_parse_iso_accepts_the_forms_clients_send() -> None:
    base = to_ms(datetime(2021, 4, 25, tzinfo=timezone.utc))
    assert parse_iso("2021-04-25") == base
    assert parse_iso("2021-04-25T03:14:15Z") == base + 11_655_000
    assert parse_iso("2021-04-25 03:14:15.123456") == base + 11_655_123
    assert parse_iso("2021-04-25T03:14:15-07:00") == base + 11_655_000 + 7 * 3_600_000
    assert parse_iso("2021-04-25T03:14:15.5+0130") == base + 11_655_500 - 90 * 60_000
    with pytest.raises(ValueError, match="ISO"):
        parse_iso("yesterday")


def test_format_ms_round_trips_with_milliseconds_and_z() -> None:
    ms = parse_iso("2016-06-23T09:09:34.752Z")
    assert format_ms(ms) == "2016-06-23T09:09:34.752Z"
    assert format_ms(0) == "1970-01-01T00:00:00.000Z"


def test_clock_is_strictly_increasing_even_when_time_stands_still() -> None:
    frozen = datetime(2024, 1, 1, tzinfo=timezone.utc)
    clock = FakeClock(lambda: frozen)
    stamps = [clock.tick() for _ in range(5)]
    assert stamps == list(range(stamps[0], stamps[0] + 5))
    later = FakeClock(lambda: frozen + timedelta(seconds=1))
    assert later.tick() == stamps[0] + 1000


def test_ids_look_like_object_ids_sort_in_order_and_repeat_by_seed() -> None:
    first = IdFactory(random.Random(3))
    ids = [first.object_id(1_700_000_000_000) for _ in range(3)]
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == 3
    again = IdFactory(random.Random(3))
    assert [again.object_id(1_700_000_000_000) for _ in range(3)] == ids
    assert first.uuid() == again.uuid()


def test_query_keeps_repeated_keys_and_reads_booleans_in_any_case() -> None:
    query = parse_query(b"tags=a&tags=b&flag=True&empty=")
    assert query == {"tags": ["a", "b"], "flag": ["True"], "empty": [""]}
    assert parse_bool("True", "x") is True
    assert parse_bool("FALSE", "x") is False
    with pytest.raises(ApiError) as caught:
        parse_bool("maybe", "x")
    assert caught.value.status == 400


def test_query_int_refuses_out_of_range_instead_of_clamping() -> None:
    assert query_int({}, "limit", default=100, low=1, high=100) == 100
    assert query_int({"limit": ["7"]}, "limit", default=100, low=1, high=100) == 7
    for bad in ("0", "101", "x"):
        with pytest.raises(ApiError):
            query_int({"limit": [bad]}, "limit", default=100, low=1, high=100)


def test_api_key_from_basic_or_bearer_and_key_modes() -> None:
    basic = "Basic " + base64.b64encode(b"test_abc:").decode()
    assert api_key_from_header(basic) == "test_abc"
    assert api_key_from_header("Bearer live_xyz") == "live_xyz"
    assert api_key_from_header("Basic !!!") is None
    assert api_key_from_header("Digest abc") is None
    assert api_key_from_header(None) is None
    assert key_mode("test_1") == "test"
    assert key_mode("abc|test") == "test"
    assert key_mode("live_1") == "live"
    assert key_mode("dummy") is None


def test_cursor_is_base64_json_of_id_and_created_at() -> None:
    token = encode_cursor("abc", "2024-01-01T00:00:00.001Z")
    assert json.loads(base64.b64decode(token)) == {
        "id": "abc",
        "created_at": "2024-01-01T00:00:00.001Z",
    }
    assert decode_cursor(token) == Cursor(parse_iso("2024-01-01T00:00:00.001Z"), "abc")
    for bad in (
        "not base64!",
        base64.b64encode(b"[]").decode(),
        base64.b64encode(b'{"id":1}').decode(),
    ):
        with pytest.raises(ApiError):
            decode_cursor(bad)


def test_offset_envelope_reports_paging_fields() -> None:
    page = offset_envelope(list(range(5)), limit=2, offset=2)
    assert page["docs"] == [2, 3]
    assert (page["totalDocs"], page["limit"], page["offset"], page["has_more"]) == (5, 2, 2, True)
    assert (page["page"], page["totalPages"], page["nextPage"], page["prevPage"]) == (2, 3, 3, 1)
    last = offset_envelope(list(range(5)), limit=2, offset=4)
    assert (last["docs"], last["has_more"], last["nextPage"]) == ([4], False, None)


def test_multipart_keeps_file_bytes_exactly() -> None:
    data = b"\r\n--not-the-boundary\r\n\x00\xff"
    body = (
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="project_name"\r\n\r\n'
        b"proj\r\n"
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="file"; filename="a b.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + data + b"\r\n--XyZ--\r\n"
    )
    parts = parse_multipart(body, "multipart/form-data; boundary=XyZ")
    assert [(p.name, p.filename) for p in parts] == [("project_name", None), ("file", "a b.png")]
    assert parts[0].text() == "proj"
    assert (parts[1].data, parts[1].content_type) == (data, "image/png")
    with pytest.raises(ApiError):
        parse_multipart(body, "application/json")


def test_required_params_and_their_messages() -> None:
    assert canonical_type("categorize") == "categorization"
    assert canonical_type("nope") is None
    assert missing_parameter("imageannotation", {"geometries": {}}) == (
        "Please include an attachment or attachments parameter."
    )
    assert missing_parameter("imageannotation", {"attachment": "u", "geometries": {}}) == (
        "Please include a geometries parameter."
    )
    assert (
        missing_parameter("transcription", {"attachment": "u", "repeatable_fields": {"a": 1}})
        is None
    )
    assert (
        missing_parameter("namedentityrecognition", {"text": "t"})
        == "Please include a labels parameter."
    )
    assert missing_parameter("chat", {}) is None


def test_fake_responses_follow_the_task_params() -> None:
    ids = iter(["u1", "u2", "u3"])
    image = fake_response(
        "imageannotation",
        {"geometries": {"polygon": {"objects_to_annotate": [{"choice": "car"}]}}},
        lambda: next(ids),
    )
    assert image["annotations"][0]["type"] == "polygon"
    assert image["annotations"][0]["label"] == "car"
    multi = fake_response("categorization", {"categories": ["a", "b"], "allow_multiple": True}, str)
    assert multi == {"category": ["a"]}
    seg = fake_response("segmentannotation", {"labels": ["sky", "road"]}, lambda: "id")
    assert seg["annotations"]["allClasses"] == ["sky", "road"]
    assert seg["labelMapping"]["road"]["index"] == 2


def test_router_matches_literals_and_placeholders() -> None:
    router: Router[str] = Router()
    router.add("POST", "studio/batches/set_priorities")("literal")
    router.add("PUT", "studio/batches/{batch}")("assign")
    router.add("POST", "task/{task_type}", creates_task=True)("create")
    assert router.match("POST", ["studio", "batches", "set_priorities"]) is not None
    found = router.match("PUT", ["studio", "batches", "a/b"])
    assert found is not None
    assert found[1] == {"batch": "a/b"}
    created = router.match("POST", ["task", "imageannotation"])
    assert created is not None
    assert created[0].creates_task
    assert router.match("GET", ["task", "imageannotation"]) is None


def test_split_path_decodes_each_segment_after_splitting() -> None:
    scope = {
        "raw_path": b"/v1/projects/a%2Fb%20c/setParams",
        "path": "/v1/projects/a/b c/setParams",
    }
    assert split_path(scope) == ["v1", "projects", "a/b c", "setParams"]
    assert split_path({"path": "/v1/tasks", "root_path": ""}) == ["v1", "tasks"]


def test_fault_config_validates_rates() -> None:
    with pytest.raises(ValueError, match="add up"):
        FaultConfig(rate_limited=0.6, server_error=0.6)
    with pytest.raises(ValueError, match="within"):
        FaultConfig(server_error=-0.1)
    assert FaultConfig().updated({"server_error": 0.5}).server_error == 0.5
    for bad in ({"nope": 1}, {"server_error": "x"}, {"server_error": 2.0}, {"retry_after": 1.5}):
        with pytest.raises(ApiError):
            FaultConfig().updated(bad)
    assert latency_from_json([0.1, 0.2]) == (0.1, 0.2)
    with pytest.raises(ApiError):
        latency_from_json([0.2, 0.1])


def test_fault_plan_repeats_for_a_seed_and_skips_commit_then_fail_off_creation() -> None:
    config = FaultConfig(server_error=0.3, commit_then_fail=0.3)

    def run(seed: int) -> list[tuple[FaultKind | None, float]]:
        plan = FaultPlan(config, (0.0, 1.0), seed)
        return [plan.draw(creates_task=i % 2 == 0) for i in range(200)]

    assert run(11) == run(11)
    assert run(11) != run(12)
    outcomes = run(11)
    kinds = [kind for kind, _ in outcomes]
    assert {"server_error", "commit_then_fail", None} <= set(kinds)
    assert all(kind != "commit_then_fail" for i, (kind, _) in enumerate(outcomes) if i % 2)
    assert all(0.0 <= delay <= 1.0 for _, delay in outcomes)


def test_fault_plan_queue_comes_first_and_commit_then_fail_waits_for_a_create() -> None:
    plan = FaultPlan(FaultConfig(), 0.25, seed=1)
    plan.enqueue(["commit_then_fail", "rate_limited"])
    assert plan.draw(creates_task=False) == (None, 0.25)
    assert plan.draw(creates_task=True) == ("commit_then_fail", 0.25)
    assert plan.draw(creates_task=False) == ("rate_limited", 0.25)
    assert plan.draw(creates_task=True) == (None, 0.25)


def test_within_treats_missing_stamps_as_outside_any_bound() -> None:
    assert within(None, None, None)
    assert within(5, 5, 5)
    assert not within(None, 1, None)
    assert not within(6, None, 5)
    assert not within(4, 5, None)
