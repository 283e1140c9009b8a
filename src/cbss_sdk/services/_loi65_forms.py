"""The Law-of-1965 forms as Python records, and their translation into the request models.

A CPAS fills paper-like forms for the SPP IS: A (who is helped), B1 (the
common decision), B2 (individual medical-cost decisions), C (an aid stops),
D1 (monthly refund claim), D2 (care bills) and F (recovered amounts).  The
generated request models mirror the XML with deeply nested anonymous
classes; these records say the same in plain terms (dates, ``Decimal``
euros, enums), and the ``*_model`` functions check every value against the
contract before building the XML, naming the faulty field in
:class:`~cbss_sdk.errors.RequestValidationError`.

Amounts: the contract writes them as integers of at most 8 digits, which
the SDK reads as eurocents (every other CBSS/SPP IS amount is in cents);
the records take euros as ``Decimal`` and the SDK converts them.  Two fields
are decimals in the contract (``monthly_income`` and the birth allowance
amount): they are sent in euros as given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Literal, TypeVar

import attrs
from xsdata.models.datatype import XmlPeriod

from ..errors import RequestValidationError
from ..ids import normalize_cbe
from ..models.loi65_20020101.be.fgov.ksz_bcss.xsd.ssdn.common import PeriodType
from ..models.loi65_20020101.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.loi_wet65 import (
    L65ABDecisionRequest,
    L65CDecisionRequest,
    L65DFDecisionRequest,
    PrimaryBeneficiaryGender,
)
from ..models.loi65_20020101.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.loi_wet65_common import (
    Address as AddressModel,
)
from ..models.loi65_20020101.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.loi_wet65_common import (
    BeneficiaryID,
    DecisionB2,
    Duration,
    SocialAid,
)
from ._args import check_period, check_text, incomplete_date, ssin_argument, xml_date
from ._spp_common import check_bool, check_code, check_count, check_fixed_text, eurocents

__all__ = [
    "AidAmounts",
    "Art60p7",
    "Beneficiary",
    "BirthAllowance",
    "CancellationC",
    "CommonDecisionB1",
    "FileSituation",
    "GrantDuration",
    "GuaranteedChildAllowance",
    "HospitalBill",
    "IdentificationA",
    "IndividualDecisionB2",
    "PostalAddress",
    "PrimaryBeneficiary",
    "QualityPeriod",
    "RecoveryF",
    "RefundD1",
    "RefundD2",
    "RequestedAid",
    "SecondaryBeneficiary",
    "SecondaryIntegration",
    "SocialAidMeasures",
]

#: The forms do not accept entry dates before the start of the electronic flow.
FIRST_ENTRY_DATE = dt.date(2002, 1, 1)
#: At most 17 household members besides the primary beneficiary.
MAX_SECONDARY = 17


# --------------------------------------------------------------------------- records


@attrs.frozen
class QualityPeriod:
    """An integration (or disintegration) period of a person, with its quality code."""

    quality_code: int
    start: dt.date
    end: dt.date


@attrs.frozen
class Beneficiary:
    """A person on a form: SSIN, with name and (possibly incomplete) birth date when known."""

    ssin: str
    last_name: str | None = None
    first_name: str | None = None
    birth_date: dt.date | str | None = None


@attrs.frozen
class PostalAddress:
    """The primary beneficiary's address: street, optional number and box, 4-digit postal code."""

    street: str
    postal_code: int | str
    house_number: str | None = None
    box: str | None = None


@attrs.frozen
class GrantDuration:
    """How long an aid is granted: any mix of days (≤366), weeks (≤52) and months (≤12)."""

    days: int | None = None
    weeks: int | None = None
    months: int | None = None


@attrs.frozen
class PrimaryBeneficiary:
    """Form A: the person the file is about (status, address, nationality code…)."""

    person: Beneficiary
    status: str
    address: PostalAddress
    nationality: int
    institution: str | None = None
    gender: Literal["M", "F"] | None = None
    real_life_situation: str | None = None
    first_inscription_in_belgium: dt.date | None = None
    uninterrupted_stay: str | None = None
    integrations: Sequence[QualityPeriod] = ()
    disintegrations: Sequence[QualityPeriod] = ()


@attrs.frozen
class SecondaryBeneficiary:
    """Form A: a household member helped with the primary beneficiary (suffix 0–99)."""

    person: Beneficiary
    suffix: int
    status: str
    nationality: int
    relation: str
    integrations: Sequence[QualityPeriod] = ()
    disintegrations: Sequence[QualityPeriod] = ()


@attrs.frozen
class IdentificationA:
    """Form A: who is helped (the primary beneficiary and up to 17 household members)."""

    entry_date: dt.date
    attest_id: str
    primary: PrimaryBeneficiary
    secondary: Sequence[SecondaryBeneficiary] = ()


