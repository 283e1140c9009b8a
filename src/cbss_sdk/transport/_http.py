"""The httpx side of the client: TLS, timeouts, headers, error mapping, capped reading.

Everything here is shared by the sync and async clients: the options both
httpx client classes are built with, the request headers, the translation of
httpx exceptions into the SDK's :class:`~cbss_sdk.errors.TransportError`
family, and a reader that refuses a reply body larger than the XML size cap
before it is all in memory.
"""

from __future__ import annotations

import base64
import functools
import os
import re
import ssl
from importlib import metadata
from typing import Any, TypeGuard

import httpx

from .._redact import mask_national_numbers
from ..errors import (
    CbssConnectError,
    CbssTimeout,
    ConfigurationError,
    CredentialsError,
    TransportError,
    XmlTooLarge,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "BodyReader",
    "basic_auth_header",
    "client_options",
    "make_ssl_context",
    "make_timeout",
    "soap_headers",
    "transport_error",
]

#: Default timeouts: 10 s to connect, 30 s for each read, write and pool wait.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def _version() -> str:
    try:
        return metadata.version("cbss-sdk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


#: ``User-Agent`` of every request.
USER_AGENT = f"cbss-sdk/{_version()} httpx/{httpx.__version__}"


def make_timeout(timeout: httpx.Timeout | float | None) -> httpx.Timeout:
    """An :class:`httpx.Timeout` from the client's ``timeout`` argument."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        raise ConfigurationError(
            "timeout=None would let a call hang forever; give seconds or an httpx.Timeout"
        )
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ConfigurationError("timeout must be a positive number of seconds or an httpx.Timeout")
    return httpx.Timeout(float(timeout))


def make_ssl_context(
    verify_tls: bool | str | ssl.SSLContext,
    client_cert: str | tuple[str, str] | None,
) -> ssl.SSLContext:
    """The TLS context of a client the SDK builds itself.

    ``verify_tls``: ``True`` checks the server against the certifi bundle
    (httpx's default), ``False`` does not check it (tests only), a string is
    a CA bundle file or a directory of CA certificates, an
    :class:`ssl.SSLContext` is used as it is.  ``client_cert`` is a PEM file
    holding certificate and key, or a ``(certificate, key)`` pair of files,
    for TLS client authentication.
    """
    if isinstance(verify_tls, ssl.SSLContext):
        if client_cert is not None:
            raise ConfigurationError(
                "client_cert cannot be combined with an ssl.SSLContext: "
                "load the certificate into your context with load_cert_chain()"
            )
        return verify_tls
    if isinstance(verify_tls, bool):
        context = httpx.create_ssl_context(verify=verify_tls)
    elif isinstance(verify_tls, str):
        context = _context_from_bundle(verify_tls)
    else:
        raise ConfigurationError(
            "verify_tls must be True, False, a CA bundle path or an SSLContext"
        )
    if client_cert is not None:
        _load_client_cert(context, client_cert)
    return context


def _context_from_bundle(path: str) -> ssl.SSLContext:
    try:
        if os.path.isdir(path):
            return ssl.create_default_context(capath=path)
        return ssl.create_default_context(cafile=path)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigurationError(
            f"verify_tls: cannot read the CA bundle {path!r} ({type(exc).__name__})"
        ) from exc


def _is_str_pair(value: object) -> TypeGuard[tuple[str, str]]:
    return isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value)


def _load_client_cert(context: ssl.SSLContext, client_cert: str | tuple[str, str]) -> None:
    if isinstance(client_cert, str):
        cert_file, key_file = client_cert, None
    elif _is_str_pair(client_cert):
        cert_file, key_file = client_cert
    else:
        raise ConfigurationError("client_cert must be a PEM path or a (certificate, key) pair")
    try:
        context.load_cert_chain(cert_file, key_file)
    except FileNotFoundError as exc:
        raise CredentialsError(
            "client_cert: file not found", source=exc.filename or cert_file, cause="unreadable"
        ) from exc
    except (OSError, ssl.SSLError) as exc:
        raise CredentialsError(
            f"client_cert: cannot load the TLS client certificate ({type(exc).__name__})",
            source=cert_file,
            cause="unreadable",
        ) from exc


def client_options(timeout: httpx.Timeout, ssl_context: ssl.SSLContext) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client``/``httpx.AsyncClient`` built by the SDK."""
    return {
        "timeout": timeout,
        "verify": ssl_context,
        "follow_redirects": False,
        "headers": {"User-Agent": USER_AGENT},
    }


def basic_auth_header(basic_auth: tuple[str, str] | None) -> str | None:
    """The ``Authorization`` header value for HTTP Basic credentials."""
    if basic_auth is None:
        return None
    if not _is_str_pair(basic_auth):
        raise ConfigurationError("basic_auth must be a (username, password) pair of strings")
    username, password = basic_auth
    if ":" in username:
        raise ConfigurationError("basic_auth: the username must not contain ':'")
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def soap_headers(soap_action: str, authorization: str | None) -> httpx.Headers:
    """Headers of a SOAP 1.1 POST.

    Without ``authorization`` they are built once per SOAP action and shared
    (httpx copies the headers into each request it builds): do not modify the
    returned object.  Headers carrying credentials are never kept.
    """
    if authorization is None:
        return _shared_soap_headers(soap_action)
    return httpx.Headers({**_soap_header_items(soap_action), "Authorization": authorization})


def _soap_header_items(soap_action: str) -> dict[str, str]:
    return {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": f'"{soap_action}"',
        "Accept": "text/xml, application/soap+xml, multipart/related",
        "User-Agent": USER_AGENT,
    }


@functools.lru_cache(maxsize=256)
def _shared_soap_headers(soap_action: str) -> httpx.Headers:
    return httpx.Headers(_soap_header_items(soap_action))


_URL_IN_TEXT = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
_TIMEOUT_KINDS = {
    httpx.ConnectTimeout: "connect",
    httpx.ReadTimeout: "read",
    httpx.WriteTimeout: "write",
    httpx.PoolTimeout: "pool",
}


def _where(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}{url.path}"


def _detail(exc: BaseException) -> str:
    text = _URL_IN_TEXT.sub("<url>", str(exc)).strip()
    return mask_national_numbers(text[:200])


def transport_error(exc: httpx.TransportError, url: httpx.URL) -> TransportError:
    """The SDK error for an httpx transport failure (raise it ``from exc``).

    The message names the endpoint (scheme, host, path: never a query) and
    the kind of failure, never the request body.
    """
    if isinstance(exc, httpx.TimeoutException):
        kind = _TIMEOUT_KINDS.get(type(exc), "")
        return CbssTimeout(f"{kind + ' ' if kind else ''}timeout calling {_where(url)}")
    detail = _detail(exc)
    message = f"{type(exc).__name__} calling {_where(url)}"
    return CbssConnectError(f"{message}: {detail}" if detail else message)


class BodyReader:
    """Collects a streamed reply body, refusing it once it exceeds ``max_bytes``."""

    __slots__ = ("_chunks", "_size", "max_bytes")

    def __init__(self, max_bytes: int | None) -> None:
        self.max_bytes = max_bytes
        self._chunks: list[bytes] = []
        self._size = 0

    def feed(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self.max_bytes is not None and self._size > self.max_bytes:
            raise XmlTooLarge(f"reply body exceeds {self.max_bytes} bytes")
        self._chunks.append(chunk)

    @property
    def body(self) -> bytes:
        return b"".join(self._chunks)
