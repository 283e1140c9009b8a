"""The simulator's service content: reply builders (schema-valid, realistic) and end-to-end calls.

Builders are checked alone first: each reply model, serialized, must validate
against the project's reply schemas in ``xsd/``.  Then the five services are
called through the SDK facades on clients bound to a :class:`Simulator`, sync
and async, and the answers are checked for content.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree
from xsdata.models.datatype import XmlDateTime

from cbss_sdk import catalog
from cbss_sdk._binding import model_to_element
from cbss_sdk._organization import Organization
from cbss_sdk._redact import mask_national_numbers
from cbss_sdk.errors import NotIntegrated, SsdnError, SsinReplaced, SsinUnknown
from cbss_sdk.models.identify_person_20050930.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.identify_person import (
    IdentifyPersonRequest,
    PersonDataType,
    PhoneticCriteriaType,
    SearchCriteriaType,
    VerificationDataType,
)
from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.kszbcss.intf.retrieve_tigroups_service.v2 import (
    RetrieveTIGroupsResponse,
)
from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.kszbcss.types.common.v3 import (
    InformationCBSSType,
)
from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.kszbcss.types.retrieve_tigroups.v2 import (
    LanguageType,
    SearchInformationType,
)
from cbss_sdk.services import (
    DataGroup,
    IdentifyPerson,
    ManageAccess,
    PerformInvestigation,
    RetrieveTIGroups,
    TestConnection,
)
from cbss_sdk.soa._header import common_header_fields
from cbss_sdk.testing import Registration, RegistrationStore, SimContext, SimRequest, Simulator
from cbss_sdk.testing._population import (
    PERSONA_SSINS,
    Person,
    Population,
    default_population,
    make_ssin,
)
from cbss_sdk.testing._registry import SimulatedSsdnError, SsdnAnswer
from cbss_sdk.testing._services import identify_person as ip_service
from cbss_sdk.testing._services.identify_person import (
    build_identify_reply,
    search_people,
    verification_details,
)
from cbss_sdk.testing._services.manage_access import (
    REGISTRATION_NOT_FOUND,
    build_manage_access_reply,
)
from cbss_sdk.testing._services.perform_investigation import (
    ALL_GROUPS,
    build_investigation_reply,
    requested_groups,
)
from cbss_sdk.testing._services.retrieve_ti_groups import build_tx25_file, tx25_status
from cbss_sdk.testing._services.test_connection import build_test_connection_response

XSD = Path(__file__).resolve().parents[1] / "xsd"
TODAY = dt.date(2025, 1, 1)
MARC = make_ssin(dt.date(1978, 4, 12), 11)
LUCAS = make_ssin(dt.date(2006, 2, 17), 13)
LEA = make_ssin(dt.date(2014, 7, 21), 16)
YOUSSEF = make_ssin(dt.date(1975, 11, 30), 41)
FATIMA = make_ssin(dt.date(1979, 2, 8), 42)
MATHIAS = make_ssin(dt.date(1952, 10, 8), 31)
NATHALIE = make_ssin(dt.date(1969, 3, 18), 52)


@pytest.fixture(scope="module")
def population() -> Population:
    return default_population(0)


def who(population: Population, ssin: str) -> Person:
    found = population.get(ssin)
    assert found is not None
    return found


@functools.cache
def schema(entry: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / entry)))


def assert_valid(model: object, entry: str) -> etree._Element:
    element = model_to_element(model)
    checker = schema(entry)
    if not checker.validate(element):
        pytest.fail(mask_national_numbers(f"{entry}: {checker.error_log}"))
    return element


def tx25_response(person: Person, population: Population, language: str, history: bool) -> Any:
    """A complete retrieveTI reply around the builder's file (header as the engine fills it)."""
    now = dt.datetime(2025, 1, 1, 12, tzinfo=dt.timezone.utc)
    header = common_header_fields(
        RetrieveTIGroupsResponse,
        organization=Organization(cbe_number="0212344876"),
        ticket=str(uuid.uuid4()),
        sent=now,
        legal_context="PCSA:SOCIAL_INQUIRY",
    )
    return RetrieveTIGroupsResponse(
        **header,
        information_cbss=InformationCBSSType(
            ticket_cbss=str(uuid.uuid4()),
            timestamp_receive=XmlDateTime.from_datetime(now),
            timestamp_reply=XmlDateTime.from_datetime(now),
        ),
        search_information=SearchInformationType(
            ssin=person.ssin, language=LanguageType(language), history=history
        ),
        status=tx25_status(True),
        rrn_it_implicit=build_tx25_file(
            person, population, language=language, history=history, today=TODAY
        ),
    )


