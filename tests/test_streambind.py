"""The streaming bind gives exactly what the tree path gives, or gives up.

``cbss_sdk._streambind`` binds a large reply while it is parsed and releases its
list items as it goes.  Its contract: for every document it either returns the
object the tree path returns (hardened parse, envelope checks, fast binding or
xsdata — whose generic ``XmlParser`` stays the reference) with the same
``informationCBSS`` and ``status`` left readable, or returns ``None`` and the
client takes the tree path, which gives the reference result or the typed error.
Checked here:

* generated documents for every SOA reply model (compact and indented): bound on
  the streaming path itself, equal to xsdata's output and to the tree path's;
* the same documents damaged at random, and envelopes damaged by hand: the same
  result as the tree path, or a give-up — never another result;
* the official TX25 samples; faults; signatures (a give-up when the client would
  verify); status errors raised with their tickets; size and depth limits;
* that the tree never exists whole (the live elements stay few while parsing);
* through the clients: the simulator and respx serving replies over 512 KiB.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, NamedTuple

import attrs
import httpx
import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from roundtrip_strategies import SchemaIndex, Strategies
from test_fastbind import (
    PROPERTY,
    TX25_SAMPLES,
    _tx25_as_v2,
    damaged,
    needs_reference,
    reference,
)
from test_models_roundtrip import XSD_ROOT
from xsdata.formats.dataclass.context import XmlContext

from cbss_sdk import (
    CbssClient,
    Organization,
    SignatureError,
    SsinUnknown,
    _binding,
    _streambind,
    catalog,
)
from cbss_sdk._fastbind import FastBinder
from cbss_sdk._streambind import (
    STREAM_MIN_BYTES,
    StreamBinder,
    Streamed,
    StreamedReply,
    StreamingInterpreter,
    StreamInput,
)
from cbss_sdk.errors import CbssBusinessError, XmlTooLarge
from cbss_sdk.services import RetrieveTIGroups
from cbss_sdk.soa import _stream as soa_stream
from cbss_sdk.soa import read_information_cbss, read_status
from cbss_sdk.soa._reply import REPLY_PARTS
from cbss_sdk.soap import (
    DEFAULT_XML_LIMITS,
    SOAP_ENV_NS,
    XmlLimits,
    build_envelope,
    parse_xml,
    read_soap_response,
    serialize_envelope,
)
from cbss_sdk.testing import Simulator, make_test_credentials
from cbss_sdk.wsse import (
    DEFAULT_SIGNING_PROFILE,
    VerificationConfig,
    VerificationPolicy,
    sign_envelope,
    verify_envelope,
)

SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
RN25 = "http://www.ibz.rrn.fgov.be/XSD/xm25/rn25Schema"
TIG_V2 = "http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v2"
TX25_TAG = f"{{{TIG_V2}}}retrieveTIGroupsResponse"
#: A persona of the simulator's default population with a family and a history.
FAMILY_SSIN = "75113004132"
IF_PRESENT = VerificationConfig(policy=VerificationPolicy.IF_PRESENT, trust_any_certificate=True)


# --- the SOA reply models -------------------------------------------------------------------


class SoaModel(NamedTuple):
    """A SOA reply root: its class, its payload tag and the entry schema of its unit."""

    label: str
    cls: type
    tag: str
    schema: str


def _response_class(spec: catalog.ServiceSpec, tag: str) -> type:
    assert spec.models is not None
    package = importlib.import_module(spec.models)
    namespace, _, local = tag[1:].partition("}")
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            meta = value.__dict__.get("Meta") if isinstance(value, type) else None
            if (
                meta is not None
                and value.__module__ == module.__name__
                and getattr(meta, "name", None) == local
                and getattr(meta, "namespace", None) == namespace
            ):
                found: type = value
                return found
    raise LookupError(tag)


def _soa_models() -> list[SoaModel]:
    models = []
    for spec, op in catalog.implemented_operations():
        if spec.protocol != "soa" or op.response_element is None:
            continue
        assert spec.schema is not None
        cls = _response_class(spec, op.response_element)
        schema = spec.schema.removeprefix("xsd/")
        models.append(SoaModel(f"{spec.key}.{op.name}", cls, op.response_element, schema))
    return models


SOA_MODELS = _soa_models()


def test_every_implemented_soa_operation_has_a_reply_model_here() -> None:
    soa_ops = [
        (s.key, op.name)
        for s, op in catalog.implemented_operations()
        if s.protocol == "soa" and op.response_element
    ]
    assert len(SOA_MODELS) == len(soa_ops) > 20


#: Fewer examples than test_fastbind's: 22 models here, and each document goes three ways.
STREAM_PROPERTY = settings(PROPERTY, max_examples=15)


@cache
def _strategy(model: SoaModel) -> st.SearchStrategy[Any]:
    index = SchemaIndex(XSD_ROOT / model.schema)
    return Strategies(index, XmlContext()).for_class(model.cls)


@cache
def stream_binder(model_label: str) -> StreamBinder:
    """A binder on a context of its own (metadata built here never serves another test)."""
    return StreamBinder(FastBinder(XmlContext()))


def serialized(instance: object) -> etree._Element:
    return etree.fromstring(_binding.model_to_bytes(instance))


# --- the two paths --------------------------------------------------------------------------


def payload_of(data: bytes) -> etree._Element:
    """The payload element of a reply, parsed as the tree path parses it (``parse_xml``)."""
    body = parse_xml(data).find(f"{{{SOAP_ENV_NS}}}Body")
    assert body is not None
    return body[0]


def wrap(payload: etree._Element, *, indent: bool = False) -> bytes:
    """A SOAP 1.1 reply around a copy of *payload*, as CBSS sends it."""
    envelope = build_envelope(etree.fromstring(etree.tostring(payload)))
    if indent:
        etree.indent(envelope)
    return serialize_envelope(envelope)


class Tree(NamedTuple):
    """What the tree path made of a reply: ``ok`` and the bound value, or the error's class."""

    outcome: str
    value: Any
    status: Any = None
    information: Any = None


