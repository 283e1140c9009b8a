"""Simulated RetrieveTIGroups v2 (TX25): a person's National Register file.

The reply is the rn25 information-type model, built the way the National
Register returns it: one record per information type (IT000 national number,
IT001 residence municipality, IT010 names, IT020 legal main address, IT031
nationality, IT100 birth place, IT120 civil state, IT140/IT141 household,
IT150 decease, IT195 identity card, IT253/IT254 file dates), newest record
first, labels in the requested language.  Without ``history`` only the
current record of each type is sent.  BIS-number persons have no National
Register file: the status is ``NO_DATA_FOUND``.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Hashable, Sequence
from typing import Any

from ...models.retrieve_ti_groups_v2.be.fgov.kszbcss.intf.retrieve_tigroups_service.v2 import (
    RetrieveTIGroupsResponse,
)
from ...models.retrieve_ti_groups_v2.be.fgov.kszbcss.types.common.v3 import (
    StatusType,
    StatusTypevalue,
)
from ...models.retrieve_ti_groups_v2.be.fgov.rrn.ibz.xsd.xm25 import rn25_schema as rn
from .._population import REL_HEAD, Address, Person, Population
from .._registry import SimContext, SimRequest, SimulatedBusinessError, handler
from .._replycache import reply_key
from ._common import (
    act_number,
    civil_state_label,
    country_name,
    family_role_label,
    municipality_name,
    name_code,
    street_name,
)

__all__ = ["OK_DESCRIPTION", "build_tx25_file", "tx25_status"]

OK_DESCRIPTION = "Treatment completed successfully."
ID_CARD = "0000"
KIDS_ID = "0060"
_CARD_LABELS = {
    ID_CARD: {"fr": "Carte d'identité", "nl": "Identiteitskaart", "de": "Personalausweis"},
    KIDS_ID: {"fr": "Carte d'identité enfant", "nl": "Kids-ID", "de": "Kinderausweis"},
}


def tx25_status(found: bool) -> Any:
    """``DATA_FOUND`` or ``NO_DATA_FOUND`` with code MSG00000."""
    value = StatusTypevalue.DATA_FOUND if found else StatusTypevalue.NO_DATA_FOUND
    return StatusType(value=value, code="MSG00000", description=OK_DESCRIPTION)


# --------------------------------------------------------------------------- small parts


def _date(value: dt.date) -> Any:
    return rn.DateType(
        century=rn.DateTypeCentury(f"{value.year // 100:02d}"),
        year=f"{value.year % 100:02d}",
        month=f"{value.month:02d}",
        day=f"{value.day:02d}",
    )


def _expiry(value: dt.date) -> Any:
    return rn.ExpiryDateType(
        century=f"{value.year // 100:02d}",
        year=f"{value.year % 100:02d}",
        month=f"{value.month:02d}",
        day=f"{value.day:02d}",
    )


def _sex(person: Person) -> str:
    return "2" if person.gender == "F" else "1"


def _name(person: Person) -> Any:
    return rn.NameType(
        last_name=[
            rn.NameType.LastName(code=[name_code("ln", person.last_name)], label=person.last_name)
        ],
        first_name=[
            rn.NameType.FirstName(code=[name_code("fn", first)], label=first)
            for first in person.first_names
        ],
    )


def _national_number(person: Person) -> Any:
    return rn.NationalNumberType(
        national_number=person.ssin,
        date=_date(person.birth_date),
        sex=rn.NationalNumberTypeSex(_sex(person)),
    )


def _place(code: int, lang: str) -> Any:
    return rn.PlaceType(code=str(code), label=municipality_name(code, lang))


def _newest_first(records: Sequence[Any], history: bool) -> list[Any]:
    ordered = list(reversed(records))
    return ordered if history else ordered[:1]


# --------------------------------------------------------------------------- IT groups


def _residences(person: Person, lang: str, history: bool) -> list[Any]:
    """IT001: the municipality (or country) keeping the file, one record per change."""
    runs: list[tuple[int, dt.date, bool]] = []
    for address in person.addresses:
        code = address.municipality_code if address.in_belgium else address.country_code
        if code is None:
            continue
        if not runs or runs[-1][0] != code:
            runs.append((code, address.valid_from, address.in_belgium))
    language = rn.IT001Language("1" if person.language == "fr" else "2")
    records = [
        rn.IT001(
            date=_date(since),
            residence=rn.ResidenceType(
                code=str(code),
                label=municipality_name(code, lang) if belgian else country_name(code, lang),
            ),
            fusion=rn.IT001Fusion.VALUE_0,
            language=language,
            structure="A1",
        )
        for code, since, belgian in runs
    ]
    return _newest_first(records, history)


def _legal_main_addresses(person: Person, lang: str, history: bool) -> list[Any]:
    records = [
        rn.IT020(
            date=_date(address.valid_from),
            address=rn.IT020.Address(
                zip_code=address.postal_code,
                street=rn.StreetType(
                    code=f"{address.postal_code}{address.street_code or 0:04d}",
                    label=street_name(address, lang),
                ),
                house_number=address.house_number,
                box=address.box,
            ),
            structure="A1",
        )
        for address in person.addresses
        if address.in_belgium
    ]
    current = person.address
    if not history and (current is None or not current.in_belgium):
        return []
    return _newest_first(records, history)


def _nationalities(person: Person, lang: str, history: bool) -> list[Any]:
    periods = [*person.former_nationalities, (person.nationality_code, person.nationality_since)]
    records = [
        rn.IT031(
            date=_date(since or person.birth_date),
            nationality=rn.NationalityType(code=str(code), label=country_name(code, lang)),
            structure="B1",
        )
        for code, since in periods
    ]
    return _newest_first(records, history)


def _birth_place(person: Person, lang: str) -> Any:
    place = person.birth_place
    if place.in_belgium and place.municipality_code is not None:
        return rn.IT100(
            date=_date(person.birth_date),
            act_number=act_number(person, "birth"),
            place1=_place(place.municipality_code, lang),
            structure="A1",
        )
    return rn.IT100(
        date=_date(person.birth_date),
        act_number="0000",
        place2=rn.GraphicPlaceType(
            country=rn.CountryType(
                code=str(place.country_code), label=country_name(place.country_code, lang)
            ),
            graphic=place.name,
        ),
        structure="A2",
    )


def _civil_states(person: Person, population: Population, lang: str, history: bool) -> list[Any]:
    records = []
    for record in person.civil_states:
        spouse = population.get(record.partner) if record.partner else None
        records.append(
            rn.IT120(
                date=_date(record.since),
                civil_state=rn.CivilStateType(
                    code=str(record.code),
                    label=civil_state_label(record.code, lang, person.gender),
                ),
                spouse=(
                    rn.IT120.Spouse(national_number=_national_number(spouse), name=_name(spouse))
                    if spouse is not None
                    else None
                ),
                lieu=(
                    rn.LieuType(place1=_place(record.place_code, lang))
                    if record.place_code is not None
                    else None
                ),
                act_number=act_number(person, f"civil{record.since}")
                if record.code != 10
                else None,
                structure="B1" if spouse is not None else "A1",
            )
        )
    return _newest_first(records, history)


def _household(person: Person, population: Population, lang: str) -> tuple[list[Any], list[Any]]:
    """IT140 records (on the head's file) or IT141 records (on a member's file)."""
    members = population.household(person.ssin)
    if not members or person.is_bis:
        return [], []
    head = members[0]
    if person.relationship == REL_HEAD:
        own = rn.IT140(
            date=_date(person.joined_household),
            family_role=rn.FamilyRoleType(
                code=f"{REL_HEAD:02d}", label=family_role_label(REL_HEAD, lang, person.gender)
            ),
            structure="A1",
        )
        others = [
            rn.IT140(
                date=_date(member.joined_household),
                family_role=rn.FamilyRoleType(
                    code=f"{member.relationship:02d}",
                    label=family_role_label(member.relationship, lang, member.gender),
                ),
                national_number=_national_number(member),
                name=_name(member),
                structure="B1",
            )
            for member in members[1:]
        ]
        return [own, *others], []
    link = rn.IT141(
        date=_date(person.joined_household),
        family_role=rn.FamilyRoleType(
            code=f"{person.relationship:02d}",
            label=family_role_label(person.relationship, lang, person.gender),
        ),
        national_number=_national_number(head),
        name=_name(head),
        structure="A1",
    )
    return [], [link]


def _identity_card(person: Person, lang: str, today: dt.date) -> Any | None:
    """IT195: the current card — a Kids-ID (3 years) under 12, an eID (10 years) after."""
    if person.identity_card is None:
        return None
    reference = min(today, person.deceased) if person.deceased else today
    seed = zlib.crc32(person.ssin.encode())
    twelfth = _add_years(person.birth_date, 12)
    if reference < twelfth:
        code, span, valid = KIDS_ID, 2 * 365, 3
        issued = max(reference - dt.timedelta(days=30 + seed % span), person.birth_date)
    else:
        code, span, valid = ID_CARD, 9 * 365, 10
        issued = max(reference - dt.timedelta(days=30 + seed % span), twelfth)
    address = person.address
    return rn.IT195(
        date=_date(issued),
        type_of_card=rn.TypeOfCardType(code=code, label=_CARD_LABELS[code].get(lang)),
        card_number=person.identity_card,
        delivery=(
            rn.DeliveryType206(place=_place(address.municipality_code, lang))
            if address is not None and address.municipality_code is not None
            else None
        ),
        expiry_date=_expiry(_add_years(issued, valid)),
        structure="F1",
    )


def _add_years(value: dt.date, years: int) -> dt.date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def _decease(person: Person, lang: str) -> Any | None:
    if person.deceased is None:
        return None
    address: Address | None = person.address
    place = address.municipality_code if address is not None else None
    return rn.IT150(
        date=_date(person.deceased),
        decease=rn.DeceaseType(
            act_number=act_number(person, "decease"),
            place1=_place(place, lang) if place is not None else None,
            place2=(
                None
                if place is not None
                else rn.GraphicPlaceType(
                    country=rn.CountryType(code="150", label=country_name(150, lang))
                )
            ),
        ),
        structure="A1",
    )


def _last_update(person: Person) -> dt.date:
    dates = [person.birth_date, *(a.valid_from for a in person.addresses)]
    dates += [c.since for c in person.civil_states]
    dates += [since for _code, since in person.former_nationalities]
    if person.nationality_since:
        dates.append(person.nationality_since)
    if person.deceased:
        dates.append(person.deceased)
    return max(dates)


# --------------------------------------------------------------------------- the file


def build_tx25_file(
    person: Person,
    population: Population,
    *,
    language: str = "fr",
    history: bool = False,
    today: dt.date | None = None,
) -> Any:
    """The rn25 ``FileInfoType`` of *person* (labels in *language*; past records with *history*).

    *today* dates the identity card (default: the current date).
    """
    lang = language if language in ("fr", "nl", "de") else "fr"
    today = today or dt.date.today()
    family_members, head_of_family = _household(person, population, lang)
    card = _identity_card(person, lang, today)
    decease = _decease(person, lang)
    addresses = _legal_main_addresses(person, lang, history)
    # The file is opened at birth, or when a person born abroad is first registered here.
    opened = person.birth_date
    if not person.birth_place.in_belgium and person.addresses:
        opened = person.addresses[0].valid_from
    return rn.FileInfoType(
        national_number=rn.IT000(
            national_number=rn.IT000.NationalNumber(
                national_number=person.ssin,
                date=_date(person.birth_date),
                sex=rn.NationalNumberSex(_sex(person)),
            ),
            structure="A1",
        ),
        file_owner=rn.FileInfoType.FileOwner(residences=_residences(person, lang, history)),
        names=rn.FileInfoType.Names(
            name=[rn.IT010(date=_date(person.birth_date), name=_it010_name(person), structure="A1")]
        ),
        legal_main_addresses=(
            rn.FileInfoType.LegalMainAddresses(legal_main_address=addresses) if addresses else None
        ),
        nationalities=rn.FileInfoType.Nationalities(
            nationality=_nationalities(person, lang, history)
        ),
        birth_place=_birth_place(person, lang),
        civil_states=rn.FileInfoType.CivilStates(
            civil_state=_civil_states(person, population, lang, history)
        ),
        family_members=(
            rn.FileInfoType.FamilyMembers(family_member=family_members) if family_members else None
        ),
        head_of_family=(
            rn.FileInfoType.HeadOfFamily(head_of_family=head_of_family) if head_of_family else None
        ),
        deceases=rn.FileInfoType.Deceases(decease=[decease]) if decease is not None else None,
        identity_cards=(
            rn.FileInfoType.IdentityCards(identity_card=[card]) if card is not None else None
        ),
        creation_date=rn.IT253(date=_date(opened), structure="A1"),
        last_update_date=rn.IT254(date=_date(_last_update(person)), structure="A1"),
    )


def _it010_name(person: Person) -> Any:
    base = _name(person)
    return rn.IT010.Name(last_name=base.last_name, first_name=base.first_name)


# --------------------------------------------------------------------------- handler


def _reply_key(ctx: SimContext, request: SimRequest) -> Hashable | None:
    """All the reply depends on besides the population: the search and the day (identity card)."""
    search: Any = getattr(request.model, "search_information", None)
    if search is None:
        return None
    return (search.ssin, search.language, search.history, ctx.now.date())


@handler("RetrieveTIGroups", "retrieveTI")
@reply_key(_reply_key)
def retrieve_ti(ctx: SimContext, request: SimRequest) -> Any:
    """The file of the person in ``searchInformation``; ``NO_DATA_FOUND`` for a BIS number."""
    model: Any = request.model
    search = model.search_information
    person = ctx.population.get(search.ssin)
    if person is None:
        raise SimulatedBusinessError("MSG00005", "The SSIN is unknown.", [("ssin", search.ssin)])
    if person.is_bis:
        return ctx.soa_response(
            RetrieveTIGroupsResponse, search_information=search, status=tx25_status(False)
        )
    language = search.language.value if search.language is not None else "fr"
    file = build_tx25_file(
        person,
        ctx.population,
        language=language,
        history=bool(search.history),
        today=ctx.now.date(),
    )
    return ctx.soa_response(
        RetrieveTIGroupsResponse,
        search_information=search,
        status=tx25_status(True),
        rrn_it_implicit=file,
    )
