"""The simulator's reply cache: a TX25 reply served again is the reply built from scratch.

Differential tests: the same signed request goes to a simulator whose cache is
off and to one whose cache is on (same clock, same CBSS ticket); every answer
— the one that fills the cache and every later one served from it — must be
byte for byte the uncached answer.  Then: every check still runs on a cached
answer, signed replies, keys, bounds and the splice helpers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from simulator_support import (
    PERSONAS,
    SOA_PREFIX,
    TX25,
    children,
    envelope_bytes,
    normal_ssin,
)

from cbss_sdk import Organization, RetrieveTIGroups
from cbss_sdk.soa import read_status
from cbss_sdk.soap import SoapMessage, read_soap_response
from cbss_sdk.testing import (
    SIMULATOR_CBE,
    Population,
    SimContext,
    SimRequest,
    SimulatedBusinessError,
    Simulator,
    _engine_soa,
    _registry,
    default_population,
)
from cbss_sdk.testing._engine_soa import HttpCall, SimResponse
from cbss_sdk.testing._replycache import (
    CachedReply,
    ReplyCache,
    Same,
    content_between,
    handler_reply_key,
    reply_key,
    splice_point,
)
from cbss_sdk.testing._services.retrieve_ti_groups import retrieve_ti
from cbss_sdk.wsse import VerificationConfig, verify_envelope

START = dt.datetime(2026, 3, 14, 9, 26, 53, 589000, tzinfo=dt.timezone.utc)
TICKET = uuid.UUID("5b0c3e0e-3f8e-4c4e-9d7a-2f1c1b0a9e11")
EXTRA_CONTEXT = "PCSA:OTHER_PURPOSE"


class Clock:
    """A settable simulator clock."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def make_sim(clock: Clock, *, cached: bool, sign_replies: bool = False, **kwargs: Any) -> Simulator:
    """Unsigned replies unless asked: a signature differs on every reply (times, ids)."""
    sim = Simulator(
        clock=clock,
        sign_replies=sign_replies,
        extra_legal_contexts={"RetrieveTIGroups": [EXTRA_CONTEXT]},
        **kwargs,
    )
    if not cached:
        sim._reply_cache = ReplyCache(maxsize=0)
    return sim


@contextmanager
def fixed_tickets() -> Iterator[None]:
    """Every CBSS ticket the simulator draws is :data:`TICKET` (so answers can be compared)."""
    fixed = mock.Mock(return_value=str(TICKET))
    with (
        mock.patch.object(uuid, "uuid4", return_value=TICKET),
        mock.patch.object(_engine_soa, "new_ticket", fixed),
        mock.patch.object(_registry, "new_ticket", fixed),
    ):
        yield


def payload(
    sim: Simulator, ssin: str, organization: Organization | None = None, **kwargs: Any
) -> etree._Element:
    """A TX25 request element as the SDK builds it, for *organization*."""
    options = {} if organization is None else {"organization": organization}
    with sim.client(**options) as client:
        facade = RetrieveTIGroups(client)
        return RetrieveTIGroups.retrieve.prepare(facade, ssin, **kwargs).payload


def drop(element: etree._Element, name: str) -> etree._Element:
    for found in list(children(element, name)):
        parent = found.getparent()
        assert parent is not None
        parent.remove(found)
    return element


def http_call(body: bytes) -> HttpCall:
    return HttpCall(
        method="POST",
        path=SOA_PREFIX + TX25.path,
        headers={"content-type": "text/xml; charset=utf-8", "soapaction": f'"{TX25.soap_action}"'},
        body=body,
    )


def answer(sim: Simulator, call: HttpCall) -> tuple[int, str, bytes, float]:
    response: SimResponse = sim.process(call)
    return response.status_code, response.content_type, response.body, response.delay


def last_record(sim: Simulator) -> tuple[Any, ...]:
    record = sim.requests[-1]
    return (record.service, record.operation, record.subject, record.outcome, record.code)


def soap_message_from(body: bytes) -> SoapMessage:
    return read_soap_response(200, "text/xml; charset=utf-8", body)


def status_of(body: bytes) -> tuple[str, str | None]:
    message = soap_message_from(body)
    assert message.payload is not None
    status = read_status(message.payload)
    assert status is not None
    return status.value, status.code


# --------------------------------------------------------------------------- differential


