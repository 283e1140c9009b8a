"""The SOAP request headers: built once per SOAP action, never shared when they carry credentials."""

from __future__ import annotations

import respx
from client_support import SOA_INFO, SOA_URL, Flavor, flavor_fixture, reply_body, soap_response

from cbss_sdk.transport._http import USER_AGENT, soap_headers

flavor = flavor_fixture()

EXPECTED = [
    ("content-type", "text/xml; charset=utf-8"),
    ("soapaction", '"urn:a"'),
    ("accept", "text/xml, application/soap+xml, multipart/related"),
    ("user-agent", USER_AGENT),
]


def test_headers_without_credentials_are_shared_per_action() -> None:
    first = soap_headers("urn:a", None)
    assert soap_headers("urn:a", None) is first
    assert soap_headers("urn:b", None) is not first
    assert [(k.lower(), v) for k, v in first.multi_items()] == EXPECTED


def test_headers_with_credentials_are_built_each_time() -> None:
    first = soap_headers("urn:a", "Basic dTpw")
    assert soap_headers("urn:a", "Basic dTpw") is not first
    assert [(k.lower(), v) for k, v in first.multi_items()] == [
        *EXPECTED,
        ("authorization", "Basic dTpw"),
    ]


async def test_requests_do_not_change_the_shared_headers(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    shared = soap_headers(SOA_INFO.soap_action, None)
    before = list(shared.multi_items())
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(reply_body()))
    client = flavor.client(verification="off")
    for _ in range(2):
        await flavor.call(client)
    assert list(shared.multi_items()) == before
    sent = route.calls.last.request.headers
    assert sent["SOAPAction"] == f'"{SOA_INFO.soap_action}"'
    assert sent["Content-Length"] == str(len(route.calls.last.request.content))