class RequestedAid(str, Enum):
    """The aids a CPAS can ask the SPP IS to refund (form B1)."""

    FINANCIAL_AID = "financial_aid"
    MEDICAL_AND_PHARMACEUTICAL_COSTS = "medical_and_pharmaceutical_costs"
    MUT_BASE_CONTRIBUTION = "mut_base_contribution"
    MUT_COMPLEMENTARY_CONTRIBUTION = "mut_complementary_contribution"
    MUT_REGULARIZATION = "mut_regularization"
    REPATRIATION_COSTS = "repatriation_costs"
    PLACEMENT_COSTS = "placement_costs"
    HOUSING_COSTS = "housing_costs"
    BIRTH_ALLOWANCE = "birth_allowance"
    GUARANTEED_CHILD_ALLOWANCES = "guaranteed_child_allowances"
    OTHER = "other_requested_aids"


@attrs.frozen
class Art60p7:
    """Employment under article 60 §7: type, schedule and workplace codes."""

    type: str
    schedule: str
    work_place: str


@attrs.frozen
class SocialAidMeasures:
    """Form B1: the measures that go with the aid of the beneficiary or their partner."""

    art60p7: Art60p7 | None = None
    art61: bool | None = None
    activation_type: str | None = None
    partner_convention: str | None = None
    alimony: bool | None = None


@attrs.frozen
class FileSituation:
    """Form B1: register inscription, housing provision (and whether proofs were given), category."""

    rn_rr_inscription: str | None = None
    housing_provision: str | None = None
    housing_proofs_provided: bool | None = None
    category: str | None = None


@attrs.frozen
class SecondaryIntegration:
    """A household member's integration periods (forms B1 and C)."""

    ssin: str
    suffix: int | None = None
    integrations: Sequence[QualityPeriod] = ()
    disintegrations: Sequence[QualityPeriod] = ()


@attrs.frozen
class CommonDecisionB1:
    """Form B1: the CPAS decision for the whole file."""

    entry_date: dt.date
    attest_id: str
    primary_ssin: str
    requested_aids: Iterable[RequestedAid | str]
    duration: GrantDuration
    decision_date: dt.date
    juridical_procedure: bool
    primary_integrations: Sequence[QualityPeriod] = ()
    primary_disintegrations: Sequence[QualityPeriod] = ()
    secondary: Sequence[SecondaryIntegration] = ()
    primary_aids: SocialAidMeasures | None = None
    partner_aids: SocialAidMeasures | None = None
    situation: FileSituation | None = None


@attrs.frozen
class IndividualDecisionB2:
    """Form B2: an individual decision on medical costs for one member of the file."""

    entry_date: dt.date
    attest_id: str
    ssin: str
    suffix: int
    decision_date: dt.date
    duration: GrantDuration
    ambulant_costs: bool | None = None
    hospitalization_costs: bool | None = None
    rn_rr_inscription: str | None = None
    juridical_procedure: bool | None = None
    integrations: Sequence[QualityPeriod] = ()
    disintegrations: Sequence[QualityPeriod] = ()


@attrs.frozen
class CancellationC:
    """Form C: an aid stops (decision date, nature code, two-character reason code)."""

    entry_date: dt.date
    attest_id: str
    ssin: str
    suffix: int
    decision_date: dt.date
    decision_nature: str
    reason: str
    former_c_cancellation: str | None = None
    integrations: Sequence[QualityPeriod] = ()
    disintegrations: Sequence[QualityPeriod] = ()


@attrs.frozen
class AidAmounts:
    """Form D1: amounts paid under employment and other measures (euros), social economy work."""

    art60p7: Decimal | None = None
    art61: Decimal | None = None
    activation: Decimal | None = None
    partner_convention: Decimal | None = None
    alimony: Decimal | None = None
    social_economy_initiative: int | None = None
    social_economy_days: int | None = None


@attrs.frozen
class BirthAllowance:
    """Form D1: a birth allowance (euros, sent as a decimal) and the children concerned."""

    amount: Decimal | None = None
    birth_date: dt.date | None = None
    living_children: int | None = None
    stillborn_children: int | None = None


@attrs.frozen
class GuaranteedChildAllowance:
    """Form D1: guaranteed child allowances (euros) and for how many children."""

    amount: Decimal | None = None
    number_of_children: int | None = None


@attrs.frozen
class RefundD1:
    """Form D1: what the CPAS paid in one month for one attest (euros), and the total claimed."""

    reference_month: dt.date | tuple[int, int] | str
    attest_id: str
    ssin: str
    total_amount: Decimal
    double_maximum: bool = False
    financial_aid: Decimal | None = None
    monthly_income: Decimal | None = None
    medical_costs: Sequence[Decimal] = ()
    pharmaceutical_costs: Sequence[Decimal] = ()
    mut_base_contribution: Decimal | None = None
    mut_complementary_contribution: Decimal | None = None
    mut_regularization: Decimal | None = None
    repatriation_costs: Decimal | None = None
    placement_costs: Decimal | None = None
    housing_costs: Decimal | None = None
    birth_allowance: BirthAllowance | None = None
    guaranteed_child_allowance: GuaranteedChildAllowance | None = None
    other_aids: Decimal | None = None
    primary_aids: AidAmounts | None = None
    partner_aids: AidAmounts | None = None
    health_service_registration_start: dt.date | None = None
    juridical_procedure: bool | None = None
    integrations: Sequence[QualityPeriod] = ()
    disintegrations: Sequence[QualityPeriod] = ()


