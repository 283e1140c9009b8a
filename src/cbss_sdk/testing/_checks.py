"""What the simulator checks before a handler runs, and the integration state it checks against.

Every simulated service gets the same gatekeeping as at CBSS, in this order:

1. the WS-Security signature of SOA requests (:func:`check_signature`);
2. schema validity of the request against the project's own schemas in
   ``xsd/`` (:class:`SchemaSet`);
3. the legal context of SOA requests (:func:`check_legal_context`);
4. the person the request is about (:func:`find_subject`,
   :func:`person_effect`, :func:`check_person`): invalid, unknown, replaced,
   cancelled SSINs and the error personas of the population;
5. integration: consultations need the person to be integrated for the
   calling organisation, either from the start (``Person.integrated``) or by
   a ManageAccess registration kept in a :class:`RegistrationStore`
   (:func:`check_integration`).

Each failed check raises the refusal the engines turn into the CBSS-shaped
answer (:class:`~cbss_sdk.testing.SimulatedFault` or
:class:`~cbss_sdk.testing.SimulatedBusinessError`).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
from collections.abc import Collection, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Final

import attrs
from lxml import etree

from .. import catalog
from .._redact import mask_national_numbers
from ..errors import ConfigurationError, SignatureError
from ..ids import is_valid_ssin
from ..wsse import VerificationConfig, VerifiedSignature, verify_envelope
from ._registry import PersonLike, PopulationLike, SimulatedBusinessError, SimulatedFault

__all__ = [
    "MSG_CANCELLED",
    "MSG_INTERNAL_ERROR",
    "MSG_INVALID_SSIN",
    "MSG_LEGAL_CONTEXT",
    "MSG_NOT_INTEGRATED",
    "MSG_REPLACED",
    "MSG_SECURITY",
    "MSG_UNKNOWN",
    "MSG_VALIDATION",
    "NO_INTEGRATION_NEEDED",
    "PersonEffect",
    "Registration",
    "RegistrationStore",
    "SchemaProblem",
    "SchemaSet",
    "check_integration",
    "check_legal_context",
    "check_person",
    "check_signature",
    "find_subject",
    "organization_label",
    "person_effect",
    "xsd_directory",
]

logger = logging.getLogger("cbss_sdk.testing")

#: Status and fault codes the simulator answers with (CBSS codes, cbss-facts §1.6).
MSG_INTERNAL_ERROR: Final = "MSG00003"
MSG_UNKNOWN: Final = "MSG00005"
MSG_REPLACED: Final = "MSG00006"
MSG_CANCELLED: Final = "MSG00007"
MSG_VALIDATION: Final = "MSG00008"
MSG_INVALID_SSIN: Final = "MSG00011"
MSG_NOT_INTEGRATED: Final = "MSG00012"
MSG_LEGAL_CONTEXT: Final = "MSG00013"
#: The simulator's own reason code for a refused WS-Security header (no public CBSS code).
MSG_SECURITY: Final = "MSG00016"

#: Services answered without checking integration: they are how integration starts.
NO_INTEGRATION_NEEDED: Final = frozenset({"TestConnection", "IdentifyPerson", "ManageAccess"})


# --------------------------------------------------------------------------- 1. signature


def check_signature(
    envelope: etree._Element, config: VerificationConfig
) -> VerifiedSignature | None:
    """Verify a request's signature per *config*; a refusal is a ``soapenv:Client`` fault ``MSG00016``.

    Returns ``None`` when the policy lets an unsigned request through
    (``IF_PRESENT``) or checks nothing (``OFF``).  The fault's ``information``
    carries ``signature`` = the :class:`~cbss_sdk.errors.SignatureError`
    reason (``missing``, ``invalid``, ``timestamp-expired``…).
    """
    try:
        return verify_envelope(envelope, config)
    except SignatureError as exc:
        raise SimulatedFault(
            MSG_SECURITY,
            f"The WS-Security header was refused: {exc.message}",
            faultcode="soapenv:Client",
            faultstring="The security of the message could not be verified.",
            information=[("signature", exc.reason)],
        ) from None


# --------------------------------------------------------------------------- 2. schemas

_XSD_ENV = "CBSS_SDK_XSD_DIR"


def xsd_directory() -> Path | None:
    """Where the project's schemas are: ``$CBSS_SDK_XSD_DIR``, then the package, then the checkout.

    Returns ``None`` when none of them holds the schemas.
    """
    package = Path(__file__).resolve().parent.parent
    candidates = []
    configured = os.environ.get(_XSD_ENV)
    if configured:
        candidates.append(Path(configured))
    candidates += [package / "xsd", package.parent.parent / "xsd"]
    for candidate in candidates:
        if (candidate / "soa").is_dir() and (candidate / "ssdn").is_dir():
            return candidate
    return None


@attrs.frozen
class SchemaProblem:
    """Why a document is not schema-valid: the element at fault and the validator's message."""

    field_name: str
    message: str


