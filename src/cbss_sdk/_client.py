"""``CbssClient`` and ``AsyncCbssClient``: the objects a user configures once and shares.

Both twins take the same arguments and behave the same; what differs is only
how a request is sent and how a retry waits (``httpx.Client`` and
``time.sleep`` versus ``httpx.AsyncClient`` and ``asyncio.sleep``).  The
rules themselves live in :mod:`cbss_sdk._client_core`.  Service facades and
protocol layers use :meth:`CbssClient.call`; an application mostly only
builds the client and hands it to a facade.
"""

from __future__ import annotations

import ssl
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from lxml import etree

from ._client_core import Action, ClientCore, Pause, Received, Result, coerce_verification
from ._organization import Organization, SsdnUser
from .errors import ConfigurationError
from .soap import DEFAULT_XML_LIMITS, XmlLimits
from .transport._audit import AuditHook
from .transport._call import CallInfo, Outcome, SoapReply
from .transport._environments import Environment, resolve_environment
from .transport._http import (
    DEFAULT_TIMEOUT,
    basic_auth_header,
    client_options,
    make_ssl_context,
    make_timeout,
)
from .transport._retry import DEFAULT_RETRY, RetryPolicy
from .wsse import DEFAULT_SIGNING_PROFILE, SigningProfile, VerificationConfig, VerificationPolicy

if TYPE_CHECKING:
    from ._credentials import Credentials

__all__ = ["DEFAULT_ENVIRONMENT", "AsyncCbssClient", "CbssClient"]

#: The environment a client talks to when none is named: acceptance, never production.
DEFAULT_ENVIRONMENT = "acpt"

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)


class _BaseClient(ABC, Generic[HttpT]):
    """Argument checking and configuration shared by the two clients."""

    def __init__(
        self,
        *,
        environment: str | Environment | None = None,
        base_url: str | None = None,
        ssdn_url: str | None = None,
        credentials: Credentials | None = None,
        organization: Organization | None = None,
        ssdn_user: SsdnUser | None = None,
        signing_profile: SigningProfile = DEFAULT_SIGNING_PROFILE,
        verification: VerificationConfig | VerificationPolicy | str = VerificationPolicy.REQUIRED,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        verify_tls: bool | str | ssl.SSLContext = True,
        client_cert: str | tuple[str, str] | None = None,
        basic_auth: tuple[str, str] | None = None,
        retry: RetryPolicy = DEFAULT_RETRY,
        audit_hook: AuditHook | None = None,
        log_bodies: bool = False,
        xml_limits: XmlLimits = DEFAULT_XML_LIMITS,
        user: str | None = None,
        http_client: HttpT | None = None,
    ) -> None:
        _expect("organization", organization, Organization)
        _expect("ssdn_user", ssdn_user, SsdnUser)
        _expect("retry", retry, RetryPolicy, optional=False)
        _expect("xml_limits", xml_limits, XmlLimits, optional=False)
        _expect("signing_profile", signing_profile, SigningProfile, optional=False)
        if audit_hook is not None and not callable(audit_hook):
            raise ConfigurationError("audit_hook must be callable with one AuditRecord")
        if user is not None and (not isinstance(user, str) or not user.strip()):
            raise ConfigurationError("user must be a non-empty application user name")
        # No environment: "acpt" by default, or "custom" when a base_url (simulator, proxy) is
        # given, so that logs and the journal never label a custom endpoint as a CBSS one.
        if environment is None and base_url is None:
            environment = DEFAULT_ENVIRONMENT
        resolved = resolve_environment(environment, base_url=base_url, ssdn_url=ssdn_url)
        timeout_value = make_timeout(timeout)
        if http_client is None:
            context = make_ssl_context(verify_tls, client_cert)
            http = self._new_http(client_options(timeout_value, context))
            self._owns_http = True
            request_timeout = None
        else:
            http = self._check_injected(http_client, verify_tls, client_cert)
            self._owns_http = False
            # An injected client keeps its own timeouts unless the caller named one.
            request_timeout = None if timeout is DEFAULT_TIMEOUT else timeout_value
        self._http: HttpT = http
        self._core = ClientCore(
            environment=resolved,
            credentials=credentials,
            organization=organization,
            ssdn_user=ssdn_user,
            signing_profile=signing_profile,
            verification=coerce_verification(verification),
            request_timeout=request_timeout,
            authorization=basic_auth_header(basic_auth),
            retry=retry,
            audit_hook=audit_hook,
            log_bodies=bool(log_bodies),
            xml_limits=xml_limits,
            user=user,
            http=http,
        )

    @abstractmethod
    def _new_http(self, options: dict[str, Any]) -> HttpT:
        """Build the httpx client this SDK client owns."""

    @property
    @abstractmethod
    def _http_class(self) -> type[HttpT]:
        """The httpx client class an injected ``http_client`` must be."""

    def _check_injected(
        self,
        http_client: object,
        verify_tls: bool | str | ssl.SSLContext,
        client_cert: str | tuple[str, str] | None,
    ) -> HttpT:
        expected = self._http_class
        if not isinstance(http_client, expected):
            raise ConfigurationError(
                f"{type(self).__name__} needs http_client to be an httpx.{expected.__name__}"
            )
        if verify_tls is not True or client_cert is not None:
            raise ConfigurationError(
                "verify_tls and client_cert apply to the httpx client the SDK builds; "
                "configure TLS on the http_client you pass instead"
            )
        return http_client

    # -- read-only configuration -------------------------------------------------------------

    @property
    def environment(self) -> Environment:
        """The CBSS environment (name and URLs) this client talks to."""
        return self._core.environment

    @property
    def organization(self) -> Organization | None:
        """The calling organisation (CommonV3 customer identification, SSDN matrix ids)."""
        return self._core.organization

    @property
    def ssdn_user(self) -> SsdnUser | None:
        """The ``AuthorizedUser`` of SSDN requests."""
        return self._core.ssdn_user

    @property
    def credentials(self) -> Credentials | None:
        """The signing key and certificate (``None``: nothing can be signed)."""
        return self._core.credentials

    @property
    def xml_limits(self) -> XmlLimits:
        """Size and depth caps applied to every inbound document."""
        return self._core.xml_limits

    @property
    def verification(self) -> VerificationConfig:
        """How reply signatures are checked."""
        return self._core.verification

    @property
    def user(self) -> str | None:
        """The application user the journal names now (``acting_as`` included)."""
        return self._core.acting.current

    @property
    def closed(self) -> bool:
        """Whether :meth:`close`/``aclose`` was called."""
        return self._core.closed

    def acting_as(self, user: str) -> AbstractContextManager[None]:
        """Journal the calls made inside the ``with`` block on behalf of ``user``.

        Based on :mod:`contextvars`: concurrent asyncio tasks (and threads
        started with a copied context) each keep their own user.
        """
        return self._core.acting.acting_as(user)

    def __repr__(self) -> str:
        organization = self._core.organization
        label = organization.label if organization is not None else None
        return (
            f"{type(self).__name__}(environment={self._core.environment.name!r}, "
            f"organization={label!r})"
        )