@pytest.fixture(scope="module")
def pair() -> tuple[Clock, Simulator, Simulator]:
    clock = Clock()
    return clock, make_sim(clock, cached=False), make_sim(clock, cached=True)


ORGANIZATIONS = [
    None,
    Organization(cbe_number="0316381039"),
    Organization(sector=17, institution=1),
]


@st.composite
def tx25_requests(draw: st.DrawFn, sim: Simulator) -> bytes:
    people = sorted(p.ssin for p in sim.population)
    ssin = draw(st.sampled_from([*people, PERSONAS["unknown"]]))
    kwargs: dict[str, Any] = {
        "language": draw(st.sampled_from(["fr", "nl", "de"])),
        "history": draw(st.booleans()),
    }
    if draw(st.booleans()):
        kwargs["legal_context"] = draw(st.sampled_from([EXTRA_CONTEXT, "PCSA:REFUSED_ONE"]))
    element = payload(sim, ssin, draw(st.sampled_from(ORGANIZATIONS)), **kwargs)
    for optional in draw(st.sets(st.sampled_from(["language", "history", "ticket"]))):
        drop(element, optional)
    return envelope_bytes(element)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), days=st.integers(min_value=0, max_value=800))
def test_cached_answers_are_the_uncached_answers(
    pair: tuple[Clock, Simulator, Simulator], data: st.DataObject, days: int
) -> None:
    clock, plain, cached = pair
    clock.now = START + dt.timedelta(days=days, seconds=days)
    call = http_call(data.draw(tx25_requests(plain)))
    with fixed_tickets():
        expected = answer(plain, call)
        first = answer(cached, call)  # fills the cache (or finds what an earlier example left)
        again = answer(cached, call)  # served from the cache
    assert first == expected
    assert again == expected
    assert last_record(cached) == last_record(plain)


def test_the_cache_is_used_for_plain_consultations() -> None:
    clock = Clock()
    sim = make_sim(clock, cached=True)
    ssin = normal_ssin(sim)
    for _ in range(3):
        answer(sim, http_call(envelope_bytes(payload(sim, ssin, history=True))))
    assert len(sim._reply_cache) == 1
    (entry,) = sim._reply_cache._items.values()
    assert entry.content is not None  # unsigned replies: the content bytes are spliced
    assert [r.outcome for r in sim.requests] == ["DATA_FOUND"] * 3


def test_an_answer_from_another_request_header_reuses_the_content() -> None:
    """Different callers, tickets and days of the header: one entry per key, same content."""
    clock = Clock()
    plain, cached = make_sim(clock, cached=False), make_sim(clock, cached=True)
    ssin = normal_ssin(plain)
    bodies = [
        envelope_bytes(payload(plain, ssin, organization, history=True))
        for organization in ORGANIZATIONS
    ]
    with fixed_tickets():
        for body in bodies:
            assert answer(cached, http_call(body)) == answer(plain, http_call(body))
    assert len(cached._reply_cache) == 1


def test_the_day_is_part_of_the_key() -> None:
    clock = Clock()
    plain, cached = make_sim(clock, cached=False), make_sim(clock, cached=True)
    call = http_call(envelope_bytes(payload(plain, normal_ssin(plain))))
    with fixed_tickets():
        for days in (0, 0, 3650, 3650):
            clock.now = START + dt.timedelta(days=days)
            assert answer(cached, call) == answer(plain, call)
    assert len(cached._reply_cache) == 2


# --------------------------------------------------------------------------- checks still run


@pytest.fixture
def warm() -> tuple[Simulator, str]:
    """A simulator whose cache holds the reply for a plain person."""
    sim = make_sim(Clock(), cached=True)
    ssin = normal_ssin(sim)
    call = http_call(envelope_bytes(payload(sim, ssin)))
    answer(sim, call)
    answer(sim, call)
    assert len(sim._reply_cache) == 1
    return sim, ssin


def test_unsigned_request_is_still_refused(warm: tuple[Simulator, str]) -> None:
    sim, ssin = warm
    status, _, body, _ = answer(sim, http_call(envelope_bytes(payload(sim, ssin), signed=False)))
    assert status == 500
    assert b"MSG00016" in body
    assert sim.requests[-1].outcome == "fault"


def test_tampered_request_is_still_refused(warm: tuple[Simulator, str]) -> None:
    sim, ssin = warm
    body = envelope_bytes(payload(sim, ssin)).replace(b"<history>false", b"<history>true")
    status, _, reply, _ = answer(sim, http_call(body))
    assert status == 500
    assert b"MSG00016" in reply


