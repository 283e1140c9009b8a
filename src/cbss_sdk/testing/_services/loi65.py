"""Simulated OCMWCPASWet65Loi65AB / C / DF (SSDN): the SPP IS verdict on Law-of-1965 forms.

The real SPP IS checks each form against its files and the law; the
simulator applies a few documented, deterministic rules instead (listed in
``docs/personas.md``), so that client code can be tested on every outcome:

* the file must belong to the caller: ``FileIdentification/KBOBCE`` other
  than the caller's CBE number refuses the whole request with the SSDN error
  :data:`FILE_NOT_OWNED` (a simulator code);
* a form about a person missing from the population is ``REFUSED`` with the
  form error :data:`UNKNOWN_PERSON`;
* a form dated after the simulator's today (entry date, reference date or
  month) is ``REFUSED`` with :data:`FUTURE_DATE`;
* a refund claim D1 above :data:`D1_CEILING_CENTS` is ``PARTIALLYACCEPTED``:
  the accepted total is the ceiling, with :data:`ABOVE_CEILING`;
* everything else is ``ACCEPTED`` at 100 %, with an SPP IS reference derived
  from the attest id.

Every form gives one decision (forms A and B1 one for the primary
beneficiary, suffix 0).  The codes are the simulator's own, not SPP IS codes.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

from ...models.loi65_20020101.be.fgov.ksz_bcss.xsd.ssdn.common import DescriptionType, TLanguage
from ...models.loi65_20020101.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.loi_wet65 import (
    L65ABDecisionReply,
    L65ABDecisionRequest,
    L65CDecisionReply,
    L65CDecisionRequest,
    L65DFDecisionReply,
    L65DFDecisionRequest,
)
from ...models.loi65_20020101.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.loi_wet65_common import (
    DecisionType,
    Evaluation,
    FileIdentification,
    ReturnCode,
)
from .._registry import SimContext, SimRequest, SimulatedSsdnError, SsdnAnswer, handler
from ._common import detail, org_unit

__all__ = [
    "ABOVE_CEILING",
    "D1_CEILING_CENTS",
    "FILE_NOT_OWNED",
    "FUTURE_DATE",
    "UNKNOWN_PERSON",
    "build_ab_reply",
    "build_c_reply",
    "build_df_reply",
    "check_file",
    "spp_reference",
]

#: SSDN reason code (simulator's own): the file's CBE number is not the caller's.
FILE_NOT_OWNED = "32065001"
#: Form error codes (simulator's own, six characters like the SPP IS ones).
UNKNOWN_PERSON = "SIM001"
FUTURE_DATE = "SIM002"
ABOVE_CEILING = "SIM003"
#: A D1 claim above 5,000.00 euros is accepted up to that amount only.
D1_CEILING_CENTS = 500_000

_TEXTS = {
    UNKNOWN_PERSON: (
        "Personne inconnue du simulateur.",
        "Persoon onbekend bij de simulator.",
    ),
    FUTURE_DATE: ("Date postérieure à aujourd'hui.", "Datum na vandaag."),
    ABOVE_CEILING: (
        "Montant limité au plafond du simulateur.",
        "Bedrag beperkt tot het plafond van de simulator.",
    ),
}


def spp_reference(attest_id: str, form: str) -> str:
    """The 10-character SPP IS reference the simulator gives an attest."""
    return f"{zlib.crc32(f'{form}:{attest_id}'.encode()) % 10**10:010d}"


def _error(code: str) -> ReturnCode:
    fr, nl = _TEXTS[code]
    return ReturnCode(
        code=code,
        description=[
            DescriptionType(value=fr, lang=TLanguage.FR),
            DescriptionType(value=nl, lang=TLanguage.NL),
        ],
    )


def check_file(file: FileIdentification, organization: str) -> None:
    """Refuse (SSDN error) a file whose enterprise number is not the caller's."""
    caller = org_unit(organization)
    if not organization.startswith("cbe:") or not caller.isdigit():
        return
    if int(caller) != file.kbobce:
        raise SimulatedSsdnError(
            [
                detail(
                    "ERROR",
                    FILE_NOT_OWNED,
                    "The file does not belong to the sending organisation.",
                    (("KBOBCE", str(file.kbobce)),),
                )
            ]
        )