def present(value: Any | None) -> Any:
    """*value*, which must not be ``None``."""
    assert value is not None
    return value


def tx25(population: Population, ssin: str, language: str = "fr", history: bool = False) -> Any:
    return build_tx25_file(
        who(population, ssin), population, language=language, history=history, today=TODAY
    )


# =========================================================================== builders: TX25

TX25_ENTRY = "soa/RetrieveTIGroups/v2/RetrieveTIGroupsService.xsd"


@pytest.mark.parametrize("history", [False, True])
def test_every_tx25_file_is_schema_valid(population: Population, history: bool) -> None:
    for person in population:
        if person.kind == "national_register":
            assert_valid(tx25_response(person, population, "fr", history), TX25_ENTRY)


@pytest.mark.parametrize("language", ["nl", "de"])
def test_tx25_is_valid_in_every_language(population: Population, language: str) -> None:
    for ssin in (
        MARC,
        YOUSSEF,
        FATIMA,
        MATHIAS,
        PERSONA_SSINS["deceased"],
        PERSONA_SSINS["refugee"],
    ):
        assert_valid(tx25_response(who(population, ssin), population, language, True), TX25_ENTRY)


def test_tx25_history_and_labels(population: Population) -> None:
    current = tx25(population, MARC, "nl")
    assert [n.label for n in current.names.name[0].name.first_name] == ["Marc", "Antoine"]
    assert current.names.name[0].name.last_name[0].label == "Dubois"
    assert current.national_number.national_number.national_number == MARC
    assert len(current.legal_main_addresses.legal_main_address) == 1
    assert len(current.file_owner.residences) == 1
    full = tx25(population, MARC, "nl", history=True)
    addresses = full.legal_main_addresses.legal_main_address
    assert [a.address.zip_code for a in addresses] == [
        "6000",
        "6000",
        "1000",
        "4000",
    ]  # newest first
    assert addresses[0].address.street.label == "Avenue des Marronniers"
    assert addresses[0].address.box == "2"
    assert addresses[2].address.street.label == "Lindestraat"  # Brussels street, in Dutch
    assert [r.residence.label for r in full.file_owner.residences] == [
        "Charleroi",
        "Brussel",
        "Luik",
    ]
    assert full.birth_place.place1.label == "Luik"
    assert [c.civil_state.code for c in full.civil_states.civil_state] == ["20", "10"]
    spouse = full.civil_states.civil_state[0].spouse
    assert spouse.national_number.national_number == make_ssin(dt.date(1980, 9, 3), 12)
    assert full.civil_states.civil_state[0].civil_state.label == "Gehuwd"


def test_tx25_household_records(population: Population) -> None:
    head = tx25(population, MARC, "fr")
    roles = [(m.family_role.code, m.structure) for m in head.family_members.family_member]
    assert roles == [("01", "A1"), ("02", "B1"), ("03", "B1"), ("03", "B1"), ("03", "B1")]
    assert head.family_members.family_member[1].family_role.label == "Épouse"
    assert head.head_of_family is None
    child = tx25(population, LUCAS, "de")
    link = child.head_of_family.head_of_family[0]
    assert link.national_number.national_number == MARC
    assert (link.family_role.code, link.family_role.label) == ("03", "Sohn")
    assert child.family_members is None


def test_tx25_nationality_history_and_birth_abroad(population: Population) -> None:
    assert [n.nationality.code for n in tx25(population, YOUSSEF).nationalities.nationality] == [
        "150"
    ]
    full = tx25(population, YOUSSEF, "de", history=True)
    assert [(n.nationality.code, n.nationality.label) for n in full.nationalities.nationality] == [
        ("150", "Belgien"),
        ("354", "Marokko"),
    ]
    born_abroad = tx25(population, FATIMA, "nl").birth_place
    assert born_abroad.place1 is None
    assert (born_abroad.place2.country.code, born_abroad.place2.country.label) == ("354", "Marokko")
    opened = tx25(population, FATIMA).creation_date.date  # registered on arrival, 2002-02-01
    assert (opened.century.value, opened.year, opened.month, opened.day) == ("20", "02", "02", "01")


