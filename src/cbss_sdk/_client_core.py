"""The sans-IO heart of ``CbssClient`` and ``AsyncCbssClient``.

One call is one generator (:meth:`ClientCore.start`): it builds and signs
the envelope, yields a :class:`Send` for each HTTP sending and a
:class:`Pause` before each retry, then reads, checks and interprets the
reply, logs the call and feeds the audit hook.  The sync and async clients
only *perform* those actions — send a request and read its body, or sleep —
so every rule (signing, retries, verification, error context, logging,
audit) exists once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Generator
from datetime import datetime, timezone
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeVar

import attrs
import httpx
from lxml import etree

from ._organization import Organization, SsdnUser
from ._streambind import STREAM_MIN_BYTES, StreamingInterpreter, StreamInput
from .errors import CbssError, ConfigurationError, SoapFault
from .soap import (
    XmlLimits,
    build_envelope,
    looks_like_soap,
    read_soap_response,
    serialize_envelope,
)
from .transport._audit import ActingUsers, AuditHook, AuditRecord
from .transport._call import CallInfo, Outcome, SoapReply
from .transport._environments import Environment
from .transport._http import BodyReader, soap_headers, transport_error
from .transport._logging import error_summary, log_body, log_call, logger
from .transport._retry import RetryPolicy, is_retryable_error, is_retryable_status
from .wsse import (
    SigningProfile,
    VerificationConfig,
    VerificationPolicy,
    sign_envelope,
    verify_envelope,
)

if TYPE_CHECKING:
    from ._credentials import Credentials

__all__ = [
    "Action",
    "CallRun",
    "ClientCore",
    "Pause",
    "Received",
    "Result",
    "Send",
    "coerce_verification",
]

T = TypeVar("T")


@attrs.frozen
class Send:
    """Action: send ``request`` and hand back a :class:`Received` (or the httpx transport error)."""

    request: httpx.Request


@attrs.frozen
class Pause:
    """Action: wait ``seconds`` before the next sending, then hand back ``None``."""

    seconds: float


@attrs.frozen
class Received:
    """An HTTP answer with its whole body read."""

    status_code: int
    headers: httpx.Headers
    body: bytes = attrs.field(repr=False)


Action = Send | Pause
Result = Received | httpx.TransportError | None
_Flow = Generator[Action, Result, T]


class CallRun(Generic[T]):
    """One call in progress, driven by a client.

    The client iterates over the actions, performs each one and
    :meth:`answer`s it; when the iteration ends, :attr:`value` is the result.
    Used as a context manager, it hands an exception raised while performing
    an action back to the call, which records it (log, journal) and re-raises it::

        with core.start(info, payload, interpret) as run:
            for action in run:
                run.answer(perform(action))
        return run.value
    """

    __slots__ = ("_answer", "_finished", "_flow", "_value")

    def __init__(self, flow: _Flow[T]) -> None:
        self._flow = flow
        self._answer: Result = None
        self._finished = False

    def __iter__(self) -> CallRun[T]:
        return self

    def __next__(self) -> Action:
        if self._finished:
            raise StopIteration
        try:
            action = self._flow.send(self._answer)
        except StopIteration as stop:
            self._finished = True
            self._value: T = stop.value
            raise StopIteration from None
        except BaseException:
            self._finished = True
            raise
        self._answer = None
        return action

    def answer(self, result: Result) -> None:
        """The result of the last action: a :class:`Received`, an httpx transport error, or ``None``."""
        self._answer = result

    @property
    def value(self) -> T:
        """What the call returns (once the iteration is over)."""
        if not self._finished:
            raise RuntimeError("the call is not finished")
        return self._value

    def __enter__(self) -> CallRun[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is not None and not self._finished:
            self._finished = True
            self._flow.throw(exc)  # the call records the failure and re-raises it


@attrs.define
class _Track:
    """What is learnt about a call while it runs, for the log record and the journal."""

    attempts: int = 0
    elapsed: float = 0.0
    label: str = "ok"
    cbss_ticket: str | None = None


def coerce_verification(value: VerificationConfig | VerificationPolicy | str) -> VerificationConfig:
    """The client's ``verification`` argument as a :class:`VerificationConfig`."""
    if isinstance(value, VerificationConfig):
        return value
    if isinstance(value, str):
        try:
            return VerificationConfig(policy=VerificationPolicy(value.lower()))
        except ValueError:
            valid = ", ".join(repr(p.value) for p in VerificationPolicy)
            raise ConfigurationError(
                f"unknown verification policy {value[:40]!r}; valid: {valid}"
            ) from None
    raise ConfigurationError(
        "verification must be a VerificationConfig, a VerificationPolicy or a str"
    )


def _cbss_ticket_of(error: BaseException, customer_ticket: str | None) -> str | None:
    if isinstance(error, SoapFault) and error.detail is not None and error.detail.ticket_cbss:
        return error.detail.ticket_cbss
    if isinstance(error, CbssError):
        return next((t for t in error.tickets if t != customer_ticket), None)
    return None