@attrs.frozen
class HospitalBill:
    """Form D2: one hospital bill (number of at most 15 characters, year, amount in euros)."""

    number: str
    year: int
    amount: Decimal


@attrs.frozen
class RefundD2:
    """Form D2: care costs of one member, billed by one care provider (INAMI/RIZIV number)."""

    entry_date: dt.date
    attest_id: str
    ssin: str
    suffix: int
    inami_number: int
    total_amount: Decimal
    provider_cbe_number: str | None = None
    hospital_bills: Sequence[HospitalBill] = ()
    hospital_remaining_amount: Decimal | None = None
    ambulant_medical_costs: Decimal | None = None
    ambulant_pharmaceutical_costs: Decimal | None = None
    health_service_registration_start: dt.date | None = None
    juridical_procedure: bool | None = None
    integrations: Sequence[QualityPeriod] = ()
    disintegrations: Sequence[QualityPeriod] = ()


@attrs.frozen
class RecoveryF:
    """Form F: an amount the CPAS recovered (euros), from which form and over which period."""

    reference_date: dt.date
    attest_id: str
    ssin: str
    suffix: int
    original_form: str
    type: str
    amount: Decimal
    period_start: dt.date | None = None
    period_end: dt.date | None = None


# --------------------------------------------------------------------------- checks

P = TypeVar("P")
R = TypeVar("R")


def _record(value: object, cls: type[R], field: str) -> R:
    if not isinstance(value, cls):
        raise RequestValidationError(f"{field} must be a {cls.__name__}", field=field)
    return value


def _records(values: object, cls: type[R], field: str, maximum: int | None = None) -> list[R]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise RequestValidationError(f"{field} must be a sequence of {cls.__name__}", field=field)
    items = [_record(v, cls, f"{field}[{i}]") for i, v in enumerate(values)]
    if maximum is not None and len(items) > maximum:
        raise RequestValidationError(f"{field} may hold at most {maximum} entries", field=field)
    return items


def _date(value: object, field: str, *, entry: bool = False) -> Any:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RequestValidationError(f"{field} must be a datetime.date", field=field)
    if entry and value < FIRST_ENTRY_DATE:
        raise RequestValidationError(f"{field} may not be before 2002-01-01", field=field)
    return xml_date(value, field=field)


def _optional_date(value: object, field: str) -> Any:
    return None if value is None else _date(value, field)


def _attest(value: object, field: str) -> str:
    return check_fixed_text(value, field=field, length=15)  # type: ignore[arg-type]


def _suffix(value: object, field: str) -> int:
    return check_count(value, 0, 99, field=field)


def _required_code(value: object, field: str, *, length: int | None = None) -> str:
    if value is None:
        raise RequestValidationError(f"{field} is required", field=field)
    low, high = (length, length) if length is not None else (1, 2)
    result = check_code(value, field=field, min_length=low, max_length=high)  # type: ignore[arg-type]
    assert result is not None
    return result


def _code(value: object, field: str) -> str | None:
    return check_code(value, field=field)  # type: ignore[arg-type]


def _cents(value: object, field: str) -> int:
    if value is None:
        raise RequestValidationError(f"{field} is required", field=field)
    return eurocents(value, field=field)  # type: ignore[arg-type]


def _optional_cents(value: object, field: str) -> int | None:
    return None if value is None else _cents(value, field)


def _decimal(value: object, field: str, *, total_digits: int | None = None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, (bool, float)) or not isinstance(value, (Decimal, int, str)):
        raise RequestValidationError(
            f"{field} must be a Decimal, an int or numeric text", field=field
        )
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError):
        raise RequestValidationError(f"{field} must be a number", field=field) from None
    if not amount.is_finite() or amount < 0:
        raise RequestValidationError(f"{field} must be a positive amount or zero", field=field)
    if total_digits is not None and len(amount.as_tuple().digits) > total_digits:
        raise RequestValidationError(f"{field} may have at most {total_digits} digits", field=field)
    return amount


def _optional_int(value: object, low: int, high: int, field: str) -> int | None:
    return None if value is None else check_count(value, low, high, field=field)


def _flag(value: object, field: str) -> bool | None:
    return check_bool(value, field=field)


