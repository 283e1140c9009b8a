"""How the simulator binds a request: the handler gets the model, and the element as received."""

from __future__ import annotations

import copy
from typing import Any
from unittest import mock

import pytest
from lxml import etree
from simulator_support import envelope_bytes, normal_ssin, post_tx25, raw_client, tx25_payload

from cbss_sdk._binding import bind, shared_fast_binder
from cbss_sdk._fastbind import Unsupported
from cbss_sdk.testing import SimContext, SimRequest, Simulator
from cbss_sdk.testing._engine_soa import _bind_request
from cbss_sdk.testing._services.retrieve_ti_groups import retrieve_ti

SEEN: list[tuple[Any, bytes]] = []


def canonical(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True)


def recording(ctx: SimContext, request: SimRequest) -> object:
    SEEN.append((request.model, canonical(request.element)))
    return retrieve_ti(ctx, request)


@pytest.fixture
def sim() -> Simulator:
    SEEN.clear()
    return Simulator(handlers={("RetrieveTIGroups", "retrieveTI"): recording})


def expected_model(element: etree._Element) -> Any:
    cls = type(shared_fast_binder().bind(element, _request_type(element)))
    return bind(copy.deepcopy(element), cls)


def _request_type(element: etree._Element) -> type[Any]:
    from cbss_sdk import catalog
    from cbss_sdk.testing._registry import model_class

    found = model_class(catalog.service("RetrieveTIGroups"), str(element.tag))
    assert found is not None
    return found


@pytest.mark.parametrize("fast", [True, False])
def test_handler_gets_the_model_and_the_untouched_element(sim: Simulator, fast: bool) -> None:
    element = tx25_payload(sim, normal_ssin(sim), history=True)
    sent = canonical(element)
    body = envelope_bytes(element)
    give_up = mock.patch.object(
        type(shared_fast_binder()), "bind", autospec=True, side_effect=Unsupported("test")
    )
    with raw_client(sim) as http:
        if fast:
            response = post_tx25(http, body)
        else:
            with give_up:
                response = post_tx25(http, body)
    assert response.status_code == 200
    ((model, received),) = SEEN
    assert received == sent  # the element the handler reads is complete, as received
    assert model == expected_model(etree.fromstring(sent))


def test_bind_request_falls_back_to_xsdata_on_a_copy() -> None:
    sim = Simulator()
    element = tx25_payload(sim, normal_ssin(sim))
    before = etree.tostring(element)
    cls = _request_type(element)
    fast = _bind_request(element, cls)
    with mock.patch.object(
        type(shared_fast_binder()), "bind", autospec=True, side_effect=Unsupported("test")
    ):
        slow = _bind_request(element, cls)
    assert fast == slow
    assert etree.tostring(element) == before
