"""Simulated OCMWCPASListOfAttestations (SSDN): the attests the SPP IS keeps about a person.

What each request type answers, derived from the SSIN (same person, same
answer; children under 18 have nothing):

* ``EXONERATIONSART35``: ``ExonerationArt35`` — about half of the adults
  have an exemption, with a first date and 0–720 exempted paid days;
* ``PRIME_INSTALLATION``: zero or one installation-premium attest;
* ``GPMI_PIIS``: ``GpmiPiis`` — about a third of the adults have a project
  (one year, sometimes extended by six months);
* the attests are filtered on ``SearchPeriod`` (entry date) when given.

A request type the simulator does not know is refused with the SSDN error
:data:`UNKNOWN_REQUEST_TYPE` (a simulator code).  Codes and labels of the
attest, form and relation types are the simulator's own.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from lxml import etree
from xsdata.models.datatype import XmlDate

from ..._binding import model_to_element
from ...models.list_of_attestations_20080317.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.manage_attests import (
    AttestationType,
    CodeDescriptionType,
    DurationType,
    ExonerationArt35Type,
    GpmiPiisType,
    ListOfAttestationsReply,
    ListOfAttestationsRequest,
    UnqualifiedPeriodType,
)
from .._registry import (
    SimContext,
    SimRequest,
    SimulatedBusinessError,
    SimulatedSsdnError,
    SsdnAnswer,
    handler,
)
from ._common import detail, org_unit

__all__ = ["KNOWN_REQUEST_TYPES", "UNKNOWN_REQUEST_TYPE", "build_list_reply", "unqualified_safe"]

#: SSDN reason code (simulator's own): a RequestType the simulator does not serve.
UNKNOWN_REQUEST_TYPE = "32037001"
KNOWN_REQUEST_TYPES = ("EXONERATIONSART35", "PRIME_INSTALLATION", "GPMI_PIIS")


def _rng(kind: str, ssin: str) -> random.Random:
    return random.Random(f"ListOfAttestations/{kind}/{ssin}")  # noqa: S311 - test data, not security


def _adult_since(birth: dt.date) -> dt.date:
    return dt.date(birth.year + 18, birth.month, min(birth.day, 28))


def _xml(day: dt.date | None) -> XmlDate | None:
    return None if day is None else XmlDate.from_date(day)


def _art35(ssin: str, birth: dt.date, today: dt.date) -> ExonerationArt35Type:
    rng = _rng("art35", ssin)
    adult = _adult_since(birth)
    if adult >= today or rng.random() < 0.5:
        return ExonerationArt35Type(has_exoneration=False)
    first = max(adult, today - dt.timedelta(days=rng.randint(30, 6 * 365)))
    return ExonerationArt35Type(
        has_exoneration=True,
        first_exoneration_date=_xml(first),
        payment_exonerated_days=rng.randint(0, 720),
    )


def _gpmi(ssin: str, birth: dt.date, today: dt.date) -> GpmiPiisType:
    rng = _rng("gpmi", ssin)
    adult = _adult_since(birth)
    if adult >= today or rng.random() < 0.66:
        return GpmiPiisType(has_attestation=False)
    start = max(adult, today - dt.timedelta(days=rng.randint(30, 3 * 365)))
    end = start + dt.timedelta(days=364)
    prolongation = None
    if rng.random() < 0.5:
        prolongation = UnqualifiedPeriodType(
            start_date=_xml(end + dt.timedelta(days=1)),
            end_date=_xml(end + dt.timedelta(days=183)),
        )
    return GpmiPiisType(
        has_attestation=True,
        period=UnqualifiedPeriodType(start_date=_xml(start), end_date=_xml(end)),
        prolongation_period=prolongation,
    )


def _premium(ssin: str, birth: dt.date, today: dt.date, cpas: int) -> list[AttestationType]:
    rng = _rng("premium", ssin)
    adult = _adult_since(birth)
    if adult >= today or rng.random() < 0.6:
        return []
    entry = max(adult, today - dt.timedelta(days=rng.randint(10, 5 * 365)))
    return [
        AttestationType(
            social_security_user=ssin,
            cpas_kbobce_code=cpas,
            entry_date=_xml(entry),
            attest_type=CodeDescriptionType(
                code="3", description="Prime d'installation / Installatiepremie"
            ),
            form_type=CodeDescriptionType(code="1", description="Octroi / Toekenning"),
            duration=DurationType(days=0, weeks=0, months=1),
            decision_date=_xml(entry - dt.timedelta(days=rng.randint(1, 20))),
            reference=rng.randint(10_000_000, 99_999_999),
            status=1,
            relation_type=CodeDescriptionType(
                code="1", description="Bénéficiaire principal / Hoofdbegunstigde"
            ),
        )
    ]


def build_list_reply(
    ctx: SimContext, request: ListOfAttestationsRequest, *, organization: str = "unknown"
) -> ListOfAttestationsReply:
    """The answer to one request (see the module docstring)."""
    kind = request.request_type.strip()
    if kind not in KNOWN_REQUEST_TYPES:
        raise SimulatedSsdnError(
            [
                detail(
                    "ERROR",
                    UNKNOWN_REQUEST_TYPE,
                    "The request type is not known.",
                    (("RequestType", kind[:40]),),
                )
            ]
        )
    ssin = request.social_security_user
    person = ctx.population.get(ssin)
    if person is None:
        raise SimulatedBusinessError("MSG00005", "The SSIN is unknown.")
    today = ctx.now.date()
    if kind == "EXONERATIONSART35":
        return ListOfAttestationsReply(exoneration_art35=_art35(ssin, person.birth_date, today))
    if kind == "GPMI_PIIS":
        return ListOfAttestationsReply(gpmi_piis=_gpmi(ssin, person.birth_date, today))
    caller = org_unit(organization)
    cpas = int(caller) if caller.isdigit() else 212_344_876
    attests = _premium(ssin, person.birth_date, today, cpas)
    period = request.search_period
    if period is not None:
        low = period.start_date.to_date() if period.start_date is not None else dt.date.min
        high = period.end_date.to_date() if period.end_date is not None else dt.date.max
        attests = [
            a for a in attests if a.entry_date is None or low <= a.entry_date.to_date() <= high
        ]
    return ListOfAttestationsReply(attestation=attests)


def unqualified_safe(payload: object) -> etree._Element:
    """*payload* as an element that declares the empty default namespace on its root.

    ``StartDate``/``EndDate`` of the GpmiPiis periods have no namespace. Appended into an
    ``SSDNReply`` whose default namespace is the SSDN Service one, lxml would write them
    without ``xmlns=""`` and a reader would see them in the Service namespace; declaring
    ``xmlns=""`` on the payload root keeps them unqualified wherever the payload goes.
    """
    text = etree.tostring(model_to_element(payload))
    head, _, rest = text.partition(b" ")
    return etree.fromstring(head + b' xmlns="" ' + rest)


@handler("ListOfAttestations", "list")
def list_attestations(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: Any = request.model
    reply = build_list_reply(ctx, model, organization=request.organization)
    return SsdnAnswer(unqualified_safe(reply))