def _expect(name: str, value: object, kind: type, *, optional: bool = True) -> None:
    if value is None and optional:
        return
    if not isinstance(value, kind):
        raise ConfigurationError(f"{name} must be a {kind.__name__}")


async def _asyncio_sleep(seconds: float) -> None:
    """``asyncio.sleep``, imported on the first async retry: a synchronous program never loads asyncio."""
    import asyncio

    await asyncio.sleep(seconds)


class CbssClient(_BaseClient[httpx.Client]):
    """A synchronous CBSS client (thread-safe: share one per application).

    See ``docs/client.md`` for every argument.  Use it as a context manager,
    or call :meth:`close`; an ``http_client`` you pass is left open.
    """

    @property
    def _http_class(self) -> type[httpx.Client]:
        return httpx.Client

    def _new_http(self, options: dict[str, Any]) -> httpx.Client:
        return httpx.Client(**options)

    #: How a retry waits (replaceable in tests).
    _sleep: Callable[[float], None] = staticmethod(time.sleep)

    def call(
        self,
        info: CallInfo,
        payload: etree._Element,
        interpret: Callable[[SoapReply], Outcome[T]],
    ) -> T:
        """Send ``payload`` as described by ``info``; return what ``interpret`` makes of the reply.

        Raises the SDK's errors (:mod:`cbss_sdk.errors`) with the call's
        service, operation, environment and tickets filled in.
        """
        with self._core.start(info, payload, interpret) as run:
            for action in run:
                run.answer(self._perform(action))
        return run.value

    def _perform(self, action: Action) -> Result:
        if isinstance(action, Pause):
            self._sleep(action.seconds)
            return None
        reader = self._core.body_reader()
        try:
            response = self._http.send(action.request, stream=True)
            try:
                for chunk in response.iter_bytes():
                    reader.feed(chunk)
            finally:
                response.close()
        except httpx.TransportError as error:
            return error
        return Received(response.status_code, response.headers, reader.body)

    def close(self) -> None:
        """Release the connections (of the httpx client the SDK built)."""
        if self._owns_http and not self._core.closed:
            self._http.close()
        self._core.closed = True

    def __enter__(self) -> CbssClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncCbssClient(_BaseClient[httpx.AsyncClient]):
    """The asyncio twin of :class:`CbssClient`: same arguments, ``await client.call(...)``.

    Use it with ``async with``, or call :meth:`aclose`; an ``http_client``
    you pass is left open.
    """

    @property
    def _http_class(self) -> type[httpx.AsyncClient]:
        return httpx.AsyncClient

    def _new_http(self, options: dict[str, Any]) -> httpx.AsyncClient:
        return httpx.AsyncClient(**options)

    #: How a retry waits (replaceable in tests).
    _sleep: Callable[[float], Awaitable[None]] = staticmethod(_asyncio_sleep)

    async def call(
        self,
        info: CallInfo,
        payload: etree._Element,
        interpret: Callable[[SoapReply], Outcome[T]],
    ) -> T:
        """Send ``payload`` as described by ``info``; return what ``interpret`` makes of the reply.

        Raises the SDK's errors (:mod:`cbss_sdk.errors`) with the call's
        service, operation, environment and tickets filled in.
        """
        with self._core.start(info, payload, interpret) as run:
            for action in run:
                run.answer(await self._perform(action))
        return run.value

    async def _perform(self, action: Action) -> Result:
        if isinstance(action, Pause):
            await self._sleep(action.seconds)
            return None
        reader = self._core.body_reader()
        try:
            response = await self._http.send(action.request, stream=True)
            try:
                async for chunk in response.aiter_bytes():
                    reader.feed(chunk)
            finally:
                await response.aclose()
        except httpx.TransportError as error:
            return error
        return Received(response.status_code, response.headers, reader.body)

    async def aclose(self) -> None:
        """Release the connections (of the httpx client the SDK built)."""
        if self._owns_http and not self._core.closed:
            await self._http.aclose()
        self._core.closed = True

    async def __aenter__(self) -> AsyncCbssClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