def _information(element: etree._Element) -> tuple[Any, ...]:
    found = read_information_cbss(element)
    return (found.ticket, found.timestamp_receive, found.timestamp_reply)


def tree_path(
    data: bytes,
    cls: type,
    tag: str,
    *,
    strict: bool = False,
    verify: bool = False,
    limits: XmlLimits = DEFAULT_XML_LIMITS,
) -> Tree:
    """The client's tree path on *data* (what the streaming path must equal)."""
    try:
        message = read_soap_response(200, "text/xml", data, limits=limits)
        if verify:
            verify_envelope(message.envelope, IF_PRESENT)
        payload = message.payload
        if payload is None or payload.tag != tag:
            return Tree("error", "ProtocolError")
        status = _safe(read_status, payload)
        information = _safe(_information, payload)
        return Tree("ok", _binding.bind(payload, cls, strict=strict), status, information)
    except Exception as exc:
        return Tree("error", type(exc).__name__)


def _safe(read: Callable[[etree._Element], Any], payload: etree._Element) -> Any:
    try:
        return read(payload)
    except Exception as exc:
        return type(exc).__name__


def streamed(
    data: bytes,
    model: SoaModel,
    *,
    strict: bool = False,
    check_signature: bool = False,
    limits: XmlLimits = DEFAULT_XML_LIMITS,
    binder: StreamBinder | None = None,
) -> Streamed | None:
    return (binder or stream_binder(model.label)).bind_reply(
        data,
        model.cls,
        expected=model.tag,
        limits=limits,
        check_signature=check_signature,
        keep=REPLY_PARTS,
        strict=strict,
    )


def agree(
    data: bytes,
    model: SoaModel,
    *,
    strict: bool = False,
    check_signature: bool = False,
    limits: XmlLimits = DEFAULT_XML_LIMITS,
) -> Streamed | None:
    """Stream *data*; when the run answers, it answers what the tree path answers."""
    result = streamed(data, model, strict=strict, check_signature=check_signature, limits=limits)
    if result is not None:
        tree = tree_path(
            data, model.cls, model.tag, strict=strict, verify=check_signature, limits=limits
        )
        assert tree.outcome == "ok", f"the streaming path bound what the tree path refuses: {tree}"
        assert result.value == tree.value
        payload = result.message.payload
        assert payload is not None
        assert _safe(read_status, payload) == tree.status
        assert _safe(_information, payload) == tree.information
    return result


# --- generated documents ----------------------------------------------------------------------


@pytest.mark.parametrize("model", SOA_MODELS, ids=[m.label for m in SOA_MODELS])
def test_generated_replies_stream_to_what_xsdata_and_the_tree_path_give(model: SoaModel) -> None:
    binder = stream_binder(model.label)
    released: list[int] = []

    @STREAM_PROPERTY
    @given(_strategy(model), st.booleans())
    def check(instance: Any, indent: bool) -> None:
        data = wrap(serialized(instance), indent=indent)
        payload = payload_of(data)
        for strict in (False, True):
            outcome, expected = reference(payload, model.cls, strict)
            assert outcome == "ok", expected
            result = agree(data, model, strict=strict)
            if binder.item_tags(model.cls, REPLY_PARTS) is None:
                assert result is None  # nothing to release: the tree path is faster
                continue
            assert result is not None, "a valid reply must bind on the streaming path itself"
            assert result.value == expected
            released.append(result.items)

    check()
    # items were bound on the way (a generated TX25 file seldom reaches a history list: its
    # items are shown bound by the tests on the simulator's replies and the samples below)
    if binder.item_tags(model.cls, REPLY_PARTS) is not None and model.tag != TX25_TAG:
        assert any(released)