def test_tx25_decease_civil_state_and_cards(population: Population) -> None:
    deceased = tx25(population, PERSONA_SSINS["deceased"], "fr", history=True)
    decease = deceased.deceases.decease[0]
    assert (decease.date.year, decease.date.month, decease.date.day) == ("21", "12", "02")
    assert decease.decease.place1.label == "Liège"
    assert deceased.civil_states.civil_state[0].civil_state.label == "Veuf"
    assert tx25(population, NATHALIE).civil_states.civil_state[0].civil_state.label == "Divorcée"
    eupen = tx25(population, MATHIAS, "de")
    assert eupen.legal_main_addresses.legal_main_address[0].address.street.label == "Kirchstraße"
    assert eupen.civil_states.civil_state[0].civil_state.label == "Verwitwet"
    assert tx25(population, LEA).identity_cards.identity_card[0].type_of_card.code == "0060"
    card = tx25(population, MARC).identity_cards.identity_card[0]
    assert card.type_of_card.code == "0000"
    assert card.card_number == who(population, MARC).identity_card
    assert int(card.expiry_date.century + card.expiry_date.year) > int(
        card.date.century.value + card.date.year
    )
    assert tx25(population, FATIMA).identity_cards is None  # not Belgian: no eID in IT195


# =========================================================================== builders: others

IP_ENTRY = "ssdn/OCMW_CPAS/IdentifyPerson/20050930/IdentifyPerson.xsd"
MA_ENTRY = "ssdn/OCMW_CPAS/ManageAccess/20050930/ManageAccess.xsd"
PI_ENTRY = "ssdn/OCMW_CPAS/PerformInvestigation/20080604/PerformInvestigation.xsd"
TC_ENTRY = "soa/TestConnectionService/v1/TestConnectionService.xsd"


def test_test_connection_reply_is_valid() -> None:
    assert_valid(build_test_connection_response("ping", "QUJD"), TC_ENTRY)
    assert build_test_connection_response("ping", None).ssl_certificate == ""


def test_identify_replies_are_valid(population: Population) -> None:
    assert_valid(build_identify_reply(list(population)), IP_ENTRY)
    assert_valid(build_identify_reply([]), IP_ENTRY)


def test_limited_legal_data_content(population: Population) -> None:
    reply = build_identify_reply(
        [
            who(population, YOUSSEF),
            population.by_tag("bis"),
            population.by_tag("bis_unknown_gender"),
            population.by_tag("deceased"),
        ]
    )
    youssef, bis, bis20, deceased = reply.search_results.limited_legal_data
    assert youssef.origin.value == "RN_RR"
    assert (youssef.basic.last_name, youssef.basic.first_name) == ("EL AMRANI", "YOUSSEF")
    assert youssef.basic.address.municipality_code == 21015
    assert [(m.lang.value, m.value) for m in youssef.basic.address.municipality] == [
        ("fr", "SCHAERBEEK"),
        ("nl", "SCHAARBEEK"),
    ]
    assert youssef.extended.nationality_code == 150
    assert youssef.extended.birth_location_code == 354
    assert bis.origin.value == "BCSS_KSZ" and bis.basic.gender.value.value == 2
    assert bis20.basic.gender.value.value == 0
    assert bis20.basic.address.country_code == 139 and bis20.basic.address.municipality_code is None
    assert deceased.extended.decease_date == "2021-12-02"


def verification(**fields: Any) -> VerificationDataType:
    person = fields.pop("person", None)
    return VerificationDataType(person_data=PersonDataType(**person) if person else None, **fields)


