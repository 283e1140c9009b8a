"""Queued replies: make the simulator answer one call the way a test needs.

A test queues a reply or an error for an operation (optionally for one SSIN
only); the next matching request gets it instead of the simulated data, once
or ``times`` times, in the order stubs were queued.  Stubs left unused at the
end of a test usually mean the code under test did not make the call the test
expected, so :meth:`StubQueue.assert_no_pending` fails loudly (the pytest
fixture calls it after every test) — the botocore ``Stubber`` idea.
"""

from __future__ import annotations

import dataclasses
import threading

import attrs

from .. import catalog
from .._redact import mask_ssin
from ..errors import ConfigurationError
from ._registry import (
    SimulatedBusinessError,
    SimulatedFault,
    SimulatedSsdnError,
    SsdnAnswer,
    model_class,
)

__all__ = ["Stub", "StubError", "StubQueue", "make_stub"]

#: What a stub may answer with instead of a reply.
StubError = SimulatedBusinessError | SimulatedFault | SimulatedSsdnError


@attrs.define(eq=False)
class Stub:
    """One queued answer: for ``service.operation`` (and ``ssin`` when given), ``remaining`` more times."""

    service: str
    operation: str
    ssin: str | None = attrs.field(repr=lambda value: mask_ssin(value) if value else "None")
    reply: object | None = attrs.field(repr=False)
    error: StubError | None
    times: int
    remaining: int

    def matches(self, service: str, operation: str, subject: str | None) -> bool:
        if self.remaining <= 0 or (self.service, self.operation) != (service, operation):
            return False
        return self.ssin is None or (subject is not None and _digits(subject) == self.ssin)

    def describe(self) -> str:
        """A one-line description without personal data (the SSIN is masked)."""
        who = f" for SSIN {mask_ssin(self.ssin)}" if self.ssin else ""
        what = f"error {type(self.error).__name__}" if self.error is not None else "reply"
        return (
            f"{self.service}.{self.operation}{who}: {what}, "
            f"{self.remaining} of {self.times} left unused"
        )


def _digits(ssin: str) -> str:
    return "".join(ch for ch in ssin if ch.isdigit())


def make_stub(
    service_key: str,
    operation: str,
    *,
    ssin: str | None = None,
    reply: object | None = None,
    error: StubError | None = None,
    times: int = 1,
) -> Stub:
    """Check the arguments of :meth:`Simulator.stub` and build the :class:`Stub`."""
    try:
        spec = catalog.service(service_key)
        op = spec.operation(operation)
    except KeyError as exc:
        raise ConfigurationError(f"cannot stub: {exc.args[0]}") from None
    if (reply is None) == (error is None):
        raise ConfigurationError("a stub needs exactly one of reply= or error=")
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ConfigurationError("times must be a positive integer")
    number = None
    if ssin is not None:
        number = _digits(ssin)
        if len(number) != 11:
            raise ConfigurationError("ssin must be a national number of 11 digits")
    if error is not None:
        _check_error(spec, error)
    else:
        reply = _check_reply(spec, op, reply)
    return Stub(
        service=spec.key,
        operation=op.name,
        ssin=number,
        reply=reply,
        error=error,
        times=times,
        remaining=times,
    )


def _check_error(spec: catalog.ServiceSpec, error: object) -> None:
    if not isinstance(error, (SimulatedBusinessError, SimulatedFault, SimulatedSsdnError)):
        raise ConfigurationError(
            "error must be a SimulatedBusinessError, SimulatedFault or SimulatedSsdnError"
        )
    if isinstance(error, SimulatedSsdnError) and spec.protocol != "ssdn":
        raise ConfigurationError(f"{spec.key} is a SOA service: SimulatedSsdnError does not apply")


def _check_reply(spec: catalog.ServiceSpec, op: catalog.OperationSpec, reply: object) -> object:
    if spec.protocol == "ssdn":
        if isinstance(reply, SsdnAnswer):
            return reply
        if dataclasses.is_dataclass(reply) and not isinstance(reply, type):
            return SsdnAnswer(payload=reply)
        raise ConfigurationError(
            f"a {spec.key} stub reply is an SsdnAnswer or the service's reply model instance"
        )
    expected = model_class(spec, op.response_element) if op.response_element else None
    if expected is not None and not isinstance(reply, expected):
        raise ConfigurationError(
            f"a {spec.key}.{op.name} stub reply must be a {expected.__name__}, "
            f"not {type(reply).__name__}"
        )
    if not dataclasses.is_dataclass(reply) or isinstance(reply, type):
        raise ConfigurationError(f"a {spec.key} stub reply must be a generated response model")
    return reply


class StubQueue:
    """The stubs of one simulator, first queued first used. Thread-safe."""

    def __init__(self) -> None:
        self._stubs: list[Stub] = []
        self._lock = threading.Lock()

    def add(self, stub: Stub) -> Stub:
        with self._lock:
            self._stubs.append(stub)
        return stub

    def take(self, service: str, operation: str, subject: str | None) -> Stub | None:
        """Use the first stub matching this call (``None`` when none does)."""
        with self._lock:
            for stub in self._stubs:
                if stub.matches(service, operation, subject):
                    stub.remaining -= 1
                    return stub
        return None

    def pending(self) -> list[Stub]:
        """Stubs with uses left, in queue order."""
        with self._lock:
            return [s for s in self._stubs if s.remaining > 0]

    def assert_no_pending(self) -> None:
        """Raise ``AssertionError`` listing every stub with uses left."""
        left = self.pending()
        if left:
            lines = "\n".join(f"  - {stub.describe()}" for stub in left)
            raise AssertionError(f"{len(left)} CBSS simulator stub(s) were not used:\n{lines}")

    def clear(self) -> None:
        with self._lock:
            self._stubs.clear()
