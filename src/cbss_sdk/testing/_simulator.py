"""The CBSS simulator: both CBSS protocols, in process or over HTTP, driven by the catalog.

:class:`Simulator` answers what CBSS would answer to the SDK (or to any SOAP
client): it verifies WS-Security signatures, validates requests against the
schemas, applies legal contexts, persona behaviours and integration, calls
the service handlers and signs its SOA replies.  Use it

* in process, as an ``httpx`` transport: ``sim.client()`` and
  ``sim.async_client()`` are SDK clients bound to it;
* over HTTP, as an ASGI app (``sim.asgi_app``) served by uvicorn
  (:func:`cbss_sdk.testing.run_server`, ``cbss simulator``);
* in tests, with queued replies (:meth:`Simulator.stub`) and the pytest
  fixtures of :mod:`cbss_sdk.testing.pytest_plugin`.

See ``docs/simulator.md``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from .. import catalog
from .._organization import Organization, SsdnUser
from .._redact import mask_national_numbers
from ..errors import ConfigurationError
from ..soap import DEFAULT_XML_LIMITS, XmlLimits
from ..transport import DEFAULT_TIMEOUT, SSDN_CONNECTOR_PATH, Environment, RetryPolicy
from ..wsse import VerificationConfig, VerificationPolicy
from ._certs import make_test_credentials
from ._checks import (
    MSG_INTERNAL_ERROR,
    RegistrationStore,
    SchemaSet,
    check_integration,
    check_person,
    lookup,
    person_effect,
    xsd_directory,
)
from ._engine_soa import (
    SOA_BASE_PATH,
    Exchange,
    HttpCall,
    SimResponse,
    html_response,
    json_response,
    serve_soa,
    soa_routes,
)
from ._engine_ssdn import serve_ssdn
from ._registry import (
    Handler,
    SimContext,
    SimRequest,
    SimulatedBusinessError,
    SimulatedFault,
    SimulatedSsdnError,
    load_default_handlers,
)
from ._replycache import ReplyCache
from ._stubs import Stub, StubError, StubQueue, make_stub

if TYPE_CHECKING:
    from cryptography import x509

    from .._client import AsyncCbssClient, CbssClient
    from .._credentials import Credentials
    from ._asgi import SimulatorApp
    from ._population import Population

__all__ = [
    "IN_PROCESS_BASE_URL",
    "SIMULATOR_CBE",
    "SIMULATOR_CERTIFICATE_SUBJECT",
    "SIMULATOR_SSDN_USER",
    "PersonaUnavailable",
    "RequestRecord",
    "Simulator",
]

logger = logging.getLogger("cbss_sdk.testing")

#: Where the in-process simulator lives (no DNS lookup ever happens: the transport answers).
IN_PROCESS_BASE_URL = "http://cbss-simulator.test/SOA4520/"
#: The CBE number of the organisation of ``sim.client()`` (a valid, fictitious CPAS number).
SIMULATOR_CBE = "0212344876"
#: The SSDN user of ``sim.client()``.
SIMULATOR_SSDN_USER = SsdnUser(user_id="00901234567", email="cbss-sdk-tests@example.invalid")
#: Subject of the simulator's reply-signing certificate.
SIMULATOR_CERTIFICATE_SUBJECT = "CN=CBSS simulator,O=cbss-sdk simulator,C=BE"


class PersonaUnavailable(Exception):
    """Raised by the engine for the ``unavailable`` persona: the answer is an HTML 503 page."""


@attrs.frozen
class RequestRecord:
    """One call the simulator served, for assertions in tests.

    ``outcome`` is the status value of a SOA reply (``DATA_FOUND``,
    ``NO_DATA_FOUND``, ``NO_RESULT``), ``ok``/``warning``/``ssdn_error`` for
    SSDN, ``fault`` or ``unavailable``; ``code`` the status, reason or fault
    code.  ``subject`` (the SSIN) is kept for assertions but masked in ``repr``.
    """

    service: str | None
    operation: str | None
    subject: str | None = attrs.field(repr=lambda value: mask_national_numbers(str(value)))
    outcome: str
    code: str | None = None


def _default_population(seed: int) -> Population:
    from ._population import default_population

    return default_population(seed)


def _handler_key(key: tuple[str, str]) -> tuple[str, str]:
    service_key, operation = key
    try:
        spec = catalog.service(service_key)
        return spec.key, spec.operation(operation).name
    except KeyError as exc:
        raise ConfigurationError(f"handlers: {exc.args[0]}") from None


class Simulator:
    """A CBSS peer for tests and demos; see the module docstring and ``docs/simulator.md``.

    Args:
        population: the people the simulator knows (default: the synthetic
            population of *seed*).
        seed: seed of the default population.
        sign_replies: sign SOA replies with :attr:`certificate`.
        verify_requests: require a valid WS-Security signature on SOA requests
            (and check the signature of signed SSDN requests).
        extra_legal_contexts: more legal contexts to accept, by service key
            (``"RetrieveTIGroups"``) or ``"Service.operation"``.
        slow_delay: seconds the ``slow`` persona's replies are held back.
        clock: the simulator's clock (aware datetimes); default: now, UTC.
            It dates replies and integrations; WS-Security timestamps are
            always checked and written against the real time.
        handlers: handlers by ``(service key, operation)``, added to (and
            overriding) the registered ones.
        credentials: the reply-signing key and certificate (default: a
            self-signed ``CN=CBSS simulator`` test certificate).
        request_verification: how request signatures are checked (default:
            required, any certificate trusted, real time).
        validate_requests: validate requests against the schemas in ``xsd/``
            (``None``: when the schemas are found; ``True``: they must be).
        xml_limits: size and depth caps on requests.
        raise_handler_errors: let an exception of a handler propagate instead
            of answering a SOAP fault ``MSG00003`` (handy when writing handlers).
    """

    def __init__(
        self,
        *,
        population: Population | None = None,
        seed: int = 0,
        sign_replies: bool = True,
        verify_requests: bool = True,
        extra_legal_contexts: Mapping[str, Collection[str]] | None = None,
        slow_delay: float = 5.0,
        clock: Callable[[], datetime] | None = None,
        handlers: Mapping[tuple[str, str], Handler] | None = None,
        credentials: Credentials | None = None,
        request_verification: VerificationConfig | None = None,
        validate_requests: bool | None = None,
        xml_limits: XmlLimits = DEFAULT_XML_LIMITS,
        raise_handler_errors: bool = False,
    ) -> None:
        for name, flag in (
            ("sign_replies", sign_replies),
            ("verify_requests", verify_requests),
            ("raise_handler_errors", raise_handler_errors),
        ):
            if not isinstance(flag, bool):
                raise ConfigurationError(f"{name} must be True or False")
        if (
            isinstance(slow_delay, bool)
            or not isinstance(slow_delay, (int, float))
            or slow_delay < 0
        ):
            raise ConfigurationError("slow_delay must be a number of seconds >= 0")
        if clock is not None and not callable(clock):
            raise ConfigurationError("clock must be a callable returning an aware datetime")
        if request_verification is not None and not isinstance(
            request_verification, VerificationConfig
        ):
            raise ConfigurationError("request_verification must be a VerificationConfig")
        if not isinstance(xml_limits, XmlLimits):
            raise ConfigurationError("xml_limits must be an XmlLimits")
        self.seed = seed
        self.sign_replies = sign_replies
        self.verify_requests = verify_requests
        self.raise_handler_errors = raise_handler_errors
        self.slow_delay = float(slow_delay)
        self.xml_limits = xml_limits
        self.extra_legal_contexts: Mapping[str, Collection[str]] = dict(extra_legal_contexts or {})
        self._clock = clock
        self.population: Population = (
            population if population is not None else _default_population(seed)
        )
        self.credentials: Credentials = credentials or make_test_credentials(
            SIMULATOR_CERTIFICATE_SUBJECT, self_signed=True, key_label="cbss-simulator"
        )
        self.request_verification = request_verification or VerificationConfig(
            policy=VerificationPolicy.REQUIRED, trust_any_certificate=True
        )
        self.schemas = self._schemas(validate_requests)
        registered = dict(load_default_handlers())
        for key, function in (handlers or {}).items():
            if not callable(function):
                raise ConfigurationError(f"handlers: the handler of {key!r} is not callable")
            registered[_handler_key(key)] = function
        self._handlers: Mapping[tuple[str, str], Handler] = registered
        self._soa_routes = soa_routes()
        self.registrations = RegistrationStore()
        self._stubs = StubQueue()
        self._reply_cache = ReplyCache()
        self._records: list[RequestRecord] = []
        self._handler_errors: list[BaseException] = []
        self._lock = threading.Lock()

    @staticmethod
    def _schemas(validate: bool | None) -> SchemaSet | None:
        if validate is False:
            return None
        root = xsd_directory()
        if root is None:
            if validate:
                raise ConfigurationError(
                    "validate_requests=True but the schemas are not found; "
                    "set CBSS_SDK_XSD_DIR to the project's xsd/ directory"
                )
            logger.warning("CBSS simulator: schemas not found, requests are not schema-validated")
            return None
        return SchemaSet.shared(root)

    # -- what the simulator is ----------------------------------------------------------------

    @property
    def certificate(self) -> x509.Certificate:
        """The certificate the simulator signs its SOA replies with (pin it in clients)."""
        return self.credentials.certificate

    @property
    def base_url(self) -> str:
        """The SOA base URL of the in-process simulator."""
        return IN_PROCESS_BASE_URL

    @property
    def ssdn_url(self) -> str:
        """The SSDN connector URL of the in-process simulator."""
        return IN_PROCESS_BASE_URL.split(SOA_BASE_PATH, 1)[0] + SSDN_CONNECTOR_PATH

    @property
    def handlers(self) -> Mapping[tuple[str, str], Handler]:
        """The handlers this simulator calls, by (service key, operation name)."""
        return self._handlers

    def now(self) -> datetime:
        """The simulator clock, aware, in UTC."""
        if self._clock is None:
            return datetime.now(timezone.utc)
        moment = self._clock()
        if not isinstance(moment, datetime) or moment.tzinfo is None:
            raise ConfigurationError("the simulator clock must return aware datetimes")
        return moment.astimezone(timezone.utc)

    def __repr__(self) -> str:
        return (
            f"Simulator(sign_replies={self.sign_replies}, verify_requests={self.verify_requests}, "
            f"handlers={len(self._handlers)}, pending_stubs={len(self.pending())})"
        )

    # -- stubs and state ----------------------------------------------------------------------

    def stub(
        self,
        service_key: str,
        operation: str,
        *,
        ssin: str | None = None,
        reply: object | None = None,
        error: StubError | None = None,
        times: int = 1,
    ) -> Stub:
        """Queue a *reply* (or an *error*) for the next ``times`` calls of ``service_key.operation``.

        With *ssin*, only calls about that person match.  A SOA reply is the
        response model (the CommonV3 header is filled by the simulator); an
        SSDN reply is an :class:`~cbss_sdk.testing.SsdnAnswer` or the reply
        payload model.  Stubs answer after the signature, schema and legal
        context checks, instead of the persona and integration checks and the
        handler.
        """
        return self._stubs.add(
            make_stub(service_key, operation, ssin=ssin, reply=reply, error=error, times=times)
        )

    def pending(self) -> list[Stub]:
        """Stubs not used up yet."""
        return self._stubs.pending()

    def assert_no_pending(self) -> None:
        """Raise ``AssertionError`` listing every stub not used up."""
        self._stubs.assert_no_pending()

    @property
    def requests(self) -> tuple[RequestRecord, ...]:
        """The calls served so far, oldest first."""
        with self._lock:
            return tuple(self._records)

    @property
    def handler_errors(self) -> tuple[BaseException, ...]:
        """Exceptions raised by handlers (each answered with a SOAP fault ``MSG00003``)."""
        with self._lock:
            return tuple(self._handler_errors)

    def reset(self) -> None:
        """Forget stubs, registrations, the request log and handler errors."""
        self._stubs.clear()
        self.registrations.clear()
        self._reply_cache.clear()
        with self._lock:
            self._records.clear()
            self._handler_errors.clear()

    def _record(
        self,
        service: str | None,
        operation: str | None,
        subject: str | None,
        outcome: str,
        code: str | None,
    ) -> None:
        with self._lock:
            self._records.append(RequestRecord(service, operation, subject, outcome, code))

    # -- serving ------------------------------------------------------------------------------

    def process(self, call: HttpCall) -> SimResponse:
        """Answer one HTTP request (the heart of every front end)."""
        exchange = Exchange(received=self.now())
        path = call.path.split("?", 1)[0] or "/"
        method = call.method.upper()
        try:
            if len(call.body) > self.xml_limits.max_bytes:
                response = html_response(
                    413, "413 Request Entity Too Large", "The request is too large."
                )
            elif path == SSDN_CONNECTOR_PATH or path in self._soa_routes:
                if method != "POST":
                    response = attrs.evolve(
                        html_response(405, "405 Method Not Allowed", "Only POST is served here."),
                        extra_headers=(("allow", "POST"),),
                    )
                elif path == SSDN_CONNECTOR_PATH:
                    response = serve_ssdn(self, call, exchange)
                else:
                    response = serve_soa(self, call, exchange)
            elif method in ("GET", "HEAD") and path in (
                "/",
                SOA_BASE_PATH,
                SOA_BASE_PATH.rstrip("/"),
            ):
                response = json_response(self.status())
            else:
                response = html_response(
                    404, "404 Not Found", "No service is published at this address."
                )
        except PersonaUnavailable:
            response = html_response(
                503, "503 Service Unavailable", "The service is temporarily unavailable."
            )
        if response.delay != exchange.delay:
            response = attrs.evolve(response, delay=exchange.delay)
        return response

    def _execute(
        self,
        ctx: SimContext,
        request: SimRequest,
        exchange: Exchange,
        cached: Callable[[Handler], object | None] | None = None,
    ) -> object:
        """Stubs, persona behaviour, integration and the handler, for one operation call.

        *cached* (the SOA engine's reply cache) may answer instead of the
        handler, once every check has passed; what it returns is returned.
        """
        service, op, subject = request.service, request.operation, request.subject
        stub = self._stubs.take(service.key, op.name, subject)
        if stub is not None:
            if stub.error is not None:
                raise stub.error.with_traceback(None)
            return stub.reply
        person = lookup(self.population, subject)
        effect = person_effect(person)
        if effect.unavailable:
            self._record(service.key, op.name, subject, "unavailable", "503")
            raise PersonaUnavailable
        if effect.internal_error:
            raise SimulatedFault(MSG_INTERNAL_ERROR, "An unexpected internal error occurred.")
        if effect.slow:
            exchange.delay = max(exchange.delay, self.slow_delay)
        if subject is not None:
            check_person(subject, person)
            assert person is not None  # check_person refuses unknown persons
            check_integration(
                service, request.organization, subject, person, self.registrations, ctx.now
            )
        function = self._handlers.get((service.key, op.name))
        if function is None:
            raise SimulatedFault(
                MSG_INTERNAL_ERROR, f"The simulator has no handler for {service.key}.{op.name}."
            )
        if cached is not None:
            found = cached(function)
            if found is not None:
                return found
        try:
            return function(ctx, request)
        except (
            SimulatedBusinessError,
            SimulatedFault,
            SimulatedSsdnError,
            PersonaUnavailable,
        ):
            raise
        except Exception as exc:
            with self._lock:
                self._handler_errors.append(exc)
            if self.raise_handler_errors:
                raise
            logger.error(
                "CBSS simulator: the %s.%s handler failed: %s: %s",
                service.key,
                op.name,
                type(exc).__name__,
                mask_national_numbers(str(exc))[:200],
            )
            raise SimulatedFault(
                MSG_INTERNAL_ERROR, f"The simulated service failed ({type(exc).__name__})."
            ) from None

    # -- in process ---------------------------------------------------------------------------

    @staticmethod
    def _call(request: httpx.Request) -> HttpCall:
        timeout = request.extensions.get("timeout")
        read = timeout.get("read") if isinstance(timeout, dict) else None
        return HttpCall(
            method=request.method,
            path=request.url.path,
            headers=request.headers,  # case-insensitive, lower-case names when iterated
            body=request.content,
            read_timeout=float(read) if isinstance(read, (int, float)) else None,
        )

    @staticmethod
    def _too_slow(response: SimResponse, call: HttpCall, request: httpx.Request) -> None:
        if call.read_timeout is not None and call.read_timeout < response.delay:
            raise httpx.ReadTimeout(
                f"the simulated reply takes {response.delay:g} s, "
                f"longer than the read timeout ({call.read_timeout:g} s)",
                request=request,
            )

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer an httpx request (the handler of :meth:`transport` for sync clients)."""
        request.read()
        call = self._call(request)
        response = self.process(call)
        if response.delay > 0:
            self._too_slow(response, call, request)
            time.sleep(response.delay)
        return response.to_httpx(request)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        """Answer an httpx request from an async client."""
        await request.aread()
        call = self._call(request)
        response = self.process(call)
        if response.delay > 0:
            self._too_slow(response, call, request)
            await asyncio.sleep(response.delay)
        return response.to_httpx(request)

    def transport(self) -> httpx.MockTransport:
        """An httpx transport answering from this simulator (for ``httpx.Client`` and ``AsyncClient``)."""
        return _SimulatorTransport(self)

    def client_options(self) -> dict[str, Any]:
        """The keyword arguments :meth:`client` gives ``CbssClient`` (besides ``http_client``)."""
        return {
            "environment": Environment(
                name="simulator", soa_base_url=self.base_url, ssdn_url=self.ssdn_url
            ),
            "credentials": make_test_credentials(),
            "organization": Organization(cbe_number=SIMULATOR_CBE, name="CPAS Testville"),
            "ssdn_user": SIMULATOR_SSDN_USER,
            "verification": VerificationConfig(
                policy=VerificationPolicy.REQUIRED
                if self.sign_replies
                else VerificationPolicy.IF_PRESENT,
                pinned_certificate=self.certificate,
            ),
            "retry": RetryPolicy.none(),
        }

    def client(self, **overrides: Any) -> CbssClient:
        """A :class:`~cbss_sdk.CbssClient` bound to this simulator in process.

        Test credentials, organisation CBE :data:`SIMULATOR_CBE`, the SSDN user
        :data:`SIMULATOR_SSDN_USER`, replies verified against
        :attr:`certificate` (required when replies are signed), no retries.
        Any ``CbssClient`` argument given here replaces the default, except the
        addresses (``environment``, ``base_url``, ``ssdn_url``): this client
        never leaves the process (see :class:`~cbss_sdk.testing.SimulatorServer`).
        """
        from .._client import CbssClient

        _check_in_process(overrides)
        http = overrides.pop("http_client", None)
        owned = http is None
        if http is None:
            http = httpx.Client(transport=self.transport(), timeout=DEFAULT_TIMEOUT)
        try:
            client = CbssClient(**{**self.client_options(), **overrides, "http_client": http})
        except BaseException:
            if owned:
                http.close()
            raise
        client._owns_http = owned  # the SDK client closes the httpx client made here
        return client

    def async_client(self, **overrides: Any) -> AsyncCbssClient:
        """The :class:`~cbss_sdk.AsyncCbssClient` twin of :meth:`client`."""
        from .._client import AsyncCbssClient

        _check_in_process(overrides)
        http = overrides.pop("http_client", None)
        owned = http is None
        if http is None:
            http = httpx.AsyncClient(transport=self.transport(), timeout=DEFAULT_TIMEOUT)
        client = AsyncCbssClient(**{**self.client_options(), **overrides, "http_client": http})
        client._owns_http = owned
        return client

    # -- over HTTP ----------------------------------------------------------------------------

    @functools.cached_property
    def asgi_app(self) -> SimulatorApp:
        """An ASGI 3 application serving this simulator (see :func:`cbss_sdk.testing.run_server`)."""
        from ._asgi import SimulatorApp

        return SimulatorApp(self)

    def status(self) -> dict[str, Any]:
        """What ``GET /`` shows: the services served and the personas."""
        services = []
        for spec in catalog.SERVICES:
            operations = [
                op.name for op in spec.operations if (spec.key, op.name) in self._handlers
            ]
            if not operations:
                continue
            entry: dict[str, Any] = {
                "service": spec.key,
                "protocol": spec.protocol,
                "version": spec.version,
                "operations": operations,
            }
            if spec.protocol == "soa":
                entry["paths"] = [SOA_BASE_PATH + spec.operation(name).path for name in operations]
            else:
                entry["service_id"] = spec.ssdn_service_id
                entry["path"] = SSDN_CONNECTOR_PATH
            services.append(entry)
        from cryptography.hazmat.primitives import serialization

        return {
            "simulator": "cbss-sdk CBSS simulator",
            "soa_base_path": SOA_BASE_PATH,
            "ssdn_path": SSDN_CONNECTOR_PATH,
            "sign_replies": self.sign_replies,
            "verify_requests": self.verify_requests,
            "services": services,
            "personas": _personas(self.population),
            # A test peer's own certificate: what a client pins to verify the replies.
            "certificate_pem": self.certificate.public_bytes(serialization.Encoding.PEM).decode(),
        }


_ADDRESSES = ("environment", "base_url", "ssdn_url")


def _check_in_process(overrides: Mapping[str, Any]) -> None:
    named = [name for name in _ADDRESSES if name in overrides]
    if named:
        raise ConfigurationError(
            f"Simulator.client() answers in process and takes no {', '.join(named)}; "
            "to reach a simulator served over HTTP use SimulatorServer.client(), or build a "
            "CbssClient with that base_url"
        )


def _personas(population: object) -> list[Any]:
    personas = getattr(population, "personas", None)
    if not callable(personas):
        return []
    result: list[Any] = []
    for persona in personas():
        if attrs.has(type(persona)):
            result.append(attrs.asdict(persona, value_serializer=_json_value))
        else:
            result.append(str(persona))
    return result


def _json_value(_instance: object, _field: object, value: object) -> object:
    if isinstance(value, (frozenset, set)):
        return sorted(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class _SimulatorTransport(httpx.MockTransport):
    """An httpx transport answering from a :class:`Simulator`, sync and async."""

    def __init__(self, simulator: Simulator) -> None:
        super().__init__(simulator.handle)
        self._simulator = simulator

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._simulator.handle_async(request)