def test_schema_is_still_checked(warm: tuple[Simulator, str]) -> None:
    sim, ssin = warm
    element = payload(sim, ssin)
    next(children(element, "language")).text = "en"
    status, _, body, _ = answer(sim, http_call(envelope_bytes(element)))
    assert status == 200
    assert status_of(body) == ("NO_RESULT", "MSG00008")


def test_legal_context_is_still_checked(warm: tuple[Simulator, str]) -> None:
    sim, ssin = warm
    body = envelope_bytes(payload(sim, ssin, legal_context="PCSA:REFUSED_ONE"))
    assert status_of(answer(sim, http_call(body))[2]) == ("NO_RESULT", "MSG00013")


def test_stubs_still_come_first(warm: tuple[Simulator, str]) -> None:
    sim, ssin = warm
    sim.stub("RetrieveTIGroups", "retrieveTI", ssin=ssin, error=SimulatedBusinessError("MSG00005"))
    body = envelope_bytes(payload(sim, ssin))
    assert status_of(answer(sim, http_call(body))[2]) == ("NO_RESULT", "MSG00005")
    sim.assert_no_pending()
    assert status_of(answer(sim, http_call(body))[2]) == ("DATA_FOUND", "MSG00000")


def test_integration_is_still_checked_per_caller() -> None:
    """The reply cached for a registered organisation is refused to another one."""
    sim = make_sim(Clock(), cached=True)
    ssin = PERSONAS["not_integrated"]
    sim.registrations.register(f"cbe:{SIMULATOR_CBE}", ssin, 1, dt.date(2020, 1, 1))
    mine = http_call(envelope_bytes(payload(sim, ssin)))
    assert status_of(answer(sim, mine)[2])[0] == "DATA_FOUND"
    assert status_of(answer(sim, mine)[2])[0] == "DATA_FOUND"
    other = Organization(cbe_number="0316381039")
    theirs = http_call(envelope_bytes(payload(sim, ssin, other)))
    assert status_of(answer(sim, theirs)[2]) == ("NO_RESULT", "MSG00012")


def test_reset_forgets_the_cached_replies(warm: tuple[Simulator, str]) -> None:
    sim, _ = warm
    sim.reset()
    assert len(sim._reply_cache) == 0


# --------------------------------------------------------------------------- signed replies


def test_signed_cached_replies_verify_and_carry_the_same_payload() -> None:
    clock = Clock()
    clock.now = dt.datetime.now(dt.timezone.utc)
    plain = make_sim(clock, cached=False, sign_replies=True)
    cached = make_sim(clock, cached=True, sign_replies=True, credentials=plain.credentials)
    call = http_call(envelope_bytes(payload(plain, normal_ssin(plain), history=True)))
    config = VerificationConfig(pinned_certificate=plain.certificate)

    def signed_payload(sim: Simulator) -> bytes:
        message = soap_message_from(answer(sim, call)[2])
        assert verify_envelope(message.envelope, config) is not None
        assert message.payload is not None
        return etree.tostring(message.payload, method="c14n", exclusive=True)

    with fixed_tickets():
        expected = signed_payload(plain)
        assert signed_payload(cached) == expected
        assert signed_payload(cached) == expected
    (entry,) = cached._reply_cache._items.values()
    assert entry.content is None  # a signed reply is rebuilt and signed whole every time


# --------------------------------------------------------------------------- which handlers


def test_only_handlers_declaring_a_key_are_cached() -> None:
    calls: list[str] = []

    def custom(ctx: SimContext, request: SimRequest) -> object:
        calls.append("called")
        return retrieve_ti(ctx, request)

    sim = Simulator(handlers={("RetrieveTIGroups", "retrieveTI"): custom})
    call = http_call(envelope_bytes(payload(sim, normal_ssin(sim))))
    for _ in range(3):
        assert answer(sim, call)[0] == 200
    assert calls == ["called"] * 3
    assert len(sim._reply_cache) == 0
    assert handler_reply_key(custom) is None
    assert handler_reply_key(retrieve_ti) is not None


def test_a_key_of_none_is_not_cached() -> None:
    sim = make_sim(Clock(), cached=True)
    function = sim.handlers[("RetrieveTIGroups", "retrieveTI")]
    key = handler_reply_key(function)
    assert key is not None
    request = mock.Mock(spec=SimRequest)
    request.model = object()  # no search_information
    ctx = mock.Mock(spec=SimContext)
    assert key(ctx, request) is None