def _periods(cls: Callable[..., P], periods: object, field: str) -> list[P]:
    result = []
    for i, period in enumerate(_records(periods, QualityPeriod, field)):
        where = f"{field}[{i}]"
        check_count(period.quality_code, 0, 2_147_483_647, field=f"{where}.quality_code")
        start = _date(period.start, f"{where}.start")
        end = _date(period.end, f"{where}.end")
        check_period(period.start, period.end, field=where)
        result.append(cls(start_date=start, end_date=end, qualitycode=period.quality_code))
    return result


def _duration(value: object, field: str) -> Duration:
    duration = _record(value, GrantDuration, field)
    days = _optional_int(duration.days, 0, 366, f"{field}.days")
    weeks = _optional_int(duration.weeks, 0, 52, f"{field}.weeks")
    months = _optional_int(duration.months, 0, 12, f"{field}.months")
    if days is None and weeks is None and months is None:
        raise RequestValidationError(f"{field} needs days, weeks or months", field=field)
    return Duration(days=days, weeks=weeks, months=months)


def _beneficiary(value: object, field: str) -> BeneficiaryID:
    person = _record(value, Beneficiary, field)
    birth = None
    if person.birth_date is not None:
        birth = incomplete_date(person.birth_date, field=f"{field}.birth_date")[0]
    return BeneficiaryID(
        ssin=ssin_argument(person.ssin, field=f"{field}.ssin"),
        name=check_text(person.last_name, field=f"{field}.last_name"),
        firstname=check_text(person.first_name, field=f"{field}.first_name"),
        birth_date=birth,
    )


def _address(value: object, field: str) -> AddressModel:
    address = _record(value, PostalAddress, field)
    postal = address.postal_code
    text = (
        str(postal).strip()
        if isinstance(postal, (int, str)) and not isinstance(postal, bool)
        else ""
    )
    if not (text.isdigit() and len(text) == 4):
        raise RequestValidationError(
            f"{field}.postal_code must be 4 digits", field=f"{field}.postal_code"
        )
    street = check_text(address.street, field=f"{field}.street")
    if street is None:
        raise RequestValidationError(f"{field}.street is required", field=f"{field}.street")
    return AddressModel(
        street=street,
        house_number=check_text(address.house_number, field=f"{field}.house_number"),
        box=check_text(address.box, field=f"{field}.box"),
        postal_code=int(text),
    )


def _nationality(value: object, low: int, field: str) -> int:
    return check_count(value, low, 999, field=field)


# --------------------------------------------------------------------------- form A / B


def _primary(value: object, field: str) -> L65ABDecisionRequest.IdentificationA.PrimaryBeneficiary:
    primary = _record(value, PrimaryBeneficiary, field)
    cls = L65ABDecisionRequest.IdentificationA.PrimaryBeneficiary
    gender = None
    if primary.gender is not None:
        if primary.gender not in ("M", "F"):
            raise RequestValidationError(
                f"{field}.gender must be 'M' or 'F'", field=f"{field}.gender"
            )
        gender = PrimaryBeneficiaryGender(primary.gender)
    return cls(
        beneficiary_id=_beneficiary(primary.person, f"{field}.person"),
        status=_required_code(primary.status, f"{field}.status"),
        address=_address(primary.address, f"{field}.address"),
        institution=_code(primary.institution, f"{field}.institution"),
        nationality=_nationality(primary.nationality, 0, f"{field}.nationality"),
        gender=gender,
        real_life_situation=_code(primary.real_life_situation, f"{field}.real_life_situation"),
        first_inscription_in_belgium=_optional_date(
            primary.first_inscription_in_belgium, f"{field}.first_inscription_in_belgium"
        ),
        uninterrupted_stay=_code(primary.uninterrupted_stay, f"{field}.uninterrupted_stay"),
        integration=_periods(cls.Integration, primary.integrations, f"{field}.integrations"),
        desintegration=_periods(
            cls.Desintegration, primary.disintegrations, f"{field}.disintegrations"
        ),
    )


def _secondary(
    value: object, field: str
) -> L65ABDecisionRequest.IdentificationA.SecondaryBeneficiary:
    member = _record(value, SecondaryBeneficiary, field)
    cls = L65ABDecisionRequest.IdentificationA.SecondaryBeneficiary
    return cls(
        beneficiary_id=_beneficiary(member.person, f"{field}.person"),
        suffix=_suffix(member.suffix, f"{field}.suffix"),
        status=_required_code(member.status, f"{field}.status"),
        nationality=_nationality(member.nationality, 100, f"{field}.nationality"),
        primary_beneficiary_relation=_required_code(member.relation, f"{field}.relation"),
        integration=_periods(cls.Integration, member.integrations, f"{field}.integrations"),
        desintegration=_periods(
            cls.Desintegration, member.disintegrations, f"{field}.disintegrations"
        ),
    )


