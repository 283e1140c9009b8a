"""Dolsis findEmployersByWorker: arguments, the request on the wire, outcomes and errors."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree
from social_support import (
    ADULT,
    CHILD,
    NOW,
    assert_valid,
    client,
    interpret_handler,
    population,
    run_handler,
    simulator,
    status_reply,
)

from cbss_sdk._errors_social import DolsisFamilyCompositionFailed
from cbss_sdk.errors import InvalidIdentifier, RequestValidationError, SsinUnknown
from cbss_sdk.models.dolsis_v1.be.fgov.kszbcss.types.dolsis.v1 import ActionType
from cbss_sdk.services._dolsis import Dolsis, DolsisScope, EmployersResult
from cbss_sdk.testing._registry import SimulatedBusinessError
from cbss_sdk.testing._services.dolsis import FAMILY_COMPOSITION_ERROR_DATE, jobs_of

FIND = Dolsis.find_employers_by_worker
TODAY = NOW.date()


def prepare(ssin: str = ADULT, **kwargs: object) -> object:
    return FIND.prepare(Dolsis(client()), ssin, **kwargs)  # type: ignore[arg-type]


def result_for(ssin: str, **kwargs: object) -> EmployersResult:
    prepared = FIND.prepare(Dolsis(client()), ssin, **kwargs)  # type: ignore[arg-type]
    result = interpret_handler("dolsis", "Dolsis", "findEmployersByWorker", prepared)
    assert isinstance(result, EmployersResult)
    return result


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scope": "everything"}, "scope"),
        ({"scope": "active", "start": dt.date(2020, 1, 1)}, "start"),
        ({"scope": "active", "end": dt.date(2020, 1, 1)}, "start"),
        ({"scope": "activeInPeriod", "start": dt.date(2020, 1, 1)}, "start"),
        ({"scope": "mutations", "end": dt.date(2020, 1, 1)}, "start"),
        ({"scope": "mutations", "start": dt.date(2021, 1, 1), "end": dt.date(2020, 1, 1)}, "end"),
        (
            {"scope": "mutations", "start": dt.datetime(2020, 1, 1), "end": dt.date(2021, 1, 1)},
            "start",
        ),
        ({"scope": "mutations", "start": "2020-01-01", "end": dt.date(2021, 1, 1)}, "start"),
        ({"legal_context": "x" * 65}, "legal_context"),
        ({"legal_context": " padded "}, "legal_context"),
    ],
)
def test_bad_arguments_are_refused_before_sending(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        prepare(**kwargs)
    assert caught.value.field == field


def test_a_bad_ssin_is_refused() -> None:
    with pytest.raises(InvalidIdentifier):
        prepare("85073003329")


# --------------------------------------------------------------------------- the request


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"scope": DolsisScope.ACTIVE},
        {"scope": "activeInPeriod", "start": dt.date(2020, 1, 1), "end": dt.date(2020, 12, 31)},
        {"scope": "MUTATIONS", "start": dt.date(2024, 1, 1), "end": dt.date(2024, 1, 1)},
    ],
)
def test_the_request_validates_against_our_schema(kwargs: dict[str, object]) -> None:
    prepared = prepare(**kwargs)
    assert_valid(prepared, "Dolsis")  # type: ignore[arg-type]


def test_the_legal_context_travels_in_the_security_context() -> None:
    prepared = prepare(
        scope="mutations",
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 6, 30),
        legal_context="SOCIAL_INVESTIGATION_OF_PCSA",
    )
    payload: etree._Element = prepared.payload  # type: ignore[attr-defined]
    assert payload.find("legalContext") is None
    assert payload.findtext("securityContext/service") == "WELFARE"
    assert payload.findtext("securityContext/legalContext") == "SOCIAL_INVESTIGATION_OF_PCSA"
    assert payload.findtext("securityContext/role") == "Agent"
    assert payload.findtext("criteria/ssin") == ADULT
    assert payload.findtext("criteria/scope") == "mutations"
    assert payload.findtext("criteria/period/beginDate") == "2024-01-01"
    assert payload.findtext("criteria/period/endDate") == "2024-06-30"
    assert [child.tag for child in payload] == [
        "informationCustomer",
        "securityContext",
        "criteria",
    ]
    info = prepared.info  # type: ignore[attr-defined]
    assert info.legal_context == "SOCIAL_INVESTIGATION_OF_PCSA"
    assert info.path == "DolsisService/v1/findEmployersByWorker"
    assert info.idempotent


def test_the_active_scope_sends_no_period() -> None:
    payload = prepare().payload  # type: ignore[attr-defined]
    assert payload.findtext("criteria/scope") == "active"
    assert payload.find("criteria/period") is None


# --------------------------------------------------------------------------- the answers


def _worker_with_current_job(since: dt.date = dt.date(1900, 1, 1)) -> str:
    for person in population():
        jobs = jobs_of(person, TODAY)
        if (
            not person.tags
            and any(job.end is None for job in jobs)
            and len(jobs) > 1
            and all(job.start >= since for job in jobs)
        ):
            return person.ssin
    raise AssertionError("the population has no worker with a running job")


def test_active_employments() -> None:
    ssin = _worker_with_current_job()
    result = result_for(ssin)
    expected = [
        job for job in jobs_of(population().get(ssin), TODAY) if job.end is None or job.end >= TODAY
    ]
    assert result.data_found and result.status.code == "MSG00000"
    assert not result.partial
    assert [e.period.begin_date.to_date() for e in result.employments] == [
        j.start for j in expected
    ]
    for employment in result.employments:
        assert employment.period.end_date is None or employment.period.end_date.to_date() >= TODAY
        assert employment.employer.name
        assert employment.employer.enterprise_number is not None
        assert employment.action is None
    assert result.meta.service == "Dolsis" and result.meta.legal_context == (
        "SOCIAL_INVESTIGATION_OF_PCSA"
    )


def test_mutations_are_entries_and_exits_in_the_period() -> None:
    ssin = _worker_with_current_job(since=TODAY.replace(year=TODAY.year - 10))
    jobs = jobs_of(population().get(ssin), TODAY)
    start = min(job.start for job in jobs)
    result = result_for(ssin, scope="mutations", start=start, end=TODAY)
    actions = [(e.action, e.action_date.to_date()) for e in result.employments]  # type: ignore[union-attr]
    assert (ActionType.IN, start) in actions
    assert [day for _, day in actions] == sorted(day for _, day in actions)
    ended = [job.end for job in jobs if job.end is not None and job.end <= TODAY]
    assert sorted(day for action, day in actions if action is ActionType.OUT) == sorted(ended)


def test_a_child_has_no_employer() -> None:
    result = result_for(CHILD)
    assert not result.data_found
    assert result.status.value == "NO_DATA_FOUND" and result.status.code == "DOLS0000"
    assert result.employments == ()


def test_a_long_mutation_period_is_a_partial_result() -> None:
    result = result_for(ADULT, scope="mutations", start=dt.date(2005, 1, 1), end=TODAY)
    assert result.partial and result.status.code == "DOLS0005"
    assert result.employments == ()


def test_family_composition_failure_is_a_typed_error() -> None:
    prepared = FIND.prepare(
        Dolsis(client()),
        ADULT,
        scope="activeInPeriod",
        start=FAMILY_COMPOSITION_ERROR_DATE,
        end=TODAY,
    )
    with pytest.raises(SimulatedBusinessError) as caught:
        run_handler("dolsis", "Dolsis", "findEmployersByWorker", prepared)
    assert caught.value.code == "DOLS0009"
    reply = _status_reply("NO_DATA_FOUND", "DOLS0009")
    with pytest.raises(DolsisFamilyCompositionFailed) as error:
        prepared.interpret(reply)
    assert error.value.code == "DOLS0009"


def _status_reply(value: str, code: str) -> object:
    return status_reply("Dolsis", "findEmployersByWorker", value, code)


def test_no_match_sent_as_no_result_is_still_no_data() -> None:
    prepared = prepare()
    result = prepared.interpret(_status_reply("NO_RESULT", "DOLS0000")).value  # type: ignore[attr-defined]
    assert isinstance(result, EmployersResult)
    assert result.status.value == "NO_DATA_FOUND" and result.employments == ()
    assert result.meta.cbss_ticket == "7d1e4c2a-9b3f-4e6d-8a5c-2f1b0e9d7c63"


def test_generic_codes_keep_their_errors() -> None:
    prepared = prepare()
    with pytest.raises(SsinUnknown):
        prepared.interpret(_status_reply("NO_RESULT", "MSG00005"))  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- through the simulator


def test_through_the_simulator_sync() -> None:
    ssin = _worker_with_current_job()
    with simulator("dolsis").client() as cbss:
        result = Dolsis(cbss).find_employers_by_worker(ssin)
    assert result.data_found and result.employments and result.meta.cbss_ticket


async def test_through_the_simulator_async() -> None:
    async with simulator("dolsis").async_client() as cbss:
        result = await Dolsis(cbss).find_employers_by_worker(CHILD)
    assert result.status.code == "DOLS0000" and result.employments == ()


def test_business_error_through_the_simulator() -> None:
    with simulator("dolsis").client() as cbss, pytest.raises(DolsisFamilyCompositionFailed):
        Dolsis(cbss).find_employers_by_worker(
            ADULT, scope="activeInPeriod", start=FAMILY_COMPOSITION_ERROR_DATE, end=TODAY
        )