# --------------------------------------------------------------------------- the pieces


def entry(name: str) -> CachedReply:
    return CachedReply(reply=name, base=name, content=None, outcome="ok", code=None)


def test_reply_cache_is_a_bounded_lru() -> None:
    cache = ReplyCache(maxsize=2)
    cache.put("a", entry("a"))
    cache.put("b", entry("b"))
    assert cache.get("a") is not None  # "a" is now the most recent
    cache.put("c", entry("c"))
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None
    assert len(cache) == 2
    cache.clear()
    assert len(cache) == 0


def test_a_cache_of_size_zero_keeps_nothing() -> None:
    cache = ReplyCache(maxsize=0)
    cache.put("a", entry("a"))
    assert cache.get("a") is None
    with pytest.raises(ValueError):
        ReplyCache(maxsize=-1)


ENVELOPE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="x">'
    b"<soapenv:Header/><soapenv:Body>%s</soapenv:Body></soapenv:Envelope>"
)


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (b'<ns0:r xmlns:ns0="y"><a>1</a></ns0:r>', True),
        (b'<ns0:r xmlns:ns0="y"/>', False),
        (b"", False),
    ],
)
def test_splice_point_finds_the_payload_end_tag(body: bytes, found: bool) -> None:
    document = ENVELOPE % body
    point = splice_point(document)
    if found:
        assert point is not None and document[point:].startswith(b"</ns0:r></soapenv:Body>")
    else:
        assert point is None
    assert splice_point(b"<a>no envelope</a>") is None


def test_content_between_requires_the_same_header_and_tail() -> None:
    header = ENVELOPE % b'<ns0:r xmlns:ns0="y"><h>1</h></ns0:r>'
    full = ENVELOPE % b'<ns0:r xmlns:ns0="y"><h>1</h><c>2</c></ns0:r>'
    assert content_between(full, header) == b"<c>2</c>"
    other_header = ENVELOPE % b'<ns0:r xmlns:ns0="y"><h>2</h><c>2</c></ns0:r>'
    assert content_between(other_header, header) is None
    content_first = ENVELOPE % b'<ns0:r xmlns:ns0="y"><c>2</c><h>1</h></ns0:r>'
    assert content_between(content_first, header) is None
    assert content_between(header, header) is None
    assert content_between(full, ENVELOPE % b'<ns0:r xmlns:ns0="y"/>') is None


def test_an_unhashable_population_is_keyed_by_identity() -> None:
    class ComparablePopulation(Population):
        def __eq__(self, other: object) -> bool:  # makes the class unhashable
            return self is other

    population = ComparablePopulation(list(default_population()), seed=0)
    sim = Simulator(population=population, sign_replies=False)
    call = http_call(envelope_bytes(payload(sim, normal_ssin(sim))))
    assert [answer(sim, call)[0] for _ in range(2)] == [200, 200]
    assert len(sim._reply_cache) == 1


def test_an_unhashable_key_is_not_cached() -> None:
    unhashable: Any = [1, 2]

    @reply_key(lambda ctx, request: unhashable)
    def listed(ctx: SimContext, request: SimRequest) -> object:
        return retrieve_ti(ctx, request)

    sim = Simulator(handlers={("RetrieveTIGroups", "retrieveTI"): listed}, sign_replies=False)
    call = http_call(envelope_bytes(payload(sim, normal_ssin(sim))))
    assert [answer(sim, call)[0] for _ in range(2)] == [200, 200]
    assert len(sim._reply_cache) == 0


def test_same_compares_identities() -> None:
    a, b = [1], [1]
    assert Same(a) == Same(a) and hash(Same(a)) == hash(Same(a))
    assert Same(a) != Same(b)
    assert Same(a) != a


def test_switching_signatures_on_signs_cached_replies() -> None:
    clock = Clock()
    clock.now = dt.datetime.now(dt.timezone.utc)
    sim = make_sim(clock, cached=True)
    call = http_call(envelope_bytes(payload(sim, normal_ssin(sim))))
    answer(sim, call)
    assert b"Signature" not in answer(sim, call)[2]
    sim.sign_replies = True
    message = soap_message_from(answer(sim, call)[2])
    config = VerificationConfig(pinned_certificate=sim.certificate)
    assert verify_envelope(message.envelope, config) is not None