def identification_a_model(
    value: object, field: str = "identification"
) -> L65ABDecisionRequest.IdentificationA:
    form = _record(value, IdentificationA, field)
    return L65ABDecisionRequest.IdentificationA(
        entry_date=_date(form.entry_date, f"{field}.entry_date", entry=True),
        unique_attest_id=_attest(form.attest_id, f"{field}.attest_id"),
        primary_beneficiary=_primary(form.primary, f"{field}.primary"),
        secondary_beneficiary=[
            _secondary(m, f"{field}.secondary[{i}]")
            for i, m in enumerate(
                _records(form.secondary, SecondaryBeneficiary, f"{field}.secondary", MAX_SECONDARY)
            )
        ],
    )


def _aid_measures(value: object, field: str) -> SocialAid | None:
    if value is None:
        return None
    aids = _record(value, SocialAidMeasures, field)
    art = None
    if aids.art60p7 is not None:
        a = _record(aids.art60p7, Art60p7, f"{field}.art60p7")
        art = SocialAid.Art60p7(
            type_value=_required_code(a.type, f"{field}.art60p7.type"),
            schedule=_required_code(a.schedule, f"{field}.art60p7.schedule"),
            work_place=_required_code(a.work_place, f"{field}.art60p7.work_place"),
        )
    return SocialAid(
        art60p7=art,
        art61=_flag(aids.art61, f"{field}.art61"),
        activation_type=_code(aids.activation_type, f"{field}.activation_type"),
        partner_convention=_code(aids.partner_convention, f"{field}.partner_convention"),
        alimony=_flag(aids.alimony, f"{field}.alimony"),
    )


def _requested_aids(
    values: object, field: str
) -> L65ABDecisionRequest.CommonDecisionB1.RequestedAids:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise RequestValidationError(f"{field} must be a collection of RequestedAid", field=field)
    chosen: set[RequestedAid] = set()
    for value in values:
        try:
            chosen.add(RequestedAid(value.lower() if isinstance(value, str) else value))
        except ValueError:
            try:
                chosen.add(RequestedAid[str(value).upper()])
            except KeyError:
                allowed = ", ".join(a.name for a in RequestedAid)
                raise RequestValidationError(
                    f"{field} entries must be one of: {allowed}", field=field
                ) from None
    if not chosen:
        raise RequestValidationError(f"{field} must name at least one aid", field=field)
    flags = {aid.value: aid in chosen for aid in RequestedAid}
    return L65ABDecisionRequest.CommonDecisionB1.RequestedAids(**flags)


def _situation(value: object, field: str) -> L65ABDecisionRequest.CommonDecisionB1.Situation | None:
    if value is None:
        return None
    situation = _record(value, FileSituation, field)
    cls = L65ABDecisionRequest.CommonDecisionB1.Situation
    housing = None
    provision = _code(situation.housing_provision, f"{field}.housing_provision")
    proofs = _flag(situation.housing_proofs_provided, f"{field}.housing_proofs_provided")
    if provision is not None:
        housing = cls.HousingProvision(value=provision, proves_provided=proofs)
    elif proofs is not None:
        raise RequestValidationError(
            f"{field}.housing_proofs_provided needs housing_provision",
            field=f"{field}.housing_proofs_provided",
        )
    return cls(
        rn_rr_inscription=_code(situation.rn_rr_inscription, f"{field}.rn_rr_inscription"),
        housing_provision=housing,
        category=_code(situation.category, f"{field}.category"),
    )


def common_decision_b1_model(
    value: object, field: str = "common_decision"
) -> L65ABDecisionRequest.CommonDecisionB1:
    form = _record(value, CommonDecisionB1, field)
    cls = L65ABDecisionRequest.CommonDecisionB1
    primary_cls = cls.IdentificationPrimaryBeneficiary
    secondary_cls = cls.IdentificationSecondaryBeneficiary
    secondary = []
    for i, member in enumerate(
        _records(form.secondary, SecondaryIntegration, f"{field}.secondary", MAX_SECONDARY)
    ):
        where = f"{field}.secondary[{i}]"
        if member.suffix is None:
            raise RequestValidationError(f"{where}.suffix is required", field=f"{where}.suffix")
        secondary.append(
            secondary_cls(
                ssin=ssin_argument(member.ssin, field=f"{where}.ssin"),
                suffix=_suffix(member.suffix, f"{where}.suffix"),
                integration=_periods(
                    secondary_cls.Integration, member.integrations, f"{where}.integrations"
                ),
                desintegration=_periods(
                    secondary_cls.Desintegration, member.disintegrations, f"{where}.disintegrations"
                ),
            )
        )
    if check_bool(form.juridical_procedure, field=f"{field}.juridical_procedure") is None:
        raise RequestValidationError(
            f"{field}.juridical_procedure must be True or False",
            field=f"{field}.juridical_procedure",
        )
    return cls(
        entry_date=_date(form.entry_date, f"{field}.entry_date", entry=True),
        unique_attest_id=_attest(form.attest_id, f"{field}.attest_id"),
        identification_primary_beneficiary=primary_cls(
            ssin=ssin_argument(form.primary_ssin, field=f"{field}.primary_ssin"),
            integration=_periods(
                primary_cls.Integration, form.primary_integrations, f"{field}.primary_integrations"
            ),
            desintegration=_periods(
                primary_cls.Desintegration,
                form.primary_disintegrations,
                f"{field}.primary_disintegrations",
            ),
        ),
        identification_secondary_beneficiary=secondary,
        requested_aids=_requested_aids(form.requested_aids, f"{field}.requested_aids"),
        primary_beneficiary_aids=_aid_measures(form.primary_aids, f"{field}.primary_aids"),
        partner_aids=_aid_measures(form.partner_aids, f"{field}.partner_aids"),
        situation=_situation(form.situation, f"{field}.situation"),
        duration=_duration(form.duration, f"{field}.duration"),
        decision_date=_date(form.decision_date, f"{field}.decision_date"),
        juridical_procedure=form.juridical_procedure,
    )


