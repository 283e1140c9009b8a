"""The simulator as an httpx transport: what plain httpx clients read, sync and async, streamed or not."""

from __future__ import annotations

import httpx
import pytest
from simulator_support import (
    IN_PROCESS,
    SOA_PREFIX,
    TX25,
    envelope_bytes,
    normal_ssin,
    soap_message,
    tx25_payload,
)

from cbss_sdk.testing import Simulator
from cbss_sdk.testing._engine_soa import SimResponse

HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{TX25.soap_action}"'}


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return Simulator()


@pytest.fixture(scope="module")
def body(sim: Simulator) -> bytes:
    return envelope_bytes(tx25_payload(sim, normal_ssin(sim)))


def check(response: httpx.Response) -> None:
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert int(response.headers["content-length"]) == len(response.content)
    assert soap_message(response).payload is not None


def test_sync_client_reads_the_reply(sim: Simulator, body: bytes) -> None:
    with httpx.Client(transport=sim.transport(), base_url=IN_PROCESS) as http:
        check(http.post(SOA_PREFIX + TX25.path, content=body, headers=HEADERS))
        with http.stream("POST", SOA_PREFIX + TX25.path, content=body, headers=HEADERS) as streamed:
            content = b"".join(streamed.iter_bytes())
        assert int(streamed.headers["content-length"]) == len(content)


async def test_async_client_reads_the_reply(sim: Simulator, body: bytes) -> None:
    async with httpx.AsyncClient(transport=sim.transport(), base_url=IN_PROCESS) as http:
        check(await http.post(SOA_PREFIX + TX25.path, content=body, headers=HEADERS))
        async with http.stream(
            "POST", SOA_PREFIX + TX25.path, content=body, headers=HEADERS
        ) as streamed:
            content = b"".join([chunk async for chunk in streamed.aiter_bytes()])
        assert int(streamed.headers["content-length"]) == len(content)


def test_headers_are_read_whatever_their_case(sim: Simulator, body: bytes) -> None:
    """The SOAPAction is found however the client spells the header name."""
    wrong = {"content-type": "text/xml; charset=utf-8", "SoapAction": '"urn:another:action"'}
    with httpx.Client(transport=sim.transport(), base_url=IN_PROCESS) as http:
        response = http.post(SOA_PREFIX + TX25.path, content=body, headers=wrong)
    assert response.status_code == 500
    assert b"does not match the operation" in response.content


@pytest.mark.parametrize("extra", [(), (("allow", "POST"),)])
def test_to_httpx_gives_the_body_and_the_headers(extra: tuple[tuple[str, str], ...]) -> None:
    answer = SimResponse(405, "text/html; charset=utf-8", "<p>é</p>".encode(), extra_headers=extra)
    response = answer.to_httpx(httpx.Request("POST", "http://cbss-simulator.test/x"))
    assert response.read() == "<p>é</p>".encode()
    assert list(response.headers.multi_items()) == [
        ("content-type", "text/html; charset=utf-8"),
        ("content-length", str(len(answer.body))),
        *extra,
    ]
