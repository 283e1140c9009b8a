"""Queued replies (``Simulator.stub``): what they answer, whom they match, what is left pending."""

from __future__ import annotations

from typing import Any

import pytest
from simulator_support import (
    PERSONAS,
    envelope_bytes,
    normal_ssin,
    post_tx25,
    raw_client,
    tx25_payload,
)

from cbss_sdk import PerformInvestigation, RetrieveTIGroups, TestConnection
from cbss_sdk.errors import (
    ConfigurationError,
    SoapFault,
    SsdnDetail,
    SsdnError,
    SsinReplaced,
    SsinUnknown,
)
from cbss_sdk.models.perform_investigation_20080604.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.perform_investigation import (
    PerformInvestigationReply,
)
from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.kszbcss.intf.retrieve_tigroups_service.v2 import (
    RetrieveTIGroupsResponse,
)
from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.kszbcss.types.common.v3 import (
    StatusType,
    StatusTypevalue,
)
from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.kszbcss.types.retrieve_tigroups.v2 import (
    SearchInformationType,
)
from cbss_sdk.testing import (
    SimulatedBusinessError,
    SimulatedFault,
    SimulatedSsdnError,
    Simulator,
    SsdnAnswer,
)

#: A valid SSIN that is not in the default population.
STRANGER = "85073003328"


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


def tx25_reply(ssin: str, value: str = "NO_DATA_FOUND", code: str = "MSG00000") -> Any:
    """A TX25 reply without its CommonV3 header (the simulator fills it)."""
    return RetrieveTIGroupsResponse(
        information_customer=None,  # type: ignore[arg-type]
        legal_context=None,  # type: ignore[arg-type]
        search_information=SearchInformationType(ssin=ssin),
        status=StatusType(value=StatusTypevalue(value), code=code),
    )


# --------------------------------------------------------------------------- replies


def test_stubbed_soa_reply_is_served_with_a_filled_header(sim: Simulator) -> None:
    sim.stub("RetrieveTIGroups", "retrieveTI", reply=tx25_reply(STRANGER))
    with sim.client() as client:
        result = RetrieveTIGroups(client).retrieve(STRANGER)
    assert result.status.value == "NO_DATA_FOUND"
    assert result.meta.cbss_ticket is not None
    assert result.response.information_customer.ticket == result.meta.customer_ticket
    assert result.response.legal_context == "PCSA:SOCIAL_INQUIRY"
    assert sim.pending() == []


def test_stub_is_used_once_by_default_then_the_simulation_answers(sim: Simulator) -> None:
    ssin = normal_ssin(sim)
    sim.stub("RetrieveTIGroups", "retrieve", reply=tx25_reply(ssin))  # Python name accepted
    with sim.client() as client:
        assert RetrieveTIGroups(client).retrieve(ssin).status.value == "NO_DATA_FOUND"
        assert RetrieveTIGroups(client).retrieve(ssin).status.value == "DATA_FOUND"


def test_times_repeats_a_stub(sim: Simulator) -> None:
    ssin = normal_ssin(sim)
    sim.stub("RetrieveTIGroups", "retrieveTI", error=SimulatedBusinessError("MSG00005"), times=2)
    with sim.client() as client:
        for _ in range(2):
            with pytest.raises(SsinUnknown):
                RetrieveTIGroups(client).retrieve(ssin)
        assert RetrieveTIGroups(client).retrieve(ssin).data_found


def test_stubs_are_used_in_queue_order(sim: Simulator) -> None:
    ssin = normal_ssin(sim)
    sim.stub("RetrieveTIGroups", "retrieveTI", error=SimulatedBusinessError("MSG00005"))
    sim.stub(
        "RetrieveTIGroups",
        "retrieveTI",
        error=SimulatedBusinessError("MSG00006", "replaced", [("replacedBy", STRANGER)]),
    )
    with sim.client() as client:
        with pytest.raises(SsinUnknown):
            RetrieveTIGroups(client).retrieve(ssin)
        with pytest.raises(SsinReplaced) as caught:
            RetrieveTIGroups(client).retrieve(ssin)
    assert caught.value.replacement == STRANGER


def test_ssin_filter(sim: Simulator) -> None:
    ssin = normal_ssin(sim)
    sim.stub("RetrieveTIGroups", "retrieveTI", ssin=STRANGER, reply=tx25_reply(STRANGER))
    with sim.client() as client:
        assert RetrieveTIGroups(client).retrieve(ssin).status.value == "DATA_FOUND"
        assert len(sim.pending()) == 1
        assert RetrieveTIGroups(client).retrieve(STRANGER).status.value == "NO_DATA_FOUND"
    assert sim.pending() == []


def test_ssin_filter_accepts_formatted_numbers(sim: Simulator) -> None:
    stub = sim.stub(
        "RetrieveTIGroups", "retrieveTI", ssin="85.07.30-033.28", reply=tx25_reply(STRANGER)
    )
    assert stub.ssin == STRANGER


def test_stub_overrides_persona_behaviour(sim: Simulator) -> None:
    ssin = PERSONAS["not_integrated"]
    sim.stub("RetrieveTIGroups", "retrieveTI", ssin=ssin, reply=tx25_reply(ssin, "DATA_FOUND"))
    with sim.client() as client:
        assert RetrieveTIGroups(client).retrieve(ssin).status.value == "DATA_FOUND"


def test_stubbed_fault(sim: Simulator) -> None:
    sim.stub("TestConnection", "sendTestMessage", error=SimulatedFault("MSG00002", "supplier down"))
    with sim.client() as client, pytest.raises(SoapFault) as caught:
        TestConnection(client).send_test_message("x")
    assert caught.value.reason_codes == ("MSG00002",)
    assert "supplier down" in str(caught.value)


