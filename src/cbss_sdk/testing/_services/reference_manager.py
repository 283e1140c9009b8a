"""Simulated ReferenceManager.consult (SSDN): a person's integrations in other sectors.

Each adult of the synthetic population is integrated in zero to three other
sectors (unemployment, family allowances, disability, health insurance),
derived from the SSIN; children may be integrated for family allowances.
The answer lists those whose period overlaps ``RequestedPeriod``, with the
French and Dutch labels when ``FetchDescriptions`` is true.  Sector numbers
and labels are the simulator's own.

The caller must have the person integrated (pre-integrated in the
population or registered through the simulated ManageAccess): otherwise the
request is refused like every consultation (``MSG00012``, SSDN reason
``32000012``), which the engine cannot do itself for ``RequestedSsin``.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from xsdata.models.datatype import XmlDate

from ...models.reference_manager_20050525.be.fgov.ksz_bcss.xsd.ssdn.common import PeriodType
from ...models.reference_manager_20050525.be.fgov.ksz_bcss.xsd.ssdn.reference_manager_facade import (
    ConsultationType,
    ConsultOtherSectorsResultType,
    ReferenceManagerReply,
    ReferenceManagerRequest,
)
from .._registry import SimContext, SimRequest, SimulatedBusinessError, SsdnAnswer, handler

__all__ = ["CHILD_SECTOR", "OTHER_SECTORS", "build_reference_reply", "other_sector_integrations"]

#: (sector, quality code, sector fr/nl, quality fr/nl) the simulator hands out.
OTHER_SECTORS: tuple[tuple[int, int, str, str, str, str], ...] = (
    (6, 1, "Chômage", "Werkloosheid", "Demandeur d'emploi indemnisé", "Vergoede werkzoekende"),
    (12, 1, "Allocations familiales", "Gezinsbijslag", "Allocataire", "Bijslagtrekkende"),
    (
        16,
        1,
        "Personnes handicapées",
        "Personen met een handicap",
        "Demande d'allocation",
        "Aanvraag tegemoetkoming",
    ),
    (
        9,
        3,
        "Assurance maladie",
        "Ziekteverzekering",
        "Titulaire en incapacité",
        "Gerechtigde arbeidsongeschikt",
    ),
)

#: What a child is integrated for.
CHILD_SECTOR = (
    12,
    2,
    "Allocations familiales",
    "Gezinsbijslag",
    "Enfant bénéficiaire",
    "Rechtgevend kind",
)

Sector = tuple[int, int, str, str, str, str]


def other_sector_integrations(
    person: Any, today: dt.date
) -> list[tuple[Sector, dt.date, dt.date | None]]:
    """The simulated integrations of a person: (sector entry, start, end or ``None``)."""
    rng = random.Random(f"ReferenceManager/{person.ssin}")  # noqa: S311 - test data, not security
    birth = person.birth_date
    adult = dt.date(birth.year + 18, birth.month, min(birth.day, 28))
    if adult > today:
        return [(CHILD_SECTOR, max(birth, today - dt.timedelta(days=5 * 365)), None)]
    chosen = rng.sample(OTHER_SECTORS, rng.randint(0, 3))
    found = []
    for entry in sorted(chosen):
        start = max(adult, today - dt.timedelta(days=rng.randint(60, 8 * 365)))
        end = (
            None
            if rng.random() < 0.5
            else min(today, start + dt.timedelta(days=rng.randint(30, 900)))
        )
        found.append((entry, start, end))
    return found


def _integrated(ctx: SimContext, organization: str, person: Any) -> bool:
    if person.integrated and "not_integrated" not in person.tags:
        return True
    return bool(ctx.registrations.is_integrated(organization, person.ssin, ctx.now))


def build_reference_reply(
    ctx: SimContext, request: ReferenceManagerRequest, *, organization: str = "unknown"
) -> ReferenceManagerReply:
    """The answer to one consultation (see the module docstring)."""
    criteria = request.consult_other_sectors_criteria
    person = ctx.population.get(criteria.requested_ssin)
    if person is None:
        raise SimulatedBusinessError("MSG00005", "The SSIN is unknown.")
    if not _integrated(ctx, organization, person):
        raise SimulatedBusinessError(
            "MSG00012",
            "The given SSIN is not integrated correctly.",
            [("QualityCodeRequestor", str(criteria.quality_code_requestor))],
        )
    low = criteria.requested_period.start_date
    high = criteria.requested_period.end_date
    first = low.to_date() if low is not None else dt.date.min
    last = high.to_date() if high is not None else dt.date.max
    describe = criteria.fetch_descriptions is not False
    consultations = []
    for entry, start, end in other_sector_integrations(person, ctx.now.date()):
        if start > last or (end is not None and end < first):
            continue
        sector, quality, sector_fr, sector_nl, quality_fr, quality_nl = entry
        consultations.append(
            ConsultationType(
                sector=sector,
                quality_code=quality,
                period=PeriodType(
                    start_date=XmlDate.from_date(start),
                    end_date=None if end is None else XmlDate.from_date(end),
                ),
                sector_description_nl=sector_nl if describe else None,
                sector_description_fr=sector_fr if describe else None,
                quality_code_description_nl=quality_nl if describe else None,
                quality_code_description_fr=quality_fr if describe else None,
            )
        )
    return ReferenceManagerReply(
        consult_other_sectors_result=ConsultOtherSectorsResultType(consultation=consultations)
    )


@handler("ReferenceManager", "consult")
def consult(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: Any = request.model
    return SsdnAnswer(build_reference_reply(ctx, model, organization=request.organization))