def individual_decision_b2_model(
    value: object, field: str
) -> L65ABDecisionRequest.IndividualDecisionsB2:
    form = _record(value, IndividualDecisionB2, field)
    cls = L65ABDecisionRequest.IndividualDecisionsB2
    return cls(
        entry_date=_date(form.entry_date, f"{field}.entry_date", entry=True),
        unique_attest_id=_attest(form.attest_id, f"{field}.attest_id"),
        ssin=ssin_argument(form.ssin, field=f"{field}.ssin"),
        suffix=_suffix(form.suffix, f"{field}.suffix"),
        decision_b2=DecisionB2(
            decision_date=_date(form.decision_date, f"{field}.decision_date"),
            duration=_duration(form.duration, f"{field}.duration"),
            ambulant_medical_and_pharmaceutical_costs=_flag(
                form.ambulant_costs, f"{field}.ambulant_costs"
            ),
            hospitalization_costs=_flag(
                form.hospitalization_costs, f"{field}.hospitalization_costs"
            ),
            rn_rr_inscription=_code(form.rn_rr_inscription, f"{field}.rn_rr_inscription"),
            juridical_procedure=_flag(form.juridical_procedure, f"{field}.juridical_procedure"),
        ),
        integration=_periods(cls.Integration, form.integrations, f"{field}.integrations"),
        desintegration=_periods(
            cls.Desintegration, form.disintegrations, f"{field}.disintegrations"
        ),
    )


# --------------------------------------------------------------------------- form C


def cancellation_c_model(value: object, field: str) -> L65CDecisionRequest.CancellationFormC:
    form = _record(value, CancellationC, field)
    cls = L65CDecisionRequest.CancellationFormC
    return cls(
        entry_date=_date(form.entry_date, f"{field}.entry_date", entry=True),
        unique_attest_id=_attest(form.attest_id, f"{field}.attest_id"),
        ssin=ssin_argument(form.ssin, field=f"{field}.ssin"),
        suffix=_suffix(form.suffix, f"{field}.suffix"),
        aid_cancellation=cls.AidCancellation(
            decision_date=_date(form.decision_date, f"{field}.decision_date"),
            decisionnature=_required_code(
                form.decision_nature, f"{field}.decision_nature", length=1
            ),
            cancellation_reason=_required_code(form.reason, f"{field}.reason", length=2),
        ),
        former_cformcancellation=(
            None
            if form.former_c_cancellation is None
            else _required_code(
                form.former_c_cancellation, f"{field}.former_c_cancellation", length=1
            )
        ),
        integration=_periods(cls.Integration, form.integrations, f"{field}.integrations"),
        desintegration=_periods(
            cls.Desintegration, form.disintegrations, f"{field}.disintegrations"
        ),
    )


def secondary_integration_c_model(
    value: object, field: str
) -> L65CDecisionRequest.IntegrationSecondaryBeneficiary:
    member = _record(value, SecondaryIntegration, field)
    cls = L65CDecisionRequest.IntegrationSecondaryBeneficiary
    if member.suffix is not None:
        raise RequestValidationError(
            f"{field}.suffix is not part of form C (leave it None)", field=f"{field}.suffix"
        )
    return cls(
        ssin=ssin_argument(member.ssin, field=f"{field}.ssin"),
        integration=_periods(cls.Integration, member.integrations, f"{field}.integrations"),
        desintegration=_periods(
            cls.Desintegration, member.disintegrations, f"{field}.disintegrations"
        ),
    )


# --------------------------------------------------------------------------- forms D and F


