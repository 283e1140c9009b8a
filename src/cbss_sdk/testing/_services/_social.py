"""Helpers shared by the simulated social-database services (Dolsis, SelfEmployed, TaxAssessment…).

Each simulated service derives its data about a person deterministically
from the person's SSIN (a ``random.Random`` seeded with the service name and
the SSIN, never the global generator), so the same person always has the
same employers, tax data or benefits without the population storing them.
Employers and amounts are fictitious.
"""

from __future__ import annotations

import datetime as dt
import random
import typing
from types import UnionType
from typing import Any

from xsdata.models.datatype import XmlDate

from .._population import Person
from .._registry import SimContext, SimRequest, SimulatedBusinessError

__all__ = [
    "EMPLOYERS",
    "Employer",
    "add_years",
    "cbe_number",
    "field_type",
    "person_for",
    "rng_for",
    "status",
    "today",
    "xml_date",
]


class Employer:
    """A fictitious employer: name, NSSO registration number, enterprise (CBE) number."""

    __slots__ = ("enterprise_number", "name", "nsso_number")

    def __init__(self, name: str, nsso_number: str, enterprise_number: str) -> None:
        self.name = name
        self.nsso_number = nsso_number
        self.enterprise_number = enterprise_number


def cbe_number(body: int) -> str:
    """A valid enterprise number ``0`` + 7 digits + 2 check digits (97 − body mod 97)."""
    base = body % 10_000_000
    check = 97 - (base % 97)
    return f"0{base:07d}{check:02d}"


def _employers() -> tuple[Employer, ...]:
    names = (
        "Boulangerie du Marché SRL",
        "Nettoyages Plus SC",
        "Transports Meuse-Sambre SA",
        "Groenteveiling Oost BV",
        "Maison de repos Les Tilleuls ASBL",
        "Bouwbedrijf Kempen NV",
        "Supermarché de la Gare SPRL",
        "Interim Horizon SA",
        "Café De Zwaan VOF",
        "Atelier Eupen-Nord GmbH",
    )
    return tuple(
        Employer(
            name, f"0{(31_000_017 * (i + 3)) % 1_000_000_000:09d}", cbe_number(4_100_011 * (i + 7))
        )
        for i, name in enumerate(names)
    )


#: The fictitious employers of the simulated employment data.
EMPLOYERS: tuple[Employer, ...] = _employers()


def rng_for(service: str, ssin: str) -> random.Random:
    """The deterministic random source of *service*'s data about *ssin*."""
    return random.Random(f"{service}/{ssin}")  # noqa: S311 - test data, not security


def today(ctx: SimContext) -> dt.date:
    return ctx.now.date()


def xml_date(day: dt.date) -> XmlDate:
    return XmlDate.from_date(day)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def person_for(ctx: SimContext, request: SimRequest) -> Person:
    """The population's person the request is about (the engine already refused unknown SSINs)."""
    person = ctx.population.get(request.subject) if request.subject else None
    if not isinstance(person, Person):
        raise SimulatedBusinessError("MSG00005", "The given SSIN is unknown.")
    return person


def field_type(owner: type[Any], name: str) -> Any:
    """The class of field *name* of a generated dataclass (``X | None`` and ``list[X]`` unwrapped)."""
    hint = typing.get_type_hints(owner)[name]
    if isinstance(hint, UnionType) or typing.get_origin(hint) is typing.Union:
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    if typing.get_origin(hint) is list:
        hint = typing.get_args(hint)[0]
    return hint


def status(response_type: type[Any], value: str, code: str, description: str | None = None) -> Any:
    """A CommonV3 ``StatusType`` of *response_type*'s own models package."""
    status_type = field_type(response_type, "status")
    value_type = field_type(status_type, "value")
    return status_type(value=value_type(value), code=code, description=description)
