"""The Loi65 facade (OCMWCPASWet65Loi65AB / C / DF): arguments, requests, simulator round trips.

Every request the facade builds is checked against our schema *and* the official CBSS one
(skipped with a reason when the reference folder is absent); calls go through the in-process
simulator, sync and async, including its documented refusals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pytest
from lxml import etree

import cbss_sdk.testing._services.loi65 as sim_loi65
from cbss_sdk import catalog
from cbss_sdk._binding import model_to_element
from cbss_sdk._catalog_ssdn import LOI65_VERSION
from cbss_sdk._client import AsyncCbssClient, CbssClient
from cbss_sdk._organization import Organization
from cbss_sdk.errors import ConfigurationError, RequestValidationError, SsdnError
from cbss_sdk.services._loi65 import Loi65, Loi65Evaluation, Loi65Result
from cbss_sdk.services._loi65_forms import (
    AidAmounts,
    Art60p7,
    Beneficiary,
    BirthAllowance,
    CancellationC,
    CommonDecisionB1,
    FileSituation,
    GrantDuration,
    GuaranteedChildAllowance,
    HospitalBill,
    IdentificationA,
    IndividualDecisionB2,
    PostalAddress,
    PrimaryBeneficiary,
    QualityPeriod,
    RecoveryF,
    RefundD1,
    RefundD2,
    RequestedAid,
    SecondaryBeneficiary,
    SecondaryIntegration,
    SocialAidMeasures,
)
from cbss_sdk.ssdn._envelope import SERVICE_NS
from cbss_sdk.testing import Simulator
from cbss_sdk.testing._population import UNKNOWN_SSIN

REPO = Path(__file__).resolve().parents[1]
OUR_ENTRY = REPO / "xsd" / "ssdn" / "OCMW_CPAS" / "Loi65Wet65" / "20020101" / "LoiWet65.xsd"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cbss"
OFFICIAL_ENTRY = (
    REFERENCE / "head" / "XSD" / "SSDN" / "OCMW_CPAS" / "Loi65Wet65" / "NamespaceRoot.xsd"
)
_S = f"{{{SERVICE_NS}}}"

TODAY = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.timezone.utc)
FILE_ID = "FILE0000001"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sim() -> Simulator:
    assert ("Loi65AB", "decisionAB") in Simulator().handlers  # the handler module is imported
    return Simulator(clock=lambda: TODAY, raise_handler_errors=True)


@pytest.fixture(scope="module")
def family(sim: Simulator) -> tuple[str, ...]:
    """A household without error persona: head first."""
    for person in sim.population:
        members = sim.population.household(person.ssin)
        if len(members) >= 3 and all(not m.tags and m.integrated for m in members):
            return tuple(m.ssin for m in members)
    raise AssertionError("the default population has no plain household of three")


@pytest.fixture
def client(sim: Simulator) -> Iterator[CbssClient]:
    with sim.client() as c:
        yield c


@pytest.fixture
async def async_client(sim: Simulator) -> Any:
    async with sim.async_client() as c:
        yield c


# --------------------------------------------------------------------------- helpers


@cache
def _schema(official: bool) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(OFFICIAL_ENTRY if official else OUR_ENTRY)))


def _document(prepared: Any) -> etree._Element:
    return etree.fromstring(str(prepared.payload.text).encode("utf-8"))


def _payload(prepared: Any) -> etree._Element:
    request = _document(prepared).find(_S + "ServiceRequest")
    assert request is not None
    return request[2]


def _service_request(prepared: Any) -> tuple[str | None, str | None]:
    document = _document(prepared)
    return (
        document.findtext(f"{_S}ServiceRequest/{_S}ServiceId"),
        document.findtext(f"{_S}ServiceRequest/{_S}Version"),
    )


def _texts(element: etree._Element, name: str) -> list[str | None]:
    """The texts of the descendants called *name* (any namespace), in document order."""
    return [
        e.text
        for e in element.iter()
        if isinstance(e.tag, str) and etree.QName(e).localname == name
    ]


def _assert_valid(element: etree._Element) -> None:
    ours = _schema(False)
    assert ours.validate(element), [str(e) for e in ours.error_log]
    if OFFICIAL_ENTRY.is_file():
        official = _schema(True)
        assert official.validate(element), [str(e) for e in official.error_log]


needs_reference = pytest.mark.skipif(
    not OFFICIAL_ENTRY.is_file(),
    reason=f"official CBSS Loi65 schemas not found under {REFERENCE} (test data outside the repo)",
)


def _period(code: int = 2) -> QualityPeriod:
    return QualityPeriod(code, dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def identification(head: str, member: str, **changes: Any) -> IdentificationA:
    form = IdentificationA(
        entry_date=dt.date(2024, 1, 15),
        attest_id="AB0000000000001",
        primary=PrimaryBeneficiary(
            person=Beneficiary(head, "DUBOIS", "Marc", "1980-05-00"),
            status="1",
            address=PostalAddress("Rue de la Station", "6000", "12", "B"),
            nationality=150,
            institution="01",
            gender="M",
            real_life_situation="2",
            first_inscription_in_belgium=dt.date(2001, 3, 1),
            uninterrupted_stay="1",
            integrations=(_period(),),
            disintegrations=(_period(4),),
        ),
        secondary=(
            SecondaryBeneficiary(
                person=Beneficiary(member), suffix=1, status="2", nationality=150, relation="1"
            ),
        ),
    )
    return _evolve(form, changes)


def common_decision(head: str, member: str, **changes: Any) -> CommonDecisionB1:
    form = CommonDecisionB1(
        entry_date=dt.date(2024, 1, 15),
        attest_id="AB0000000000002",
        primary_ssin=head,
        requested_aids=(RequestedAid.FINANCIAL_AID, "housing_costs"),
        duration=GrantDuration(months=3, days=10),
        decision_date=dt.date(2024, 1, 10),
        juridical_procedure=False,
        primary_integrations=(_period(),),
        secondary=(SecondaryIntegration(member, 1, (_period(),)),),
        primary_aids=SocialAidMeasures(Art60p7("1", "2", "3"), art61=True, activation_type="1"),
        partner_aids=SocialAidMeasures(alimony=False, partner_convention="1"),
        situation=FileSituation("1", "01", True, "3"),
    )
    return _evolve(form, changes)


def individual(member: str, **changes: Any) -> IndividualDecisionB2:
    form = IndividualDecisionB2(
        entry_date=dt.date(2024, 1, 15),
        attest_id="AB0000000000003",
        ssin=member,
        suffix=1,
        decision_date=dt.date(2024, 1, 12),
        duration=GrantDuration(weeks=6),
        ambulant_costs=True,
        hospitalization_costs=False,
        rn_rr_inscription="1",
        juridical_procedure=False,
        integrations=(_period(),),
    )
    return _evolve(form, changes)


def cancellation(ssin: str, **changes: Any) -> CancellationC:
    form = CancellationC(
        entry_date=dt.date(2024, 2, 1),
        attest_id="C00000000000001",
        ssin=ssin,
        suffix=0,
        decision_date=dt.date(2024, 1, 31),
        decision_nature="S",
        reason="01",
        former_c_cancellation="N",
        disintegrations=(_period(),),
    )
    return _evolve(form, changes)


def refund_d1(ssin: str, **changes: Any) -> RefundD1:
    form = RefundD1(
        reference_month=(2024, 1),
        attest_id="D00000000000001",
        ssin=ssin,
        total_amount=Decimal("1450.50"),
        financial_aid=Decimal("1200.50"),
        monthly_income=Decimal("0"),
        medical_costs=(Decimal("10.00"), Decimal("20")),
        pharmaceutical_costs=(Decimal("5.25"),),
        mut_base_contribution=Decimal("30"),
        housing_costs=Decimal("150.00"),
        birth_allowance=BirthAllowance(Decimal("1100.00"), dt.date(2024, 1, 3), 1, 0),
        guaranteed_child_allowance=GuaranteedChildAllowance(Decimal("90"), 2),
        other_aids=Decimal("1"),
        primary_aids=AidAmounts(
            art60p7=Decimal("100"), social_economy_initiative=123, social_economy_days=5
        ),
        partner_aids=AidAmounts(alimony=Decimal("50")),
        health_service_registration_start=dt.date(2023, 12, 1),
        juridical_procedure=False,
        integrations=(_period(),),
    )
    return _evolve(form, changes)


def refund_d2(ssin: str, **changes: Any) -> RefundD2:
    form = RefundD2(
        entry_date=dt.date(2024, 2, 10),
        attest_id="D00000000000002",
        ssin=ssin,
        suffix=1,
        inami_number=71000000,
        total_amount=Decimal("830.10"),
        provider_cbe_number="0212344876",
        hospital_bills=(HospitalBill("F-2024-001", 2024, Decimal("800.10")),),
        hospital_remaining_amount=Decimal("0"),
        ambulant_medical_costs=Decimal("20"),
        ambulant_pharmaceutical_costs=Decimal("10"),
    )
    return _evolve(form, changes)


def recovery(ssin: str, **changes: Any) -> RecoveryF:
    form = RecoveryF(
        reference_date=dt.date(2024, 3, 1),
        attest_id="F00000000000001",
        ssin=ssin,
        suffix=0,
        original_form="D",
        type="01",
        amount=Decimal("50.00"),
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 1, 31),
    )
    return _evolve(form, changes)


F = TypeVar("F")


def _evolve(form: F, changes: dict[str, Any]) -> F:
    return attrs.evolve(form, **changes) if changes else form  # type: ignore[misc]


# --------------------------------------------------------------------------- catalog


def test_catalog_entries_are_implemented_ssdn_declarations() -> None:
    for form in ("AB", "C", "DF"):
        spec = catalog.service(f"Loi65{form}")
        assert spec.protocol == "ssdn"
        assert spec.ssdn_service_id == f"OCMWCPASWet65Loi65{form}"
        assert spec.ssdn_version == LOI65_VERSION == "20020101"
        assert spec.models == "cbss_sdk.models.loi65_20020101"
        (op,) = spec.operations
        assert op.implemented and not op.idempotent
        assert op.python_name == f"decision_{form.lower()}"
        assert "modeled" in (spec.facts or "")


# --------------------------------------------------------------------------- requests


def test_every_form_ab_builds_a_request_valid_against_both_schemas(
    client: CbssClient, family: tuple[str, ...]
) -> None:
    head, member = family[0], family[1]
    prepared = Loi65.decision_ab.prepare(
        Loi65(client),
        file_id=FILE_ID,
        identification=identification(head, member),
        common_decision=common_decision(head, member),
        individual_decisions=[individual(member)],
    )
    payload = _payload(prepared)
    _assert_valid(payload)
    assert prepared.info.idempotent is False
    assert prepared.info.subject == head
    assert _service_request(prepared) == ("OCMWCPASWet65Loi65AB", LOI65_VERSION)
    ns = {"l": "http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/LoiWet65"}
    aids = payload.find("l:CommonDecisionB1/l:RequestedAids", ns)
    assert aids is not None
    flags = {etree.QName(e).localname: e.text for e in aids}
    assert flags["FinancialAid"] == "true" and flags["HousingCosts"] == "true"
    assert flags["BirthAllowance"] == "false" and len(flags) == 11
    housing = payload.find("l:CommonDecisionB1/l:Situation/l:HousingProvision", ns)
    assert housing is not None and housing.text == "01" and housing.get("ProvesProvided") == "true"


def test_forms_c_and_df_build_requests_valid_against_both_schemas(
    client: CbssClient, family: tuple[str, ...]
) -> None:
    head, member = family[0], family[1]
    facade = Loi65(client)
    prepared_c = Loi65.decision_c.prepare(
        facade,
        file_id=FILE_ID,
        cancellations=[cancellation(head)],
        secondary_integrations=[SecondaryIntegration(member, None, (_period(),))],
    )
    _assert_valid(_payload(prepared_c))
    assert _service_request(prepared_c) == ("OCMWCPASWet65Loi65C", LOI65_VERSION)
    prepared_df = Loi65.decision_df.prepare(
        facade,
        file_id=FILE_ID,
        refund_d1=refund_d1(head),
        refunds_d2=[refund_d2(member)],
        recoveries_f=[recovery(head)],
    )
    payload = _payload(prepared_df)
    _assert_valid(payload)
    assert _service_request(prepared_df) == ("OCMWCPASWet65Loi65DF", LOI65_VERSION)
    # Integer amounts go out in eurocents; the two decimal amounts in euros as given.
    assert _texts(payload, "TotalAmount") == ["145050", "83010"]
    assert _texts(payload, "MedicalCostsAmount") == ["1000", "2000"]
    assert _texts(payload, "PharmaceuticalCostsAmount") == ["525", "1000"]
    assert _texts(payload, "Amount") == ["120050", "1100.00", "9000", "80010"]
    assert _texts(payload, "MonthlyIncome") == ["0"]
    assert _texts(payload, "RecoveredAmount") == ["5000"]
    assert _texts(payload, "ReferenceMonth") == ["2024-01"]
    assert _texts(payload, "KBOBCE") == ["212344876", "212344876"]
    assert _texts(payload, "Year") == ["2024"]


def test_file_identification_defaults_to_the_client_organisation(
    sim: Simulator, family: tuple[str, ...]
) -> None:
    with sim.client(organization=Organization(sector=17, institution=1)) as bare:
        with pytest.raises(RequestValidationError) as caught:
            Loi65.decision_c.prepare(
                Loi65(bare), file_id=FILE_ID, cancellations=[cancellation(family[0])]
            )
        assert caught.value.field == "cbe_number"
        prepared = Loi65.decision_c.prepare(
            Loi65(bare),
            file_id=FILE_ID,
            cancellations=[cancellation(family[0])],
            cbe_number="0403.170.701",
        )
    assert _texts(_payload(prepared), "KBOBCE") == ["403170701"]


def test_version_and_service_id_are_overridable_per_client_and_per_call(
    client: CbssClient, family: tuple[str, ...]
) -> None:
    forms: dict[str, Any] = {"file_id": FILE_ID, "cancellations": [cancellation(family[0])]}
    facade = Loi65(client, versions={"c": "20150601"}, service_ids={"C": "OCMWCPASLoi65C"})
    assert _service_request(Loi65.decision_c.prepare(facade, **forms)) == (
        "OCMWCPASLoi65C",
        "20150601",
    )
    once = Loi65.decision_c.prepare(facade, **forms, version="20200101")
    assert _service_request(once) == ("OCMWCPASLoi65C", "20200101")
    default = Loi65(client)
    assert _service_request(Loi65.decision_c.prepare(default, **forms)) == (
        "OCMWCPASWet65Loi65C",
        LOI65_VERSION,
    )
    assert default.service_for("DF").ssdn_version == LOI65_VERSION
    assert set(default.specs) == {"AB", "C", "DF"}


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"versions": {"AB": "2015-06-01"}}, ConfigurationError),
        ({"versions": {"AB": "20151301"}}, ConfigurationError),
        ({"versions": {"E": "20150601"}}, ConfigurationError),
        ({"service_ids": {"DF": " "}}, ConfigurationError),
    ],
)
def test_bad_overrides_are_refused(
    client: CbssClient, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        Loi65(client, **kwargs)


def test_bad_per_call_version_is_refused(client: CbssClient, family: tuple[str, ...]) -> None:
    with pytest.raises(RequestValidationError) as caught:
        Loi65.decision_c.prepare(
            Loi65(client), file_id=FILE_ID, cancellations=[cancellation(family[0])], version="2015"
        )
    assert caught.value.field == "version"


def _ab(client: CbssClient, family: tuple[str, ...], **kwargs: Any) -> Any:
    head, member = family[0], family[1]
    arguments: dict[str, Any] = {"file_id": FILE_ID, "identification": identification(head, member)}
    arguments.update(kwargs)
    return Loi65.decision_ab.prepare(Loi65(client), **arguments)


# (description, build arguments from (head, member), expected field)
Builder2 = Callable[[str, str], dict[str, Any]]
INVALID_AB: dict[str, tuple[Builder2, str]] = {
    "file_id_short": (lambda h, m: {"file_id": "F1"}, "file_id"),
    "no_form": (lambda h, m: {"identification": None}, "identification"),
    "attest_id_14": (
        lambda h, m: {"identification": identification(h, m, attest_id="A" * 14)},
        "identification.attest_id",
    ),
    "entry_before_2002": (
        lambda h, m: {"identification": identification(h, m, entry_date=dt.date(2001, 12, 31))},
        "identification.entry_date",
    ),
    "entry_is_a_datetime": (
        lambda h, m: {"identification": identification(h, m, entry_date=dt.datetime(2024, 1, 1))},
        "identification.entry_date",
    ),
    "bad_ssin": (
        lambda h, m: {"identification": identification("12345678901", m)},
        "identification.primary.person.ssin",
    ),
    "postal_code_5_digits": (
        lambda h, m: {
            "identification": identification(
                h,
                m,
                primary=_evolve(
                    identification(h, m).primary, {"address": PostalAddress("Rue", "60000")}
                ),
            )
        },
        "identification.primary.address.postal_code",
    ),
    "gender_x": (
        lambda h, m: {
            "identification": identification(
                h, m, primary=_evolve(identification(h, m).primary, {"gender": "X"})
            )
        },
        "identification.primary.gender",
    ),
    "status_code_3_chars": (
        lambda h, m: {
            "identification": identification(
                h, m, primary=_evolve(identification(h, m).primary, {"status": "123"})
            )
        },
        "identification.primary.status",
    ),
    "secondary_nationality_below_100": (
        lambda h, m: {
            "identification": identification(
                h, m, secondary=(SecondaryBeneficiary(Beneficiary(m), 1, "2", 99, "1"),)
            )
        },
        "identification.secondary[0].nationality",
    ),
    "eighteen_secondary": (
        lambda h, m: {
            "identification": identification(
                h,
                m,
                secondary=tuple(
                    SecondaryBeneficiary(Beneficiary(m), i, "2", 150, "1") for i in range(18)
                ),
            )
        },
        "identification.secondary",
    ),
    "period_reversed": (
        lambda h, m: {
            "identification": identification(
                h,
                m,
                primary=_evolve(
                    identification(h, m).primary,
                    {"integrations": (QualityPeriod(2, dt.date(2024, 2, 1), dt.date(2024, 1, 1)),)},
                ),
            )
        },
        "identification.primary.integrations[0]",
    ),
    "empty_duration": (
        lambda h, m: {"common_decision": common_decision(h, m, duration=GrantDuration())},
        "common_decision.duration",
    ),
    "weeks_53": (
        lambda h, m: {"common_decision": common_decision(h, m, duration=GrantDuration(weeks=53))},
        "common_decision.duration.weeks",
    ),
    "no_requested_aid": (
        lambda h, m: {"common_decision": common_decision(h, m, requested_aids=())},
        "common_decision.requested_aids",
    ),
    "unknown_requested_aid": (
        lambda h, m: {"common_decision": common_decision(h, m, requested_aids=("jackpot",))},
        "common_decision.requested_aids",
    ),
    "juridical_procedure_missing": (
        lambda h, m: {"common_decision": common_decision(h, m, juridical_procedure=None)},
        "common_decision.juridical_procedure",
    ),
    "proofs_without_housing": (
        lambda h, m: {
            "common_decision": common_decision(
                h, m, situation=FileSituation(housing_proofs_provided=True)
            )
        },
        "common_decision.situation.housing_proofs_provided",
    ),
    "b1_secondary_without_suffix": (
        lambda h, m: {
            "common_decision": common_decision(h, m, secondary=(SecondaryIntegration(m),))
        },
        "common_decision.secondary[0].suffix",
    ),
    "b2_suffix_100": (
        lambda h, m: {"individual_decisions": [individual(m, suffix=100)]},
        "individual_decisions[0].suffix",
    ),
    "b2_not_a_form": (lambda h, m: {"individual_decisions": ["B2"]}, "individual_decisions[0]"),
    "b2_flag_not_bool": (
        lambda h, m: {"individual_decisions": [individual(m, ambulant_costs="yes")]},
        "individual_decisions[0].ambulant_costs",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID_AB))
def test_invalid_ab_arguments_are_refused_before_sending(
    client: CbssClient, family: tuple[str, ...], case: str
) -> None:
    build, field = INVALID_AB[case]
    with pytest.raises(RequestValidationError) as caught:
        _ab(client, family, **build(family[0], family[1]))
    assert caught.value.field == field
    assert family[0] not in str(caught.value) and family[1] not in str(caught.value)


Builder1 = Callable[[str], dict[str, Any]]
INVALID_DF: dict[str, tuple[Builder1, str]] = {
    "float_amount": (
        lambda s: {"refund_d1": refund_d1(s, total_amount=12.5)},
        "refund_d1.total_amount",
    ),
    "negative_amount": (
        lambda s: {"refund_d1": refund_d1(s, housing_costs=Decimal("-1"))},
        "refund_d1.housing_costs",
    ),
    "three_decimals": (
        lambda s: {"refund_d1": refund_d1(s, financial_aid=Decimal("1.005"))},
        "refund_d1.financial_aid",
    ),
    "nine_digit_cents": (
        lambda s: {"refund_d1": refund_d1(s, total_amount=Decimal("1000000.00"))},
        "refund_d1.total_amount",
    ),
    "six_medical_amounts": (
        lambda s: {"refund_d1": refund_d1(s, medical_costs=(Decimal(1),) * 6)},
        "refund_d1.medical_costs",
    ),
    "month_before_2002": (
        lambda s: {"refund_d1": refund_d1(s, reference_month="2001-12")},
        "refund_d1.reference_month",
    ),
    "month_13": (
        lambda s: {"refund_d1": refund_d1(s, reference_month=(2024, 13))},
        "refund_d1.reference_month",
    ),
    "double_maximum_not_bool": (
        lambda s: {"refund_d1": refund_d1(s, double_maximum="no")},
        "refund_d1.double_maximum",
    ),
    "social_economy_days_100": (
        lambda s: {"refund_d1": refund_d1(s, primary_aids=AidAmounts(social_economy_days=100))},
        "refund_d1.primary_aids.social_economy_days",
    ),
    "six_hospital_bills": (
        lambda s: {
            "refunds_d2": [refund_d2(s, hospital_bills=(HospitalBill("1", 2024, Decimal(1)),) * 6)]
        },
        "refunds_d2[0].hospital_bills",
    ),
    "bill_number_16": (
        lambda s: {
            "refunds_d2": [refund_d2(s, hospital_bills=(HospitalBill("X" * 16, 2024, Decimal(1)),))]
        },
        "refunds_d2[0].hospital_bills[0].number",
    ),
    "provider_cbe_invalid": (
        lambda s: {"refunds_d2": [refund_d2(s, provider_cbe_number="0212344877")]},
        "refunds_d2[0].provider_cbe_number",
    ),
    "recovery_type_1_char": (
        lambda s: {"recoveries_f": [recovery(s, type="1")]},
        "recoveries_f[0].type",
    ),
    "recovery_period_reversed": (
        lambda s: {"recoveries_f": [recovery(s, period_start=dt.date(2024, 2, 1))]},
        "recoveries_f[0].period",
    ),
    "no_form": (lambda s: {}, "refund_d1"),
    "d2_as_a_string": (lambda s: {"refunds_d2": "D2"}, "refunds_d2"),
}


@pytest.mark.parametrize("case", sorted(INVALID_DF))
def test_invalid_df_arguments_are_refused_before_sending(
    client: CbssClient, family: tuple[str, ...], case: str
) -> None:
    build, field = INVALID_DF[case]
    with pytest.raises(RequestValidationError) as caught:
        Loi65.decision_df.prepare(Loi65(client), file_id=FILE_ID, **build(family[0]))
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"cancellations": []}, "cancellations"),
        ({"reason": "1"}, "cancellations[0].reason"),
        ({"decision_nature": "SS"}, "cancellations[0].decision_nature"),
        (
            {"secondary": [SecondaryIntegration("85073003328", 1)]},
            "secondary_integrations[0].suffix",
        ),
    ],
)
def test_invalid_c_arguments_are_refused_before_sending(
    client: CbssClient, family: tuple[str, ...], arguments: dict[str, Any], field: str
) -> None:
    forms: dict[str, Any] = {"file_id": FILE_ID, "cancellations": [cancellation(family[0])]}
    if "cancellations" in arguments:
        forms["cancellations"] = arguments["cancellations"]
    elif "secondary" in arguments:
        forms["secondary_integrations"] = arguments["secondary"]
    else:
        forms["cancellations"] = [cancellation(family[0], **arguments)]
    with pytest.raises(RequestValidationError) as caught:
        Loi65.decision_c.prepare(Loi65(client), **forms)
    assert caught.value.field == field


# --------------------------------------------------------------------------- through the simulator


def test_forms_ab_are_accepted_by_the_simulator(
    client: CbssClient, family: tuple[str, ...]
) -> None:
    head, member = family[0], family[1]
    result = Loi65(client).decision_ab(
        file_id=FILE_ID,
        identification=identification(head, member),
        common_decision=common_decision(head, member),
        individual_decisions=[individual(member)],
    )
    assert isinstance(result, Loi65Result)
    assert result.file_id == FILE_ID and result.all_accepted and result.refused == ()
    assert [(d.attest_id, d.ssin, d.suffix) for d in result.decisions] == [
        ("AB0000000000001", head, 0),
        ("AB0000000000002", head, 0),
        ("AB0000000000003", member, 1),
    ]
    first = result.decisions[0]
    assert first.evaluation is Loi65Evaluation.ACCEPTED and first.refund_share == Decimal("100")
    assert first.spp_reference == sim_loi65.spp_reference("AB0000000000001", "AB")
    assert first.entry_date == dt.date(2024, 1, 15)
    assert head not in repr(first)
    b1: Any = result.decisions[1].reply
    assert b1.refunded_aids.financial_aid is True and b1.refunded_aids.birth_allowance is False
    assert result.meta.service == "Loi65AB" and result.meta.cbss_ticket


def test_unknown_person_and_future_date_are_refused_per_form(
    client: CbssClient, family: tuple[str, ...]
) -> None:
    head, member = family[0], family[1]
    result = Loi65(client).decision_ab(
        file_id=FILE_ID,
        identification=identification(head, member),
        individual_decisions=[
            individual(UNKNOWN_SSIN),
            individual(member, attest_id="AB0000000000004", entry_date=dt.date(2024, 7, 1)),
        ],
    )
    a, unknown, future = result.decisions
    assert a.accepted
    assert unknown.evaluation is Loi65Evaluation.REFUSED
    assert [e.code for e in unknown.errors] == [sim_loi65.UNKNOWN_PERSON]
    assert unknown.errors[0].text("nl") and unknown.errors[0].text("de") == unknown.errors[0].text(
        "fr"
    )
    assert [e.code for e in future.errors] == [sim_loi65.FUTURE_DATE]
    assert result.refused == (unknown, future) and not result.all_accepted


def test_a_file_of_another_cpas_is_refused_as_an_ssdn_error(
    client: CbssClient, family: tuple[str, ...]
) -> None:
    with pytest.raises(SsdnError) as caught:
        Loi65(client).decision_c(
            file_id=FILE_ID, cancellations=[cancellation(family[0])], cbe_number="0403170701"
        )
    assert caught.value.reason_codes == (sim_loi65.FILE_NOT_OWNED,)
    assert caught.value.service == "Loi65C"


def test_a_version_the_simulator_does_not_serve_is_an_ssdn_error(
    client: CbssClient, family: tuple[str, ...]
) -> None:
    with pytest.raises(SsdnError) as caught:
        Loi65(client).decision_c(
            file_id=FILE_ID, cancellations=[cancellation(family[0])], version="20150601"
        )
    assert caught.value.reason_codes == ("31000002",)


def test_form_c_through_the_simulator(client: CbssClient, family: tuple[str, ...]) -> None:
    result = Loi65(client).decision_c(
        file_id=FILE_ID,
        cancellations=[
            cancellation(family[0]),
            cancellation(family[2], attest_id="C00000000000002", suffix=2),
        ],
    )
    assert [(d.form, d.attest_id, d.suffix, d.evaluation) for d in result.decisions] == [
        ("C", "C00000000000001", 0, Loi65Evaluation.ACCEPTED),
        ("C", "C00000000000002", 2, Loi65Evaluation.ACCEPTED),
    ]
    assert result.decisions[0].entry_date == dt.date(2024, 2, 1)


async def test_forms_df_through_the_async_simulator(
    async_client: AsyncCbssClient, family: tuple[str, ...]
) -> None:
    head, member = family[0], family[1]
    result = await Loi65(async_client).decision_df(
        file_id=FILE_ID,
        refund_d1=refund_d1(head, total_amount=Decimal("6000.00")),
        refunds_d2=[refund_d2(member)],
        recoveries_f=[recovery(head)],
    )
    d1, d2, f = result.decisions
    assert d1.evaluation is Loi65Evaluation.PARTIALLY_ACCEPTED
    assert [e.code for e in d1.errors] == [sim_loi65.ABOVE_CEILING]
    assert d1.accepted_total == Decimal("5000.00") and d1.reference_month == (2024, 1)
    assert d1.manual_verification is False
    d1_reply: Any = d1.reply
    assert d1_reply.decision_on_amounts.financial_aid is None  # partly accepted: no detail
    assert d2.accepted and d2.accepted_total == Decimal("830.10") and d2.suffix == 1
    assert (
        f.accepted
        and f.accepted_total == Decimal("50.00")
        and f.reference_date == dt.date(2024, 3, 1)
    )


async def test_forms_ab_through_the_async_simulator(
    async_client: AsyncCbssClient, family: tuple[str, ...]
) -> None:
    result = await Loi65(async_client).decision_ab(
        file_id=FILE_ID, common_decision=common_decision(family[0], family[1])
    )
    assert [d.attest_id for d in result.decisions] == ["AB0000000000002"]
    assert result.all_accepted


# --------------------------------------------------------------------------- simulator replies


@needs_reference
def test_simulated_replies_are_valid_against_the_official_schema(
    client: CbssClient, sim: Simulator, family: tuple[str, ...]
) -> None:
    from cbss_sdk.testing._registry import SimContext

    head, member = family[0], family[1]
    facade = Loi65(client)
    ctx = SimContext(population=sim.population, registrations=sim.registrations, now=TODAY)
    requests = [
        (
            sim_loi65.build_ab_reply,
            Loi65.decision_ab.prepare(
                facade,
                file_id=FILE_ID,
                identification=identification(head, member),
                common_decision=common_decision(head, member),
                individual_decisions=[individual(UNKNOWN_SSIN)],
            ),
        ),
        (
            sim_loi65.build_c_reply,
            Loi65.decision_c.prepare(facade, file_id=FILE_ID, cancellations=[cancellation(head)]),
        ),
        (
            sim_loi65.build_df_reply,
            Loi65.decision_df.prepare(
                facade,
                file_id=FILE_ID,
                refund_d1=refund_d1(head),
                refunds_d2=[refund_d2(member)],
                recoveries_f=[recovery(head)],
            ),
        ),
    ]
    from cbss_sdk._binding import bind
    from cbss_sdk.testing._registry import model_class

    for build, prepared in requests:
        payload = _payload(prepared)
        spec = catalog.service(prepared.info.service)
        model = bind(payload, model_class(spec, payload.tag))  # type: ignore[arg-type]
        _assert_valid(model_to_element(build(ctx, model)))