def _verdict(
    ctx: SimContext, ssin: str, day: dt.date | None
) -> tuple[Evaluation, list[ReturnCode]]:
    if ctx.population.get(ssin) is None:
        return Evaluation.REFUSED, [_error(UNKNOWN_PERSON)]
    if day is not None and day > ctx.now.date():
        return Evaluation.REFUSED, [_error(FUTURE_DATE)]
    return Evaluation.ACCEPTED, []


def _day(value: Any) -> dt.date | None:
    return None if value is None else value.to_date()


def _ab_result(
    ctx: SimContext,
    *,
    attest: str,
    ssin: str,
    suffix: int,
    entry: Any,
    aids: dict[str, bool],
) -> L65ABDecisionReply.DecisionResult:
    cls = L65ABDecisionReply.DecisionResult
    evaluation, errors = _verdict(ctx, ssin, _day(entry))
    accepted = evaluation is Evaluation.ACCEPTED
    refunded = cls.RefundedAids(
        **{name: value and accepted for name, value in aids.items()},
        primary_beneficiary=cls.RefundedAids.PrimaryBeneficiary(),
        partner=cls.RefundedAids.Partner(),
    )
    return cls(
        unique_attest_id=attest,
        reference_spp_pod=spp_reference(attest, "AB"),
        ssin=ssin,
        suffix=suffix,
        entry_date=entry,
        percentage=10000 if accepted else 0,
        evaluation=evaluation,
        errors_on_form=errors,
        refunded_aids=refunded,
    )


_AID_FLAGS = (
    "financial_aid",
    "medical_and_pharmaceutical_costs",
    "mut_base_contribution",
    "mut_complementary_contribution",
    "mut_regularization",
    "repatriation_costs",
    "placement_costs",
    "housing_costs",
    "birth_allowance",
    "guaranteed_child_allowances",
    "other_requested_aids",
)


def build_ab_reply(ctx: SimContext, request: L65ABDecisionRequest) -> L65ABDecisionReply:
    """One decision per form: A (primary beneficiary), B1 (primary beneficiary), each B2."""
    results = []
    a = request.identification_a
    if a is not None:
        results.append(
            _ab_result(
                ctx,
                attest=a.unique_attest_id,
                ssin=a.primary_beneficiary.beneficiary_id.ssin,
                suffix=0,
                entry=a.entry_date,
                aids={},
            )
        )
    b1 = request.common_decision_b1
    if b1 is not None:
        requested = b1.requested_aids
        results.append(
            _ab_result(
                ctx,
                attest=b1.unique_attest_id,
                ssin=b1.identification_primary_beneficiary.ssin,
                suffix=0,
                entry=b1.entry_date,
                aids={name: bool(getattr(requested, name)) for name in _AID_FLAGS},
            )
        )
    for b2 in request.individual_decisions_b2:
        decision = b2.decision_b2
        results.append(
            _ab_result(
                ctx,
                attest=b2.unique_attest_id,
                ssin=b2.ssin,
                suffix=b2.suffix,
                entry=b2.entry_date,
                aids={
                    "ambulant_medical_and_pharmaceutical_costs": bool(
                        decision.ambulant_medical_and_pharmaceutical_costs
                    ),
                    "hospitalization_costs": bool(decision.hospitalization_costs),
                },
            )
        )
    return L65ABDecisionReply(
        file_identification=request.file_identification, decision_result=results
    )


def build_c_reply(ctx: SimContext, request: L65CDecisionRequest) -> L65CDecisionReply:
    """One decision per cancellation form C."""
    results = []
    for form in request.cancellation_form_c:
        evaluation, errors = _verdict(ctx, form.ssin, _day(form.entry_date))
        results.append(
            L65CDecisionReply.DecisionResultC(
                entry_date=form.entry_date,
                unique_attest_id=form.unique_attest_id,
                reference_spp_pod=spp_reference(form.unique_attest_id, "C"),
                ssin=form.ssin,
                suffix=form.suffix,
                evaluation=evaluation,
                errors_on_form=errors,
            )
        )
    return L65CDecisionReply(
        file_identification=request.file_identification, decision_result_c=results
    )


