"""The fake's v2 deliveries listings: one window filter for project and dataset deliveries."""

from __future__ import annotations

import pytest

from scale_async.testing._asgi import Request
from scale_async.testing._clock import format_ms
from scale_async.testing._errors import ApiError
from scale_async.testing._v2.deliveries import _deliveries_reply
from scale_async.testing._v2.world import V2DatasetDelivery, V2Delivery


def request(**query: str) -> Request:
    return Request("GET", ["v2", "deliveries"], {k: [v] for k, v in query.items()}, {}, b"")


def test_deliveries_are_kept_within_the_window_inclusive() -> None:
    deliveries = [
        V2Delivery(id=f"d{ms}", name=f"n{ms}", project_id="p", delivered_ms=ms)
        for ms in (1_000, 2_000, 3_000)
    ]
    reply = _deliveries_reply(request(delivered_after=format_ms(2_000)), deliveries, lambda d: d.id)
    assert reply.status == 200
    assert reply.body == {"deliveries": ["d2000", "d3000"]}
    reply = _deliveries_reply(
        request(delivered_before=format_ms(2_000)), deliveries, lambda d: d.id
    )
    assert reply.body == {"deliveries": ["d1000", "d2000"]}
    assert _deliveries_reply(request(), deliveries, lambda d: d.id).body == {
        "deliveries": ["d1000", "d2000", "d3000"]
    }


def test_dataset_deliveries_take_the_same_filter_and_a_bad_date_is_a_400() -> None:
    deliveries = [V2DatasetDelivery(id="x", name="x", dataset_id="ds", delivered_ms=5_000)]
    reply = _deliveries_reply(
        request(delivered_after=format_ms(6_000)), deliveries, lambda d: d.dataset_id
    )
    assert reply.body == {"deliveries": []}
    with pytest.raises(ApiError) as caught:
        _deliveries_reply(request(delivered_after="yesterday"), deliveries, lambda d: d.id)
    assert caught.value.status == 400
