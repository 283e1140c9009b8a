"""The simulator over real HTTP: uvicorn in a thread (``SimulatorServer``) and ``run_server`` in a process.

Every wait is bounded: servers are started with a deadline and stopped with one.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from cryptography import x509
from simulator_support import (
    PERSONAS,
    SOA_EXPECTED,
    SOA_PREFIX,
    SSDN_EXPECTED,
    TX25,
    check_error,
    envelope_bytes,
    normal_ssin,
    post,
    soap_message,
    ssdn_bytes,
    ssdn_document,
    ssdn_reply,
    tx25_payload,
)

from cbss_sdk import (
    CbssClient,
    PerformInvestigation,
    RetrieveTIGroups,
    TestConnection,
    VerificationConfig,
    catalog,
)
from cbss_sdk.errors import CbssError, ConfigurationError, SignatureError
from cbss_sdk.soap import XmlLimits
from cbss_sdk.testing import Simulator, SimulatorServer
from cbss_sdk.transport import SSDN_CONNECTOR_PATH
from cbss_sdk.wsse import verify_envelope

pytest.importorskip("uvicorn")

#: Client read timeout in these tests; the ``slow`` persona waits longer than this.
TIMEOUT = 0.5


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    with SimulatorServer(Simulator(slow_delay=1.0)) as running:
        yield running


@pytest.fixture
def http(server: SimulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10.0) as client:
        yield client


# --------------------------------------------------------------------------- with the SDK


def test_sdk_client_over_http_signs_and_verifies(server: SimulatorServer) -> None:
    with server.client() as client:
        assert client.environment.soa_base_url == server.base_url
        result = TestConnection(client).send_test_message("over the wire")
        assert result.echo == "over the wire"
        tx25 = RetrieveTIGroups(client).retrieve(normal_ssin(server.simulator))
    assert tx25.data_found
    assert tx25.meta.cbss_ticket is not None


async def test_async_sdk_client_over_http(server: SimulatorServer) -> None:
    async with server.async_client() as client:
        result = await TestConnection(client).send_test_message("async")
        investigation = await PerformInvestigation(client).investigate(
            normal_ssin(server.simulator)
        )
    assert result.echo_matches
    assert investigation.reply is not None


@pytest.mark.parametrize("persona", sorted(SOA_EXPECTED))
def test_soa_persona_over_http(server: SimulatorServer, persona: str) -> None:
    with server.client(timeout=TIMEOUT) as client, pytest.raises(CbssError) as caught:
        RetrieveTIGroups(client).retrieve(PERSONAS[persona])
    check_error(caught.value, persona, SOA_EXPECTED[persona])


@pytest.mark.parametrize("persona", sorted(SSDN_EXPECTED))
async def test_ssdn_persona_over_http_async(server: SimulatorServer, persona: str) -> None:
    async with server.async_client(timeout=TIMEOUT) as client:
        with pytest.raises(CbssError) as caught:
            await PerformInvestigation(client).investigate(PERSONAS[persona])
    check_error(caught.value, persona, SSDN_EXPECTED[persona])


@pytest.mark.parametrize("persona", ["replaced", "unavailable", "internal_error"])
def test_ssdn_persona_over_http_sync(server: SimulatorServer, persona: str) -> None:
    with server.client(timeout=TIMEOUT) as client, pytest.raises(CbssError) as caught:
        PerformInvestigation(client).investigate(PERSONAS[persona])
    check_error(caught.value, persona, SSDN_EXPECTED[persona])


async def test_a_slow_reply_does_not_hold_up_the_others(server: SimulatorServer) -> None:
    """The server sleeps without blocking: quick calls made meanwhile are answered first."""
    import asyncio

    finished: list[str] = []
    sim = server.simulator

    async def call(client: object, name: str, ssin: str) -> None:
        await RetrieveTIGroups(client).retrieve(ssin)  # type: ignore[arg-type]
        finished.append(name)

    async with server.async_client(timeout=10) as client:
        slow = asyncio.create_task(call(client, "slow", PERSONAS["slow"]))
        await asyncio.sleep(0.05)  # let the slow request reach the server first
        await asyncio.gather(*(call(client, f"quick{i}", normal_ssin(sim)) for i in range(3)))
        await slow
    assert finished[-1] == "slow"
    assert len(finished) == 4


# --------------------------------------------------------------------------- with plain HTTP


def test_hand_built_soa_envelope_over_http(server: SimulatorServer, http: httpx.Client) -> None:
    sim = server.simulator
    body = envelope_bytes(tx25_payload(sim, normal_ssin(sim)))
    response = post(http, SOA_PREFIX + TX25.path, body, TX25.soap_action)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    message = soap_message(response)
    verified = verify_envelope(
        message.envelope, VerificationConfig(pinned_certificate=sim.certificate)
    )
    assert verified is not None


def test_hand_built_ssdn_request_over_http(server: SimulatorServer, http: httpx.Client) -> None:
    from lxml import etree

    payload = etree.fromstring(
        (
            '<IdentifyPersonRequest xmlns="http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/IdentifyPerson">'
            f"<SearchCriteria><SSIN>{normal_ssin(server.simulator)}</SSIN></SearchCriteria>"
            "</IdentifyPersonRequest>"
        ).encode()
    )
    document = ssdn_document("OCMWCPASIdentifyPerson", "20050930", payload)
    response = post(http, SSDN_CONNECTOR_PATH, ssdn_bytes(document), catalog.SSDN_SOAP_ACTION)
    assert response.status_code == 200
    reply = ssdn_reply(response)
    assert reply.summary.ok == "YES"
    assert reply.reference == "test-reference-1"
    (service,) = reply.services
    assert service.payload is not None


def test_unsigned_soa_request_over_http_is_a_fault(
    server: SimulatorServer, http: httpx.Client
) -> None:
    sim = server.simulator
    body = envelope_bytes(tx25_payload(sim, normal_ssin(sim)), signed=False)
    response = post(http, SOA_PREFIX + TX25.path, body, TX25.soap_action)
    assert response.status_code == 500
    assert b"MSG00016" in response.content


def test_status_page_and_unknown_paths(http: httpx.Client) -> None:
    status = http.get("/")
    assert status.status_code == 200
    assert status.headers["content-type"] == "application/json"
    assert any(s["service"] == "RetrieveTIGroups" for s in json.loads(status.text)["services"])
    assert http.head("/").content == b""
    assert http.post("/nowhere", content=b"<x/>").status_code == 404
    assert http.get(SSDN_CONNECTOR_PATH).status_code == 405


def test_request_over_the_size_cap_is_413() -> None:
    with SimulatorServer(Simulator(xml_limits=XmlLimits(max_bytes=1000))) as running:
        response = httpx.post(running.url + SSDN_CONNECTOR_PATH, content=b"x" * 5000, timeout=10)
    assert response.status_code == 413


# --------------------------------------------------------------------------- lifecycle


def test_background_server_starts_and_stops_cleanly() -> None:
    running = SimulatorServer(Simulator())
    with pytest.raises(ConfigurationError):
        _ = running.url  # not started yet
    running.start()
    try:
        assert running.running
        url = running.url
        assert httpx.get(url + "/", timeout=10).status_code == 200
        with pytest.raises(ConfigurationError):
            running.start()
    finally:
        running.stop()
    assert not running.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/", timeout=2)
    running.stop()  # stopping twice is harmless


def test_a_busy_port_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigurationError, match="cannot listen"):
            SimulatorServer(Simulator(), port=port).start()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"run_server exited early with {process.returncode}")
        try:
            if httpx.get(url + "/", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("run_server did not answer in time")


def test_run_server_in_a_process() -> None:
    """``run_server`` (what ``cbss simulator`` runs), driven by the SDK and by plain httpx."""
    port = _free_port()
    code = (
        "from cbss_sdk.testing import Simulator, run_server\n"
        f"run_server(Simulator(), '127.0.0.1', {port}, log_level='warning')\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, time.monotonic() + 60)
        local = Simulator()  # same seed: the same population as the server's
        status = httpx.get(url + "/", timeout=10).json()
        # Another process, another throw-away key: trust what the server publishes.
        certificate = x509.load_pem_x509_certificate(status["certificate_pem"].encode())
        assert certificate != local.certificate
        options = local.client_options()
        options.update(
            environment=None,
            base_url=url + SOA_PREFIX,
            timeout=10,
            verification=VerificationConfig(pinned_certificate=certificate),
        )
        with CbssClient(**options) as client:
            assert TestConnection(client).send_test_message("process").echo == "process"
            assert RetrieveTIGroups(client).retrieve(normal_ssin(local)).data_found
            assert PerformInvestigation(client).investigate(normal_ssin(local)).reply is not None
        with (
            CbssClient(
                **{
                    **options,
                    "verification": VerificationConfig(pinned_certificate=local.certificate),
                }
            ) as client,
            pytest.raises(SignatureError),
        ):
            TestConnection(client).send_test_message("the wrong pin is refused")
        body = envelope_bytes(tx25_payload(local, PERSONAS["unknown"]))
        with httpx.Client(base_url=url, timeout=10) as http:
            response = post(http, SOA_PREFIX + TX25.path, body, TX25.soap_action)
        assert response.status_code == 200
        assert b"MSG00005" in response.content
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
            raise
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal it captured.
    errors = process.stderr.read().decode() if process.stderr else ""
    assert process.returncode in (0, -signal.SIGTERM), errors
    assert "Traceback" not in errors