def _accepted(cents: int | None) -> DecisionType | None:
    # The contract gives this Percentage 4 digits (unlike the AB reply's 0-10000): the
    # simulator writes whole percents.
    return None if cents is None else DecisionType(accepted_amount=cents, percentage=100)


def build_df_reply(ctx: SimContext, request: L65DFDecisionRequest) -> L65DFDecisionReply:
    """One decision per form D1, D2 and F; D1 totals above the ceiling are partly accepted."""
    cls = L65DFDecisionReply.DecisionResultDF
    results = []
    d1 = request.refundform_d1
    if d1 is not None:
        month = d1.reference_month
        first_day = dt.date(month.year or 1, month.month or 1, 1)
        evaluation, errors = _verdict(ctx, d1.ssin, first_day)
        total = d1.total_amount if evaluation is Evaluation.ACCEPTED else 0
        if evaluation is Evaluation.ACCEPTED and total > D1_CEILING_CENTS:
            evaluation, errors, total = (
                Evaluation.PARTIALLYACCEPTED,
                [_error(ABOVE_CEILING)],
                D1_CEILING_CENTS,
            )
        delivered = d1.delivered_amounts_d1
        financial = delivered.financial_aid.amount if delivered.financial_aid else None
        results.append(
            cls(
                reference_month=month,
                unique_attest_id=d1.unique_attest_id,
                reference_spp_pod=spp_reference(d1.unique_attest_id, "D1"),
                ssin=d1.ssin,
                suffix=0,
                evaluation=evaluation,
                manual_verification_code=False,
                errors_on_form=errors,
                decision_on_amounts=cls.DecisionOnAmounts(
                    financial_aid=_accepted(financial)
                    if evaluation is Evaluation.ACCEPTED
                    else None,
                    housing_costs=_accepted(delivered.housing_costs_amount)
                    if evaluation is Evaluation.ACCEPTED
                    else None,
                ),
                total_accepted_amount=total,
            )
        )
    for d2 in request.refund_form_d2:
        evaluation, errors = _verdict(ctx, d2.ssin, _day(d2.entry_date))
        results.append(
            cls(
                entry_date=d2.entry_date,
                unique_attest_id=d2.unique_attest_id,
                reference_spp_pod=spp_reference(d2.unique_attest_id, "D2"),
                ssin=d2.ssin,
                suffix=d2.suffix,
                evaluation=evaluation,
                errors_on_form=errors,
                total_accepted_amount=d2.total_amount if evaluation is Evaluation.ACCEPTED else 0,
            )
        )
    for f in request.recovering_form_f:
        evaluation, errors = _verdict(ctx, f.ssin, _day(f.reference_date))
        results.append(
            cls(
                reference_date=f.reference_date,
                unique_attest_id=f.unique_attest_id,
                reference_spp_pod=spp_reference(f.unique_attest_id, "F"),
                ssin=f.ssin,
                suffix=f.suffix,
                evaluation=evaluation,
                errors_on_form=errors,
                total_accepted_amount=f.recovering_details.recovered_amount
                if evaluation is Evaluation.ACCEPTED
                else 0,
            )
        )
    return L65DFDecisionReply(
        file_identification=request.file_identification, decision_result_df=results
    )


@handler("Loi65AB", "decisionAB")
def decision_ab(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: L65ABDecisionRequest = request.model
    check_file(model.file_identification, request.organization)
    return SsdnAnswer(build_ab_reply(ctx, model))


@handler("Loi65C", "decisionC")
def decision_c(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: L65CDecisionRequest = request.model
    check_file(model.file_identification, request.organization)
    return SsdnAnswer(build_c_reply(ctx, model))


@handler("Loi65DF", "decisionDF")
def decision_df(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: L65DFDecisionRequest = request.model
    check_file(model.file_identification, request.organization)
    return SsdnAnswer(build_df_reply(ctx, model))