def _month(value: object, field: str) -> XmlPeriod:
    year: int
    month: int
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        year, month = value.year, value.month
    elif (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        year, month = value
    elif isinstance(value, str) and len(value.strip()) == 7 and value.strip()[4] == "-":
        text = value.strip()
        if not (text[:4].isdigit() and text[5:].isdigit()):
            raise RequestValidationError(f"{field} must look like 2024-03", field=field)
        year, month = int(text[:4]), int(text[5:])
    else:
        raise RequestValidationError(
            f"{field} must be a date, (year, month) or 'yyyy-mm'", field=field
        )
    if not 1 <= month <= 12:
        raise RequestValidationError(f"{field} has no month {month}", field=field)
    if (year, month) < (2002, 1) or year > 9999:
        raise RequestValidationError(f"{field} may not be before 2002-01", field=field)
    return XmlPeriod(f"{year:04d}-{month:02d}")


def _aid_amounts(value: object, cls: Any, field: str) -> Any:
    if value is None:
        return None
    aids = _record(value, AidAmounts, field)
    social = None
    initiative = _optional_int(
        aids.social_economy_initiative, 0, 999_999, f"{field}.social_economy_initiative"
    )
    days = _optional_int(aids.social_economy_days, 0, 99, f"{field}.social_economy_days")
    if initiative is not None or days is not None:
        social = cls.SocialEconomy(initiative=initiative, days=days)
    return cls(
        art60p7_amount=_optional_cents(aids.art60p7, f"{field}.art60p7"),
        art61_amount=_optional_cents(aids.art61, f"{field}.art61"),
        activation_amount=_optional_cents(aids.activation, f"{field}.activation"),
        partnerconvention_amount=_optional_cents(
            aids.partner_convention, f"{field}.partner_convention"
        ),
        alimony_amount=_optional_cents(aids.alimony, f"{field}.alimony"),
        social_economy=social,
    )


def _amount_list(values: object, field: str, maximum: int) -> list[int]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise RequestValidationError(f"{field} must be a sequence of amounts", field=field)
    amounts = [_cents(v, f"{field}[{i}]") for i, v in enumerate(values)]
    if len(amounts) > maximum:
        raise RequestValidationError(f"{field} may hold at most {maximum} amounts", field=field)
    return amounts


def refund_d1_model(value: object, field: str = "refund_d1") -> L65DFDecisionRequest.RefundformD1:
    form = _record(value, RefundD1, field)
    cls = L65DFDecisionRequest.RefundformD1
    delivered = cls.DeliveredAmountsD1
    financial = None
    if form.financial_aid is not None or form.monthly_income is not None:
        financial = delivered.FinancialAid(
            amount=_optional_cents(form.financial_aid, f"{field}.financial_aid"),
            monthly_income=_decimal(form.monthly_income, f"{field}.monthly_income"),
        )
    birth = None
    if form.birth_allowance is not None:
        b = _record(form.birth_allowance, BirthAllowance, f"{field}.birth_allowance")
        birth = delivered.BirthAllowance(
            amount=_decimal(b.amount, f"{field}.birth_allowance.amount", total_digits=8),
            birth_date=_optional_date(b.birth_date, f"{field}.birth_allowance.birth_date"),
            number_of_living_children=_optional_int(
                b.living_children, 0, 99, f"{field}.birth_allowance.living_children"
            ),
            number_of_stillborn_children=_optional_int(
                b.stillborn_children, 0, 99, f"{field}.birth_allowance.stillborn_children"
            ),
        )
    child = None
    if form.guaranteed_child_allowance is not None:
        g = _record(
            form.guaranteed_child_allowance,
            GuaranteedChildAllowance,
            f"{field}.guaranteed_child_allowance",
        )
        child = delivered.GuaranteedChildAllowance(
            amount=_optional_cents(g.amount, f"{field}.guaranteed_child_allowance.amount"),
            number_of_children=_optional_int(
                g.number_of_children,
                0,
                99,
                f"{field}.guaranteed_child_allowance.number_of_children",
            ),
        )
    double = check_bool(form.double_maximum, field=f"{field}.double_maximum")
    return cls(
        reference_month=_month(form.reference_month, f"{field}.reference_month"),
        unique_attest_id=_attest(form.attest_id, f"{field}.attest_id"),
        ssin=ssin_argument(form.ssin, field=f"{field}.ssin"),
        delivered_amounts_d1=delivered(
            financial_aid=financial,
            medical_costs_amount=_amount_list(form.medical_costs, f"{field}.medical_costs", 5),
            pharmaceutical_costs_amount=_amount_list(
                form.pharmaceutical_costs, f"{field}.pharmaceutical_costs", 5
            ),
            mut_base_contribution_amount=_optional_cents(
                form.mut_base_contribution, f"{field}.mut_base_contribution"
            ),
            mut_complementary_contribution_amount=_optional_cents(
                form.mut_complementary_contribution, f"{field}.mut_complementary_contribution"
            ),
            mut_regularization_amount=_optional_cents(
                form.mut_regularization, f"{field}.mut_regularization"
            ),
            repatriation_costs_amount=_optional_cents(
                form.repatriation_costs, f"{field}.repatriation_costs"
            ),
            placement_costs_amount=_optional_cents(
                form.placement_costs, f"{field}.placement_costs"
            ),
            housing_costs_amount=_optional_cents(form.housing_costs, f"{field}.housing_costs"),
            birth_allowance=birth,
            guaranteed_child_allowance=child,
            other_requested_aids=_optional_cents(form.other_aids, f"{field}.other_aids"),
            double_maximum=bool(double),
        ),
        primary_beneficiary_aids=_aid_amounts(
            form.primary_aids, cls.PrimaryBeneficiaryAids, f"{field}.primary_aids"
        ),
        partner_aids=_aid_amounts(form.partner_aids, cls.PartnerAids, f"{field}.partner_aids"),
        health_service_registration_starting_date=_optional_date(
            form.health_service_registration_start, f"{field}.health_service_registration_start"
        ),
        total_amount=_cents(form.total_amount, f"{field}.total_amount"),
        juridical_procedure=_flag(form.juridical_procedure, f"{field}.juridical_procedure"),
        integration=_periods(cls.Integration, form.integrations, f"{field}.integrations"),
        desintegration=_periods(
            cls.Desintegration, form.disintegrations, f"{field}.disintegrations"
        ),
    )


def refund_d2_model(value: object, field: str) -> L65DFDecisionRequest.RefundFormD2:
    form = _record(value, RefundD2, field)
    cls = L65DFDecisionRequest.RefundFormD2
    delivered = cls.DeliveredAmountsD2
    bills = []
    for i, bill in enumerate(
        _records(form.hospital_bills, HospitalBill, f"{field}.hospital_bills", 5)
    ):
        where = f"{field}.hospital_bills[{i}]"
        number = check_text(bill.number, field=f"{where}.number", max_length=15)
        assert number is not None
        bills.append(
            delivered.HospitalizationcostsBill(
                number=number,
                year=str(check_count(bill.year, 1000, 9999, field=f"{where}.year")),
                amount=_cents(bill.amount, f"{where}.amount"),
            )
        )
    ambulant = None
    if form.ambulant_medical_costs is not None or form.ambulant_pharmaceutical_costs is not None:
        ambulant = delivered.AmbultantCosts(
            medicalcosts_amount=_optional_cents(
                form.ambulant_medical_costs, f"{field}.ambulant_medical_costs"
            ),
            pharmaceutical_costs_amount=_optional_cents(
                form.ambulant_pharmaceutical_costs, f"{field}.ambulant_pharmaceutical_costs"
            ),
        )
    provider_cbe = None
    if form.provider_cbe_number is not None:
        provider_cbe = int(
            normalize_cbe(form.provider_cbe_number, field=f"{field}.provider_cbe_number")
        )
    return cls(
        entry_date=_date(form.entry_date, f"{field}.entry_date", entry=True),
        unique_attest_id=_attest(form.attest_id, f"{field}.attest_id"),
        ssin=ssin_argument(form.ssin, field=f"{field}.ssin"),
        suffix=_suffix(form.suffix, f"{field}.suffix"),
        identification_care_providing_institution=cls.IdentificationCareProvidingInstitution(
            inamirizivregistration_number=check_count(
                form.inami_number, 1, 99_999_999_999, field=f"{field}.inami_number"
            ),
            kbobce=provider_cbe,
        ),
        delivered_amounts_d2=delivered(
            hospitalizationcosts_bill=bills,
            hospitalization_costs_remaining_amount=_optional_cents(
                form.hospital_remaining_amount, f"{field}.hospital_remaining_amount"
            ),
            ambultant_costs=ambulant,
        ),
        health_service_registration_starting_date=_optional_date(
            form.health_service_registration_start, f"{field}.health_service_registration_start"
        ),
        total_amount=_cents(form.total_amount, f"{field}.total_amount"),
        juridical_procedure=_flag(form.juridical_procedure, f"{field}.juridical_procedure"),
        integration=_periods(cls.Integration, form.integrations, f"{field}.integrations"),
        desintegration=_periods(
            cls.Desintegration, form.disintegrations, f"{field}.disintegrations"
        ),
    )


def recovery_f_model(value: object, field: str) -> L65DFDecisionRequest.RecoveringFormF:
    form = _record(value, RecoveryF, field)
    cls = L65DFDecisionRequest.RecoveringFormF
    if form.period_start is not None and form.period_end is not None:
        check_period(form.period_start, form.period_end, field=f"{field}.period")
    return cls(
        reference_date=_date(form.reference_date, f"{field}.reference_date", entry=True),
        unique_attest_id=_attest(form.attest_id, f"{field}.attest_id"),
        ssin=ssin_argument(form.ssin, field=f"{field}.ssin"),
        suffix=_suffix(form.suffix, f"{field}.suffix"),
        recovering_details=cls.RecoveringDetails(
            original_form=_required_code(form.original_form, f"{field}.original_form", length=1),
            type_value=_required_code(form.type, f"{field}.type", length=2),
            recovered_amount=_cents(form.amount, f"{field}.amount"),
            period_of_recovering=PeriodType(
                start_date=_optional_date(form.period_start, f"{field}.period_start"),
                end_date=_optional_date(form.period_end, f"{field}.period_end"),
            ),
        ),
    )
