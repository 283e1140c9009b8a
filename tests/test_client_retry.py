"""Retries: only idempotent calls, only failures before CBSS answered, bounded, with backoff."""

from __future__ import annotations

import httpx
import pytest
import respx
from client_support import (
    SOA_INFO,
    SOA_URL,
    SSIN,
    WRITE_INFO,
    WRITE_URL,
    Flavor,
    fault_body,
    flavor_fixture,
    html_response,
    reply_body,
    soap_response,
)

from cbss_sdk.errors import (
    CbssConnectError,
    CbssHttpError,
    CbssTimeout,
    ConfigurationError,
    SoapFault,
)
from cbss_sdk.transport import RetryPolicy
from cbss_sdk.transport._retry import DEFAULT_RETRY, is_retryable_status

flavor = flavor_fixture()

NO_JITTER = RetryPolicy(jitter=False)


def make(flavor: Flavor, retry: RetryPolicy = NO_JITTER) -> tuple[object, list[float]]:
    client = flavor.client(verification="off", retry=retry)
    return client, flavor.record_sleeps(client)


# -- the policy itself ---------------------------------------------------------------------


def test_default_policy() -> None:
    assert (
        RetryPolicy(
            max_attempts=3, initial_backoff=0.5, max_backoff=8.0, multiplier=2.0, jitter=True
        )
        == DEFAULT_RETRY
    )
    assert RetryPolicy.none().max_attempts == 1


def test_backoff_grows_exponentially_up_to_the_cap() -> None:
    policy = RetryPolicy(max_attempts=10, initial_backoff=0.5, max_backoff=3.0, jitter=False)
    assert [policy.backoff(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_full_jitter_scales_the_ceiling_by_the_random_draw() -> None:
    policy = RetryPolicy(initial_backoff=1.0, multiplier=3.0, max_backoff=100.0)
    assert policy.backoff(3, rand=lambda: 0.5) == pytest.approx(4.5)
    assert policy.backoff(3, rand=lambda: 0.0) == 0.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"initial_backoff": -1.0},
        {"max_backoff": -0.1},
        {"multiplier": 0.5},
    ],
)
def test_invalid_policies_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "soap", "expected"),
    [
        (502, False, True),
        (503, False, True),
        (504, False, True),
        (503, True, False),
        (500, False, False),
        (500, True, False),
        (429, False, False),
        (200, False, False),
    ],
)
def test_which_statuses_are_retryable(status: int, soap: bool, expected: bool) -> None:
    assert is_retryable_status(status, soap) is expected


# -- idempotent calls ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.ReadTimeout("read timed out"),
        httpx.RemoteProtocolError("server disconnected without sending a response"),
    ],
    ids=["connect-error", "connect-timeout", "read-timeout", "disconnected"],
)
async def test_idempotent_call_is_retried_after_a_connection_failure(
    flavor: Flavor, respx_mock: respx.MockRouter, failure: Exception
) -> None:
    route = respx_mock.post(SOA_URL).mock(side_effect=[failure, soap_response(reply_body())])
    client, sleeps = make(flavor)
    assert await flavor.call(client) == SSIN
    assert route.call_count == 2
    assert sleeps == [0.5]


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_idempotent_call_is_retried_after_a_gateway_status_without_soap(
    flavor: Flavor, respx_mock: respx.MockRouter, status: int
) -> None:
    route = respx_mock.post(SOA_URL).mock(
        side_effect=[
            html_response(status),
            httpx.Response(status, content=b""),
            soap_response(reply_body()),
        ]
    )
    client, sleeps = make(flavor)
    assert await flavor.call(client) == SSIN
    assert route.call_count == 3
    assert sleeps == [0.5, 1.0]


async def test_attempts_are_bounded_and_the_last_error_is_raised(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=html_response(503))
    client, sleeps = make(flavor)
    with pytest.raises(CbssHttpError) as caught:
        await flavor.call(client)
    assert caught.value.status_code == 503
    assert route.call_count == 3
    assert sleeps == [0.5, 1.0]


async def test_backoff_sequence_with_more_attempts(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(SOA_URL).mock(side_effect=httpx.ConnectError("refused"))
    policy = RetryPolicy(max_attempts=5, initial_backoff=0.5, max_backoff=1.5, jitter=False)
    client, sleeps = make(flavor, policy)
    with pytest.raises(CbssConnectError):
        await flavor.call(client)
    assert route.call_count == 5
    assert sleeps == [0.5, 1.0, 1.5, 1.5]


async def test_jitter_uses_the_random_draw(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    respx_mock.post(SOA_URL).mock(side_effect=httpx.ConnectTimeout("timed out"))
    client, sleeps = make(flavor, RetryPolicy(max_attempts=3, jitter=True))
    client._core.random = lambda: 0.25  # type: ignore[attr-defined]
    with pytest.raises(CbssTimeout):
        await flavor.call(client)
    assert sleeps == [0.125, 0.25]


@pytest.mark.parametrize("status", [500, 503])
async def test_a_soap_fault_is_never_retried(
    flavor: Flavor, respx_mock: respx.MockRouter, status: int
) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=soap_response(fault_body(), status))
    client, sleeps = make(flavor)
    with pytest.raises(SoapFault):
        await flavor.call(client)
    assert route.call_count == 1
    assert sleeps == []


async def test_a_plain_500_is_not_retried(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(SOA_URL).mock(return_value=html_response(500))
    client, _ = make(flavor)
    with pytest.raises(CbssHttpError) as caught:
        await flavor.call(client)
    assert caught.value.status_code == 500
    assert route.call_count == 1


async def test_a_configuration_failure_of_the_transport_is_not_retried(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(SOA_URL).mock(side_effect=httpx.ProxyError("proxy refused"))
    client, _ = make(flavor)
    with pytest.raises(CbssConnectError):
        await flavor.call(client)
    assert route.call_count == 1


async def test_no_retry_policy(flavor: Flavor, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(SOA_URL).mock(side_effect=httpx.ConnectError("refused"))
    client, sleeps = make(flavor, RetryPolicy.none())
    with pytest.raises(CbssConnectError):
        await flavor.call(client)
    assert route.call_count == 1
    assert sleeps == []


# -- non-idempotent calls: never sent twice ------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        html_response(503),
        html_response(502),
        httpx.Response(504),
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.ReadTimeout("read timed out"),
        httpx.RemoteProtocolError("server disconnected"),
    ],
    ids=["503", "502", "504-empty", "connect-error", "connect-timeout", "read-timeout", "dropped"],
)
async def test_a_non_idempotent_call_is_sent_exactly_once(
    flavor: Flavor, respx_mock: respx.MockRouter, answer: httpx.Response | Exception
) -> None:
    route = respx_mock.post(WRITE_URL)
    if isinstance(answer, Exception):
        route.mock(side_effect=answer)
    else:
        route.mock(return_value=answer)
    client, sleeps = make(flavor, RetryPolicy(max_attempts=5, jitter=False))
    with pytest.raises((CbssHttpError, CbssConnectError, CbssTimeout)):
        await flavor.call(client, WRITE_INFO)
    assert route.call_count == 1
    assert sleeps == []


async def test_the_same_bytes_are_sent_on_each_attempt(
    flavor: Flavor, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(SOA_URL).mock(
        side_effect=[html_response(503), soap_response(reply_body())]
    )
    client, _ = make(flavor)
    await flavor.call(client, SOA_INFO)
    first, second = (call.request for call in route.calls)
    assert first.content == second.content
    assert first.headers["SOAPAction"] == second.headers["SOAPAction"]