_SHARED: dict[Path, SchemaSet] = {}
_SHARED_LOCK = threading.Lock()
_ELEMENT_IN_MESSAGE = re.compile(r"Element '(?:\{[^}]*\})?([^']+)'")


class SchemaSet:
    """Compiled schemas by file, loaded on first use, shared by the threads of a simulator.

    ``root`` is the ``xsd/`` directory; a path given to :meth:`validate` is
    relative to it, or starts with ``xsd/`` as in the catalog.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._schemas: dict[str, etree.XMLSchema] = {}
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, root: Path) -> SchemaSet:
        """The process-wide set for *root*: simulators share their compiled schemas."""
        with _SHARED_LOCK:
            found = _SHARED.get(root)
            if found is None:
                found = _SHARED[root] = cls(root)
            return found

    def schema(self, path: str) -> etree.XMLSchema:
        relative = path[4:] if path.startswith("xsd/") else path
        with self._lock:
            found = self._schemas.get(relative)
            if found is None:
                file = self.root / relative
                try:
                    found = etree.XMLSchema(etree.parse(str(file)))
                except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
                    raise ConfigurationError(
                        f"the simulator cannot load the schema {relative} ({type(exc).__name__})"
                    ) from exc
                self._schemas[relative] = found
            return found

    def validate(self, element: etree._Element, path: str) -> SchemaProblem | None:
        """``None`` when *element* is valid against the schema file *path*."""
        schema = self.schema(path)
        with self._lock:  # a compiled schema keeps its error log: one validation at a time
            if schema.validate(element):
                return None
            error = schema.error_log.last_error
        message = " ".join(str(error.message).split()) if error is not None else "invalid"
        found = _ELEMENT_IN_MESSAGE.search(message)
        if found is not None:
            field_name = found.group(1)
        elif error is not None and error.path:
            field_name = error.path.rsplit("/", 1)[-1].split(":")[-1].split("[")[0]
        else:
            field_name = etree.QName(element).localname
        return SchemaProblem(field_name=field_name, message=mask_national_numbers(message)[:256])


# --------------------------------------------------------------------------- 3. legal context


def check_legal_context(
    service: catalog.ServiceSpec,
    op: catalog.OperationSpec,
    legal_context: str | None,
    extra: Mapping[str, Collection[str]],
) -> None:
    """SOA: the legal context must be the operation's default or one allowed by ``extra``.

    ``extra`` is keyed by service key (``"RetrieveTIGroups"``) or by
    ``"Service.operation"``.  Operations without a default legal context
    (TestConnection) are not checked.
    """
    if op.default_legal_context is None:
        return
    allowed = {op.default_legal_context}
    allowed.update(extra.get(service.key, ()))
    allowed.update(extra.get(f"{service.key}.{op.name}", ()))
    if legal_context not in allowed:
        raise SimulatedBusinessError(
            MSG_LEGAL_CONTEXT,
            "The legal context is not valid for this service, operation or client.",
            [("legalContext", legal_context)],
        )


# --------------------------------------------------------------------------- 4. the person

_SUBJECT_NAMES = frozenset(
    {"ssin", "SSIN", "SocialSecurityUser", "TargetSSIN", "RequestedSsin", "INSS"}
)


def find_subject(payload: etree._Element) -> str | None:
    """The SSIN a request is about: the first ``ssin``/``SSIN``/``SocialSecurityUser`` element
    (or ``TargetSSIN``, ``RequestedSsin``, ``INSS`` of the pension, reference-manager and L036
    payloads).

    That is ``searchInformation/ssin`` or ``criteria/ssin`` of SOA requests,
    ``SSIN``, ``SearchCriteria/SSIN`` or ``SocialSecurityUser`` of SSDN payloads.
    """
    for element in payload.iter(etree.Element):
        tag = element.tag
        if isinstance(tag, str) and tag.rpartition("}")[2] in _SUBJECT_NAMES:
            text = (element.text or "").strip()
            if text:
                return text
    return None


@attrs.frozen
class PersonEffect:
    """The transport-level behaviour of an error persona: no answer, a crash, or a delay."""

    unavailable: bool = False
    internal_error: bool = False
    slow: bool = False


NO_EFFECT: Final = PersonEffect()


def person_effect(person: PersonLike | None) -> PersonEffect:
    """The personas ``unavailable`` (HTML 503), ``internal_error`` (SOAP fault) and ``slow``."""
    if person is None:
        return NO_EFFECT
    tags = person.tags
    return PersonEffect(
        unavailable="unavailable" in tags,
        internal_error="internal_error" in tags,
        slow="slow" in tags,
    )


@functools.lru_cache(maxsize=4096)
def _valid_ssin(subject: str, year: int) -> bool:
    """:func:`~cbss_sdk.ids.is_valid_ssin`, remembered: each call repeats the same few subjects.

    Keyed by the current *year* too: whether a number can belong to this century depends on it.
    """
    return is_valid_ssin(subject)


def check_person(subject: str, person: PersonLike | None) -> None:
    """Refuse an invalid (MSG00011), unknown (MSG00005), replaced (MSG00006) or cancelled
    (MSG00007) SSIN, and the ``legal_context_refused`` persona (MSG00013)."""
    if not _valid_ssin(subject, date.today().year):
        raise SimulatedBusinessError(
            MSG_INVALID_SSIN, "The SSIN has an invalid structure.", [("ssin", subject)]
        )
    if person is None:
        raise SimulatedBusinessError(MSG_UNKNOWN, "The SSIN is unknown.", [("ssin", subject)])
    tags = person.tags
    if "replaced" in tags or person.replaced_by is not None:
        raise SimulatedBusinessError(
            MSG_REPLACED,
            "The SSIN has been replaced.",
            # replacedBy only: SsinReplaced.replacement reads the first SSIN-like field.
            [("replacedBy", person.replaced_by)],
        )
    if "cancelled" in tags:
        raise SimulatedBusinessError(
            MSG_CANCELLED, "The SSIN has been cancelled.", [("ssin", subject)]
        )
    if "legal_context_refused" in tags:
        raise SimulatedBusinessError(
            MSG_LEGAL_CONTEXT,
            "The legal context is not valid for this service, operation or client.",
        )


def check_integration(
    service: catalog.ServiceSpec,
    organization: str,
    subject: str,
    person: PersonLike,
    registrations: RegistrationStore,
    on: date,
) -> None:
    """Consultations need the person integrated for the organisation (MSG00012 otherwise)."""
    if service.key in NO_INTEGRATION_NEEDED:
        return
    integrated = person.integrated and "not_integrated" not in person.tags
    if integrated or registrations.is_integrated(organization, subject, on):
        return
    raise SimulatedBusinessError(
        MSG_NOT_INTEGRATED,
        "The given SSIN is not integrated correctly.",
        [("ssin", subject), ("Register", "Secondary matrix")],
    )


def lookup(population: PopulationLike, subject: str | None) -> PersonLike | None:
    """The person of *subject* in *population* (``None`` when absent or no subject)."""
    if subject is None:
        return None
    return population.get(subject)


def organization_label(
    *, cbe_number: str | None, sector: str | int | None, institution: str | int | None
) -> str:
    """The caller label shared by both protocols (``cbe:…`` or ``sector:…/institution:…``)."""
    if cbe_number:
        digits = cbe_number.strip()
        if len(digits) == 9:  # CommonV3 accepts the old 9-digit form
            digits = "0" + digits
        return f"cbe:{digits}"
    if sector is not None and institution is not None:
        return f"sector:{int(sector)}/institution:{int(institution)}"
    return "unknown"


# --------------------------------------------------------------------------- 5. integration state


def _digits(ssin: str) -> str:
    return "".join(ch for ch in ssin if ch.isdigit())


@attrs.frozen
class Registration:
    """One ManageAccess registration (integration) of a person for an organisation."""

    organization: str
    ssin: str = attrs.field(repr=lambda value: mask_national_numbers(value))
    purpose: int
    start: date
    end: date | None = None
    register: str = "PRIMARY"
    org_unit: str | None = None

    def active_on(self, day: date) -> bool:
        """Whether the registration covers *day*."""
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, start: date | None, end: date | None) -> bool:
        """Whether the registration's period meets ``[start, end]`` (open bounds allowed)."""
        if end is not None and self.start > end:
            return False
        return not (start is not None and self.end is not None and self.end < start)


