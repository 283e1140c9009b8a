"""The audit journal: one record per CBSS call, handed to the application.

A CPAS must be able to tell, for every consultation of a person's data, who
asked, about whom, under which legal context, when, and with which result.
The client builds an :class:`AuditRecord` for each call (success or failure)
and passes it to the ``audit_hook`` the application gave; storing it is the
application's job.  The acting user can be set per block of code with
``client.acting_as(...)``, which relies on :mod:`contextvars` and so follows
asyncio tasks and threads that copy the context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from types import MappingProxyType

import attrs

from .._redact import mask_national_numbers
from ..errors import ConfigurationError

__all__ = ["ActingUsers", "AuditHook", "AuditRecord"]


@attrs.frozen
class AuditRecord:
    """One journal entry for one call.

    ``subject`` (the national number the call is about) is the only field that
    may hold personal data; every other text field is masked.  ``timestamp``
    is the start of the call, in UTC.  ``outcome`` is the outcome label on
    success (``DATA_FOUND``, ``NO_DATA_FOUND``…) and ``"error"`` on failure,
    when ``error`` names the error class and its code (``SsinUnknown
    MSG00005``).  ``user`` is the application user on whose behalf the call
    was made (the client's ``user``, or the one set with ``acting_as``).
    """

    timestamp: datetime
    environment: str
    organization: str
    user: str | None
    service: str
    operation: str
    legal_context: str | None
    subject: str | None = attrs.field(repr=False)
    customer_ticket: str | None
    cbss_ticket: str | None
    outcome: str
    error: str | None
    duration_ms: float

    def __attrs_post_init__(self) -> None:
        for name in (
            "environment",
            "organization",
            "user",
            "service",
            "operation",
            "legal_context",
            "customer_ticket",
            "cbss_ticket",
            "outcome",
            "error",
        ):
            value = getattr(self, name)
            if value:
                object.__setattr__(self, name, mask_national_numbers(value))


#: The signature of an audit hook.
AuditHook = Callable[[AuditRecord], None]

# Acting users of every client, keyed by a per-client token. One module-level
# variable (context variables must not be created per instance: contexts keep
# them alive), holding an immutable mapping replaced on each ``acting_as``.
_ACTING: ContextVar[Mapping[object, str]] = ContextVar(
    "cbss_sdk_acting_users", default=MappingProxyType({})
)


class ActingUsers:
    """The acting-user override of one client, stored in the current context."""

    __slots__ = ("_default", "_key")

    def __init__(self, default: str | None) -> None:
        self._key = object()
        self._default = default

    @property
    def current(self) -> str | None:
        """The user of the innermost ``acting_as`` block, else the client's ``user``."""
        return _ACTING.get().get(self._key, self._default)

    @contextmanager
    def acting_as(self, user: str) -> Iterator[None]:
        """Within the block, calls of this client are journaled with ``user``."""
        if not isinstance(user, str) or not user.strip():
            raise ConfigurationError("acting_as needs a non-empty user name")
        token = _ACTING.set(MappingProxyType({**_ACTING.get(), self._key: user}))
        try:
            yield
        finally:
            _ACTING.reset(token)
