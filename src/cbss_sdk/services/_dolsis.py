"""Dolsis ``findEmployersByWorker``: who employs a person, according to the NSSO declarations.

Dolsis is the NSSO/CBSS consultation of employment data (Dimona and DmfA).
For a CPAS it answers "does this person work, and for whom": the current
employments, the employments active in a period, or the declarations
(entries, exits, changes, cancellations) made in a period.  Unlike the
other new-generation services, Dolsis carries the legal context inside a
``securityContext`` (service ``WELFARE``, role ``Agent``).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.dolsis_v1.be.fgov.kszbcss.intf.dolsis_service.v1 import (
    FindEmployersByWorkerRequest,
    FindEmployersByWorkerResponse,
)
from ..models.dolsis_v1.be.fgov.kszbcss.types.common.v3 import PeriodType
from ..models.dolsis_v1.be.fgov.kszbcss.types.dolsis.v1 import (
    EmploymentType,
    FindEmployersByWorkerCriteriaType,
    ScopeType,
    SecurityContextType,
)
from ..soa import SoaReply, check_legal_context, prepare_soa_call
from ._args import check_period, coerce_enum, ssin_argument, xml_date
from ._facade import C, Facade, operation
from ._social_common import SoaResult

__all__ = ["Dolsis", "DolsisScope", "EmployersResult"]

_SERVICE = catalog.service("Dolsis")
_FIND = _SERVICE.operation("findEmployersByWorker")

#: ``securityContext/service`` and ``role`` a CPAS sends (PHP client evidence, cbss-facts §3.1).
SECURITY_SERVICE = "WELFARE"
SECURITY_ROLE = "Agent"

#: Nothing found in the National Register nor at CBSS: an outcome, not an error.
NO_MATCH = "DOLS0000"
#: Partial results: one of the two sources had too many results and sent nothing.
PARTIAL_CODES = frozenset({"DOLS0004", "DOLS0005"})


class DolsisScope(str, Enum):
    """What ``find_employers_by_worker`` looks at."""

    ACTIVE = "active"
    """The employments running today."""
    ACTIVE_IN_PERIOD = "activeInPeriod"
    """The employments running at some time in the period."""
    MUTATIONS = "mutations"
    """The declarations (in, out, modification, cancel) made during the period."""


@attrs.frozen
class EmployersResult(SoaResult[FindEmployersByWorkerResponse]):
    """A ``findEmployersByWorker`` reply.

    ``employments`` is empty when nothing was found (``status.code`` then
    usually ``DOLS0000``); ``partial`` says one source sent nothing because
    it had too many results (``DOLS0004``: National Register, ``DOLS0005``:
    CBSS) — narrow the period and ask again.
    """

    @property
    def employments(self) -> tuple[EmploymentType, ...]:
        result = self.response.result
        return tuple(result.employment) if result is not None else ()

    @property
    def partial(self) -> bool:
        return self.status.code in PARTIAL_CODES


def _build(reply: SoaReply[FindEmployersByWorkerResponse]) -> EmployersResult:
    assert reply.status is not None
    return EmployersResult(meta=reply.meta, status=reply.status, response=reply.response)


class Dolsis(Facade[C]):
    """CBSS Dolsis (SOA); legal context ``SOCIAL_INVESTIGATION_OF_PCSA`` in ``securityContext``."""

    service_key = "Dolsis"

    @operation
    def find_employers_by_worker(
        self,
        ssin: str,
        *,
        scope: DolsisScope | str = DolsisScope.ACTIVE,
        start: dt.date | None = None,
        end: dt.date | None = None,
        legal_context: str | None = None,
    ) -> PreparedCall[EmployersResult]:
        """CBSS operation ``findEmployersByWorker``: the employers of *ssin*.

        Args:
            ssin: national number (or BIS number) of the worker.
            scope: ``"active"`` (today; no period), ``"activeInPeriod"`` or
                ``"mutations"`` (both need ``start`` and ``end``).
            start: first day of the period.
            end: last day of the period (not before ``start``).
            legal_context: overrides ``SOCIAL_INVESTIGATION_OF_PCSA`` (sent in
                ``securityContext/legalContext``).

        Raises:
            RequestValidationError: bad arguments (nothing is sent).
            DolsisFamilyCompositionFailed: ``DOLS0009``.
            SsinUnknown, SsinReplaced, NotIntegrated, LegalContextRefused: CBSS outcomes.
        """
        number = ssin_argument(ssin)
        chosen = coerce_enum(DolsisScope, scope, field="scope")
        period = None
        if chosen is DolsisScope.ACTIVE:
            if start is not None or end is not None:
                raise RequestValidationError(
                    "scope 'active' takes no period: use 'activeInPeriod' or 'mutations'",
                    field="start",
                )
        else:
            if start is None or end is None:
                raise RequestValidationError(
                    f"scope {chosen.value!r} needs both start and end", field="start"
                )
            begin_xml = xml_date(start, field="start")
            end_xml = xml_date(end, field="end")
            check_period(start, end, field="end")
            period = PeriodType(begin_date=begin_xml, end_date=end_xml)
        context = check_legal_context(
            legal_context if legal_context is not None else _FIND.default_legal_context or ""
        )
        criteria = FindEmployersByWorkerCriteriaType(
            ssin=number, scope=ScopeType(chosen.value), period=period
        )
        security = SecurityContextType(
            service=SECURITY_SERVICE, legal_context=context, role=SECURITY_ROLE
        )
        return prepare_soa_call(
            self._client,
            _SERVICE,
            _FIND,
            FindEmployersByWorkerRequest,
            {"security_context": security, "criteria": criteria},
            response_type=FindEmployersByWorkerResponse,
            build=_build,
            legal_context=context,
            subject=number,
            legal_context_field=False,
            no_data_codes={NO_MATCH, *PARTIAL_CODES},
        )
