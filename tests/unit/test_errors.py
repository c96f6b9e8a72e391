"""The exception hierarchy and the mapping of error responses to exceptions."""

from __future__ import annotations

import json

import pytest

import scale_async
import scale_async.exceptions as async_exceptions
import scale_sync.exceptions as sync_exceptions
from scale_async._engine.errors import STATUS_ERRORS, error_for_status, error_message
from scale_async.exceptions import (
    ScaleDuplicateResource,
    ScaleException,
    ScaleForbidden,
    ScaleInternalError,
    ScaleInvalidRequest,
    ScaleInvalidResponse,
    ScaleNotEnabled,
    ScaleResourceNotFound,
    ScaleServiceUnavailable,
    ScaleTimeoutError,
    ScaleTooManyRequests,
    ScaleTransportError,
    ScaleUnauthorized,
)

EXPECTED_STATUS_CLASSES = {
    400: ScaleInvalidRequest,
    401: ScaleUnauthorized,
    402: ScaleNotEnabled,
    403: ScaleForbidden,
    404: ScaleResourceNotFound,
    409: ScaleDuplicateResource,
    429: ScaleTooManyRequests,
    500: ScaleInternalError,
    503: ScaleServiceUnavailable,
    504: ScaleTimeoutError,
}

ALL_NAMES = [
    "ScaleClientClosed",
    "ScaleDuplicateResource",
    "ScaleException",
    "ScaleForbidden",
    "ScaleInternalError",
    "ScaleInvalidRequest",
    "ScaleInvalidResponse",
    "ScaleNotEnabled",
    "ScaleResourceNotFound",
    "ScaleServiceUnavailable",
    "ScaleTimeoutError",
    "ScaleTooManyRequests",
    "ScaleTransportError",
    "ScaleUnauthorized",
]

# -- error_message -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            b'{"status_code": 404, "error": "Task not found"}', "Task not found", id="scale"
        ),
        pytest.param(b'{"detail": "Not found."}', "Not found.", id="drf"),
        pytest.param(b'{"message": "Rate limited"}', "Rate limited", id="message-key"),
        pytest.param(b'{"error": "", "detail": "from detail"}', "from detail", id="empty-error"),
        pytest.param(b'{"error": {"field": "bad"}}', '{"field": "bad"}', id="structured-error"),
        pytest.param(b'{"error": ["a", "b"]}', '["a", "b"]', id="list-error"),
        pytest.param(b'  {"error": "padded"}\n', "padded", id="whitespace"),
        pytest.param(b'["first", "second"]', '["first", "second"]', id="json-array"),
        pytest.param(b'"just a string"', '"just a string"', id="json-string"),
        pytest.param(b"42", "42", id="json-number"),
        pytest.param(b"plain text\n\n  failure", "plain text failure", id="text"),
    ],
)
def test_error_message_shapes(body: bytes, expected: str) -> None:
    """Scale, DRF and other JSON bodies give their message; anything else its text."""
    assert error_message(body, "Reason") == expected


def test_error_message_html_page() -> None:
    """An HTML error page is reduced to readable text: no tags, scripts or styles."""
    page = b"""<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title>
<style type="text/css">body { color: red; }</style>
<SCRIPT>if (a > b) { alert("x"); }</SCRIPT>
</head>
<body><h1>Bad &amp; Gateway</h1><p>The upstream <b>failed</b>.</p></body></html>"""
    message = error_message(page, "Bad Gateway")
    assert message.startswith("502 Bad Gateway Bad & Gateway The upstream failed")
    for fragment in ("<", ">", "color", "alert", "&amp;"):
        assert fragment not in message


def test_error_message_html_without_leading_tag() -> None:
    """A page with leading text before <html> is still stripped of tags."""
    message = error_message(b"oops <html><body><p>Down</p></body></html>", "")
    assert "<" not in message
    assert "Down" in message


@pytest.mark.parametrize("body", [b"", b"   \n\t "])
def test_error_message_empty_body_gives_reason(body: bytes) -> None:
    """An empty body falls back to the HTTP reason phrase."""
    assert error_message(body, "Service Unavailable") == "Service Unavailable"
    assert error_message(body) == ""


def test_error_message_html_with_no_text_gives_reason() -> None:
    """A page that is nothing but markup falls back to the reason phrase."""
    assert error_message(b"<html><script>x()</script></html>", "Bad Gateway") == "Bad Gateway"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"x" * 5000, id="text"),
        pytest.param(json.dumps({"error": "y" * 5000}).encode(), id="json"),
        pytest.param(b"<html><body>" + b"word " * 2000 + b"</body></html>", id="html"),
    ],
)
def test_error_message_long_body_shortened(body: bytes) -> None:
    """A very long body is cut to at most 300 characters, marked with an ellipsis."""
    message = error_message(body)
    assert len(message) <= 300
    assert len(message) > 200
    assert message.endswith("…")


def test_error_message_exactly_300_is_kept() -> None:
    """A body of exactly the limit is not cut."""
    assert error_message(b"z" * 300) == "z" * 300


