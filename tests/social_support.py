"""Shared pieces of the social-database service tests: a client, our schemas, handler replies.

``reply_from_handler`` runs a simulator handler on a prepared request without
the HTTP engine (same binding, same CommonV3 header the engine fills), and
hands the answer to the prepared call's interpret function as the transport
would: this tests the facade's reading and the handler's data together.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import typing
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from lxml import etree

from cbss_sdk import catalog
from cbss_sdk._binding import bind, model_to_element
from cbss_sdk._client import CbssClient
from cbss_sdk._organization import Organization, SsdnUser
from cbss_sdk._prepared import PreparedCall
from cbss_sdk.soap import build_envelope, read_envelope
from cbss_sdk.testing._population import Population, default_population
from cbss_sdk.testing._registry import (
    SimContext,
    SimRequest,
    SimulatedBusinessError,
    SoaHeader,
    handlers,
    model_class,
)
from cbss_sdk.testing._services._social import status
from cbss_sdk.transport import SoapReply

REPO = Path(__file__).resolve().parents[1]
XSD = REPO / "xsd"
#: A clock inside the population's world: every date the handlers derive is stable.
NOW = dt.datetime(2025, 6, 16, 9, 30, tzinfo=dt.timezone.utc)
#: Persons of the default population used by the tests (adults, integrated, no persona tag).
ADULT = "78041201134"
CHILD = "14072101617"
CBSS_TICKET = "7d1e4c2a-9b3f-4e6d-8a5c-2f1b0e9d7c63"


def client() -> CbssClient:
    return CbssClient(
        environment="acpt",
        organization=Organization(cbe_number="0212344876"),
        ssdn_user=SsdnUser("00901234567", "cpas@example.invalid"),
    )


@cache
def schema(entry: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / entry)))


def assert_valid(prepared: PreparedCall[Any], service_key: str) -> None:
    """The prepared SOA payload validates against our entry schema of the service."""
    spec = catalog.service(service_key)
    assert spec.schema is not None
    schema(spec.schema.removeprefix("xsd/")).assertValid(prepared.payload)


@cache
def population() -> Population:
    return default_population()


def soap_reply(element: etree._Element) -> SoapReply:
    message = read_envelope(build_envelope(element))
    return SoapReply(
        message=message,
        status_code=200,
        headers=httpx.Headers(),
        signature=None,
        elapsed=0.0,
        raw=b"",
    )


def run_handler(
    module: str, service_key: str, operation: str, prepared: PreparedCall[Any]
) -> object:
    """Run the simulator handler of *module* on *prepared*'s payload; return its answer."""
    importlib.import_module(f"cbss_sdk.testing._services.{module}")  # registers the handler
    spec = catalog.service(service_key)
    op = spec.operation(operation)
    function = handlers()[(spec.key, op.name)]
    assert op.request_element is not None
    request_class = model_class(spec, op.request_element)
    assert request_class is not None
    # Binding may consume the tree it walks (xsdata clears what it has read): bind a copy, the
    # prepared payload is read again when the handler refuses.
    model = bind(copy.deepcopy(prepared.payload), request_class)
    subject = prepared.info.subject
    header = SoaHeader.new(
        getattr(model, "information_customer", None), prepared.info.legal_context, NOW
    )
    ctx = SimContext(
        population=population(),
        registrations=None,
        now=NOW,
        organization="cbe:0212344876",
        header=header,  # type: ignore[arg-type]
    )
    request = SimRequest(
        service=spec,
        operation=op,
        model=model,
        element=prepared.payload,
        legal_context=prepared.info.legal_context,
        organization="cbe:0212344876",
        subject=subject,
    )
    return function(ctx, request)


def interpret_handler(
    module: str, service_key: str, operation: str, prepared: PreparedCall[Any]
) -> Any:
    """The facade's result for the simulator handler's answer to *prepared*.

    A ``SimulatedBusinessError`` becomes a ``NO_RESULT`` reply with its code,
    as the engine sends it.
    """
    try:
        answer = run_handler(module, service_key, operation, prepared)
    except SimulatedBusinessError as refusal:
        spec = catalog.service(service_key)
        op = spec.operation(operation)
        assert op.response_element is not None
        response_type = model_class(spec, op.response_element)
        assert response_type is not None
        header = SoaHeader.new(
            bind(
                copy.deepcopy(prepared.payload), model_class(spec, op.request_element or "")
            ).information_customer,  # type: ignore[arg-type]
            prepared.info.legal_context,
            NOW,
        )
        fields = header.fields_for(response_type, NOW)
        answer = response_type(
            status=status(response_type, "NO_RESULT", refusal.code, refusal.description), **fields
        )
    return prepared.interpret(soap_reply(model_to_element(answer))).value


def simulator(*modules: str, **options: Any) -> Any:
    """A simulator on the fixed clock :data:`NOW`, with the handlers of *modules* registered."""
    from cbss_sdk.testing._simulator import Simulator

    for module in modules:
        importlib.import_module(f"cbss_sdk.testing._services.{module}")
    return Simulator(clock=lambda: NOW, **options)


def status_reply(service_key: str, operation: str, value: str, code: str) -> SoapReply:
    """A reply of *operation* carrying only the CommonV3 header and a status."""
    spec = catalog.service(service_key)
    op = spec.operation(operation)
    response_type = model_class(spec, op.response_element or "")
    request_type = model_class(spec, op.request_element or "")
    assert response_type is not None and request_type is not None
    info_type = typing.get_type_hints(response_type)["information_customer"]
    ident_type = typing.get_type_hints(info_type)["customer_identification"]
    header = SoaHeader(
        information_customer=info_type(customer_identification=ident_type(cbe_number="0212344876")),
        legal_context=spec.operation(operation).default_legal_context,
        ticket=CBSS_TICKET,
        received=NOW,
    )
    fields = header.fields_for(response_type, NOW)
    answer = response_type(status=status(response_type, value, code), **fields)
    return soap_reply(model_to_element(answer))