def test_verification_outcomes(population: Population) -> None:
    marc = who(population, MARC)
    assert verification_details(marc, None) == []
    assert verification_details(marc, VerificationDataType()) == []
    good = verification(
        person={"last_name": "dubois", "first_name": "MARC", "birth_date": "1978-04-00"}
    )
    [ok] = verification_details(marc, good)
    assert (ok.severity, ok.reason_code) == ("INFORMATION", "12007001")
    bad = verification(person={"last_name": "Dubois", "birth_date": "1979-04-12"})
    [warning] = verification_details(marc, bad)
    assert (warning.severity, warning.reason_code) == ("WARNING", "22007007")
    fields = [i.field_name for i in warning.information]
    assert fields == ["Phonetic Information: Birth Date", "SSIN"]
    assert (
        verification_details(marc, verification(siscard_number=marc.sis_card))[0].reason_code
        == "12007001"
    )
    wrong_card = verification_details(marc, verification(identity_card_number="000000000097"))
    assert wrong_card[0].information[0].field_name == "IdentityCardNumber"


def test_search_errors(population: Population) -> None:
    def codes(**criteria: Any) -> list[str]:
        with pytest.raises(SimulatedSsdnError) as raised:
            search_people(population, PhoneticCriteriaType(**criteria))
        return [d.reason_code for d in raised.value.details]

    assert codes(last_name="Dubois", birth_date="1978-04-00") == ["31009001"]
    assert codes(last_name=" ", birth_date="1978-04-12") == ["31000007"]
    assert codes(last_name="Zzyzx", birth_date="1978-04-12") == ["32007004"]
    assert codes(last_name="Dubois", birth_date="1978-02-30") == ["31000007"]
    found = search_people(
        population, PhoneticCriteriaType(last_name="Dubois", birth_date="1978-04-00", tolerance=0)
    )
    assert [p.ssin for p in found] == [MARC]


def test_identify_handler_warns_when_phonetic_criteria_are_ignored(population: Population) -> None:
    spec = catalog.service("IdentifyPerson")
    model = IdentifyPersonRequest(
        search_criteria=SearchCriteriaType(
            ssin=MARC,
            phonetic_criteria=PhoneticCriteriaType(last_name="Somebody", birth_date="1990-01-01"),
        )
    )
    request = SimRequest(
        service=spec,
        operation=spec.operation("identify"),
        model=model,
        element=model_to_element(model),
        legal_context=None,
        organization="cbe:0212344876",
        subject=MARC,
    )
    ctx = SimContext(
        population=population,
        registrations=RegistrationStore(),
        now=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc),
    )
    answer = ip_service.identify(ctx, request)
    assert isinstance(answer, SsdnAnswer)
    assert [w.reason_code for w in answer.warnings] == ["21007001"]
    payload: Any = answer.payload
    assert payload.search_results.limited_legal_data[0].basic.social_security_user == MARC


def test_manage_access_reply_is_valid() -> None:
    items = [
        Registration("cbe:0212344876", MARC, 1, dt.date(2025, 1, 1), register="SECONDARY"),
        Registration(
            "sector:17/institution:1", MARC, 2, dt.date(2024, 1, 1), dt.date(2024, 12, 31)
        ),
    ]
    reply = build_manage_access_reply(
        ssin=MARC,
        action="LIST",
        start=dt.date(2024, 1, 1),
        end=None,
        purpose=None,
        registrations=items,
        register="ALL",
    )
    assert_valid(reply, MA_ENTRY)
    assert reply.original_request.purpose == 0
    assert [(r.org_unit, r.register.value) for r in reply.registrations] == [
        ("1", "PRIMARY"),
        ("0212344876", "SECONDARY"),
    ]


def test_every_investigation_is_valid(population: Population) -> None:
    for person in population:
        assert_valid(build_investigation_reply(person, population), PI_ENTRY)
    marc = who(population, MARC)
    for groups in ({"citizen"}, {"address_history"}, {"wait_register"}, {"family_composition"}):
        assert_valid(build_investigation_reply(marc, population, frozenset(groups)), PI_ENTRY)


