"""TLS for ``verify=`` and ``cert=``, read as ``requests`` (hence the SDK) reads them.

The contexts that load nothing of the caller's are built once and shared: loading a CA
bundle takes about 20 ms.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import ssl


# httpx and ssl load where they are first used (see ``http``).


__all__ = ["CA_BUNDLE_VARIABLES", "Cert", "Verify", "env_ca_bundle", "ssl_context"]


Verify: TypeAlias = "bool | str | ssl.SSLContext | None"


Cert: TypeAlias = "str | tuple[str, str] | tuple[str, str, str] | None"


#: Where ``requests`` (hence the SDK) and OpenSSL look for a CA bundle, in requests' order.
CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")


def env_ca_bundle(environ: Mapping[str, str]) -> str | None:
    """The CA bundle the environment names, as the SDK honours it when ``verify`` is unset."""
    for name in CA_BUNDLE_VARIABLES:
        if environ.get(name):
            return environ[name]
    return None


def ssl_context(verify: Verify, cert: Cert) -> ssl.SSLContext:
    """The TLS context for ``verify``/``cert``; ``verify=False`` really turns checks off.

    Without ``verify`` the CA bundle named by ``$REQUESTS_CA_BUNDLE`` (``$CURL_CA_BUNDLE``,
    ``$SSL_CERT_FILE``) is trusted, as with the SDK; an explicit ``verify`` always wins.
    """
    import ssl

    import httpx

    if verify is None:
        verify = env_ca_bundle(os.environ)
    if isinstance(verify, ssl.SSLContext):
        ctx = verify
    elif isinstance(verify, str) and cert is None:
        return _bundle_context(verify)
    elif isinstance(verify, str):
        ctx = _load_bundle(verify)
    elif cert is None:
        # Loading the CA bundle takes ~20 ms; the plain contexts are built once and shared.
        return _plain_context(verify is not False)
    else:
        ctx = httpx.create_ssl_context(verify=verify is not False)
    if cert is not None:
        if isinstance(cert, str):
            ctx.load_cert_chain(cert)
        elif len(cert) == 2:
            ctx.load_cert_chain(cert[0], cert[1])
        else:
            ctx.load_cert_chain(cert[0], cert[1], cert[2])
    return ctx


@functools.cache
def _plain_context(verified: bool) -> ssl.SSLContext:
    import httpx

    return httpx.create_ssl_context(verify=verified)


def _load_bundle(path: str) -> ssl.SSLContext:
    import ssl

    if os.path.isdir(path):
        return ssl.create_default_context(capath=path)
    return ssl.create_default_context(cafile=path)


@functools.cache
def _bundle_context(path: str) -> ssl.SSLContext:
    # Shared like the plain contexts: nothing is loaded into it after it is built.
    return _load_bundle(path)
