"""The L036 facade (OCMWCPASL036 20060315): paged A036 attests, lazily fetched, resumable.

Requests are checked against our schema (no official one is public); calls go through the
in-process simulator, sync and async, and the number of calls is counted to prove the pages are
fetched only when the iteration reaches them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from xsd_shape import load_schemas

import cbss_sdk.testing._services.l036 as sim_l036
from cbss_sdk import catalog
from cbss_sdk._client import AsyncCbssClient, CbssClient
from cbss_sdk.errors import ConfigurationError, RequestValidationError, SsdnError
from cbss_sdk.services._l036 import L036, A036Attestation, L036Page
from cbss_sdk.ssdn._envelope import SERVICE_NS
from cbss_sdk.testing import Simulator
from cbss_sdk.testing._population import UNKNOWN_SSIN

REPO = Path(__file__).resolve().parents[1]
OUR_ENTRY = REPO / "xsd" / "ssdn" / "OCMW_CPAS" / "L036" / "20060315" / "L036.xsd"
L036_NS = "http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/L036"
_S = f"{{{SERVICE_NS}}}"
_L = f"{{{L036_NS}}}"
TODAY = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.timezone.utc)
START, END = dt.date(2010, 1, 1), dt.date(2030, 12, 31)


@pytest.fixture
def sim() -> Simulator:
    return Simulator(clock=lambda: TODAY, raise_handler_errors=True)


@pytest.fixture
def client(sim: Simulator) -> Iterator[CbssClient]:
    with sim.client() as c:
        yield c


@pytest.fixture
async def async_client(sim: Simulator) -> Any:
    async with sim.async_client() as c:
        yield c


def _person_with(sim: Simulator, wanted: int) -> str:
    """A person without error persona who has exactly *wanted* attests."""
    for person in sim.population:
        found = sim_l036.attestations_of(person.ssin, person.birth_date, TODAY.date(), 1)
        if not person.tags and person.integrated and len(found) == wanted:
            return str(person.ssin)
    raise AssertionError(f"nobody in the population has {wanted} attests")


@pytest.fixture
def seven(sim: Simulator) -> str:
    return _person_with(sim, 7)


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(OUR_ENTRY)))


def _document(prepared: Any) -> etree._Element:
    return etree.fromstring(str(prepared.payload.text).encode("utf-8"))


def _payload(prepared: Any) -> etree._Element:
    request = _document(prepared).find(_S + "ServiceRequest")
    assert request is not None
    return request[2]


def _calls(sim: Simulator) -> int:
    return sum(1 for r in sim.requests if r.service == "L036")


# --------------------------------------------------------------------------- catalog and request


def test_catalog_entry() -> None:
    spec = catalog.service("L036")
    assert (spec.ssdn_service_id, spec.ssdn_version) == ("OCMWCPASL036", "20060315")
    assert spec.provenance == "from-client-evidence"
    (op,) = spec.operations
    assert op.implemented and op.idempotent and op.python_name == "attestations"


def test_first_page_request_repeats_the_envelope_parts(client: CbssClient, seven: str) -> None:
    prepared = L036.attestations.prepare(L036(client), seven, start=START, end=END)
    payload = _payload(prepared)
    assert _schema().validate(payload), [str(e) for e in _schema().error_log]
    assert payload.tag == _L + "L036RequestReply"
    l036 = payload.find(_L + "L036")
    assert l036 is not None and l036.get("processType") == "L" and len(l036) == 0
    assert payload.findtext(_L + "INSS") == seven
    assert payload.findtext(f"{_L}Period/{_L}BeginDate") == "2010-01-01"
    assert payload.findtext(f"{_L}Period/{_L}EndDate") == "2030-12-31"
    # AuthorizedUser: the SSDN user and matrix ids of the client, children in the Service namespace.
    context = _document(prepared).find(f"{_S}RequestContext/{_S}AuthorizedUser")
    assert context is not None
    user = payload.find(_L + "AuthorizedUser")
    assert user is not None
    assert [(etree.QName(c).namespace, etree.QName(c).localname, c.text) for c in user] == [
        (SERVICE_NS, name, context.findtext(_S + name))
        for name in ("UserID", "Email", "MatrixID", "MatrixSubID")
    ]
    unique = payload.findtext(_L + "UniqueReference")
    message = _document(prepared).findtext(f"{_S}RequestContext/{_S}Message/{_S}Reference")
    assert unique and message
    # UniqueReference repeats the SSDN Message/Reference.
    assert unique == message
    assert prepared.info.subject == seven and prepared.info.idempotent


def test_next_page_request_carries_the_reference(client: CbssClient, seven: str) -> None:
    prepared = L036.attestations.prepare(
        L036(client), seven, start=START, end=END, page_reference="P0003-00000001"
    )
    payload = _payload(prepared)
    assert _schema().validate(payload)
    assert payload.findtext(f"{_L}L036/{_L}Request/{_L}NextAnswerReference") == "P0003-00000001"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"ssin": "12345678901"}, "ssin"),
        ({"end": dt.date(2009, 12, 31)}, "period"),
        ({"start": dt.datetime(2010, 1, 1)}, "start"),
        ({"end": "2030-12-31"}, "end"),
        ({"page_reference": "  "}, "page_reference"),
        ({"page_reference": "x" * 257}, "page_reference"),
    ],
)
def test_invalid_arguments_are_refused_before_sending(
    client: CbssClient, seven: str, arguments: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {"ssin": seven, "start": START, "end": END, **arguments}
    ssin = values.pop("ssin")
    with pytest.raises(RequestValidationError) as caught:
        L036.page.prepare(L036(client), ssin, **values)
    assert caught.value.field == field
    assert seven not in str(caught.value)


def test_a_client_without_ssdn_user_is_a_configuration_error(sim: Simulator, seven: str) -> None:
    with sim.client(ssdn_user=None) as bare, pytest.raises(ConfigurationError):
        L036.page.prepare(L036(bare), seven, start=START, end=END)


# --------------------------------------------------------------------------- paging


def test_pages_are_fetched_lazily(sim: Simulator, client: CbssClient, seven: str) -> None:
    before = _calls(sim)
    iterator = L036(client).attestations(seven, start=START, end=END)
    assert _calls(sim) == before  # nothing sent until the iteration starts
    first = [next(iterator) for _ in range(sim_l036.PAGE_SIZE)]
    assert _calls(sim) == before + 1  # the whole first page came with one call
    fourth = next(iterator)
    assert _calls(sim) == before + 2  # the second page only when reaching it
    rest = list(iterator)
    assert _calls(sim) == before + 3
    found = [*first, fourth, *rest]
    assert len(found) == 7 and all(isinstance(a, A036Attestation) for a in found)
    starts = [a.valid_from for a in found]
    assert None not in starts and starts == sorted(d for d in starts if d is not None)
    assert len({a.attestation_id for a in found}) == 7


def test_a_listing_resumes_from_a_page_reference(
    sim: Simulator, client: CbssClient, seven: str
) -> None:
    facade = L036(client)
    everything = list(facade.attestations(seven, start=START, end=END))
    page = facade.page(seven, start=START, end=END)
    assert isinstance(page, L036Page)
    assert page.attestations == tuple(everything[:3])
    assert page.next_reference is not None and seven not in page.next_reference
    assert page.meta.service == "L036" and page.meta.cbss_ticket
    before = _calls(sim)
    resumed = list(
        facade.attestations(seven, start=START, end=END, page_reference=page.next_reference)
    )
    assert resumed == everything[3:]
    assert _calls(sim) == before + 2
    last = facade.page(
        seven,
        start=START,
        end=END,
        page_reference=sim_l036.page_token(seven, "2010-01-01", "2030-12-31", 6),
    )
    assert len(last.attestations) == 1 and last.next_reference is None


def test_attest_fields(client: CbssClient, seven: str) -> None:
    page = L036(client).page(seven, start=START, end=END)
    attest = page.attestations[0]
    assert attest.attestation_id.startswith("A036") and len(attest.attestation_id) == 15
    assert attest.status in ("ACTIVE", "MODIFIED", "CANCELLED")
    assert (
        attest.created == attest.valid_from
        and attest.valid_to is not None
        and attest.valid_from is not None
        and attest.valid_to > attest.valid_from
    )
    assert attest.category_code in (1, 2, 3, 4) and attest.recent in ("Y", "N")
    assert isinstance(attest.cpas, int)
    assert (attest.update_of is not None) == (attest.status == "MODIFIED")
    assert seven not in repr(attest)


def test_a_period_without_attests_is_one_empty_page(
    sim: Simulator, client: CbssClient, seven: str
) -> None:
    before = _calls(sim)
    assert (
        list(L036(client).attestations(seven, start=dt.date(1990, 1, 1), end=dt.date(1990, 12, 31)))
        == []
    )
    assert _calls(sim) == before + 1


async def test_async_pages_are_fetched_lazily(
    sim: Simulator, async_client: AsyncCbssClient, seven: str
) -> None:
    before = _calls(sim)
    iterator = L036(async_client).attestations(seven, start=START, end=END)
    assert _calls(sim) == before
    found = []
    async for attest in iterator:
        found.append(attest)
        if len(found) == sim_l036.PAGE_SIZE:
            assert _calls(sim) == before + 1
    assert len(found) == 7 and _calls(sim) == before + 3
    page = await L036(async_client).page(seven, start=START, end=END)
    assert page.attestations == tuple(found[:3])


# --------------------------------------------------------------------------- refusals


def test_a_foreign_page_reference_is_an_ssdn_error(client: CbssClient, seven: str) -> None:
    with pytest.raises(SsdnError) as caught:
        list(
            L036(client).attestations(seven, start=START, end=END, page_reference="P0003-99999999")
        )
    assert caught.value.reason_codes == (sim_l036.UNKNOWN_PAGE_REFERENCE,)
    assert seven not in str(caught.value)


def test_an_unknown_person_is_an_ssdn_error(client: CbssClient) -> None:
    with pytest.raises(SsdnError) as caught:
        L036(client).page(UNKNOWN_SSIN, start=START, end=END)
    assert caught.value.reason_codes == ("32000005",)


def test_simulated_replies_are_valid_against_our_schema(
    sim: Simulator, client: CbssClient, seven: str
) -> None:
    from cbss_sdk._binding import bind, model_to_element
    from cbss_sdk.models.l036_20060315.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.l036 import (
        L036RequestReply,
    )
    from cbss_sdk.testing._registry import SimContext

    ctx = SimContext(population=sim.population, registrations=sim.registrations, now=TODAY)
    prepared = L036.page.prepare(L036(client), seven, start=START, end=END)
    request = bind(_payload(prepared), L036RequestReply)
    reply = model_to_element(sim_l036.build_l036_reply(ctx, request, organization="cbe:0212344876"))
    assert _schema().validate(reply), [str(e) for e in _schema().error_log]
    assert reply.findtext(_L + "UniqueReference") == request.unique_reference


def test_schema_files_carry_their_header_and_are_reached() -> None:
    entry = OUR_ENTRY
    reached = {Path(d.split("#", 1)[0]) for d in load_schemas(entry).documents}
    files = sorted(entry.parent.glob("*.xsd"))
    assert files and set(files) <= reached
    for path in files:
        first = etree.parse(str(path)).getroot().getprevious()
        assert isinstance(first, etree._Comment), path.name
        header = " ".join(str(first.text).split())
        for marker in ("Contract:", "Namespace:", "Provenance:", "Facts:", "cbss-facts.md §"):
            assert marker in header, (path.name, marker)
        assert "Checked by: tests/test_service_l036.py" in header
        assert "from-client-evidence" in header or "modeled" in header
