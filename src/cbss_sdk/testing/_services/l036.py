"""Simulated OCMWCPASL036 (SSDN): multifunctional attests (A036), answered page by page.

Each adult of the synthetic population has zero to seven attests, derived
from the SSIN (same person, same attests); children have none.  The answer
lists the attests whose validity period overlaps the requested period,
oldest first, :data:`PAGE_SIZE` per page.  ``NextAnswerReference`` is an
opaque token naming the offset of the next page and bound to the question
(person and period): a token that does not belong to the question, or is
malformed, is refused with the SSDN error :data:`UNKNOWN_PAGE_REFERENCE` (a
simulator code).  The status codes (``ACTIVE``, ``MODIFIED``,
``CANCELLED``), category codes (1–4) and the ``RecentAnswer`` flag
(``Y``/``N``) are the simulator's own values.  The reply echoes
UniqueReference, INSS, Period and AuthorizedUser.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from typing import Any

from xsdata.models.datatype import XmlDate

from ...models.l036_20060315.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.l036 import (
    A036Type,
    AnswerOKType,
    AttestationDetailsType,
    AttestationIdentificationType,
    AttestationType,
    L036PeriodType,
    L036RequestReply,
    L036Type,
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

__all__ = [
    "PAGE_SIZE",
    "UNKNOWN_PAGE_REFERENCE",
    "attestations_of",
    "build_l036_reply",
    "page_token",
]

#: Attests per answer page.
PAGE_SIZE = 3
#: SSDN reason code (simulator's own): the NextAnswerReference does not belong to the question.
UNKNOWN_PAGE_REFERENCE = "32036001"
_STATUSES = ("ACTIVE", "ACTIVE", "MODIFIED", "CANCELLED")


def attestations_of(ssin: str, birth_date: dt.date, today: dt.date, cpas: int) -> list[A036Type]:
    """The simulated attests of a person, oldest first (none before the age of 18)."""
    rng = random.Random(f"L036/{ssin}")  # noqa: S311 - test data, not security
    adult_from = dt.date(birth_date.year + 18, birth_date.month, min(birth_date.day, 28))
    if adult_from >= today:
        return []
    count = rng.randint(0, 7)
    first = max(adult_from, today - dt.timedelta(days=8 * 365))
    span = (today - first).days
    items = []
    for index in range(count):
        begin = first + dt.timedelta(days=rng.randint(0, max(span - 1, 0)))
        end = begin + dt.timedelta(days=rng.choice((30, 90, 180, 365)))
        identifier = f"A036{zlib.crc32(f'{ssin}:{index}'.encode()) % 10**11:011d}"
        status = rng.choice(_STATUSES)
        items.append(
            (
                begin,
                A036Type(
                    recent_answer="Y" if status != "MODIFIED" else "N",
                    ocmw_cpas=cpas if rng.random() < 0.7 else 207_000_000 + rng.randint(0, 999),
                    attestation=AttestationType(
                        attestation_identification=AttestationIdentificationType(
                            attestation_status=status,
                            attestation_id=identifier,
                            update_attestation_id=(
                                f"A036{rng.randint(0, 10**11 - 1):011d}"
                                if status == "MODIFIED"
                                else None
                            ),
                            creation_date=XmlDate.from_date(begin),
                        ),
                        details=AttestationDetailsType(
                            validity_period=L036PeriodType(
                                begin_date=XmlDate.from_date(begin),
                                end_date=XmlDate.from_date(end),
                            ),
                            category_code=rng.randint(1, 4),
                        ),
                    ),
                ),
            )
        )
    items.sort(
        key=lambda pair: (pair[0], pair[1].attestation.attestation_identification.attestation_id)
    )
    return [item for _, item in items]


def page_token(ssin: str, begin: str, end: str, offset: int) -> str:
    """The NextAnswerReference of the page starting at *offset* (no personal data in it)."""
    check = zlib.crc32(f"{ssin}|{begin}|{end}".encode()) % 10**8
    return f"P{offset:04d}-{check:08d}"


def _offset(token: str | None, ssin: str, begin: str, end: str) -> int:
    if token is None or not token.strip():
        return 0
    text = token.strip()
    try:
        offset = int(text[1:5])
    except ValueError:
        offset = -1
    if offset < 0 or page_token(ssin, begin, end, offset) != text:
        raise SimulatedSsdnError(
            [
                detail(
                    "ERROR",
                    UNKNOWN_PAGE_REFERENCE,
                    "The NextAnswerReference does not belong to this question.",
                    (("NextAnswerReference", text[:40]),),
                )
            ]
        )
    return offset


def _overlaps(item: A036Type, begin: dt.date, end: dt.date) -> bool:
    details = item.attestation.details
    period = details.validity_period if details is not None else None
    if period is None:
        return True
    return bool(period.begin_date.to_date() <= end and period.end_date.to_date() >= begin)


def build_l036_reply(
    ctx: SimContext, request: L036RequestReply, *, organization: str = "unknown"
) -> L036RequestReply:
    """The answer page a question asks for (see the module docstring)."""
    ssin = request.inss or ""
    person = ctx.population.get(ssin)
    if person is None:
        raise SimulatedBusinessError("MSG00005", "The SSIN is unknown.")
    if request.period is None:
        raise SimulatedBusinessError("MSG00008", "The period is missing.", [("Period", None)])
    begin, end = request.period.begin_date, request.period.end_date
    caller = org_unit(organization)
    cpas = int(caller) if caller.isdigit() else 212_344_876
    matching = [
        item
        for item in attestations_of(ssin, person.birth_date, ctx.now.date(), cpas)
        if _overlaps(item, begin.to_date(), end.to_date())
    ]
    token = request.l036.request.next_answer_reference if request.l036.request else None
    offset = _offset(token, ssin, str(begin), str(end))
    page = matching[offset : offset + PAGE_SIZE]
    following = offset + PAGE_SIZE
    return L036RequestReply(
        l036=L036Type(
            process_type=request.l036.process_type,
            answer_ok=AnswerOKType(
                next_answer_reference=(
                    page_token(ssin, str(begin), str(end), following)
                    if following < len(matching)
                    else None
                ),
                a036=page,
            ),
        ),
        unique_reference=request.unique_reference,
        inss=request.inss,
        period=request.period,
        authorized_user=request.authorized_user,
    )


@handler("L036", "consult")
def consult(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: Any = request.model
    return SsdnAnswer(build_l036_reply(ctx, model, organization=request.organization))