def test_stubbed_ssdn_reply_with_warnings(sim: Simulator) -> None:
    warning = SsdnDetail("WARNING", "22007007", "does not match", ("CBSS",))
    sim.stub(
        "PerformInvestigation",
        "investigate",
        reply=SsdnAnswer(PerformInvestigationReply(social_security_user=STRANGER), [warning]),
    )
    with sim.client() as client:
        result = PerformInvestigation(client).investigate(STRANGER)
    assert result.reply is not None
    assert result.reply.social_security_user == STRANGER
    assert result.reason_codes == ("22007007",)


def test_stubbed_ssdn_payload_model_is_wrapped(sim: Simulator) -> None:
    stub = sim.stub(
        "PerformInvestigation",
        "investigate",
        reply=PerformInvestigationReply(social_security_user=STRANGER),
    )
    assert isinstance(stub.reply, SsdnAnswer)
    with sim.client() as client:
        assert PerformInvestigation(client).investigate(STRANGER).warnings == ()


def test_stubbed_ssdn_errors(sim: Simulator) -> None:
    sim.stub(
        "PerformInvestigation",
        "investigate",
        error=SimulatedSsdnError([SsdnDetail("ERROR", "99999999", "custom")]),
    )
    sim.stub("PerformInvestigation", "investigate", error=SimulatedBusinessError("MSG00012"))
    with sim.client() as client:
        with pytest.raises(SsdnError) as first:
            PerformInvestigation(client).investigate(STRANGER)
        with pytest.raises(SsdnError) as second:
            PerformInvestigation(client).investigate(STRANGER)
    assert first.value.reason_codes == ("99999999",)
    assert second.value.reason_codes == ("32000012",)


async def test_stubs_serve_async_clients(sim: Simulator) -> None:
    sim.stub("RetrieveTIGroups", "retrieveTI", reply=tx25_reply(STRANGER))
    async with sim.async_client() as client:
        result = await RetrieveTIGroups(client).retrieve(STRANGER)
    assert result.status.value == "NO_DATA_FOUND"


def test_stubs_answer_only_after_the_signature_check(sim: Simulator) -> None:
    sim.stub("RetrieveTIGroups", "retrieveTI", reply=tx25_reply(STRANGER))
    with raw_client(sim) as http:
        response = post_tx25(http, envelope_bytes(tx25_payload(sim, STRANGER), signed=False))
    assert response.status_code == 500
    assert len(sim.pending()) == 1


# --------------------------------------------------------------------------- pending


def test_assert_no_pending_lists_unused_stubs_without_national_numbers(sim: Simulator) -> None:
    sim.stub("RetrieveTIGroups", "retrieveTI", ssin=STRANGER, reply=tx25_reply(STRANGER), times=3)
    sim.stub("TestConnection", "sendTestMessage", error=SimulatedFault())
    with pytest.raises(AssertionError) as caught:
        sim.assert_no_pending()
    message = str(caught.value)
    assert "2 CBSS simulator stub(s) were not used" in message
    assert "RetrieveTIGroups.retrieveTI" in message
    assert "3 of 3 left" in message
    assert "TestConnection.sendTestMessage" in message
    assert STRANGER not in message
    assert STRANGER not in repr(sim.pending())


def test_reset_forgets_stubs(sim: Simulator) -> None:
    sim.stub("TestConnection", "sendTestMessage", error=SimulatedFault())
    sim.reset()
    sim.assert_no_pending()


# --------------------------------------------------------------------------- bad stubs


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("NoSuchService", "x"), {"error": SimulatedFault()}),
        (("RetrieveTIGroups", "noSuchOperation"), {"error": SimulatedFault()}),
        (("RetrieveTIGroups", "retrieveTI"), {}),
        (("RetrieveTIGroups", "retrieveTI"), {"reply": "x", "error": SimulatedFault()}),
        (("RetrieveTIGroups", "retrieveTI"), {"reply": "not a model"}),
        (
            ("RetrieveTIGroups", "retrieveTI"),
            {"reply": PerformInvestigationReply(social_security_user=STRANGER)},
        ),
        (
            ("RetrieveTIGroups", "retrieveTI"),
            {"error": SimulatedSsdnError([SsdnDetail("ERROR", "1")])},
        ),
        (("RetrieveTIGroups", "retrieveTI"), {"error": ValueError("x")}),
        (("RetrieveTIGroups", "retrieveTI"), {"error": SimulatedFault(), "times": 0}),
        (("RetrieveTIGroups", "retrieveTI"), {"error": SimulatedFault(), "ssin": "123"}),
        (("PerformInvestigation", "investigate"), {"reply": 42}),
    ],
)
def test_bad_stubs_are_refused(
    sim: Simulator, args: tuple[str, str], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ConfigurationError):
        sim.stub(*args, **kwargs)
    assert sim.pending() == []


@pytest.mark.parametrize(
    "make",
    [
        lambda: SimulatedBusinessError(""),
        lambda: SimulatedBusinessError("MSG00005", information=["bad"]),  # type: ignore[list-item]
        lambda: SimulatedSsdnError([]),
        lambda: SimulatedFault(faultcode="soapenv:Other"),
        lambda: SimulatedFault(severity="ERROR"),
        lambda: SsdnAnswer(None, [SsdnDetail("ERROR", "1")]),
    ],
)
def test_bad_refusals_are_refused(make: Any) -> None:
    with pytest.raises(ConfigurationError):
        make()
