"""Loi65 (OCMWCPASWet65Loi65AB / C / DF): the Law-of-1965 refund forms sent to the SPP IS.

A CPAS that grants social aid under the law of 2 April 1965 asks the SPP IS
(PPS Social Integration) for a refund through three SSDN services: forms A
and B (who is helped, the grant decision) through ``OCMWCPASWet65Loi65AB``,
form C (an aid stops) through ``…C``, and forms D1/D2 (refund claims) and F
(recovered amounts) through ``…DF``.  The SPP IS answers with its verdict
per attest: accepted, refused or partly accepted, the errors found on the
form and, for refund claims, the amounts it accepts.

The payloads follow the official schemas.  The ServiceIds and the SSDN
Version are *modeled*: no version is public, so the SDK sends the
placeholder :data:`LOI65_VERSION`; set the real one per client
(``Loi65(client, versions={"AB": "…"})``) or per call (``version=``).
Declarations change state at the SPP IS: they are never retried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, TypeVar

import attrs

from .. import catalog
from .._catalog_ssdn import LOI65_VERSION
from .._prepared import PreparedCall
from .._redact import mask_national_numbers
from ..errors import ConfigurationError, RequestValidationError
from ..ids import normalize_cbe
from ..models.loi65_20020101.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.loi_wet65 import (
    L65ABDecisionReply,
    L65ABDecisionRequest,
    L65CDecisionReply,
    L65CDecisionRequest,
    L65DFDecisionReply,
    L65DFDecisionRequest,
)
from ..models.loi65_20020101.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.loi_wet65_common import (
    FileIdentification,
    ReturnCode,
)
from ..ssdn import SsdnResultParts, prepare_ssdn_call
from ._facade import C, Facade, operation
from ._loi65_forms import (
    CancellationC,
    CommonDecisionB1,
    IdentificationA,
    IndividualDecisionB2,
    RecoveryF,
    RefundD1,
    RefundD2,
    SecondaryIntegration,
    cancellation_c_model,
    common_decision_b1_model,
    identification_a_model,
    individual_decision_b2_model,
    recovery_f_model,
    refund_d1_model,
    refund_d2_model,
    secondary_integration_c_model,
)
from ._spp_common import euros
from ._ssdn_results import SsdnResult

__all__ = [
    "LOI65_VERSION",
    "Loi65",
    "Loi65Decision",
    "Loi65Evaluation",
    "Loi65Form",
    "Loi65FormError",
    "Loi65Result",
]

R = TypeVar("R")

Loi65Form = Literal["AB", "C", "DF"]
_FORMS: tuple[Loi65Form, ...] = ("AB", "C", "DF")
_SERVICES = {form: catalog.service(f"Loi65{form}") for form in _FORMS}


class Loi65Evaluation(str, Enum):
    """The SPP IS verdict on one form."""

    ACCEPTED = "ACCEPTED"
    REFUSED = "REFUSED"
    PARTIALLY_ACCEPTED = "PARTIALLYACCEPTED"


@attrs.frozen
class Loi65FormError:
    """An error the SPP IS found on a form: a six-character code and its labels by language."""

    code: str
    descriptions: Mapping[str, str] = attrs.field(factory=dict)

    def text(self, language: str = "fr") -> str | None:
        """The label in *language* (``fr``, ``nl``…), else any label, else ``None``."""
        if language in self.descriptions:
            return self.descriptions[language]
        return next(iter(self.descriptions.values()), None)


@attrs.frozen
class Loi65Decision:
    """The SPP IS decision on one attest (one form of one person).

    ``refund_share`` is the refunded share in percent (the reply counts in
    hundredths of a percent); ``accepted_total`` the total amount accepted
    in euros (forms D/F).  ``reply`` is the generated reply element with
    every detail (refunded aids, amounts per kind of cost…).
    """

    form: Loi65Form
    attest_id: str
    spp_reference: str
    ssin: str = attrs.field(repr=lambda value: mask_national_numbers(value))
    suffix: int
    evaluation: Loi65Evaluation
    errors: tuple[Loi65FormError, ...] = ()
    entry_date: dt.date | None = None
    refund_share: Decimal | None = None
    accepted_total: Decimal | None = None
    reference_month: tuple[int, int] | None = None
    reference_date: dt.date | None = None
    manual_verification: bool | None = None
    reply: object = attrs.field(default=None, repr=False, eq=False)

    @property
    def accepted(self) -> bool:
        return self.evaluation is Loi65Evaluation.ACCEPTED


@attrs.frozen
class Loi65Result(SsdnResult[R]):
    """A Loi65 result: the SPP IS ``decisions``, one per attest, and the whole bound ``reply``."""

    decisions: tuple[Loi65Decision, ...] = ()
    file_id: str | None = None

    @property
    def refused(self) -> tuple[Loi65Decision, ...]:
        return tuple(d for d in self.decisions if d.evaluation is Loi65Evaluation.REFUSED)

    @property
    def all_accepted(self) -> bool:
        return bool(self.decisions) and all(d.accepted for d in self.decisions)


def _errors(codes: Sequence[ReturnCode]) -> tuple[Loi65FormError, ...]:
    result = []
    for code in codes:
        texts: dict[str, str] = {}
        for description in code.description:
            language = description.lang.value if description.lang is not None else "?"
            texts.setdefault(language, description.value)
        result.append(Loi65FormError(code.code, texts))
    return tuple(result)


def _date(value: Any) -> dt.date | None:
    return None if value is None else value.to_date()


def _share(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-2)


def _decisions_ab(reply: L65ABDecisionReply) -> tuple[Loi65Decision, ...]:
    return tuple(
        Loi65Decision(
            form="AB",
            attest_id=r.unique_attest_id,
            spp_reference=r.reference_spp_pod,
            ssin=r.ssin,
            suffix=r.suffix,
            evaluation=Loi65Evaluation(r.evaluation.value),
            errors=_errors(r.errors_on_form),
            entry_date=_date(r.entry_date),
            refund_share=_share(r.percentage),
            reply=r,
        )
        for r in reply.decision_result
    )


def _decisions_c(reply: L65CDecisionReply) -> tuple[Loi65Decision, ...]:
    return tuple(
        Loi65Decision(
            form="C",
            attest_id=r.unique_attest_id,
            spp_reference=r.reference_spp_pod,
            ssin=r.ssin,
            suffix=r.suffix,
            evaluation=Loi65Evaluation(r.evaluation.value),
            errors=_errors(r.errors_on_form),
            entry_date=_date(r.entry_date),
            reply=r,
        )
        for r in reply.decision_result_c
    )


def _decisions_df(reply: L65DFDecisionReply) -> tuple[Loi65Decision, ...]:
    decisions = []
    for r in reply.decision_result_df:
        month = r.reference_month
        decisions.append(
            Loi65Decision(
                form="DF",
                attest_id=r.unique_attest_id,
                spp_reference=r.reference_spp_pod,
                ssin=r.ssin,
                suffix=r.suffix,
                evaluation=Loi65Evaluation(r.evaluation.value),
                errors=_errors(r.errors_on_form),
                entry_date=_date(r.entry_date),
                accepted_total=euros(r.total_accepted_amount),
                reference_month=(
                    (month.year, month.month)
                    if month is not None and month.year is not None and month.month is not None
                    else None
                ),
                reference_date=_date(r.reference_date),
                manual_verification=r.manual_verification_code,
                reply=r,
            )
        )
    return tuple(decisions)


def _builder(
    decisions: Callable[[Any], tuple[Loi65Decision, ...]],
) -> Callable[[SsdnResultParts[Any]], Loi65Result[Any]]:
    def build(parts: SsdnResultParts[Any]) -> Loi65Result[Any]:
        reply = parts.response
        return Loi65Result(
            meta=parts.meta,
            warnings=parts.warnings,
            reply=reply,
            no_data=parts.no_data,
            decisions=decisions(reply) if reply is not None else (),
            file_id=reply.file_identification.file_id if reply is not None else None,
        )

    return build


def _form_key(value: object, *, field: str) -> Loi65Form:
    text = str(value).strip().upper() if isinstance(value, str) else ""
    if text not in _FORMS:
        raise ConfigurationError(f"{field}: the Loi65 forms are 'AB', 'C' and 'DF'")
    return text


def _check_ssdn_version(value: object, *, field: str = "version") -> str:
    """An SSDN Version: 8 digits forming a date ``yyyyMMdd``."""
    text = value.strip() if isinstance(value, str) else ""
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise RequestValidationError(
            f"{field} must be an SSDN version: a date written yyyyMMdd", field=field
        ) from None
    return text


def _check_service_id(value: object, *, field: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > 64:
        raise ConfigurationError(f"{field} must be a non-empty ServiceId")
    return value.strip()


def _sequence(values: object, field: str) -> list[object]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise RequestValidationError(f"{field} must be a sequence (list or tuple)", field=field)
    return list(values)


class Loi65(Facade[C]):
    """CBSS ``OCMWCPASWet65Loi65AB``, ``…C`` and ``…DF`` (SSDN): Law-of-1965 forms to the SPP IS.

    ``versions`` / ``service_ids`` override, per form (``"AB"``, ``"C"``,
    ``"DF"``), the modeled SSDN Version (:data:`LOI65_VERSION`) and the
    presumed ServiceIds (``OCMWCPASWet65Loi65AB``…) for every call of this
    facade; ``version=`` on a call overrides it once.  No legal context
    (SSDN).  Not idempotent: never retried.
    """

    service_key = "Loi65AB"

    def __init__(
        self,
        client: C,
        *,
        versions: Mapping[str, str] | None = None,
        service_ids: Mapping[str, str] | None = None,
    ) -> None:
        Facade.__init__(self, client)
        self._versions: dict[Loi65Form, str] = {}
        self._service_ids: dict[Loi65Form, str] = {}
        for key, value in (versions or {}).items():
            try:
                self._versions[_form_key(key, field="versions")] = _check_ssdn_version(
                    value, field=f"versions[{key!r}]"
                )
            except RequestValidationError as exc:
                raise ConfigurationError(exc.message) from None
        for key, value in (service_ids or {}).items():
            self._service_ids[_form_key(key, field="service_ids")] = _check_service_id(
                value, field=f"service_ids[{key!r}]"
            )

    @property
    def specs(self) -> Mapping[Loi65Form, catalog.ServiceSpec]:
        """The catalog entries of the three services, by form."""
        return dict(_SERVICES)

    def service_for(self, form: Loi65Form, version: str | None = None) -> catalog.ServiceSpec:
        """The catalog entry of *form* with this facade's (or the call's) ServiceId and Version."""
        key = _form_key(form, field="form")
        spec = _SERVICES[key]
        chosen = (
            _check_ssdn_version(version)
            if version is not None
            else self._versions.get(key, spec.ssdn_version)
        )
        service_id = self._service_ids.get(key, spec.ssdn_service_id)
        if chosen == spec.ssdn_version and service_id == spec.ssdn_service_id:
            return spec
        return attrs.evolve(spec, ssdn_version=chosen, ssdn_service_id=service_id)

    def _file(self, file_id: str, cbe_number: str | None) -> FileIdentification:
        if not isinstance(file_id, str) or len(file_id.strip()) != 11:
            raise RequestValidationError("file_id must be 11 characters", field="file_id")
        if cbe_number is None:
            organization = getattr(self._client, "organization", None)
            cbe_number = getattr(organization, "cbe_number", None)
            if cbe_number is None:
                raise RequestValidationError(
                    "cbe_number is needed: the client's Organization has no CBE number",
                    field="cbe_number",
                )
        number = normalize_cbe(cbe_number, field="cbe_number")
        return FileIdentification(kbobce=int(number), file_id=file_id.strip())

    def _send(
        self,
        form: Loi65Form,
        request: object,
        reply_type: type[R],
        decisions: Callable[[Any], tuple[Loi65Decision, ...]],
        subject: str | None,
        version: str | None,
    ) -> PreparedCall[Loi65Result[R]]:
        service = self.service_for(form, version)
        return prepare_ssdn_call(
            self._client,
            service,
            service.operations[0],
            request,
            reply_type=reply_type,
            build=_builder(decisions),
            subject=subject,
        )

    @operation
    def decision_ab(
        self,
        *,
        file_id: str,
        identification: IdentificationA | None = None,
        common_decision: CommonDecisionB1 | None = None,
        individual_decisions: Sequence[IndividualDecisionB2] = (),
        cbe_number: str | None = None,
        version: str | None = None,
    ) -> PreparedCall[Loi65Result[L65ABDecisionReply]]:
        """Send forms A, B1 and/or B2 of file *file_id* (``OCMWCPASWet65Loi65AB``).

        ``cbe_number`` is the CPAS enterprise number (default: the client's
        organisation).  At least one form is required.  Never retried.
        """
        file = self._file(file_id, cbe_number)
        b2 = [
            individual_decision_b2_model(d, f"individual_decisions[{i}]")
            for i, d in enumerate(_sequence(individual_decisions, "individual_decisions"))
        ]
        request = L65ABDecisionRequest(
            file_identification=file,
            identification_a=None
            if identification is None
            else identification_a_model(identification),
            common_decision_b1=(
                None if common_decision is None else common_decision_b1_model(common_decision)
            ),
            individual_decisions_b2=b2,
        )
        if request.identification_a is None and request.common_decision_b1 is None and not b2:
            raise RequestValidationError(
                "send at least one form: identification, common_decision or individual_decisions",
                field="identification",
            )
        subject = (
            request.identification_a.primary_beneficiary.beneficiary_id.ssin
            if request.identification_a is not None
            else request.common_decision_b1.identification_primary_beneficiary.ssin
            if request.common_decision_b1 is not None
            else b2[0].ssin
        )
        return self._send("AB", request, L65ABDecisionReply, _decisions_ab, subject, version)

    @operation
    def decision_c(
        self,
        *,
        file_id: str,
        cancellations: Sequence[CancellationC],
        secondary_integrations: Sequence[SecondaryIntegration] = (),
        cbe_number: str | None = None,
        version: str | None = None,
    ) -> PreparedCall[Loi65Result[L65CDecisionReply]]:
        """Send cancellation forms C of file *file_id* (``OCMWCPASWet65Loi65C``). Never retried.

        ``secondary_integrations`` (at most 17) give the household members'
        integration periods (without suffix).
        """
        file = self._file(file_id, cbe_number)
        forms = [
            cancellation_c_model(c, f"cancellations[{i}]")
            for i, c in enumerate(_sequence(cancellations, "cancellations"))
        ]
        if not forms:
            raise RequestValidationError(
                "cancellations must hold at least one form C", field="cancellations"
            )
        members = _sequence(secondary_integrations, "secondary_integrations")
        if len(members) > 17:
            raise RequestValidationError(
                "secondary_integrations may hold at most 17 entries", field="secondary_integrations"
            )
        request = L65CDecisionRequest(
            file_identification=file,
            cancellation_form_c=forms,
            integration_secondary_beneficiary=[
                secondary_integration_c_model(m, f"secondary_integrations[{i}]")
                for i, m in enumerate(members)
            ],
        )
        return self._send("C", request, L65CDecisionReply, _decisions_c, forms[0].ssin, version)

    @operation
    def decision_df(
        self,
        *,
        file_id: str,
        refund_d1: RefundD1 | None = None,
        refunds_d2: Sequence[RefundD2] = (),
        recoveries_f: Sequence[RecoveryF] = (),
        cbe_number: str | None = None,
        version: str | None = None,
    ) -> PreparedCall[Loi65Result[L65DFDecisionReply]]:
        """Send a monthly refund claim D1, care bills D2 and/or recoveries F of file *file_id*
        (``OCMWCPASWet65Loi65DF``). Amounts are euros (``Decimal``). Never retried."""
        file = self._file(file_id, cbe_number)
        d1 = None if refund_d1 is None else refund_d1_model(refund_d1)
        d2 = [
            refund_d2_model(r, f"refunds_d2[{i}]")
            for i, r in enumerate(_sequence(refunds_d2, "refunds_d2"))
        ]
        f = [
            recovery_f_model(r, f"recoveries_f[{i}]")
            for i, r in enumerate(_sequence(recoveries_f, "recoveries_f"))
        ]
        if d1 is None and not d2 and not f:
            raise RequestValidationError(
                "send at least one form: refund_d1, refunds_d2 or recoveries_f", field="refund_d1"
            )
        request = L65DFDecisionRequest(
            file_identification=file,
            refundform_d1=d1,
            refund_form_d2=d2,
            recovering_form_f=f,
        )
        subject = d1.ssin if d1 is not None else d2[0].ssin if d2 else f[0].ssin
        return self._send("DF", request, L65DFDecisionReply, _decisions_df, subject, version)
