"""Simulated OCMWCPASIdentifyPerson (SSDN): check an SSIN, or search phonetically.

``identify`` returns the person's limited legal data and, when the request
carries verification data (SIS card, identity card, name and birth date),
says whether they match: information ``12007001`` when they do, warning
``22007007`` when they do not (the person is still returned).  Phonetic
criteria next to an SSIN are ignored with warning ``21007001``.

``search`` matches the population phonetically (see
:meth:`~cbss_sdk.testing.Population.search`): no match is the error
``32007004`` (which the SDK turns into an empty result), an incomplete birth
date without a tolerance is the error ``31009001``.  Names come back upper
case, as CBSS writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...errors import SsdnDetail
from ...models.identify_person_20050930.be.fgov.ksz_bcss.xsd.ssdn import common as ip_common
from ...models.identify_person_20050930.be.fgov.ksz_bcss.xsd.ssdn import person as ip_person
from ...models.identify_person_20050930.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas import (
    identify_person as ip,
)
from .._population import (
    Person,
    Population,
    birth_date_matches,
    is_complete_date,
    names_equivalent,
)
from .._registry import (
    SimContext,
    SimRequest,
    SimulatedBusinessError,
    SimulatedSsdnError,
    SsdnAnswer,
    handler,
)
from ._common import detail, iso_date, localized_names, localized_streets

__all__ = [
    "BOTH_CRITERIA",
    "IDENTITY_VALIDATED",
    "INCOMPLETE_BIRTH_DATE",
    "MANDATORY_ARGUMENT",
    "NO_MATCH",
    "PERSON_DATA_MISMATCH",
    "build_identify_reply",
    "build_limited_legal_data",
    "search_people",
    "verification_details",
]

IDENTITY_VALIDATED = "12007001"
BOTH_CRITERIA = "21007001"
PERSON_DATA_MISMATCH = "22007007"
NO_MATCH = "32007004"
INCOMPLETE_BIRTH_DATE = "31009001"
MANDATORY_ARGUMENT = "31000007"
#: CBSS returns at most this many persons for one phonetic search.
MAX_RESULTS = 100


def _descriptions(pairs: Sequence[tuple[str, str]]) -> list[Any]:
    return [
        ip_common.DescriptionType(value=text.upper(), lang=ip_common.TLanguage(lang))
        for lang, text in pairs
    ]


def _address(person: Person) -> Any | None:
    address = person.address
    if address is None:
        return None
    if not address.in_belgium:
        return ip.AddressType(
            country_code=address.country_code,
            municipality=[ip_common.DescriptionType(value=address.municipality.upper())],
            postal_code=address.postal_code or None,
            street=[ip_common.DescriptionType(value=address.street.upper())],
            house_number=address.house_number,
            box=address.box,
        )
    code = address.municipality_code
    return ip.AddressType(
        country_code=address.country_code,
        municipality_code=code,
        municipality=_descriptions(localized_names(code) if code is not None else []),
        postal_code=address.postal_code,
        street_code=address.street_code,
        street=_descriptions(localized_streets(address)),
        house_number=address.house_number,
        box=address.box,
    )


def _extended(person: Person) -> Any:
    place = person.birth_place
    if place.in_belgium and place.municipality_code is not None:
        location_code = place.municipality_code
        location = _descriptions(localized_names(place.municipality_code)[:1])
    else:
        location_code = place.country_code
        location = [ip_common.DescriptionType(value=place.name.upper())]
    if person.is_bis:
        return ip.ExtendedType(nationality_code=person.nationality_code)
    return ip.ExtendedType(
        civil_state=person.civil_state,
        birth_location_code=location_code,
        birth_location=location,
        decease_date=iso_date(person.deceased) if person.deceased else None,
        nationality_code=person.nationality_code,
    )


def build_limited_legal_data(person: Person) -> Any:
    """``LimitedLegalData`` of one person (origin ``RN_RR``, or ``BCSS_KSZ`` for a BIS number)."""
    gender = ip_person.GenderCodeType(2 if person.gender == "F" else 1)
    if person.is_bis and person.ssin[2] in "23":  # month + 20: the register does not know it
        gender = ip_person.GenderCodeType(0)
    return ip.LimitedLegalDataType(
        basic=ip.BasicType(
            social_security_user=person.ssin,
            last_name=person.last_name.upper(),
            first_name=" ".join(person.first_names).upper() or None,
            birth_date=iso_date(person.birth_date),
            gender=ip_person.GenderType(value=gender),
            address=_address(person),
        ),
        extended=_extended(person),
        origin=ip_person.OriginType.BCSS_KSZ if person.is_bis else ip_person.OriginType.RN_RR,
    )


def build_identify_reply(people: Sequence[Person]) -> Any:
    """``IdentifyPersonReply`` with the given persons (none: no ``SearchResults``)."""
    if not people:
        return ip.IdentifyPersonReply()
    return ip.IdentifyPersonReply(
        search_results=ip.SearchResultsType(
            limited_legal_data=[build_limited_legal_data(p) for p in people[:MAX_RESULTS]]
        )
    )


def verification_details(person: Person, verification: Any) -> list[SsdnDetail]:
    """Compare ``VerificationData`` with *person*: ``12007001`` or ``22007007`` (or nothing).

    A SIS card or identity card number must equal the person's; person data match when
    the last name (and each first/middle name given) is the person's or sounds the same
    (:func:`~cbss_sdk.testing.names_equivalent`) and the birth date matches its known
    parts.  The mismatch warning lists the fields that did
    not match, with the values the caller sent.
    """
    if verification is None:
        return []
    mismatches: list[tuple[str, str | None]] = []
    checked = False
    if verification.siscard_number is not None:
        checked = True
        if verification.siscard_number != person.sis_card:
            mismatches.append(("SISCardNumber", verification.siscard_number))
    if verification.identity_card_number is not None:
        checked = True
        if verification.identity_card_number != person.identity_card:
            mismatches.append(("IdentityCardNumber", verification.identity_card_number))
    data = verification.person_data
    if data is not None:
        checked = True
        if not names_equivalent(data.last_name, person.last_name):
            mismatches.append(("Phonetic Information: Last Name", data.last_name))
        names = (
            ("First Name", data.first_name),
            ("Middle Name", getattr(data, "middle_name", None)),
        )
        for field, value in names:
            if value and not any(names_equivalent(value, n) for n in person.first_names):
                mismatches.append((f"Phonetic Information: {field}", value))
        try:
            same_birth = birth_date_matches(person.birth_date, data.birth_date)
        except ValueError:
            same_birth = False
        if not same_birth:
            mismatches.append(("Phonetic Information: Birth Date", data.birth_date))
    if not checked:
        return []
    if mismatches:
        return [
            detail(
                "WARNING",
                PERSON_DATA_MISMATCH,
                "The specified PersonData does not match with the data found for this person.",
                (*mismatches, ("SSIN", person.ssin)),
            )
        ]
    return [
        detail(
            "INFORMATION",
            IDENTITY_VALIDATED,
            "The identity of the person was successfully validated by the system.",
            (("SSIN", person.ssin),),
        )
    ]


def search_people(population: Population, criteria: Any) -> list[Person]:
    """Run ``PhoneticCriteria`` against *population*; raise the CBSS errors for bad criteria.

    Raises :class:`SimulatedSsdnError` with ``31000007`` (no last name), ``31009001``
    (incomplete birth date without tolerance) or ``32007004`` (no match).
    """
    last_name = (criteria.last_name or "").strip()
    if not last_name:
        raise SimulatedSsdnError(
            [
                detail(
                    "ERROR",
                    MANDATORY_ARGUMENT,
                    "The expected mandatory argument is not provided or empty.",
                    (("Phonetic Criteria: Last Name", None),),
                )
            ]
        )
    birth = criteria.birth_date
    try:
        complete = is_complete_date(birth)
    except ValueError:
        raise SimulatedSsdnError(
            [
                detail(
                    "ERROR",
                    MANDATORY_ARGUMENT,
                    "The birth date of the phonetic criteria is not a valid date.",
                    (("Phonetic Criteria: Birth Date", birth),),
                )
            ]
        ) from None
    if not complete and criteria.tolerance is None:
        raise SimulatedSsdnError(
            [
                detail(
                    "ERROR",
                    INCOMPLETE_BIRTH_DATE,
                    "When the birth date in the phonetic criteria is not a complete date, "
                    "a birth date tolerance must be specified.",
                    (
                        ("Phonetic Criteria: Birth Date", birth),
                        ("Phonetic Criteria: Birth Date Tolerance", None),
                    ),
                )
            ]
        )
    gender = criteria.gender.value if criteria.gender is not None else None
    found = population.search(
        last_name,
        birth,
        tolerance=criteria.tolerance,
        gender=gender,
        first_name=criteria.first_name,
        maximum=criteria.maximum or MAX_RESULTS,
    )
    if not found:
        raise SimulatedSsdnError(
            [detail("ERROR", NO_MATCH, "The phonetic search did not return any matches.")]
        )
    return found


# --------------------------------------------------------------------------- handlers


@handler("IdentifyPerson", "identify")
def identify(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    """SSIN given: the person, verification outcome, and the "phonetic ignored" warning."""
    model: Any = request.model
    criteria = model.search_criteria
    ssin = criteria.ssin or request.subject or ""
    person = ctx.population.get(ssin)
    if person is None:
        raise SimulatedBusinessError("MSG00005", "The SSIN is unknown.", [("ssin", ssin)])
    warnings: list[SsdnDetail] = []
    if criteria.phonetic_criteria is not None:
        warnings.append(
            detail(
                "WARNING",
                BOTH_CRITERIA,
                "Both a SSIN and Phonetic Criteria were specified. "
                "The Phonetic Criteria will be ignored.",
            )
        )
    warnings.extend(verification_details(person, model.verification_data))
    # Typed as Any: mypy cannot check an attrs field whose converter is the builtin tuple.
    details: Any = warnings
    return SsdnAnswer(payload=build_identify_reply([person]), warnings=details)


@handler("IdentifyPerson", "search")
def search(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    """Phonetic search over the population."""
    model: Any = request.model
    found = search_people(ctx.population, model.search_criteria.phonetic_criteria)
    return SsdnAnswer(payload=build_identify_reply(found))