class RegistrationStore:
    """The ManageAccess state of a simulator: who is integrated for which organisation.

    Thread-safe.  SSINs are kept as digits; organisations as the caller label
    (``"cbe:0212344876"``).  A registration with the same organisation, SSIN,
    purpose and start date as an existing one replaces it.
    """

    def __init__(self) -> None:
        self._items: list[Registration] = []
        self._lock = threading.Lock()

    def register(
        self,
        organization: str,
        ssin: str,
        purpose: int,
        start: date,
        end: date | None = None,
        *,
        register: str = "PRIMARY",
        org_unit: str | None = None,
    ) -> Registration:
        """Record a registration and return it."""
        if end is not None and end < start:
            raise ConfigurationError("a registration cannot end before it starts")
        item = Registration(
            organization=organization,
            ssin=_digits(ssin),
            purpose=int(purpose),
            start=start,
            end=end,
            register=register,
            org_unit=org_unit,
        )
        with self._lock:
            self._items = [r for r in self._items if not _same(r, item)]
            self._items.append(item)
        return item

    def unregister(
        self, organization: str, ssin: str, purpose: int, start: date | None = None
    ) -> tuple[Registration, ...]:
        """Withdraw the matching registrations (all start dates unless *start* is given)."""
        digits = _digits(ssin)
        with self._lock:
            removed = tuple(
                r
                for r in self._items
                if r.organization == organization
                and r.ssin == digits
                and r.purpose == int(purpose)
                and (start is None or r.start == start)
            )
            self._items = [r for r in self._items if r not in removed]
        return removed

    def list(
        self,
        ssin: str,
        *,
        organization: str | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> tuple[Registration, ...]:
        """Registrations of *ssin* (of one organisation, meeting a period, when given)."""
        digits = _digits(ssin)
        with self._lock:
            return tuple(
                r
                for r in self._items
                if r.ssin == digits
                and (organization is None or r.organization == organization)
                and r.overlaps(start, end)
            )

    def is_integrated(self, organization: str, ssin: str, on: date | datetime) -> bool:
        """Whether *ssin* has a registration of *organization* active on the day *on*."""
        day = on.date() if isinstance(on, datetime) else on
        digits = _digits(ssin)
        with self._lock:
            return any(
                r.organization == organization and r.ssin == digits and r.active_on(day)
                for r in self._items
            )

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __iter__(self) -> Iterator[Registration]:
        with self._lock:
            return iter(tuple(self._items))

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __repr__(self) -> str:
        return f"RegistrationStore({len(self)} registrations)"


def _same(a: Registration, b: Registration) -> bool:
    return (a.organization, a.ssin, a.purpose, a.start) == (
        b.organization,
        b.ssin,
        b.purpose,
        b.start,
    )
