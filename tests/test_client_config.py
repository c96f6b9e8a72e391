"""Construction, configuration and lifecycle of the async client."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import anyio
import certifi
import httpx
import pytest
from httpx_aiohttp import AiohttpTransport

import scale_async
import scale_sync
from scale_async import AsyncScaleClient, ScaleException, Timeout
from scale_async._engine.http import proxy_mounts, running_on_asyncio
from scale_async._engine.tls import CA_BUNDLE_VARIABLES, env_ca_bundle, ssl_context
from tests.scripted import ok, task_json


def test_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALE_API_KEY", "test_from_env")
    client = AsyncScaleClient()
    assert client._session.settings.api_key == "test_from_env"


def test_missing_key_is_a_clear_error_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCALE_API_KEY", raising=False)
    with pytest.raises(ScaleException, match="SCALE_API_KEY"):
        AsyncScaleClient()
    with pytest.raises(ScaleException, match="SCALE_API_KEY"):
        scale_sync.ScaleClient("")


def test_base_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCALE_API_BASE_URL", raising=False)
    assert AsyncScaleClient("k").base_url == "https://api.scale.com/v1"
    monkeypatch.setenv("SCALE_API_BASE_URL", "http://127.0.0.1:9/v1/")
    assert AsyncScaleClient("k").base_url == "http://127.0.0.1:9/v1"
    assert AsyncScaleClient("k", api_instance_url="https://x.test/v1").base_url == (
        "https://x.test/v1"
    )


@pytest.mark.parametrize("url", ["ftp://x/v1", "api.scale.com/v1", "http:///v1"])
def test_bad_base_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        AsyncScaleClient("k", api_instance_url=url)


@pytest.mark.parametrize("value", [0, -1, 2.5])
def test_bad_max_connections_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="max_connections"):
        AsyncScaleClient("k", max_connections=value)  # type: ignore[arg-type]


def test_timeouts_default_and_override() -> None:
    default = Timeout(connect=10.0, read=60.0, write=60.0, pool=30.0)
    assert AsyncScaleClient("k")._session.settings.timeout == default
    every = Timeout(connect=5, read=5, write=5, pool=5)
    assert AsyncScaleClient("k", timeout=5)._session.settings.timeout == every
    with pytest.raises(ValueError, match="positive"):
        Timeout(read=float("inf"))
    with pytest.raises(ValueError, match="positive"):
        Timeout(connect=0)


def test_repr_hides_the_key() -> None:
    client = AsyncScaleClient("live_top_secret")
    for text in (repr(client), repr(client._session), repr(client._requester), str(client)):
        assert "live_top_secret" not in text


def test_verify_false_builds_an_unverified_context() -> None:
    import ssl

    ctx = ssl_context(False, None)
    assert ctx.verify_mode is ssl.CERT_NONE
    assert ctx.check_hostname is False
    assert ssl_context(None, None).verify_mode is ssl.CERT_REQUIRED


def test_proxy_mounts_accept_requests_style_dicts() -> None:
    assert proxy_mounts({"http": "http://p:1", "https": "http://p:2", "ftp": ""}) == {
        "http://": "http://p:1",
        "https://": "http://p:2",
    }
    assert proxy_mounts("http://p:3") == {"all://": "http://p:3"}
    assert proxy_mounts(None) == {}


async def test_default_transport_follows_the_backend(anyio_backend_name: str) -> None:
    """aiohttp under asyncio (throughput under concurrency), httpx's own under trio."""
    client = AsyncScaleClient("k", max_connections=7)
    http, _ = client._session._ensure_open()
    try:
        transport = http._transport
        assert running_on_asyncio() is (anyio_backend_name == "asyncio")
        if anyio_backend_name == "asyncio":
            assert type(transport).__name__ == "AiohttpTransport"
            assert isinstance(transport, AiohttpTransport)
            assert transport.limits.max_connections == 7
        else:
            assert isinstance(transport, httpx.AsyncHTTPTransport)
            assert transport._pool._max_connections == 7
    finally:
        await client.aclose()


async def test_requests_in_flight_never_exceed_max_connections() -> None:
    """The client's own limiter keeps concurrency at max_connections, before the pool."""
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await anyio.sleep(0.01)
        in_flight -= 1
        return ok(task_json(request.url.path.rsplit("/", 1)[-1]))

    results: list[str] = []
    async with AsyncScaleClient(
        "k", max_connections=4, transport=httpx.MockTransport(handler)
    ) as client:

        async def one(n: int) -> None:
            results.append((await client.get_task(f"t{n}")).task_id)

        async with anyio.create_task_group() as tg:
            for n in range(20):
                tg.start_soon(one, n)
    assert sorted(results) == sorted(f"t{n}" for n in range(20))
    assert peak == 4


async def test_async_with_closes_and_client_reopens() -> None:
    transport = httpx.MockTransport(lambda r: ok(task_json("x")))
    async with AsyncScaleClient("k", transport=transport) as client:
        await client.get_task("x")
        assert client._session.is_open
    assert not client._session.is_open
    assert (await client.get_task("x")).task_id == "x"
    await client.aclose()
    assert not client._session.is_open


def test_py_typed_is_shipped() -> None:
    for package in ("scale_async", "scale_sync"):
        assert resources.files(package).joinpath("py.typed").is_file()


def test_version_is_exposed() -> None:
    assert scale_async.__version__ == scale_sync.__version__
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    assert 'path = "scale_async/_version.py"' in pyproject.read_text()


def test_plain_tls_contexts_are_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the CA bundle costs ~20 ms per client otherwise (seen in the benchmarks)."""
    for name in CA_BUNDLE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert ssl_context(None, None) is ssl_context(True, None)
    assert ssl_context(False, None) is ssl_context(False, None)
    assert ssl_context(False, None) is not ssl_context(None, None)
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    assert ssl_context(None, None) is ssl_context(None, None)  # the bundle's, built once
    assert ssl_context(None, None) is not ssl_context(True, None)


def test_the_ca_bundle_variables_in_requests_order() -> None:
    """REQUESTS_CA_BUNDLE, then CURL_CA_BUNDLE, then OpenSSL's SSL_CERT_FILE; empty is unset."""
    assert env_ca_bundle({}) is None
    assert env_ca_bundle({"SSL_CERT_FILE": "/c"}) == "/c"
    assert env_ca_bundle({"SSL_CERT_FILE": "/c", "CURL_CA_BUNDLE": "/b"}) == "/b"
    everything = {"SSL_CERT_FILE": "/c", "CURL_CA_BUNDLE": "/b", "REQUESTS_CA_BUNDLE": "/a"}
    assert env_ca_bundle(everything) == "/a"
    assert env_ca_bundle({"REQUESTS_CA_BUNDLE": "", "SSL_CERT_FILE": "/c"}) == "/c"