class ClientCore:
    """Configuration and call logic shared by the two clients; performs no I/O."""

    def __init__(
        self,
        *,
        environment: Environment,
        credentials: Credentials | None,
        organization: Organization | None,
        ssdn_user: SsdnUser | None,
        signing_profile: SigningProfile,
        verification: VerificationConfig,
        request_timeout: httpx.Timeout | None,
        authorization: str | None,
        retry: RetryPolicy,
        audit_hook: AuditHook | None,
        log_bodies: bool,
        xml_limits: XmlLimits,
        user: str | None,
        http: httpx.Client | httpx.AsyncClient,
    ) -> None:
        self.environment = environment
        self.credentials = credentials
        self.organization = organization
        self.ssdn_user = ssdn_user
        self.signing_profile = signing_profile
        self.verification = verification
        self.retry = retry
        self.audit_hook = audit_hook
        self.log_bodies = log_bodies
        self.xml_limits = xml_limits
        self.acting = ActingUsers(user)
        self.http = http
        self.closed = False
        self._request_timeout = request_timeout
        # CBSS is not known to sign SSDN replies: REQUIRED means IF_PRESENT for them
        # (same trust settings). Built once: a config may read a CA bundle when built.
        self._ssdn_verification = (
            attrs.evolve(verification, policy=VerificationPolicy.IF_PRESENT)
            if verification.policy is VerificationPolicy.REQUIRED
            else verification
        )
        self._authorization = authorization
        #: Source of jitter in ``[0, 1)``; replaceable in tests.
        self.random: Callable[[], float] = random.random
        #: Replies this large are read while parsed when nothing is verified on them.
        self.stream_min_bytes = STREAM_MIN_BYTES

    # -- reading the configuration ----------------------------------------------------------

    def endpoint(self, info: CallInfo) -> str:
        """The URL a call is posted to."""
        if info.protocol == "ssdn":
            return self.environment.ssdn_url
        return self.environment.soa_url(info.path)

    def verification_for(self, info: CallInfo) -> VerificationConfig:
        """The verification applied to a reply: SSDN replies need not be signed."""
        return self._ssdn_verification if info.protocol == "ssdn" else self.verification

    def body_reader(self) -> BodyReader:
        """A reader enforcing the XML size cap on a reply body."""
        return BodyReader(self.xml_limits.max_bytes)

    # -- one call ---------------------------------------------------------------------------

    def start(
        self, info: CallInfo, payload: etree._Element, interpret: Callable[[SoapReply], Outcome[T]]
    ) -> CallRun[T]:
        """Begin a call; the client drives the returned :class:`CallRun`."""
        return CallRun(self._observed(info, payload, interpret))

    def _observed(
        self, info: CallInfo, payload: etree._Element, interpret: Callable[[SoapReply], Outcome[T]]
    ) -> _Flow[T]:
        started_at = datetime.now(timezone.utc)
        started = time.perf_counter()
        user = self.acting.current
        track = _Track()
        try:
            value = yield from self._exchange(info, payload, interpret, track)
        except GeneratorExit:
            raise
        except BaseException as error:
            if isinstance(error, CbssError):
                error.with_context(
                    service=info.service,
                    operation=info.operation,
                    environment=self.environment.name,
                    tickets=[t for t in (info.customer_ticket, track.cbss_ticket) if t],
                )
            track.cbss_ticket = track.cbss_ticket or _cbss_ticket_of(error, info.customer_ticket)
            self._report(info, started_at, started, user, track, error)
            raise
        self._report(info, started_at, started, user, track, None)
        return value

    def _exchange(
        self,
        info: CallInfo,
        payload: etree._Element,
        interpret: Callable[[SoapReply], Outcome[T]],
        track: _Track,
    ) -> _Flow[T]:
        if self.closed:
            raise ConfigurationError("the client is closed")
        url = self.endpoint(info)
        body = self._request_body(info, payload)
        if self.log_bodies:
            log_body("request", info.service, info.operation, body)
        result, request = yield from self._send(info, url, body, track)
        if isinstance(result, httpx.TransportError):
            raise transport_error(result, request.url) from result
        if self.log_bodies:
            log_body("reply", info.service, info.operation, result.body)
        outcome = self._interpret_streaming(info, interpret, result, track)
        if outcome is None:
            message = read_soap_response(
                result.status_code,
                result.headers.get("content-type"),
                result.body,
                limits=self.xml_limits,
            )
            config = self.verification_for(info)
            signature = (
                None
                if config.policy is VerificationPolicy.OFF
                else verify_envelope(message.envelope, config)
            )
            reply = SoapReply(
                message=message,
                status_code=result.status_code,
                headers=result.headers,
                signature=signature,
                elapsed=track.elapsed,
                raw=result.body,
            )
            outcome = interpret(reply)
        if not isinstance(outcome, Outcome):
            raise TypeError("an interpret function must return an Outcome")
        track.label = outcome.label
        track.cbss_ticket = outcome.cbss_ticket
        return outcome.value

    def _interpret_streaming(
        self,
        info: CallInfo,
        interpret: Callable[[SoapReply], Outcome[T]],
        result: Received,
        track: _Track,
    ) -> Outcome[T] | None:
        """The outcome of a large SOA reply read while parsed; ``None``: take the tree path.

        Only when nothing is verified on the reply (policy ``OFF``, or
        ``IF_PRESENT`` and the reply turns out unsigned: the interpreter gives
        up on a signed one), on a 2xx answer of at least :attr:`stream_min_bytes`.
        """
        if (
            not isinstance(interpret, StreamingInterpreter)
            or info.protocol != "soa"
            or len(result.body) < self.stream_min_bytes
            or not 200 <= result.status_code < 300
        ):
            return None
        policy = self.verification_for(info).policy
        if policy is VerificationPolicy.REQUIRED:
            return None
        outcome: Outcome[T] | None = interpret.interpret_stream(
            StreamInput(
                status_code=result.status_code,
                headers=result.headers,
                body=result.body,
                elapsed=track.elapsed,
                limits=self.xml_limits,
                check_signature=policy is not VerificationPolicy.OFF,
            )
        )
        return outcome

    def _request_body(self, info: CallInfo, payload: etree._Element) -> bytes:
        envelope = build_envelope(payload)
        if info.signed:
            if self.credentials is None:
                raise ConfigurationError(
                    f"{info.service}.{info.operation} must be signed: "
                    "give the client credentials=Credentials.from_pkcs12(...)"
                )
            sign_envelope(envelope, self.credentials, self.signing_profile)
        return serialize_envelope(envelope)

    def _send(
        self, info: CallInfo, url: str, body: bytes, track: _Track
    ) -> Generator[Action, Result, tuple[Received | httpx.TransportError, httpx.Request]]:
        allowed = self.retry.max_attempts if info.idempotent else 1
        headers = soap_headers(info.soap_action, self._authorization)
        timeout = self._request_timeout or httpx.USE_CLIENT_DEFAULT
        while True:
            track.attempts += 1
            request = self.http.build_request(
                "POST", url, content=body, headers=headers, timeout=timeout
            )
            sent = time.perf_counter()
            result = yield Send(request)
            track.elapsed = time.perf_counter() - sent
            if result is None:  # pragma: no cover - a driver bug
                raise RuntimeError("a Send action was answered with nothing")
            if track.attempts >= allowed or not self._retryable(result):
                return result, request
            delay = self.retry.backoff(track.attempts, rand=self.random)
            logger.debug(
                "CBSS %s.%s: attempt %d of %d failed (%s), retrying in %.2f s",
                info.service,
                info.operation,
                track.attempts,
                allowed,
                _failure_name(result),
                delay,
            )
            yield Pause(delay)

    @staticmethod
    def _retryable(result: Received | httpx.TransportError) -> bool:
        if isinstance(result, httpx.TransportError):
            return is_retryable_error(result)
        carries_soap = looks_like_soap(result.headers.get("content-type"), result.body)
        return is_retryable_status(result.status_code, carries_soap)

    # -- after the call ---------------------------------------------------------------------

    def _report(
        self,
        info: CallInfo,
        started_at: datetime,
        started: float,
        user: str | None,
        track: _Track,
        error: BaseException | None,
    ) -> None:
        duration_ms = (time.perf_counter() - started) * 1000.0
        outcome = "error" if error is not None else track.label
        log_call(
            service=info.service,
            operation=info.operation,
            environment=self.environment.name,
            customer_ticket=info.customer_ticket,
            cbss_ticket=track.cbss_ticket,
            duration_ms=duration_ms,
            attempts=track.attempts,
            outcome=outcome,
            error=error,
        )
        if self.audit_hook is None:
            return
        record = AuditRecord(
            timestamp=started_at,
            environment=self.environment.name,
            organization=self.organization.label if self.organization is not None else "",
            user=user,
            service=info.service,
            operation=info.operation,
            legal_context=info.legal_context,
            subject=info.subject,
            customer_ticket=info.customer_ticket,
            cbss_ticket=track.cbss_ticket,
            outcome=outcome,
            error=error_summary(error) if error is not None else None,
            duration_ms=duration_ms,
        )
        try:
            self.audit_hook(record)
        except Exception as hook_error:
            logger.error(
                "CBSS %s.%s: the audit hook failed (%s); the call is reported as failed",
                info.service,
                info.operation,
                type(hook_error).__name__,
                extra={"cbss": {"service": info.service, "operation": info.operation}},
            )
            if error is None or isinstance(error, Exception):
                raise


def _failure_name(result: Received | httpx.TransportError) -> str:
    if isinstance(result, Received):
        return f"HTTP {result.status_code}"
    return type(result).__name__
