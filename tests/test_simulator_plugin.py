"""The pytest plugin (``cbss_sdk.testing.pytest_plugin``), exercised in throw-away pytest runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

# The inner pytest runs are in process: pytester drops the modules they import when they
# end.  Importing the SDK here first keeps one copy of every class (and of the handler
# registry) for all runs, and keeps them fast.
import cbss_sdk.services
import cbss_sdk.testing._server
import cbss_sdk.testing._services
import cbss_sdk.testing._simulator  # noqa: F401

pytest_plugins = ["pytester"]


def _run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_it=source)
    return pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args)


def test_fixtures_give_a_simulator_and_bound_clients(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        from cbss_sdk import CbssClient, TestConnection
        from cbss_sdk.testing import Simulator

        def test_echo(cbss_simulator, cbss_client):
            assert isinstance(cbss_simulator, Simulator)
            assert isinstance(cbss_client, CbssClient)
            assert TestConnection(cbss_client).send_test_message("hi").echo == "hi"
            assert cbss_simulator.requests[-1].service == "TestConnection"

        def test_fresh_simulator_per_test(cbss_simulator):
            assert cbss_simulator.requests == ()
        """,
    )
    result.assert_outcomes(passed=2)


def test_an_unused_stub_fails_the_test(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        from cbss_sdk.testing import SimulatedBusinessError

        def test_forgets_to_call(cbss_simulator):
            cbss_simulator.stub(
                "RetrieveTIGroups", "retrieveTI", ssin="85073003328",
                error=SimulatedBusinessError("MSG00005"),
            )
        """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*1 CBSS simulator stub(s) were not used*"])
    assert "85073003328" not in result.stdout.str()


def test_a_used_stub_passes(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        import pytest
        from cbss_sdk import RetrieveTIGroups
        from cbss_sdk.errors import SsinUnknown
        from cbss_sdk.testing import SimulatedBusinessError

        def test_stubbed(cbss_simulator, cbss_client):
            cbss_simulator.stub(
                "RetrieveTIGroups", "retrieveTI", error=SimulatedBusinessError("MSG00005")
            )
            with pytest.raises(SsinUnknown):
                RetrieveTIGroups(cbss_client).retrieve("85073003328")
        """,
    )
    result.assert_outcomes(passed=1)


def test_a_failing_test_is_not_masked_by_the_pending_check(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        from cbss_sdk.testing import SimulatedFault

        def test_fails(cbss_simulator):
            cbss_simulator.stub("TestConnection", "sendTestMessage", error=SimulatedFault())
            assert 1 == 2
        """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert 1 == 2*"])


def test_marker_options_and_allow_pending(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        import pytest
        from cbss_sdk import TestConnection, VerificationConfig
        from cbss_sdk.errors import SignatureError
        from cbss_sdk.testing import SimulatedFault

        @pytest.mark.cbss_simulator(sign_replies=False)
        def test_unsigned(cbss_simulator, cbss_client):
            assert cbss_simulator.sign_replies is False
            assert TestConnection(cbss_client).send_test_message("x").echo_matches
            strict = VerificationConfig(pinned_certificate=cbss_simulator.certificate)
            with cbss_simulator.client(verification=strict) as client:
                with pytest.raises(SignatureError) as caught:
                    TestConnection(client).send_test_message("x")
            assert caught.value.reason == "missing"

        @pytest.mark.cbss_simulator(allow_pending=True)
        def test_pending_allowed(cbss_simulator):
            cbss_simulator.stub("TestConnection", "sendTestMessage", error=SimulatedFault())

        def test_default_signs(cbss_simulator):
            assert cbss_simulator.sign_replies is True
        """,
    )
    result.assert_outcomes(passed=3)


def test_options_fixture_can_be_overridden(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def cbss_simulator_options():
            return {"slow_delay": 0.0, "verify_requests": False}
        """
    )
    result = _run(
        pytester,
        """
        import pytest

        def test_options(cbss_simulator):
            assert cbss_simulator.slow_delay == 0.0
            assert cbss_simulator.verify_requests is False

        @pytest.mark.cbss_simulator(verify_requests=True)
        def test_marker_wins(cbss_simulator):
            assert cbss_simulator.verify_requests is True
            assert cbss_simulator.slow_delay == 0.0
        """,
    )
    result.assert_outcomes(passed=2)


def test_marker_with_positional_arguments_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        import pytest

        @pytest.mark.cbss_simulator(True)
        def test_it(cbss_simulator):
            pass
        """,
    )
    result.assert_outcomes(errors=1)


def test_a_crashing_simulated_service_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        def crash(ctx, request):
            raise RuntimeError("handler bug")

        @pytest.fixture
        def cbss_simulator_options():
            return {"handlers": {("TestConnection", "sendTestMessage"): crash}}
        """
    )
    result = _run(
        pytester,
        """
        import pytest
        from cbss_sdk import TestConnection
        from cbss_sdk.errors import SoapFault

        def test_it(cbss_client):
            with pytest.raises(SoapFault):
                TestConnection(cbss_client).send_test_message("x")
        """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*crashed*", "*RuntimeError: handler bug*"])


def test_async_client_fixture(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        import pytest
        from cbss_sdk import AsyncCbssClient, RetrieveTIGroups
        from cbss_sdk.testing._population import PERSONA_SSINS

        @pytest.mark.asyncio
        async def test_async(cbss_async_client):
            assert isinstance(cbss_async_client, AsyncCbssClient)
            result = await RetrieveTIGroups(cbss_async_client).retrieve(PERSONA_SSINS["refugee"])
            assert result.status.value in ("DATA_FOUND", "NO_DATA_FOUND")

        def test_sync_use_of_the_async_fixture(cbss_async_client):
            assert not cbss_async_client.closed
        """,
    )
    result.assert_outcomes(passed=2)


def test_server_fixture(pytester: pytest.Pytester) -> None:
    pytest.importorskip("uvicorn")
    result = _run(
        pytester,
        """
        import httpx
        from cbss_sdk import TestConnection

        def test_http(cbss_simulator_server):
            assert httpx.get(cbss_simulator_server.url + "/", timeout=10).status_code == 200
            with cbss_simulator_server.client() as client:
                assert TestConnection(client).send_test_message("x").echo_matches
        """,
    )
    result.assert_outcomes(passed=1)


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest("--markers", "-p", "no:hypothesispytest")
    result.stdout.fnmatch_lines(["@pytest.mark.cbss_simulator(**options)*"])


def test_importing_the_plugin_loads_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "import cbss_sdk.testing.pytest_plugin\n"
        "heavy = [m for m in ('lxml', 'httpx', 'uvicorn', 'signxml', 'xsdata',"
        " 'cbss_sdk.testing._simulator', 'cbss_sdk.testing._certs') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert output.stdout.strip() == ""