#: The models with lists to stream (the others are always read as trees, as the test above shows).
LISTED = [m for m in SOA_MODELS if stream_binder(m.label).item_tags(m.cls, REPLY_PARTS)]


@pytest.mark.parametrize("model", LISTED, ids=[m.label for m in LISTED])
def test_damaged_replies_stream_like_the_tree_path_or_give_up(model: SoaModel) -> None:

    @STREAM_PROPERTY
    @given(_strategy(model).map(serialized).flatmap(damaged), st.booleans())
    def check(damaged_payload: etree._Element, indent: bool) -> None:
        data = wrap(damaged_payload, indent=indent)
        payload = payload_of(data)
        for strict in (False, True):
            result = agree(data, model, strict=strict)
            if result is not None:
                outcome, expected = reference(payload, model.cls, strict)
                assert outcome == "ok"
                assert result.value == expected

    check()


# --- a TX25 reply with a long history (from the simulator's population) -----------------------

TX25 = next(m for m in SOA_MODELS if m.tag == TX25_TAG)


@pytest.fixture(scope="module")
def tx25_model() -> Any:
    """The TX25 reply of a family persona, with history, as the simulator builds it."""
    simulator = Simulator(sign_replies=False)
    with simulator.client(verification="off") as client:
        return RetrieveTIGroups(client).retrieve(ssin=FAMILY_SSIN, history=True).response


def longer(response: Any, copies: int) -> Any:
    """*response* with the file owner's residence history repeated *copies* times."""
    rrn = response.rrn_it_implicit
    owner = rrn.file_owner
    owner = dataclasses.replace(owner, residences=owner.residences * copies)
    return dataclasses.replace(response, rrn_it_implicit=dataclasses.replace(rrn, file_owner=owner))


def reply_bytes(response: Any, *, credentials: Any = None) -> bytes:
    envelope = build_envelope(_binding.model_to_element(response))
    if credentials is not None:
        sign_envelope(envelope, credentials, DEFAULT_SIGNING_PROFILE)
    return serialize_envelope(envelope)


@pytest.fixture(scope="module")
def tx25_bytes(tx25_model: Any) -> bytes:
    return reply_bytes(longer(tx25_model, 20))


def test_a_long_tx25_reply_streams_item_by_item(tx25_bytes: bytes) -> None:
    result = agree(tx25_bytes, TX25)
    assert result is not None
    assert result.items > 20
    assert len(result.value.rrn_it_implicit.file_owner.residences) % 20 == 0
    # what is left of the tree: the envelope, the informationCBSS and status kept whole,
    # the payload's other single elements; no residence
    assert result.message.envelope.find(f".//{{{RN25}}}Residences") is None
    payload = result.message.payload
    assert payload is not None
    assert payload.find("status/value") is not None
    assert payload.find("informationCBSS/ticketCBSS") is not None


# --- envelopes damaged by hand -------------------------------------------------------------