def test_investigation_content(population: Population) -> None:
    marc = who(population, MARC)
    reply = build_investigation_reply(marc, population)
    groups = reply.data_groups
    members = groups.family_composition_group.family_composition.family_member
    assert [(m.relation_ship, m.entry_date.to_date()) for m in members[:2]] == [
        (1, dt.date(2004, 7, 1)),
        (2, dt.date(2004, 7, 1)),
    ]
    assert [m.relation_ship for m in members] == [1, 2, 3, 3, 3]
    assert len(groups.citizen_group.citizen) == 5
    assert len(groups.address_history_group.address_history) == 5
    assert groups.wait_register_group is None
    history = groups.address_history_group.address_history[0]
    assert [a.municipality.code for a in history.legal_addresses.standard_address] == [
        52011,
        52011,
        21004,
        62063,
    ]
    assert [m.code for m in history.manager_locations.manager_location] == [52011, 21004, 62063]
    citizen = groups.citizen_group.citizen[0]
    assert (
        citizen.legal_data.civil_state.partner.social_security_user
        == members[1].social_security_user
    )
    only_citizen = build_investigation_reply(marc, population, frozenset({"citizen"})).data_groups
    assert only_citizen.family_composition_group is None
    assert len(only_citizen.citizen_group.citizen) == 1
    nothing = build_investigation_reply(marc, population, frozenset({"wait_register"}))
    assert nothing.data_groups is None
    with pytest.raises(ValueError, match="unknown data groups"):
        build_investigation_reply(marc, population, frozenset({"cars"}))
    assert requested_groups(None) == ALL_GROUPS


def test_investigation_of_refugees_and_bis_persons(population: Population) -> None:
    rania = population.by_tag("refugee")
    waits = build_investigation_reply(
        rania, population
    ).data_groups.wait_register_group.wait_register
    assert len(waits) == 2  # Rania and her daughter
    h212 = waits[0].refugee_location_h212.refugee_location[0]
    assert h212.description == "Opvangcentrum De Linde"
    alone = build_investigation_reply(rania, population, frozenset({"wait_register"}))
    assert len(alone.data_groups.wait_register_group.wait_register) == 1
    bis = build_investigation_reply(population.by_tag("bis"), population).data_groups
    assert bis.family_composition_group is None
    assert bis.citizen_group.citizen[0].origin.value == "BCSS_KSZ"


# =========================================================================== end to end


@pytest.fixture
def sim() -> Simulator:
    return Simulator(raise_handler_errors=True)


def test_test_connection_echoes_the_client_certificate(sim: Simulator) -> None:
    with sim.client() as client:
        result = TestConnection(client).send_test_message("ping from the tests")
        assert client.credentials is not None
        der = client.credentials.certificate.public_bytes(serialization.Encoding.DER)
    assert result.echo_matches
    assert base64.b64decode(result.ssl_certificate) == der


def test_tx25_end_to_end(sim: Simulator) -> None:
    with sim.client() as client:
        tx = RetrieveTIGroups(client)
        current = tx.retrieve(MARC, language="nl")
        full = tx.retrieve(MARC, language="nl", history=True)
        bis = tx.retrieve(PERSONA_SSINS["bis"])
        with pytest.raises(SsinUnknown):
            tx.retrieve(PERSONA_SSINS["unknown"])
        with pytest.raises(SsinReplaced) as replaced:
            tx.retrieve(PERSONA_SSINS["replaced"])
    assert current.data_found and current.status.code == "MSG00000"
    now, past = present(current.file), present(full.file)
    assert now.names.name[0].name.last_name[0].label == "Dubois"
    assert len(now.legal_main_addresses.legal_main_address) == 1
    assert len(past.legal_main_addresses.legal_main_address) == 4
    assert past.file_owner.residences[-1].residence.label == "Luik"
    assert len(past.family_members.family_member) == 5
    assert not bis.data_found and bis.status.value == "NO_DATA_FOUND" and bis.file is None
    assert replaced.value.replacement == who(sim.population, PERSONA_SSINS["replaced"]).replaced_by


def test_identify_person_end_to_end(sim: Simulator) -> None:
    with sim.client() as client:
        service = IdentifyPerson(client)
        plain = service.identify(MARC)
        verified = service.identify(
            MARC, last_name="Dubois", first_name="Marc", birth_date="1978-04-12"
        )
        mismatch = service.identify(MARC, last_name="Dupont", birth_date="1978-04-12")
        found = service.search("Dubuis", "1978-00-00", tolerance=1)
        family = service.search("dubois", "2010-00-00", tolerance=5, gender=2)
        nobody = service.search("Zzyzx", "1978-04-12")
        with pytest.raises(SsdnError) as unknown:
            service.identify(PERSONA_SSINS["unknown"])
    assert [p.basic.last_name for p in plain.persons] == ["DUBOIS"] and plain.warnings == ()
    assert verified.reason_codes == ("12007001",)
    assert mismatch.reason_codes == ("22007007",)
    assert mismatch.persons[0].basic.social_security_user == MARC
    assert [p.basic.social_security_user for p in found.persons] == [MARC]
    assert {p.basic.first_name for p in family.persons} == {"EMMA", "LÉA MARIE"}
    assert nobody.no_data and nobody.persons == ()
    assert unknown.value.reason_codes == ("32000005",)


