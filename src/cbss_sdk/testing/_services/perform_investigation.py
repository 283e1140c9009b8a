"""Simulated OCMWCPASPerformInvestigation (SSDN): the social-investigation bundle.

The four data groups come from the population: the household (members with
their relationship code to the head and the date they joined), each
person's legal data as an SSDN ``person:Citizen``, the address history
(managing municipalities and legal addresses, newest first) and the waiting
register for asylum seekers (the ``refugee`` personas; nobody else has
any).  No ``DataGroups`` in the request means every group; selecting the
family composition also returns the other selected groups for every member
of the household.  BIS-number persons have no National Register household:
their reply has no family composition.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xsdata.models.datatype import XmlDate

from ...models.perform_investigation_20080604.be.fgov.ksz_bcss.xsd.ssdn import common as pi_common
from ...models.perform_investigation_20080604.be.fgov.ksz_bcss.xsd.ssdn import person as pp
from ...models.perform_investigation_20080604.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas import (
    perform_investigation as pi,
)
from .._population import MUNICIPALITIES, Address, Person, Population
from .._registry import SimContext, SimRequest, SimulatedBusinessError, SsdnAnswer, handler
from ._common import LANGUAGES, country_name, iso_date, localized_names, localized_streets

__all__ = [
    "ALL_GROUPS",
    "build_address_history",
    "build_citizen",
    "build_investigation_reply",
    "build_wait_register",
]

ALL_GROUPS = frozenset({"family_composition", "citizen", "address_history", "wait_register"})


def _origin(person: Person) -> Any:
    return pp.OriginType.BCSS_KSZ if person.is_bis else pp.OriginType.RN_RR


def _descriptions(pairs: Sequence[tuple[str, str]]) -> list[Any]:
    return [
        pi_common.DescriptionType(value=text, lang=pi_common.TLanguage(lang))
        for lang, text in pairs
    ]


def _country(code: int) -> Any:
    return pp.LocationType(
        code=code,
        description=_descriptions([(lang, country_name(code, lang)) for lang in LANGUAGES]),
    )


def _standard_address(person: Person, address: Address) -> Any:
    if address.in_belgium and address.municipality_code is not None:
        municipality = pp.MunicipalityType(
            code=address.municipality_code,
            description=_descriptions(localized_names(address.municipality_code)),
            postal_code=address.postal_code,
        )
        street = pp.LocationType(
            code=address.street_code, description=_descriptions(localized_streets(address))
        )
    else:
        municipality = pp.MunicipalityType(
            description=[pi_common.DescriptionType(value=address.municipality)],
            postal_code=address.postal_code or None,
        )
        street = pp.LocationType(description=[pi_common.DescriptionType(value=address.street)])
    return pp.StandardAddressType(
        country=_country(address.country_code),
        municipality=municipality,
        street=street,
        house_number=address.house_number,
        box=address.box,
        origin=_origin(person),
        modification_date=iso_date(address.valid_from),
    )


def _manager_location(person: Person, code: int, since: Any) -> Any:
    municipality = MUNICIPALITIES.get(code)
    regime = "-".join(municipality.languages).upper() if municipality else None
    return pp.ManagerLocationType(
        code=code,
        description=_descriptions(localized_names(code)),
        linguistic_regime=regime,
        origin=_origin(person),
        modification_date=iso_date(since),
    )


def _location(person: Person) -> Any:
    place = person.birth_place
    if place.in_belgium and place.municipality_code is not None:
        return pp.LocationType(
            code=place.municipality_code,
            description=_descriptions(localized_names(place.municipality_code)),
        )
    return pp.LocationType(
        code=place.country_code, description=[pi_common.DescriptionType(value=place.name)]
    )


def _gender(person: Person) -> Any:
    return pp.GenderCodeType(2 if person.gender == "F" else 1)


def build_citizen(person: Person, population: Population) -> Any:
    """The SSDN ``person:Citizen`` of *person* (legal data as the register holds them today)."""
    record = person.civil_states[-1]
    partner = population.get(record.partner) if record.partner else None
    address = person.address
    manager = None
    legal = None
    if address is not None:
        if address.in_belgium and address.municipality_code is not None:
            manager = _manager_location(person, address.municipality_code, address.valid_from)
        legal = pp.LegalAddressType(standard_address=_standard_address(person, address))
    decease_place = address.municipality_code if address is not None else None
    return pp.Citizen(
        social_security_user=person.ssin,
        legal_data=pp.LegalDataType(
            name=pp.NameType(
                last_name=person.last_name,
                first_name=" ".join(person.first_names) or None,
                complete_first_name=True,
                modification_date=iso_date(person.birth_date),
            ),
            gender=pp.GenderType(value=_gender(person)),
            birth=pp.BirthDeceaseType(date=iso_date(person.birth_date), location=_location(person)),
            civil_state=pp.CivilStateType(
                code=record.code,
                partner=(
                    pp.PartnerType(
                        social_security_user=partner.ssin,
                        name=pp.NameType(
                            last_name=partner.last_name,
                            first_name=" ".join(partner.first_names) or None,
                        ),
                        birth_date=iso_date(partner.birth_date),
                        gender=_gender(partner),
                    )
                    if partner is not None
                    else None
                ),
                modification_date=iso_date(record.since),
            ),
            decease=(
                pp.BirthDeceaseType(
                    date=iso_date(person.deceased),
                    location=(
                        pp.LocationType(
                            code=decease_place,
                            description=_descriptions(localized_names(decease_place)),
                        )
                        if decease_place is not None
                        else None
                    ),
                )
                if person.deceased is not None
                else None
            ),
            address_information=(
                pp.AddressInformation(manager_location=manager, legal_address=legal)
                if legal is not None
                else None
            ),
            nationality=pp.NationalityType(
                code=person.nationality_code,
                description=_descriptions(
                    [(lang, country_name(person.nationality_code, lang)) for lang in LANGUAGES]
                ),
                modification_date=iso_date(person.nationality_since or person.birth_date),
            ),
        ),
        origin=_origin(person),
    )


def build_address_history(person: Person) -> Any:
    """``AddressHistory``: managing municipalities and legal addresses, newest first."""
    runs: list[tuple[int, Any]] = []
    for address in person.addresses:
        code = address.municipality_code
        if address.in_belgium and code is not None and (not runs or runs[-1][0] != code):
            runs.append((code, address.valid_from))
    legal = [_standard_address(person, a) for a in reversed(person.addresses)]
    return pi.AddressHistory(
        social_security_user=person.ssin,
        manager_locations=(
            pi.ManagerLocationsType(
                manager_location=[_manager_location(person, c, s) for c, s in reversed(runs)]
            )
            if runs
            else None
        ),
        legal_addresses=pi.LegalAddressesType(standard_address=legal) if legal else None,
    )


def build_wait_register(person: Person) -> Any | None:
    """``WaitRegister`` of an asylum seeker (``None`` for everybody else)."""
    file = person.refugee
    if file is None:
        return None
    applied = iso_date(file.application_date)
    return pi.WaitRegister(
        social_security_user=person.ssin,
        refugee_situation_h205=pi.RefugeeSituationH205Type(
            refugee_situation=[
                pi.RefugeeSituationH205Type.RefugeeSituation(
                    demand_date=applied, quality_code=file.quality_code
                )
            ]
        ),
        refugee_administrive_file_h206=pi.RefugeeAdministriveFileH206Type(
            refugee_administrative_file=[
                pi.RefugeeAdministriveFileH206Type.RefugeeAdministrativeFile(
                    administrative_situation_date=iso_date(file.situation_date),
                    administrative_situation_code=file.situation_code,
                    nis_code=file.cpas_code,
                    municipality_description=file.cpas_name,
                    declaration_date=applied,
                )
            ]
        ),
        refugee_institution_h207=pi.RefugeeInstitutionH207Type(
            refugee_institution=[
                pi.RefugeeInstitutionH207Type.RefugeeInstitution(
                    inscription_date=applied,
                    municipality_description=file.cpas_name,
                    cpas_code=file.cpas_code,
                )
            ]
        ),
        refugee_document_h211=pi.RefugeeDocumentH211Type(
            refugee_document=[
                pi.RefugeeDocumentH211Type.RefugeeDocument(
                    inscription_date=applied, document_type_code=file.document_code
                )
            ]
        ),
        refugee_location_h212=pi.RefugeeLocationH212Type(
            refugee_location=[
                pi.RefugeeLocationH212Type.RefugeeLocation(
                    inscription_date=applied, code=file.centre_code, description=file.centre_name
                )
            ]
        ),
    )


def build_investigation_reply(
    person: Person, population: Population, groups: frozenset[str] = ALL_GROUPS
) -> Any:
    """``PerformInvestigationReply`` for *person* with the data *groups* asked for.

    *groups* holds names from :data:`ALL_GROUPS`.  With ``family_composition`` the
    other groups cover every member of the household, otherwise only *person*.
    """
    unknown = groups - ALL_GROUPS
    if unknown:
        raise ValueError(f"unknown data groups: {sorted(unknown)}")
    household = () if person.is_bis else population.household(person.ssin)
    with_family = "family_composition" in groups and bool(household)
    people = list(household) if with_family else [person]
    family = None
    if with_family:
        family = pi.FamilyCompositionGroupType(
            family_composition=pi.FamilyComposition(
                family_member=[
                    pi.FamilyMemberType(
                        social_security_user=member.ssin,
                        relation_ship=member.relationship,
                        entry_date=XmlDate.from_date(member.joined_household),
                    )
                    for member in household
                ],
                origin=pp.OriginType.RN_RR,
            )
        )
    citizens = (
        pi.CitizenGroupType(citizen=[build_citizen(p, population) for p in people])
        if "citizen" in groups
        else None
    )
    histories = (
        pi.AddressHistoryGroupType(address_history=[build_address_history(p) for p in people])
        if "address_history" in groups
        else None
    )
    waits = [w for w in (build_wait_register(p) for p in people) if w is not None]
    wait_group = (
        pi.WaitRegisterGroupType(wait_register=waits)
        if "wait_register" in groups and waits
        else None
    )
    parts = (family, citizens, histories, wait_group)
    return pi.PerformInvestigationReply(
        social_security_user=person.ssin,
        data_groups=(
            pi.ReplyDataGroupsType(
                family_composition_group=family,
                citizen_group=citizens,
                address_history_group=histories,
                wait_register_group=wait_group,
            )
            if any(part is not None for part in parts)
            else None
        ),
    )


def requested_groups(data_groups: Any) -> frozenset[str]:
    """The group names a request's ``DataGroups`` selects (all of them when absent)."""
    if data_groups is None:
        return ALL_GROUPS
    flags = {
        "family_composition": data_groups.family_composition_group,
        "citizen": data_groups.citizen_group,
        "address_history": data_groups.address_history_group,
        "wait_register": data_groups.wait_register_group,
    }
    return frozenset(name for name, flag in flags.items() if flag)


@handler("PerformInvestigation", "investigate")
def investigate(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: Any = request.model
    ssin = model.social_security_user
    person = ctx.population.get(ssin)
    if person is None:
        raise SimulatedBusinessError("MSG00005", "The SSIN is unknown.", [("ssin", ssin)])
    reply = build_investigation_reply(person, ctx.population, requested_groups(model.data_groups))
    return SsdnAnswer(payload=reply)