def _edit(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old
    return data.replace(old, new, 1)


def _envelope_cases(data: bytes) -> dict[str, tuple[bytes, bool | None]]:
    """Damaged variants of *data*: (bytes, must the run answer? ``None``: either)."""
    body_open = re.search(rb"<soapenv:Body[^>]*>", data)
    assert body_open is not None
    body_at = body_open.end()
    close = data.rindex(b"</soapenv:Body>")
    fault = (
        b"<soapenv:Fault><faultcode>soapenv:Server</faultcode>"
        b"<faultstring>boom</faultstring></soapenv:Fault>"
    )
    residences = f"<ns1:Residences xmlns:ns1='{RN25}'>".encode()
    return {
        "as sent": (data, True),
        "truncated": (data[: len(data) * 2 // 3], False),
        "trailing garbage": (data + b"<more/>", False),
        "fault instead of the payload": (data[:body_at] + fault + data[close:], False),
        "fault after the payload": (data[:close] + fault + data[close:], False),
        "second Body": (_second_body(data), False),
        "Header after the Body": (
            _edit(data, b"</soapenv:Body>", b"</soapenv:Body><soapenv:Header/>"),
            False,
        ),
        "SOAP 1.2 envelope": (data.replace(SOAP_ENV_NS.encode(), SOAP12_NS.encode()), False),
        "another payload": (data.replace(b"retrieveTIGroupsResponse", b"otherResponse"), False),
        "element before the payload": (data[:body_at] + b"<first/>" + data[body_at:], False),
        "DOCTYPE": (_edit(data, b"?>", b"?><!DOCTYPE x [<!ENTITY e 'x'>]>"), False),
        "latin-1 declared": (_edit(data, b"UTF-8", b"ISO-8859-1"), False),
        "UTF-16": (data.decode().replace("UTF-8", "UTF-16").encode("utf-16"), False),
        "comment before the root": (_edit(data, b"?>", b"?><!-- note --><?pi x?>"), True),
        "element after the Body": (
            _edit(data, b"</soapenv:Body>", b"</soapenv:Body><extra>1</extra>"),
            True,
        ),
        "xsi:type on an item": (
            _edit(
                data, b"<ns1:Residences", f"<ns1:Residences xmlns:xsi='{XSI}' xsi:type='x'".encode()
            ),
            False,
        ),
        "a value that does not convert": (data.replace(b"<history>true", b"<history>maybe"), None),
        "items in the Header": (
            _edit(
                data,
                b"<soapenv:Header/>",
                b"<soapenv:Header>" + residences + b"</ns1:Residences></soapenv:Header>",
            ),
            True,
        ),
        "items inside an unknown element": (
            _edit(
                data,
                b"<ns1:Residences",
                b"<unknown>" + residences + b"</ns1:Residences></unknown><ns1:Residences",
            ),
            True,
        ),
        "a second rrn_it_implicit": (_second_file(data), True),
        "too deep": (_too_deep(data), False),
    }


#: Cases the tree path refuses with an error (the others it binds, or leaves to xsdata).
TREE_ERRORS = {
    "truncated",
    "trailing garbage",
    "fault instead of the payload",
    "fault after the payload",
    "second Body",
    "Header after the Body",
    "SOAP 1.2 envelope",
    "another payload",
    "element before the payload",
    "DOCTYPE",
    "too deep",
}


def _too_deep(data: bytes) -> bytes:
    return _edit(data, b"<ns1:Residences", b"<a>" * 300 + b"</a>" * 300 + b"<ns1:Residences")


def _second_body(data: bytes) -> bytes:
    start = data.index(b"<soapenv:Body")
    end = data.rindex(b"</soapenv:Body>") + len(b"</soapenv:Body>")
    return data[:end] + data[start:end] + data[end:]


def _second_file(data: bytes) -> bytes:
    """The file element repeated: the walk skips the second one (a single element)."""
    start = data.index(b"<rrn_it_implicit")
    end = data.index(b"</rrn_it_implicit>") + len(b"</rrn_it_implicit>")
    second = data[start:end].replace(b"<ns1:Code>", b"<ns1:Code>9", 1)
    return data[:end] + second + data[end:]


@pytest.fixture(scope="module")
def tx25_small_bytes(tx25_model: Any) -> bytes:
    data = reply_bytes(longer(tx25_model, 2))
    assert b"<ns1:Residences" in data and b"<soapenv:Header/>" in data and b"<history>" in data
    return data


@pytest.mark.parametrize("indent", [False, True], ids=["compact", "indented"])
def test_envelopes_damaged_by_hand_stream_like_the_tree_path_or_give_up(
    tx25_small_bytes: bytes, indent: bool
) -> None:
    base = tx25_small_bytes
    if indent:
        root = etree.fromstring(base)
        etree.indent(root)
        base = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    for name, (data, answers) in _envelope_cases(base).items():
        for check_signature in (False, True):
            result = agree(data, TX25, check_signature=check_signature)
            if answers is not None:
                assert (result is not None) == answers, name
        if name in TREE_ERRORS:
            assert tree_path(data, TX25.cls, TX25.tag).outcome == "error", name


def test_a_hostile_reply_fails_on_the_tree_path_with_the_typed_error(
    tx25_small_bytes: bytes,
) -> None:
    deep = _too_deep(tx25_small_bytes)
    assert streamed(deep, TX25) is None
    with pytest.raises(XmlTooLarge):
        read_soap_response(200, "text/xml", deep)


# --- limits ---------------------------------------------------------------------------------


def test_the_size_limit_is_left_to_the_tree_path(tx25_small_bytes: bytes) -> None:
    limits = XmlLimits(max_bytes=len(tx25_small_bytes) - 1)
    assert streamed(tx25_small_bytes, TX25, limits=limits) is None
    assert tree_path(tx25_small_bytes, TX25.cls, TX25.tag, limits=limits).value == "XmlTooLarge"
    assert streamed(tx25_small_bytes, TX25, limits=XmlLimits(max_bytes=len(tx25_small_bytes)))


def test_a_depth_cap_below_libxml2s_is_left_to_the_tree_path(tx25_small_bytes: bytes) -> None:
    """libxml2 enforces 256 levels while streaming; a stricter cap is checked on the tree."""
    shallow = XmlLimits(max_depth=8)
    assert streamed(tx25_small_bytes, TX25, limits=shallow) is None
    assert tree_path(tx25_small_bytes, TX25.cls, TX25.tag, limits=shallow).value == "XmlTooLarge"
    assert streamed(tx25_small_bytes, TX25, limits=XmlLimits(max_depth=256)) is not None


# --- the tree never exists whole ---------------------------------------------------------------


def test_the_items_are_released_while_parsing(big_model: Any) -> None:
    data = reply_bytes(big_model)
    total = sum(1 for _ in etree.fromstring(data).iter())
    binder = stream_binder(TX25.label)
    tags = binder.item_tags(TX25.cls, REPLY_PARTS)
    assert tags is not None
    run = _streambind._Run(
        FastBinder(XmlContext()), TX25.cls, tags, TX25.tag, frozenset(REPLY_PARTS), False, False
    )
    chunk = 16 * 1024
    live = []
    for start in range(0, len(data), chunk):
        run.feed(data[start : start + chunk])
        if run.root is not None:
            live.append(sum(1 for _ in run.root.iter()))
    result = run.finish()
    assert len(data) // chunk > 20 and total > 15_000
    # at any time: what one chunk holds, the open path and the skeleton — not the document
    assert max(live) < total // 10
    assert sum(1 for _ in result.message.envelope.iter()) < total // 50
    assert result.value == tree_path(data, TX25.cls, TX25.tag).value


# --- the official samples --------------------------------------------------------------------


@needs_reference
@pytest.mark.parametrize("name", TX25_SAMPLES)
@pytest.mark.parametrize("indent", [False, True], ids=["as-is", "indented"])
def test_the_official_samples_stream_equal_to_xsdata(name: str, indent: bool) -> None:
    payload = _tx25_as_v2(name)
    envelope = payload.getroottree().getroot()
    if indent:
        etree.indent(envelope)
    data = etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
    outcome, expected = reference(payload, TX25.cls, False)
    assert outcome == "ok"
    result = agree(data, TX25)
    assert result is not None and result.items > 0
    assert result.value == expected


# --- faults and signatures -------------------------------------------------------------------


def test_a_fault_is_left_to_the_tree_path() -> None:
    data = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV_NS}"><soapenv:Body><soapenv:Fault>'
        "<faultcode>soapenv:Server</faultcode><faultstring>x</faultstring>"
        "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    ).encode()
    assert streamed(data, TX25) is None
    assert tree_path(data, TX25.cls, TX25.tag).value == "SoapFault"


@pytest.fixture(scope="module")
def signed_bytes(tx25_model: Any) -> bytes:
    return reply_bytes(longer(tx25_model, 3), credentials=make_test_credentials())


def test_a_signed_reply_streams_only_when_the_signature_is_not_looked_at(
    signed_bytes: bytes,
) -> None:
    assert agree(signed_bytes, TX25, check_signature=True) is None  # IF_PRESENT: verified
    result = agree(signed_bytes, TX25, check_signature=False)  # OFF: nothing is looked at
    assert result is not None
    header = result.message.header
    assert header is not None and len(header)  # the Header is kept whole


def test_two_security_headers_are_left_to_the_verifier(tx25_small_bytes: bytes) -> None:
    wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
    security = f"<wsse:Security xmlns:wsse='{wsse}'/>".encode()
    data = _edit(
        tx25_small_bytes,
        b"<soapenv:Header/>",
        b"<soapenv:Header>" + security * 2 + b"</soapenv:Header>",
    )
    assert agree(data, TX25, check_signature=True) is None
    assert tree_path(data, TX25.cls, TX25.tag, verify=True).value == "SignatureError"
    assert agree(data, TX25, check_signature=False) is not None


# --- the SOA interpreter: status, business errors, tickets -----------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[CbssClient]:
    with CbssClient(
        environment="test",
        organization=Organization(cbe_number="0212344876"),
        credentials=make_test_credentials(),
        verification="off",
    ) as c:
        yield c


def _received(data: bytes, *, check_signature: bool = False) -> StreamInput:
    return StreamInput(
        status_code=200,
        headers=httpx.Headers({"content-type": "text/xml"}),
        body=data,
        elapsed=0.0,
        limits=DEFAULT_XML_LIMITS,
        check_signature=check_signature,
    )


def _tree_reply(data: bytes) -> Any:
    from cbss_sdk.transport import SoapReply

    return SoapReply(
        message=read_soap_response(200, "text/xml", data),
        status_code=200,
        headers=httpx.Headers(),
        signature=None,
        elapsed=0.0,
        raw=data,
    )


def _with_status(response: Any, value: str, code: str) -> Any:
    status = dataclasses.replace(response.status, value=value, code=code, description="refused")
    return dataclasses.replace(response, status=status)


def test_the_soa_interpreter_reads_what_the_tree_path_reads(
    client: CbssClient, tx25_model: Any
) -> None:
    prepared = RetrieveTIGroups.retrieve.prepare(
        RetrieveTIGroups(client), FAMILY_SSIN, history=True
    )
    interpret = prepared.interpret
    assert isinstance(interpret, StreamingInterpreter)
    data = reply_bytes(longer(tx25_model, 10))
    outcome = interpret.interpret_stream(_received(data))
    assert outcome is not None
    tree = interpret(_tree_reply(data))
    assert outcome.value.response == tree.value.response
    assert outcome.value.status == tree.value.status
    assert outcome.value.meta == tree.value.meta
    assert (outcome.label, outcome.cbss_ticket) == (tree.label, tree.cbss_ticket)


@pytest.mark.parametrize("code", ["MSG00005", "MSG00008"])
def test_status_errors_are_raised_with_their_tickets_as_on_the_tree_path(
    client: CbssClient, tx25_model: Any, code: str
) -> None:
    prepared = RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(client), FAMILY_SSIN)
    interpret = prepared.interpret
    assert isinstance(interpret, StreamingInterpreter)
    data = reply_bytes(_with_status(longer(tx25_model, 10), "NO_RESULT", code))
    assert streamed(data, TX25) is not None  # the reply itself streams
    with pytest.raises(CbssBusinessError) as streaming:
        interpret.interpret_stream(_received(data))
    with pytest.raises(CbssBusinessError) as tree:
        interpret(_tree_reply(data))
    assert type(streaming.value) is type(tree.value)
    assert streaming.value.code == tree.value.code == code
    assert streaming.value.tickets == tree.value.tickets
    assert tx25_model.information_cbss.ticket_cbss in streaming.value.tickets
    assert prepared.info.customer_ticket in streaming.value.tickets


def test_a_bad_status_value_is_the_tree_paths_protocol_error(
    client: CbssClient, tx25_model: Any
) -> None:
    from cbss_sdk.errors import ProtocolError

    prepared = RetrieveTIGroups.retrieve.prepare(RetrieveTIGroups(client), FAMILY_SSIN)
    interpret = prepared.interpret
    assert isinstance(interpret, StreamingInterpreter)
    data = reply_bytes(longer(tx25_model, 10)).replace(b"<value>DATA_FOUND", b"<value>MAYBE")
    # the enumeration does not bind: the run gives up, and the tree path raises
    assert interpret.interpret_stream(_received(data)) is None
    with pytest.raises(ProtocolError, match="status value"):
        interpret(_tree_reply(data))


def test_the_streamed_reply_hands_the_bound_payload_to_the_interpret_function(
    tx25_small_bytes: bytes,
) -> None:
    result = streamed(tx25_small_bytes, TX25)
    assert result is not None
    reply = StreamedReply(
        message=result.message,
        status_code=200,
        headers=httpx.Headers(),
        signature=None,
        elapsed=0.0,
        raw=tx25_small_bytes,
        value=result.value,
    )
    assert result.message.payload is not None
    assert soa_stream.bound_payload(reply, result.message.payload, TX25.cls) is result.value


# --- through the clients --------------------------------------------------------------------


class Spy:
    """Records what each streaming attempt returned (``None``: gave up)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.results: list[Streamed | None] = []
        original = _streambind.stream_bind

        def spy(*args: Any, **kwargs: Any) -> Streamed | None:
            result = original(*args, **kwargs)
            self.results.append(result)
            return result

        monkeypatch.setattr("cbss_sdk.soa._stream.stream_bind", spy)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    return Spy(monkeypatch)


def long_enough(response: Any, size: int) -> Any:
    """*response* with its residence history repeated until the reply exceeds *size* bytes."""
    one, two = (len(reply_bytes(longer(response, n))) for n in (1, 2))
    big = longer(response, (size - one) // (two - one) + 2)
    assert len(reply_bytes(big)) > size
    return big


@pytest.fixture(scope="module")
def big_model(tx25_model: Any) -> Any:
    return long_enough(tx25_model, STREAM_MIN_BYTES)


@pytest.mark.parametrize("policy", ["off", "if_present"])
def test_a_big_reply_from_the_simulator_is_streamed(spy: Spy, big_model: Any, policy: str) -> None:
    simulator = Simulator(sign_replies=False)
    with simulator.client(verification=policy) as client:
        simulator.stub("RetrieveTIGroups", "retrieveTI", reply=big_model)
        streamed_result = RetrieveTIGroups(client).retrieve(ssin=FAMILY_SSIN, history=True)
        assert len(spy.results) == 1 and spy.results[0] is not None
        client._core.stream_min_bytes = 1 << 40  # the tree path, for comparison
        simulator.stub("RetrieveTIGroups", "retrieveTI", reply=big_model)
        tree_result = RetrieveTIGroups(client).retrieve(ssin=FAMILY_SSIN, history=True)
        assert len(spy.results) == 1
    assert streamed_result.response.rrn_it_implicit == big_model.rrn_it_implicit
    assert streamed_result.file == tree_result.file
    assert streamed_result.status == tree_result.status
    assert streamed_result.meta.cbss_ticket is not None


async def test_the_async_client_streams_too(spy: Spy, big_model: Any) -> None:
    simulator = Simulator(sign_replies=False)
    async with simulator.async_client(verification="off") as client:
        simulator.stub("RetrieveTIGroups", "retrieveTI", reply=big_model)
        result = await RetrieveTIGroups(client).retrieve(ssin=FAMILY_SSIN, history=True)
    assert spy.results and spy.results[0] is not None
    assert result.file == big_model.rrn_it_implicit


def test_a_small_reply_keeps_the_tree_path(spy: Spy) -> None:
    simulator = Simulator(sign_replies=False)
    with simulator.client(verification="off") as client:
        RetrieveTIGroups(client).retrieve(ssin=FAMILY_SSIN, history=True)
    assert spy.results == []


def test_a_signed_big_reply_is_verified_under_if_present(
    spy: Spy, big_model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[Any] = []
    original = verify_envelope

    def verify(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        verified.append(found)
        return found

    monkeypatch.setattr("cbss_sdk._client_core.verify_envelope", verify)
    simulator = Simulator(sign_replies=True)
    pinned = VerificationConfig(
        policy=VerificationPolicy.IF_PRESENT, pinned_certificate=simulator.certificate
    )
    with simulator.client(verification=pinned) as client:
        simulator.stub("RetrieveTIGroups", "retrieveTI", reply=big_model)
        result = RetrieveTIGroups(client).retrieve(ssin=FAMILY_SSIN, history=True)
    assert spy.results == [None]  # the run saw the signature and gave up
    assert len(verified) == 1 and verified[0] is not None
    assert result.file == big_model.rrn_it_implicit


def test_required_verification_never_streams(spy: Spy, big_model: Any) -> None:
    simulator = Simulator(sign_replies=True)
    with simulator.client() as client:  # REQUIRED, pinned to the simulator
        simulator.stub("RetrieveTIGroups", "retrieveTI", reply=big_model)
        result = RetrieveTIGroups(client).retrieve(ssin=FAMILY_SSIN, history=True)
    assert spy.results == []
    assert result.file == big_model.rrn_it_implicit


def _respx_client(verification: Any = "off") -> CbssClient:
    return CbssClient(
        environment="test",
        organization=Organization(cbe_number="0212344876"),
        credentials=make_test_credentials(),
        verification=verification,
    )


def _served(body: bytes) -> httpx.Response:
    return httpx.Response(200, content=body, headers={"Content-Type": "text/xml; charset=utf-8"})


def test_a_big_business_error_over_http_carries_both_tickets(spy: Spy, big_model: Any) -> None:
    body = reply_bytes(_with_status(big_model, "NO_RESULT", "MSG00005"))
    assert len(body) > STREAM_MIN_BYTES
    with respx.mock(assert_all_called=True) as mock, _respx_client() as client:
        mock.post().mock(return_value=_served(body))
        with pytest.raises(SsinUnknown) as raised:
            RetrieveTIGroups(client).retrieve(ssin=FAMILY_SSIN, history=True)
    assert spy.results and spy.results[0] is not None
    assert big_model.information_cbss.ticket_cbss in raised.value.tickets
    assert len(raised.value.tickets) == 2
    assert raised.value.service == "RetrieveTIGroups"


def test_a_tampered_signed_big_reply_fails_verification_under_if_present(
    spy: Spy, big_model: Any
) -> None:
    body = reply_bytes(big_model, credentials=make_test_credentials())
    body = body.replace(b"<history>true</history>", b"<history>false</history>", 1)
    with respx.mock() as mock, _respx_client(IF_PRESENT) as client:
        mock.post().mock(return_value=_served(body))
        with pytest.raises(SignatureError):
            RetrieveTIGroups(client).retrieve(ssin=FAMILY_SSIN, history=True)
    assert spy.results == [None]


def test_a_big_unsigned_reply_over_http_is_streamed(spy: Spy, big_model: Any) -> None:
    body = reply_bytes(big_model)
    with respx.mock() as mock, _respx_client(IF_PRESENT) as client:
        mock.post().mock(return_value=_served(body))
        result = RetrieveTIGroups(client).retrieve(ssin=FAMILY_SSIN, history=True)
    assert spy.results and spy.results[0] is not None
    assert result.file == big_model.rrn_it_implicit
    assert result.meta.cbss_ticket == big_model.information_cbss.ticket_cbss


# --- plans compiled ahead ----------------------------------------------------------------------


@dataclasses.dataclass
class NsLeaf:
    """No namespace of its own, and an element that takes the class's: path-dependent."""

    value: str | None = dataclasses.field(default=None, metadata={"type": "Element"})


@dataclasses.dataclass
class NsExplicitLeaf:
    """No namespace of its own, but every element names its namespace."""

    value: str | None = dataclasses.field(
        default=None, metadata={"type": "Element", "namespace": ""}
    )


@dataclasses.dataclass
class NsLeft:
    class Meta:
        namespace = "urn:left"

    leaf: list[NsLeaf] = dataclasses.field(
        default_factory=list, metadata={"type": "Element", "namespace": "urn:left"}
    )
    explicit: list[NsExplicitLeaf] = dataclasses.field(
        default_factory=list, metadata={"type": "Element", "namespace": "urn:left"}
    )


@dataclasses.dataclass
class NsRight:
    class Meta:
        namespace = "urn:right"

    leaf: list[NsLeaf] = dataclasses.field(
        default_factory=list, metadata={"type": "Element", "namespace": "urn:right"}
    )
    explicit: list[NsExplicitLeaf] = dataclasses.field(
        default_factory=list, metadata={"type": "Element", "namespace": "urn:right"}
    )


@dataclasses.dataclass
class NsRoot:
    class Meta:
        name = "root"
        namespace = "urn:root"

    left: NsLeft | None = dataclasses.field(
        default=None, metadata={"type": "Element", "namespace": "urn:root"}
    )
    right: NsRight | None = dataclasses.field(
        default=None, metadata={"type": "Element", "namespace": "urn:root"}
    )


@dataclasses.dataclass
class NsExplicitRoot:
    class Meta:
        name = "root"
        namespace = "urn:root"

    left: list[NsExplicitLeaf] = dataclasses.field(
        default_factory=list, metadata={"type": "Element", "namespace": "urn:left"}
    )
    right: NsRight | None = dataclasses.field(
        default=None, metadata={"type": "Element", "namespace": "urn:root"}
    )


def test_plans_compiled_ahead_refuse_a_class_whose_namespace_depends_on_the_path() -> None:
    """Compiling ahead must not fix a namespace a walk in document order could fix otherwise."""
    binder = FastBinder(XmlContext())
    assert binder.graph(NsRoot) is None  # NsLeaf below urn:left and urn:right
    assert StreamBinder(binder).item_tags(NsRoot) is None
    # NsExplicitLeaf is reached below both too, but no element of it depends on that
    plans = FastBinder(XmlContext()).graph(NsExplicitRoot)
    assert plans is not None
    assert {plan.cls for plan in plans} == {NsExplicitRoot, NsExplicitLeaf, NsRight, NsLeaf}


def test_stream_input_and_streamed_reply_are_plain_values() -> None:
    received = _received(b"<x/>")
    assert attrs.evolve(received, check_signature=True).check_signature
    assert "body" not in repr(received)


@pytest.mark.parametrize("model", SOA_MODELS, ids=[m.label for m in SOA_MODELS])
def test_every_soa_reply_model_compiles_ahead(model: SoaModel, tx25_model: Any) -> None:
    """On a fresh context, and on the shared one after the simulator wrote replies with it."""
    assert FastBinder(XmlContext()).graph(model.cls) is not None
    assert _binding.shared_fast_binder().graph(model.cls) is not None


def test_most_soa_reply_models_have_lists_to_stream() -> None:
    assert TX25 in LISTED and len(LISTED) >= len(SOA_MODELS) - 5