def test_manage_access_end_to_end(sim: Simulator) -> None:
    ssin = PERSONA_SSINS["not_integrated"]
    start = dt.date(2025, 1, 1)
    with sim.client() as client:
        access, tx = ManageAccess(client), RetrieveTIGroups(client)
        with pytest.raises(NotIntegrated):
            tx.retrieve(ssin)
        first = access.register(ssin, 1, start=start)
        again = access.register(ssin, 1, start=start)  # idempotent
        listed = access.list(ssin, start=start)
        consulted = tx.retrieve(ssin)
        access.register(ssin, 4, start=start, end=dt.date(2025, 12, 31))
        both = access.list(ssin, start=start)
        gone = access.unregister(ssin, 1, start=start)
        after = access.list(ssin, start=start, purpose=1)
        with pytest.raises(SsdnError) as missing:
            access.unregister(ssin, 1, start=start)
    assert [(r.purpose, r.org_unit, r.register.value) for r in first.registrations] == [
        (1, "0212344876", "SECONDARY")
    ]
    assert len(again.registrations) == 1
    assert len(listed.registrations) == 1
    assert present(listed.reply).original_request.action.value == "LIST"
    assert consulted.data_found
    assert sorted(r.purpose for r in both.registrations) == [1, 4]
    assert gone.registrations == ()
    assert after.registrations == ()
    assert missing.value.reason_codes == (REGISTRATION_NOT_FOUND,)


def test_perform_investigation_end_to_end(sim: Simulator) -> None:
    with sim.client() as client:
        service = PerformInvestigation(client)
        everything = service.investigate(MARC)
        citizen_only = service.investigate(MARC, groups=[DataGroup.CITIZEN])
        family_addresses = service.investigate(
            MARC, groups=[DataGroup.FAMILY_COMPOSITION, DataGroup.ADDRESS_HISTORY]
        )
        refugee = service.investigate(PERSONA_SSINS["refugee"], groups=["wait_register"])
    assert len(everything.family_members) == 5 and len(everything.citizens) == 5
    lucas: Any = everything.citizens[2]
    assert lucas.legal_data.name.first_name == "Lucas"
    assert citizen_only.family_members == () and len(citizen_only.citizens) == 1
    assert len(family_addresses.family_members) == 5 and family_addresses.citizens == ()
    histories = present(family_addresses.reply).data_groups.address_history_group.address_history
    assert [len(h.legal_addresses.standard_address) for h in histories] == [4, 3, 2, 2, 1]
    waits = present(refugee.reply).data_groups.wait_register_group.wait_register
    assert [w.social_security_user for w in waits] == [PERSONA_SSINS["refugee"]]


async def test_the_services_on_the_async_client(sim: Simulator) -> None:
    ssin = PERSONA_SSINS["not_integrated"]
    async with sim.async_client() as client:
        echo = await TestConnection(client).send_test_message("async ping")
        file = await RetrieveTIGroups(client).retrieve(YOUSSEF, language="de", history=True)
        found = await IdentifyPerson(client).search("El Amrani", "2005-00-00", tolerance=3)
        registered = await ManageAccess(client).register(ssin, 2, start=dt.date(2025, 1, 1))
        investigation = await PerformInvestigation(client).investigate(ssin)
    assert echo.echo_matches
    assert [n.nationality.label for n in present(file.file).nationalities.nationality] == [
        "Belgien",
        "Marokko",
    ]
    assert {p.basic.first_name for p in found.persons} == {"AMINE", "SALMA"}
    assert [r.purpose for r in registered.registrations] == [2]
    citizens: list[Any] = list(investigation.citizens)
    assert [c.social_security_user for c in citizens] == [ssin]