def test_error_message_invalid_utf8() -> None:
    """Undecodable bytes do not raise; the readable part survives."""
    message = error_message(b"\xff\xfe bad \xc3 bytes", "Reason")
    assert "bad" in message
    assert "bytes" in message
    assert "\ufffd" in message


# -- error_for_status ----------------------------------------------------------------------


def test_status_errors_table_is_the_sdk_mapping() -> None:
    """STATUS_ERRORS maps exactly the SDK's statuses (plus 403) to their classes."""
    assert dict(STATUS_ERRORS) == EXPECTED_STATUS_CLASSES


@pytest.mark.parametrize(("status", "cls"), sorted(EXPECTED_STATUS_CLASSES.items()))
def test_error_for_status_mapped(status: int, cls: type[ScaleException]) -> None:
    """Each mapped status gives its class, with the request details attached."""
    exc = error_for_status(status, "went wrong", method="GET", path="task/x", retry_after=2.5)
    assert type(exc) is cls
    assert exc.code == status
    assert exc.status_code == status
    assert exc.message == "went wrong"
    assert exc.method == "GET"
    assert exc.path == "task/x"
    assert exc.retries == 0
    assert exc.retry_after == 2.5
    assert str(exc) == f"<Response [{status}]> went wrong (GET task/x)"


@pytest.mark.parametrize("status", [418, 502, 422, 201, 301])
def test_error_for_status_unmapped(status: int) -> None:
    """Any other status gives a plain ScaleException carrying the code."""
    exc = error_for_status(status, "odd")
    assert type(exc) is ScaleException
    assert exc.code == status
    assert exc.retry_after is None
    assert str(exc) == f"<Response [{status}]> odd"


def test_error_for_status_does_not_leak_code_to_class() -> None:
    """Building a 502 does not change the base class's code."""
    error_for_status(502, "x")
    assert ScaleException.code is None
    assert ScaleException("y").code is None


# -- the exception objects -----------------------------------------------------------------


def test_str_with_retries() -> None:
    """str() mentions the retries spent."""
    exc = ScaleResourceNotFound("no such task", method="GET", path="task/x", retries=3)
    assert str(exc) == "<Response [404]> no such task (GET task/x, after 3 retries)"
    assert exc.retries == 3


def test_str_without_code_or_request() -> None:
    """Without a code or request the SDK's bare format is kept."""
    assert str(ScaleException("plain")) == "<Response> plain"
    assert str(ScaleException("coded", 418)) == "<Response [418]> coded"
    assert str(ScaleTransportError("reset", method="POST", path="task/x")) == (
        "<Response> reset (POST task/x)"
    )


def test_sdk_constructor_signature() -> None:
    """ScaleException(message, errcode) works positionally, as in the SDK."""
    exc = ScaleException("m", 404)
    assert (exc.message, exc.code, exc.args) == ("m", 404, ("m",))
    sub = ScaleInvalidRequest("bad")
    assert sub.code == 400
    overridden = ScaleInvalidRequest("bad", 422)
    assert overridden.code == 422


def test_empty_message_becomes_class_name() -> None:
    """An empty message is replaced by the class name, as in the SDK."""
    assert ScaleTooManyRequests().message == "ScaleTooManyRequests"
    assert str(ScaleTooManyRequests()) == "<Response [429]> ScaleTooManyRequests"


def test_repr() -> None:
    """repr names the class, the code and the message."""
    exc = ScaleUnauthorized("bad key")
    assert repr(exc) == "ScaleUnauthorized(code=401, message='bad key')"


def test_transport_error_sent_flag() -> None:
    """ScaleTransportError has no code and is 'sent' unless proven otherwise."""
    assert ScaleTransportError("x").sent is True
    unsent = ScaleTransportError("refused", sent=False, method="GET", path="p", retries=1)
    assert unsent.sent is False
    assert unsent.code is None
    assert (unsent.method, unsent.path, unsent.retries) == ("GET", "p", 1)


def test_invalid_response_has_no_default_code() -> None:
    """ScaleInvalidResponse carries the 2xx status only when given."""
    assert ScaleInvalidResponse("bad json").code is None
    assert ScaleInvalidResponse("bad json", 200).code == 200


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_class_derives_from_scale_exception(name: str) -> None:
    """Catching ScaleException catches every error the client raises."""
    cls = getattr(async_exceptions, name)
    assert issubclass(cls, ScaleException)
    assert issubclass(cls, Exception)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_exceptions_shared_between_async_and_sync(name: str) -> None:
    """scale_async.exceptions, scale_sync.exceptions and scale_async export the same classes."""
    cls = getattr(async_exceptions, name)
    assert getattr(sync_exceptions, name) is cls
    assert getattr(scale_async, name) is cls


def test_exception_modules_export_lists() -> None:
    """Both exception modules export the full, identical list."""
    assert sorted(async_exceptions.__all__) == ALL_NAMES
    assert sorted(sync_exceptions.__all__) == ALL_NAMES
