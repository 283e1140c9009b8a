"""Handiservice consultFile: flags, the two-year payment period, HAN codes, no-data outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from social_support import (
    NOW,
    assert_valid,
    client,
    interpret_handler,
    population,
    run_handler,
    simulator,
)

from cbss_sdk._errors_social import (
    HandiClientNotAuthorized,
    HandiPaymentPeriodRefused,
    HandiserviceError,
    HandiSourceError,
)
from cbss_sdk.errors import CbssBusinessError, LegalContextRefused, RequestValidationError
from cbss_sdk.services._handiservice import Handiservice, HandiserviceResult
from cbss_sdk.services._social_common import Month
from cbss_sdk.testing._population import PERSONA_SSINS
from cbss_sdk.testing._registry import SimulatedBusinessError
from cbss_sdk.testing._services.handiservice import SOURCE_ERROR_DATE, file_of

TODAY = NOW.date()
CONSULT = Handiservice.consult_file


def prepare(ssin: str, **kwargs: Any) -> Any:
    kwargs.setdefault("reference_date", TODAY)
    return CONSULT.prepare(Handiservice(client()), ssin, **kwargs)


def result_for(ssin: str, **kwargs: Any) -> HandiserviceResult:
    result = interpret_handler(
        "handiservice", "Handiservice", "consultFile", prepare(ssin, **kwargs)
    )
    assert isinstance(result, HandiserviceResult)
    return result


def _with_file(*, points: int = 0) -> tuple[str, Any]:
    for person in population():
        found = file_of(person)
        if not person.tags and found is not None and found.points >= points:
            return person.ssin, found
    raise AssertionError("nobody with a disability file in the population")


def _without_file() -> str:
    for person in population():
        if not person.tags and file_of(person) is None:
            return person.ssin
    raise AssertionError("everybody has a disability file")


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"payments_start": dt.date(2024, 1, 1)}, "payments_start"),
        ({"payments_end": dt.date(2024, 1, 1)}, "payments_start"),
        (
            {"payments_start": dt.date(2024, 2, 1), "payments_end": dt.date(2024, 1, 31)},
            "payments_end",
        ),
        (
            {"payments_start": dt.date(2022, 1, 1), "payments_end": dt.date(2024, 1, 1)},
            "payments_end",
        ),
        (
            {"payments_start": dt.datetime(2023, 1, 1), "payments_end": dt.date(2024, 1, 1)},
            "payments_start",
        ),
        ({"reference_date": "2024-01-01"}, "reference_date"),
        ({"rights": "yes"}, "rights"),
        (
            {
                "evolution_of_request": False,
                "handicap_recognition": False,
                "rights": False,
                "social_cards": False,
            },
            "rights",
        ),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        prepare("78041201134", **kwargs)
    assert caught.value.field == field


def test_two_years_is_the_limit() -> None:
    prepare("78041201134", payments_start=dt.date(2022, 1, 1), payments_end=dt.date(2023, 12, 31))
    prepare("78041201134", payments_start=dt.date(2024, 2, 29), payments_end=dt.date(2026, 2, 28))
    with pytest.raises(RequestValidationError):
        prepare(
            "78041201134", payments_start=dt.date(2024, 2, 29), payments_end=dt.date(2026, 3, 1)
        )


def test_only_payments_is_a_valid_question() -> None:
    prepared = prepare(
        "78041201134",
        evolution_of_request=False,
        handicap_recognition=False,
        rights=False,
        social_cards=False,
        payments_start=dt.date(2024, 1, 1),
        payments_end=dt.date(2024, 12, 31),
    )
    assert_valid(prepared, "Handiservice")


def test_the_request_on_the_wire() -> None:
    prepared = prepare(
        "78041201134",
        reference_date=dt.date(2025, 1, 31),
        social_cards=False,
        payments_start=dt.date(2024, 1, 1),
        payments_end=dt.date(2024, 12, 31),
    )
    assert_valid(prepared, "Handiservice")
    payload = prepared.payload
    assert payload.findtext("legalContext") == "social inquiry"
    info = payload.find("wantedInformation/informationAtReferenceDate")
    assert [(c.tag, c.text) for c in info] == [
        ("referenceDate", "2025-01-31"),
        ("evolutionOfRequest", "true"),
        ("handicapRecognition", "true"),
        ("rights", "true"),
        ("socialCards", "false"),
    ]
    assert payload.findtext("wantedInformation/paymentsAtPeriod/startDate") == "2024-01-01"
    assert payload.findtext("wantedInformation/paymentsAtPeriod/endDate") == "2024-12-31"
    without = prepare("78041201134").payload
    assert without.find("wantedInformation/paymentsAtPeriod") is None


# --------------------------------------------------------------------------- answers


def test_a_file_with_payments() -> None:
    ssin, found = _with_file()
    start = dt.date(TODAY.year - 1, 1, 1)
    end = dt.date(TODAY.year - 1, 12, 31)
    result = result_for(ssin, payments_start=start, payments_end=end)
    assert result.data_found and result.known_at_source and result.file is not None
    assert [r.kind for r in result.rights] == [kind for kind, _ in found.rights]
    assert result.recognitions[0].autonomy_points == found.points
    assert result.requests[0].request_date.to_date() == found.applied
    payments = result.payments
    assert payments and all(start <= p.paid_on <= end for p in payments)
    assert {p.month for p in payments} <= {Month(TODAY.year - 1, m) for m in range(1, 13)}
    monthly = sum((amount for _, amount in found.rights), Decimal("0.00"))
    assert result.total_paid == monthly * len({p.month for p in payments})
    assert all(isinstance(p.amount, Decimal) for p in payments)


def test_parts_not_asked_for_are_absent() -> None:
    ssin, _ = _with_file()
    result = result_for(ssin, rights=False, social_cards=False)
    assert result.rights == () and result.social_cards == () and result.payments == ()
    assert result.file is not None and result.file.rights is None
    assert result.recognitions


def test_unknown_at_the_dgph_is_an_outcome() -> None:
    result = result_for(_without_file())
    assert not result.known_at_source and not result.data_found
    assert result.status.value == "NO_DATA_FOUND" and result.status.code == "MSG00021"
    assert result.file is None and result.rights == ()


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("HAN00010", HandiClientNotAuthorized),
        ("HAN00020", HandiPaymentPeriodRefused),
        ("HAN00021", HandiPaymentPeriodRefused),
        ("HAN00031", HandiSourceError),
        ("HAN00032", HandiSourceError),
    ],
)
def test_han_codes_are_typed_errors(code: str, error: type[HandiserviceError]) -> None:
    from test_service_tax_assessment import _status_reply  # same CommonV3 reply shape

    prepared = prepare("78041201134")
    reply = _status_reply("NO_RESULT", code)
    reply.message.payload.tag = (
        "{http://kszbcss.fgov.be/intf/HandiserviceService/v2}consultFileResponse"
    )
    with pytest.raises(error) as caught:
        prepared.interpret(reply)
    assert caught.value.code == code and isinstance(caught.value, CbssBusinessError)


def test_simulated_refusals_of_raw_requests() -> None:
    prepared = prepare("78041201134", reference_date=SOURCE_ERROR_DATE)
    with pytest.raises(SimulatedBusinessError) as caught:
        run_handler("handiservice", "Handiservice", "consultFile", prepared)
    assert caught.value.code == "HAN00031"


# --------------------------------------------------------------------------- through the simulator


def test_through_the_simulator_sync() -> None:
    ssin, found = _with_file()
    with simulator("handiservice").client() as cbss:
        result = Handiservice(cbss).consult_file(
            ssin,
            reference_date=TODAY,
            payments_start=dt.date(TODAY.year - 1, 7, 1),
            payments_end=dt.date(TODAY.year, 6, 30),
        )
    assert result.meta.legal_context == "social inquiry" and result.meta.cbss_ticket
    assert [r.monthly_amount for r in result.rights] == [amount for _, amount in found.rights]
    assert result.payments


async def test_through_the_simulator_async() -> None:
    async with simulator("handiservice").async_client() as cbss:
        result = await Handiservice(cbss).consult_file(_without_file(), reference_date=TODAY)
    assert not result.known_at_source and result.status.value == "NO_DATA_FOUND"


def test_business_errors_through_the_simulator() -> None:
    with simulator("handiservice").client() as cbss:
        with pytest.raises(HandiSourceError):
            Handiservice(cbss).consult_file("78041201134", reference_date=SOURCE_ERROR_DATE)
        with pytest.raises(LegalContextRefused):
            Handiservice(cbss).consult_file(PERSONA_SSINS["legal_context_refused"])
