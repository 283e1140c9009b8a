"""Simulated classic flow A701 (employer identification) through SSDN ``XMLite``.

The employers the simulator knows are the fictitious employers of the
simulated Dolsis data (:data:`~._social.EMPLOYERS`): an A701 request for one
of their NSSO numbers gets an attestation with the enterprise number and
the name; any other number gets an A701 without attestation (employer
unknown).  The reply's ClassicPrefix echoes the request's.

Documented trigger: NSSO number ``0999999999`` → an SSDN refusal
(``MSG00002``: the NSSO source is unavailable).
"""

from __future__ import annotations

from ...models.xmlite_a701_20051206.be.fgov.ksz_bcss.xml_schema import (
    A701,
    A701AttestationType,
    AttestationEmployerType,
    AttestationFirmIdType,
    RegisteredOfficeType,
)
from ...models.xmlite_a701_20051206.be.fgov.ksz_bcss.xsd.message import (
    DataType,
    HeaderType,
    Message,
    XmlType,
)
from .._registry import SimContext, SimRequest, SimulatedBusinessError, SsdnAnswer, handler
from ._social import EMPLOYERS, Employer

__all__ = ["SOURCE_DOWN_NUMBER", "employer_by_nsso_number"]

#: The NSSO number that makes the simulated source fail (MSG00002).
SOURCE_DOWN_NUMBER = "0999999999"


def employer_by_nsso_number(number: str) -> Employer | None:
    digits = number.zfill(10)
    return next((e for e in EMPLOYERS if e.nsso_number == digits), None)


@handler("EmployerIdentification", "identify")
def identify(ctx: SimContext, request: SimRequest) -> object:
    model = request.model
    assert isinstance(model, Message)
    flow = model.data.xml.a701
    number = flow.request.employer.firm_id.nlossregistration_nbr if flow and flow.request else ""
    if number.zfill(10) == SOURCE_DOWN_NUMBER:
        raise SimulatedBusinessError("MSG00002", "The external supplier (NSSO) is unavailable.")
    employer = employer_by_nsso_number(number) if number else None
    attestation = None
    if employer is not None:
        attestation = A701AttestationType(
            employer=AttestationEmployerType(
                firm_id=AttestationFirmIdType(
                    nlossregistration_nbr=employer.nsso_number,
                    company_id=employer.enterprise_number,
                ),
                registered_office=RegisteredOfficeType(name=employer.name),
            )
        )
    reply = Message(
        header=HeaderType(classic_prefix=model.header.classic_prefix),
        data=DataType(
            xml=XmlType(
                a701=A701(
                    attestation=attestation,
                    process_type=flow.process_type if flow else "L",
                    version=flow.version if flow else "001",
                )
            )
        ),
    )
    return SsdnAnswer(payload=reply)
