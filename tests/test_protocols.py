"""The SOA and SSDN protocol layers and the facade machinery, without HTTP.

Each facade method can build its call without sending it (``prepare``); the
interpret function of that call is then fed replies built here, so the
status → result / typed-error mapping is tested directly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest
from lxml import etree

from cbss_sdk import (
    AsyncCbssClient,
    CbssClient,
    ConfigurationError,
    InvalidIdentifier,
    LegalContextRefused,
    NotIntegrated,
    Organization,
    ProtocolError,
    RequestValidationError,
    SsdnError,
    SsdnUser,
    SsinReplaced,
    SsinUnknown,
)
from cbss_sdk.errors import CbssBusinessError
from cbss_sdk.services import (
    DataGroup,
    IdentifyPerson,
    ManageAccess,
    Page,
    PerformInvestigation,
    RetrieveTIGroups,
    TestConnection,
    paged_operation,
)
from cbss_sdk.services._facade import Facade
from cbss_sdk.soap import SOAP_ENV_NS, build_envelope, read_envelope
from cbss_sdk.ssdn import wrap_xml_string
from cbss_sdk.transport import CallInfo, Outcome, SoapReply

SSIN = "85073003328"
TIG = "http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v2"
SERVICE_NS = "http://www.ksz-bcss.fgov.be/XSD/SSDN/Service"
COMMON_NS = "http://www.ksz-bcss.fgov.be/XSD/SSDN/Common"
CBSS_TICKET = "7d1e4c2a-9b3f-4e6d-8a5c-2f1b0e9d7c63"


@pytest.fixture(scope="module")
def client() -> Iterator[CbssClient]:
    with CbssClient(
        environment="test",
        organization=Organization(cbe_number="0212344876"),
        ssdn_user=SsdnUser(user_id="00901234567", email="it@cpas.example"),
        verification="off",
    ) as c:
        yield c


def _reply(payload: etree._Element) -> SoapReply:
    envelope = build_envelope(payload)
    return SoapReply(
        message=read_envelope(envelope),
        status_code=200,
        headers=httpx.Headers(),
        signature=None,
        elapsed=0.0,
        raw=b"",
    )


def _tx25_reply(
    value: str, code: str, *, information: dict[str, str] | None = None
) -> etree._Element:
    info = "".join(
        f"<information><fieldName>{k}</fieldName><fieldValue>{v}</fieldValue></information>"
        for k, v in (information or {}).items()
    )
    return etree.fromstring(
        f"""<t:retrieveTIGroupsResponse xmlns:t="{TIG}">
        <informationCustomer><ticket>x</ticket><customerIdentification><cbeNumber>0212344876</cbeNumber></customerIdentification></informationCustomer>
        <informationCBSS><ticketCBSS>{CBSS_TICKET}</ticketCBSS><timestampReceive>2026-11-26T10:00:00.000Z</timestampReceive><timestampReply>2026-11-26T10:00:01.000Z</timestampReply></informationCBSS>
        <legalContext>PCSA:SOCIAL_INQUIRY</legalContext>
        <searchInformation><ssin>{SSIN}</ssin></searchInformation>
        <status><value>{value}</value><code>{code}</code><description>about {SSIN}</description>{info}</status>
        </t:retrieveTIGroupsResponse>"""
    )


# ----------------------------------------------------------------------------- SOA


def test_soa_request_carries_the_common_header(client: CbssClient) -> None:
    prepared = RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(client), SSIN, history=True)
    payload = prepared.payload
    assert payload.tag == f"{{{TIG}}}retrieveTIGroupsRequest"
    assert [child.tag for child in payload] == [
        "informationCustomer",
        "legalContext",
        "searchInformation",
    ]
    ticket = payload.findtext("informationCustomer/ticket")
    assert ticket is not None
    assert re.fullmatch(r"[0-9a-f-]{36}", ticket)
    assert payload.findtext("informationCustomer/customerIdentification/cbeNumber") == "0212344876"
    assert payload.find("informationCustomer/customerIdentification/sector") is None
    assert payload.findtext("legalContext") == "PCSA:SOCIAL_INQUIRY"
    assert payload.findtext("searchInformation/history") == "true"
    info = prepared.info
    assert (info.service, info.operation, info.idempotent, info.signed) == (
        "RetrieveTIGroups",
        "retrieveTI",
        True,
        True,
    )
    assert info.subject == SSIN
    assert info.customer_ticket == ticket
    assert info.legal_context == "PCSA:SOCIAL_INQUIRY"


def test_each_call_gets_a_fresh_ticket(client: CbssClient) -> None:
    facade = RetrieveTIGroups(client)
    first = RetrieveTIGroups.retrieve.prepare(facade, SSIN).info.customer_ticket
    second = RetrieveTIGroups.retrieve.prepare(facade, SSIN).info.customer_ticket
    assert first != second


def test_sector_identification_never_sends_both() -> None:
    with CbssClient(environment="test", organization=Organization(sector=17, institution=1)) as c:
        payload = RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(c), SSIN).payload
    ident = payload.find("informationCustomer/customerIdentification")
    assert ident is not None
    assert [child.tag for child in ident] == ["sector", "institution"]


def test_legal_context_override_and_validation(client: CbssClient) -> None:
    facade = RetrieveTIGroups(client)
    payload = RetrieveTIGroups.retrieve.prepare(facade, SSIN, legal_context="X:Y").payload
    assert payload.findtext("legalContext") == "X:Y"
    with pytest.raises(RequestValidationError) as info:
        RetrieveTIGroups.retrieve.prepare(facade, SSIN, legal_context="x" * 65)
    assert info.value.field == "legal_context"


def test_soa_needs_an_organization() -> None:
    with CbssClient(environment="test") as c, pytest.raises(ConfigurationError):
        RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(c), SSIN)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"ssin": "85073003327"}, "ssin"),
        ({"language": "en"}, "language"),
        ({"history": "yes"}, "history"),
    ],
)
def test_arguments_are_validated_before_anything_is_built(
    client: CbssClient, bad: dict[str, object], field: str
) -> None:
    kwargs: dict[str, object] = {"ssin": SSIN, **bad}
    with pytest.raises(RequestValidationError) as info:
        RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(client), **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert "85073003327" not in str(info.value)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("MSG00005", SsinUnknown),
        ("MSG00006", SsinReplaced),
        ("MSG00012", NotIntegrated),
        ("MSG00013", LegalContextRefused),
        ("RTIPC001", CbssBusinessError),
    ],
)
def test_no_result_codes_raise_typed_errors_with_tickets(
    client: CbssClient, code: str, error: type[CbssBusinessError]
) -> None:
    prepared = RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(client), SSIN)
    reply = _tx25_reply("NO_RESULT", code, information={"replacedBy": "85073003424"})
    with pytest.raises(error) as info:
        prepared.interpret(_reply(reply))
    err = info.value
    assert type(err) is error
    assert err.code == code
    assert err.tickets == (prepared.info.customer_ticket, CBSS_TICKET)
    assert SSIN not in str(err)
    if isinstance(err, SsinReplaced):
        assert err.replacement == "85073003424"


def test_no_data_found_is_a_result(client: CbssClient) -> None:
    prepared = RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(client), SSIN)
    outcome = prepared.interpret(_reply(_tx25_reply("NO_DATA_FOUND", "MSG00000")))
    assert outcome.label == "NO_DATA_FOUND"
    assert outcome.cbss_ticket == CBSS_TICKET
    result = outcome.value
    assert result.file is None
    assert not result.data_found
    assert result.meta.timestamp_reply == dt.datetime(
        2026, 11, 26, 10, 0, 1, tzinfo=dt.timezone.utc
    )
    assert result.meta.environment == "test"


def test_unexpected_reply_element_is_a_protocol_error(client: CbssClient) -> None:
    prepared = RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(client), SSIN)
    with pytest.raises(ProtocolError):
        prepared.interpret(_reply(etree.fromstring("<other/>")))
    bad_status = _tx25_reply("MAYBE", "X")
    with pytest.raises(ProtocolError):
        prepared.interpret(_reply(bad_status))


def test_test_connection_has_no_common_header(client: CbssClient) -> None:
    prepared = TestConnection.send_test_message.prepare(TestConnection(client), "ping")
    assert [child.tag for child in prepared.payload] == ["echo"]
    assert prepared.info.customer_ticket is None
    with pytest.raises(RequestValidationError):
        TestConnection.send_test_message.prepare(TestConnection(client), "")


# ----------------------------------------------------------------------------- SSDN


def _ssdn_reply(ok: str, details: str, payload: str = "") -> SoapReply:
    document = f"""<SSDNReply xmlns="{SERVICE_NS}" xmlns:c="{COMMON_NS}">
      <ReplyContext>
        <c:ResultSummary ok="{ok}"><c:ReturnCode>{ {"YES": 0, "WARNING": 1, "NO": 10000}[ok] }</c:ReturnCode></c:ResultSummary>
        <Message><Reference>r</Reference><Ticket>T123</Ticket><TimeReceive>20261126T100000</TimeReceive><TimeResponse>20261126T100001</TimeResponse></Message>
      </ReplyContext>
      <ServiceReply>
        <c:ResultSummary ok="{ok}"><c:ReturnCode>{ {"YES": 0, "WARNING": 1, "NO": 10000}[ok] }</c:ReturnCode>{details}</c:ResultSummary>
        <ServiceId>OCMWCPASPerformInvestigation</ServiceId><Version>20080604</Version>{payload}
      </ServiceReply>
    </SSDNReply>"""
    return _reply(wrap_xml_string(etree.fromstring(document)))


def _detail(severity: str, code: str, diagnostic: str) -> str:
    return (
        f"<c:Detail><c:Severity>{severity}</c:Severity><c:ReasonCode>{code}</c:ReasonCode>"
        f"<c:Diagnostic>{diagnostic}</c:Diagnostic><c:AuthorCodeList>CBSS</c:AuthorCodeList></c:Detail>"
    )


def test_ssdn_request_is_escaped_text_of_xml_string(client: CbssClient) -> None:
    prepared = PerformInvestigation.investigate.prepare(
        PerformInvestigation(client), SSIN, groups=[DataGroup.CITIZEN]
    )
    wrapper = prepared.payload
    assert wrapper.tag == "{http://ksz-bcss.fgov.be/connectors/WebServiceConnector}xmlString"
    assert len(wrapper) == 0  # text, not child elements
    serialized = etree.tostring(wrapper).decode()
    assert "&lt;ssdn:SSDNRequest" in serialized
    document = etree.fromstring((wrapper.text or "").encode())
    ns = {"s": SERVICE_NS}
    assert (
        document.findtext("s:RequestContext/s:AuthorizedUser/s:UserID", namespaces=ns)
        == "00901234567"
    )
    assert (
        document.findtext("s:RequestContext/s:AuthorizedUser/s:OrgUnit", namespaces=ns)
        == "0212344876"
    )
    assert document.findtext("s:RequestContext/s:AuthorizedUser/s:MatrixID", namespaces=ns) == "17"
    time_request = document.findtext("s:RequestContext/s:Message/s:TimeRequest", namespaces=ns)
    assert time_request is not None
    assert re.fullmatch(r"\d{8}T\d{6}", time_request)
    assert (
        document.findtext("s:ServiceRequest/s:ServiceId", namespaces=ns)
        == "OCMWCPASPerformInvestigation"
    )
    assert document.findtext("s:ServiceRequest/s:Version", namespaces=ns) == "20080604"
    assert prepared.info.protocol == "ssdn"
    assert not prepared.info.signed
    assert prepared.info.customer_ticket == document.findtext(
        "s:RequestContext/s:Message/s:Reference", namespaces=ns
    )


def test_unqualified_payload_children_stay_unqualified(client: CbssClient) -> None:
    """The SSDN envelope uses a prefix: a default namespace would capture unqualified children."""
    prepared = ManageAccess.register.prepare(
        ManageAccess(client), SSIN, 1, start=dt.date(2026, 2, 1)
    )
    document = etree.fromstring((prepared.payload.text or "").encode())
    for element in document.iter():
        if etree.QName(element).localname in {"StartDate", "EndDate"}:
            assert etree.QName(element).namespace == COMMON_NS
    payload = document.find(f"{{{SERVICE_NS}}}ServiceRequest")
    assert payload is not None
    inner = payload[2]
    assert all(etree.QName(child).namespace != SERVICE_NS for child in inner.iter())


def test_ssdn_warning_is_kept_on_the_result(client: CbssClient) -> None:
    prepared = PerformInvestigation.investigate.prepare(PerformInvestigation(client), SSIN)
    outcome = prepared.interpret(
        _ssdn_reply("WARNING", _detail("WARNING", "22007007", f"mismatch for {SSIN}"))
    )
    assert outcome.label == "WARNING"
    assert outcome.value.reason_codes == ("22007007",)
    assert outcome.value.meta.cbss_ticket == "T123"
    assert outcome.value.reply is None


def test_ssdn_error_is_typed_and_masked(client: CbssClient) -> None:
    prepared = PerformInvestigation.investigate.prepare(PerformInvestigation(client), SSIN)
    with pytest.raises(SsdnError) as info:
        prepared.interpret(_ssdn_reply("NO", _detail("ERROR", "31000007", f"bad {SSIN}")))
    assert info.value.reason_codes == ("31000007",)
    assert info.value.return_code == 10000
    assert "T123" in info.value.tickets
    assert SSIN not in str(info.value)


def test_phonetic_no_match_is_an_empty_result(client: CbssClient) -> None:
    prepared = IdentifyPerson.search.prepare(IdentifyPerson(client), "Dupont", dt.date(1985, 7, 30))
    outcome = prepared.interpret(
        _ssdn_reply(
            "NO", _detail("ERROR", "32007004", "The phonetic search did not return any matches.")
        )
    )
    assert outcome.label == "NO_DATA_FOUND"
    assert outcome.value.no_data
    assert outcome.value.persons == ()


def test_ssdn_needs_user_and_organization() -> None:
    with (
        CbssClient(environment="test", organization=Organization(cbe_number="0212344876")) as c,
        pytest.raises(ConfigurationError, match="ssdn_user"),
    ):
        PerformInvestigation.investigate.prepare(PerformInvestigation(c), SSIN)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"birth_date": "1985-07-00"}, "tolerance"),
        ({"birth_date": "1985-13-01", "tolerance": 1}, "birth_date"),
        ({"birth_date": "1985-00-12", "tolerance": 1}, "birth_date"),
        ({"birth_date": dt.date(1985, 7, 30), "maximum": 81}, "maximum"),
        ({"birth_date": dt.date(1985, 7, 30), "gender": 7}, "gender"),
    ],
)
def test_phonetic_search_validation(
    client: CbssClient, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(RequestValidationError) as info:
        IdentifyPerson.search.prepare(IdentifyPerson(client), "Dupont", **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_manage_access_validation_and_idempotency(client: CbssClient) -> None:
    facade = ManageAccess(client)
    with pytest.raises(RequestValidationError):
        ManageAccess.register.prepare(
            facade, SSIN, 1, start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1)
        )
    with pytest.raises(RequestValidationError):
        ManageAccess.register.prepare(facade, SSIN, 99, start=dt.date(2026, 2, 1))
    with pytest.raises(InvalidIdentifier):
        ManageAccess.register.prepare(facade, "1234", 1, start=dt.date(2026, 2, 1))
    register = ManageAccess.register.prepare(facade, SSIN, 1, start=dt.date(2026, 2, 1))
    listing = ManageAccess.list.prepare(facade, SSIN, start=dt.date(2026, 2, 1))
    assert (register.info.operation, register.info.idempotent) == ("register", False)
    assert (listing.info.operation, listing.info.idempotent) == ("list", True)


# ----------------------------------------------------------------------------- facades


def test_facade_refuses_something_that_is_not_a_client() -> None:
    with pytest.raises(TypeError):
        RetrieveTIGroups(object())  # type: ignore[type-var]


class _Numbers(Facade[CbssClient]):
    """A paged facade over a fake three-page listing, for the paging machinery."""

    service_key = "TestConnection"
    calls: list[str | None]

    @paged_operation
    def numbers(self, *, page_reference: str | None = None) -> object:
        from cbss_sdk._prepared import PreparedCall

        self.calls.append(page_reference)
        pages = {None: ((1, 2), "p2"), "p2": ((3,), "p3"), "p3": ((4, 5), None)}
        items, following = pages[page_reference]

        def interpret(_: SoapReply) -> Outcome[Page[int]]:
            return Outcome(Page(items, following))

        info = CallInfo(
            service="TestConnection", operation="n", path="x", soap_action="a", sign=False
        )
        return PreparedCall(info, etree.Element("n"), interpret)


def _paging_transport(counter: list[int]) -> httpx.MockTransport:
    body = (f'<e:Envelope xmlns:e="{SOAP_ENV_NS}"><e:Body><n/></e:Body></e:Envelope>').encode()

    def handler(request: httpx.Request) -> httpx.Response:
        counter.append(1)
        return httpx.Response(200, content=body, headers={"content-type": "text/xml"})

    return httpx.MockTransport(handler)


def test_paged_operation_fetches_lazily_and_resumes() -> None:
    counter: list[int] = []
    http = httpx.Client(transport=_paging_transport(counter))
    with CbssClient(environment="test", http_client=http, verification="off") as c:
        facade = _Numbers(c)
        facade.calls = []
        iterator = facade.numbers()
        assert counter == []  # nothing sent before iteration starts
        assert [next(iterator), next(iterator)] == [1, 2]
        assert len(counter) == 1
        assert list(iterator) == [3, 4, 5]
        assert facade.calls == [None, "p2", "p3"]
        facade.calls = []
        assert list(facade.numbers(page_reference="p3")) == [4, 5]
        assert facade.calls == ["p3"]
    http.close()


async def test_paged_operation_async() -> None:
    counter: list[int] = []
    http = httpx.AsyncClient(transport=_paging_transport(counter))
    async with AsyncCbssClient(environment="test", http_client=http, verification="off") as c:
        facade = _Numbers(c)  # type: ignore[arg-type]
        facade.calls = []
        got = [n async for n in facade.numbers()]  # type: ignore[attr-defined]
        assert got == [1, 2, 3, 4, 5]
        assert len(counter) == 3
    await http.aclose()
