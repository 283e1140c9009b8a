"""Simulated OCMWCPASManageAccess (SSDN): register, unregister and list integrations.

The state lives in the simulator's registration store (``ctx.registrations``),
which is also what the integration check of consultations reads: a person
registered here can be consulted afterwards.  Choices the public
documentation leaves open, made here and documented in ``docs/personas.md``:

* REGISTER is idempotent: when the caller already holds a registration of the
  person for the same purpose over the requested period, nothing is added and
  that registration is returned.  New registrations go to the sector
  repertory (``SECONDARY``) with the caller's CBE number as ``OrgUnit``.
* UNREGISTER of a registration the caller does not hold is the error
  :data:`REGISTRATION_NOT_FOUND` (a simulator code).
* Each reply echoes the request and lists the registrations as they are after
  the action: the caller's ones for the purpose and period (REGISTER,
  UNREGISTER), or every organisation's ones over the period (LIST; filtered
  by purpose and ``QueryRegister`` when given).  A LIST without purpose echoes
  purpose ``0``.
* Proof of authentication that does not match the person gives warning
  ``22007007``; the action is still carried out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from xsdata.models.datatype import XmlDate

from ...models.manage_access_20050930.be.fgov.ksz_bcss.xsd.ssdn.common import StartingPeriodType
from ...models.manage_access_20050930.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas import (
    manage_access as ma,
)
from .._population import Person
from .._registry import (
    SimContext,
    SimRequest,
    SimulatedBusinessError,
    SimulatedSsdnError,
    SsdnAnswer,
    handler,
)
from ._common import detail, org_unit
from .identify_person import PERSON_DATA_MISMATCH, verification_details

__all__ = [
    "REGISTRATION_NOT_FOUND",
    "SECTOR_REPERTORY",
    "build_manage_access_reply",
    "proof_warnings",
]

#: Simulator reason code: UNREGISTER of a registration the caller does not hold.
REGISTRATION_NOT_FOUND = "32008001"
#: Where the simulator files new registrations (the CPAS sector repertory).
SECTOR_REPERTORY = "SECONDARY"


def _to_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    result: dt.date = value.to_date()
    return result


def _period(start: dt.date, end: dt.date | None) -> Any:
    return StartingPeriodType(
        start_date=XmlDate.from_date(start),
        end_date=XmlDate.from_date(end) if end is not None else None,
    )


def build_manage_access_reply(
    *,
    ssin: str,
    action: str,
    start: dt.date,
    end: dt.date | None,
    purpose: int | None,
    registrations: Iterable[Any],
    register: str | None = None,
) -> Any:
    """``ManageAccessReply``: the request echoed, then *registrations*.

    *registrations* are objects with ``purpose``, ``start``, ``end``, ``org_unit``
    (or ``organization``) and ``register`` — the simulator store's records.
    """
    return ma.ManageAccessReply(
        original_request=ma.OriginalRequestType(
            ssin=ssin,
            purpose=purpose if purpose is not None else 0,
            period=_period(start, end),
            action=ma.ActionType(action),
            register=ma.RegisterType(register) if register else None,
        ),
        registrations=[
            ma.RegistrationType(
                purpose=item.purpose,
                period=_period(item.start, item.end),
                org_unit=item.org_unit or org_unit(item.organization),
                register=ma.RegisterType(item.register),
            )
            for item in sorted(registrations, key=lambda r: (r.start, r.purpose, r.organization))
        ],
    )


def proof_warnings(person: Person, proof: Any) -> list[Any]:
    """Warning ``22007007`` when the proof of authentication does not match *person*."""
    return [d for d in verification_details(person, proof) if d.reason_code == PERSON_DATA_MISMATCH]


def _overlapping(items: Iterable[Any], purpose: int | None, organization: str | None) -> list[Any]:
    return [
        r
        for r in items
        if (purpose is None or r.purpose == purpose)
        and (organization is None or r.organization == organization)
    ]


@handler("ManageAccess", "register")
def register(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: Any = request.model
    person, start, end = _common(ctx, model)
    purpose = _purpose(model)
    held = _overlapping(
        ctx.registrations.list(
            person.ssin, organization=request.organization, start=start, end=end
        ),
        purpose,
        request.organization,
    )
    if not held:
        ctx.registrations.register(
            request.organization,
            person.ssin,
            purpose,
            start,
            end,
            register=SECTOR_REPERTORY,
            org_unit=org_unit(request.organization),
        )
    return _answer(ctx, request, model, person, start, end, purpose, SECTOR_REPERTORY)


@handler("ManageAccess", "unregister")
def unregister(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: Any = request.model
    person, start, end = _common(ctx, model)
    purpose = _purpose(model)
    held = _overlapping(
        ctx.registrations.list(
            person.ssin, organization=request.organization, start=start, end=end
        ),
        purpose,
        request.organization,
    )
    if not held:
        raise SimulatedSsdnError(
            [
                detail(
                    "ERROR",
                    REGISTRATION_NOT_FOUND,
                    "No registration of this person for this purpose and period was found.",
                    (("SSIN", person.ssin), ("Purpose", str(purpose))),
                )
            ]
        )
    for item in held:
        ctx.registrations.unregister(request.organization, person.ssin, purpose, item.start)
    return _answer(ctx, request, model, person, start, end, purpose, SECTOR_REPERTORY)


@handler("ManageAccess", "list")
def list_registrations(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: Any = request.model
    person, start, end = _common(ctx, model)
    wanted = model.query_register.value if model.query_register is not None else "ALL"
    items = [
        r
        for r in _overlapping(
            ctx.registrations.list(person.ssin, start=start, end=end), model.purpose, None
        )
        if wanted == "ALL" or r.register == wanted
    ]
    reply = build_manage_access_reply(
        ssin=person.ssin,
        action="LIST",
        start=start,
        end=end,
        purpose=model.purpose,
        registrations=items,
        register=wanted,
    )
    return SsdnAnswer(payload=reply, warnings=proof_warnings(person, model.proof_of_authentication))


def _common(ctx: SimContext, model: Any) -> tuple[Person, dt.date, dt.date | None]:
    person = ctx.population.get(model.ssin)
    if person is None:
        raise SimulatedBusinessError("MSG00005", "The SSIN is unknown.", [("ssin", model.ssin)])
    start = _to_date(model.period.start_date)
    assert start is not None  # required by the schema
    return person, start, _to_date(model.period.end_date)


def _purpose(model: Any) -> int:
    if model.purpose is None:
        raise SimulatedSsdnError(
            [
                detail(
                    "ERROR",
                    "31000007",
                    "The expected mandatory argument is not provided or empty.",
                    (("Purpose", None),),
                )
            ]
        )
    return int(model.purpose)


def _answer(
    ctx: SimContext,
    request: SimRequest,
    model: Any,
    person: Person,
    start: dt.date,
    end: dt.date | None,
    purpose: int,
    register: str,
) -> SsdnAnswer:
    items = _overlapping(
        ctx.registrations.list(
            person.ssin, organization=request.organization, start=start, end=end
        ),
        purpose,
        request.organization,
    )
    reply = build_manage_access_reply(
        ssin=person.ssin,
        action=model.action.value,
        start=start,
        end=end,
        purpose=purpose,
        registrations=items,
        register=register,
    )
    return SsdnAnswer(payload=reply, warnings=proof_warnings(person, model.proof_of_authentication))
