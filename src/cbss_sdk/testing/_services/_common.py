"""What the simulated services share: code labels in three languages, dates, SSDN details.

The National Register and the SSDN person schema label coded values (civil
state, family role, identity-card type) in the language the caller asked for;
the simulator needs one table of those labels and one way to write dates and
SSDN details, whatever service answers.  The labels are our own wording of
the public meanings, not a copy of the official nomenclature.
"""

from __future__ import annotations

import datetime as dt
import zlib

from ...errors import SsdnDetail, StatusInformation
from .._population import (
    COUNTRIES,
    MUNICIPALITIES,
    REL_CHILD,
    REL_GRANDCHILD,
    REL_HEAD,
    REL_SPOUSE,
    REL_UNRELATED,
    Address,
    Person,
)

__all__ = [
    "LANGUAGES",
    "act_number",
    "civil_state_label",
    "country_name",
    "detail",
    "family_role_label",
    "iso_date",
    "localized_names",
    "localized_streets",
    "municipality_name",
    "name_code",
    "org_unit",
    "street_name",
]

LANGUAGES = ("fr", "nl", "de")

# (male, female) label per language.
_CIVIL_STATES: dict[int, dict[str, tuple[str, str]]] = {
    10: {
        "fr": ("Célibataire", "Célibataire"),
        "nl": ("Ongehuwd", "Ongehuwd"),
        "de": ("Ledig", "Ledig"),
    },
    20: {
        "fr": ("Marié", "Mariée"),
        "nl": ("Gehuwd", "Gehuwd"),
        "de": ("Verheiratet", "Verheiratet"),
    },
    30: {"fr": ("Veuf", "Veuve"), "nl": ("Weduwnaar", "Weduwe"), "de": ("Verwitwet", "Verwitwet")},
    40: {
        "fr": ("Séparé de corps", "Séparée de corps"),
        "nl": ("Gescheiden van tafel en bed", "Gescheiden van tafel en bed"),
        "de": ("Von Tisch und Bett getrennt", "Von Tisch und Bett getrennt"),
    },
    41: {
        "fr": ("Divorcé", "Divorcée"),
        "nl": ("Uit de echt gescheiden", "Uit de echt gescheiden"),
        "de": ("Geschieden", "Geschieden"),
    },
}

_FAMILY_ROLES: dict[int, dict[str, tuple[str, str]]] = {
    REL_HEAD: {
        "fr": ("Personne de référence", "Personne de référence"),
        "nl": ("Referentiepersoon", "Referentiepersoon"),
        "de": ("Bezugsperson", "Bezugsperson"),
    },
    REL_SPOUSE: {
        "fr": ("Époux", "Épouse"),
        "nl": ("Echtgenoot", "Echtgenote"),
        "de": ("Ehemann", "Ehefrau"),
    },
    REL_CHILD: {"fr": ("Fils", "Fille"), "nl": ("Zoon", "Dochter"), "de": ("Sohn", "Tochter")},
    REL_GRANDCHILD: {
        "fr": ("Petit-fils", "Petite-fille"),
        "nl": ("Kleinzoon", "Kleindochter"),
        "de": ("Enkel", "Enkelin"),
    },
    REL_UNRELATED: {
        "fr": ("Non apparenté", "Non apparentée"),
        "nl": ("Niet verwant", "Niet verwant"),
        "de": ("Nicht verwandt", "Nicht verwandt"),
    },
}


def _pick(table: dict[str, tuple[str, str]], lang: str, gender: str) -> str:
    male, female = table.get(lang, table["fr"])
    return female if gender == "F" else male


def civil_state_label(code: int, lang: str, gender: str) -> str:
    table = _CIVIL_STATES.get(code)
    return _pick(table, lang, gender) if table else str(code)


def family_role_label(code: int, lang: str, gender: str) -> str:
    table = _FAMILY_ROLES.get(code)
    return _pick(table, lang, gender) if table else str(code)


def municipality_name(code: int, lang: str) -> str:
    municipality = MUNICIPALITIES.get(code)
    return municipality.name(lang) if municipality else str(code)


def country_name(code: int, lang: str) -> str:
    country = COUNTRIES.get(code)
    return country.name(lang) if country else str(code)


def street_name(address: Address, lang: str) -> str:
    """The street of *address* in *lang* when the municipality has it in that language."""
    if address.municipality_code is None or address.street_code is None:
        return address.street
    municipality = MUNICIPALITIES.get(address.municipality_code)
    if municipality is None:
        return address.street
    try:
        return municipality.street(address.street_code).name(lang)
    except KeyError:
        return address.street


def localized_names(code: int) -> list[tuple[str, str]]:
    """(lang, name) of a municipality in each of its official languages (all three if unknown)."""
    municipality = MUNICIPALITIES.get(code)
    if municipality is None:
        return []
    return [(lang, municipality.name(lang)) for lang in municipality.languages]


def localized_streets(address: Address) -> list[tuple[str, str]]:
    """(lang, street name) in each language the street has a name in."""
    if address.municipality_code is None or address.street_code is None:
        return [("fr", address.street)]
    municipality = MUNICIPALITIES.get(address.municipality_code)
    if municipality is None:
        return [("fr", address.street)]
    try:
        street = municipality.street(address.street_code)
    except KeyError:
        return [("fr", address.street)]
    return list(street.names)


def iso_date(value: dt.date) -> str:
    """``YYYY-MM-DD`` (the SSDN ``t_IncompleteDate`` shape)."""
    return value.isoformat()


def name_code(kind: str, text: str) -> str:
    """A stable 8-digit code for a name (the National Register codes names; ours are hashes)."""
    return f"{zlib.crc32(f'{kind}:{text}'.encode()) % 10**8:08d}"


def act_number(person: Person, what: str) -> str:
    """A stable 4-digit civil-status act number."""
    return f"{zlib.crc32(f'{what}:{person.ssin}'.encode()) % 9000 + 100:04d}"


def detail(
    severity: str,
    reason_code: str,
    diagnostic: str,
    information: tuple[tuple[str, str | None], ...] = (),
) -> SsdnDetail:
    """An SSDN ResultSummary detail authored by CBSS."""
    return SsdnDetail(
        severity=severity,
        reason_code=reason_code,
        diagnostic=diagnostic,
        author_codes=("CBSS",),
        information=tuple(StatusInformation(name, value) for name, value in information),
    )


def org_unit(organization: str) -> str:
    """The OrgUnit CBSS reports for a caller label (``cbe:0212344876`` → ``0212344876``)."""
    if organization.startswith("cbe:"):
        return organization[4:]
    for part in organization.split("/"):
        if part.startswith("institution:"):
            return part.split(":", 1)[1]
    return organization
