"""Our SSDN schemas (``xsd/ssdn/``) against the official CBSS ones.

The project writes its own schemas for the legacy SSDN protocol (the SSDNRequest / SSDNReply
envelope with the Common namespace, the Person 20060630 namespace, the payloads of
OCMWCPASIdentifyPerson 20050930, OCMWCPASManageAccess 20050930 and OCMWCPASPerformInvestigation
20080604, and the ``xmlString`` element of the WebServiceConnector WSDL). These tests prove they
are interchangeable with the official files:

* per generation unit (one entry file each) and per namespace, every global type and element has
  the official *shape* (``xsd_shape``: content model, names, occurrences, types, attributes,
  derivations, facets); mutation tests show one changed fact is enough to fail;
* the official IdentifyPerson sample replies, and request / reply instances written here with
  fictitious identifiers, get the same verdict (and the same errors) from lxml with our schemas as
  with the official ones;
* every schema file carries its provenance header and none of the official prose.

The official files are test data kept beside the repository (``../shared/reference/cbss``); the
tests that need them are skipped when that folder is absent. The official PerformInvestigation
``NamespaceRoot.xsd`` includes ``PerformInvestigationReply.xsd`` while the file is spelled
``PerformInvetigationReply.xsd``, so the official PerformInvestigation files are loaded one by one.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from xsd_shape import SchemaSet, compare, load_schemas

from cbss_sdk._redact import mask_national_numbers

XS = "http://www.w3.org/2001/XMLSchema"
COMMON = "http://www.ksz-bcss.fgov.be/XSD/SSDN/Common"
SERVICE = "http://www.ksz-bcss.fgov.be/XSD/SSDN/Service"
PERSON = "http://www.ksz-bcss.fgov.be/XSD/SSDN/Person"
IDENTIFY = "http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/IdentifyPerson"
MANAGE = "http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/ManageAccess"
INVESTIGATE = "http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/PerformInvestigation"
CONNECTOR = "http://ksz-bcss.fgov.be/connectors/WebServiceConnector"

REPO = Path(__file__).resolve().parents[1]
OURS = REPO / "xsd" / "ssdn"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cbss"
OFFICIAL = REFERENCE / "head"
FIXTURES = OFFICIAL / "fixtures"

needs_reference = pytest.mark.skipif(
    not (OFFICIAL / "XSD" / "SSDN").is_dir(),
    reason=f"official CBSS reference schemas not found at {REFERENCE} "
    "(test data kept outside the repository)",
)

_PI = "XSD/SSDN/OCMW_CPAS/PerformInvestigation"
# Loaded one by one: the official NamespaceRoot.xsd of this folder includes a file that does not
# exist. The reply comes first so that libxml2 sees the complete Common namespace root before the
# files that import only Common/CommonDataTypes.xsd.
OFFICIAL_PERFORM_INVESTIGATION = (
    f"{_PI}/PerformInvetigationReply.xsd",
    f"{_PI}/PerformInvestigationRequest.xsd",
    f"{_PI}/FamilyComposition.xsd",
    f"{_PI}/AddressHistory.xsd",
    f"{_PI}/WaitRegister.xsd",
)


@dataclass(frozen=True)
class Unit:
    """One generation unit: our entry file, the official files it stands for, its namespaces."""

    name: str
    entry: str  # relative to xsd/ssdn
    official: tuple[str, ...]  # relative to reference/cbss/head
    namespaces: frozenset[str] = field(default_factory=frozenset)


UNITS = (
    Unit(
        "ssdn_envelope",
        "service/SSDN.xsd",
        ("XSD/SSDN/Service/NamespaceRoot.xsd",),
        frozenset({SERVICE, COMMON}),
    ),
    Unit(
        "identify_person",
        "OCMW_CPAS/IdentifyPerson/20050930/IdentifyPerson.xsd",
        ("XSD/SSDN/OCMW_CPAS/IdentifyPerson/NamespaceRoot.xsd",),
        frozenset({IDENTIFY, PERSON, COMMON}),
    ),
    Unit(
        "manage_access",
        "OCMW_CPAS/ManageAccess/20050930/ManageAccess.xsd",
        ("XSD/SSDN/OCMW_CPAS/ManageAccess/NamespaceRoot.xsd",),
        frozenset({MANAGE, COMMON}),
    ),
    Unit(
        "perform_investigation",
        "OCMW_CPAS/PerformInvestigation/20080604/PerformInvestigation.xsd",
        OFFICIAL_PERFORM_INVESTIGATION,
        frozenset({INVESTIGATE, PERSON, COMMON}),
    ),
    Unit(
        "connector",
        "connector/WebServiceConnector.xsd",
        ("WSDL/WebServiceConnector.wsdl",),
        frozenset({CONNECTOR}),
    ),
)
UNIT_NAMES = [unit.name for unit in UNITS]
ALL_NAMESPACES = frozenset().union(*(unit.namespaces for unit in UNITS))

# Differences kept on purpose, each with its reason. Nothing else may differ.
ACCEPTED_DIFFERENCES = {
    f"missing complexType {{{CONNECTOR}}}NewComplexType": (
        "an empty complex type the official WSDL types section declares and nothing uses"
    ),
}


def _unit(name: str) -> Unit:
    return next(unit for unit in UNITS if unit.name == name)


def _masked(lines: Sequence[object]) -> str:
    return mask_national_numbers("\n".join(str(line) for line in lines))


@cache
def _official_unit(name: str) -> SchemaSet:
    return load_schemas(*(OFFICIAL / path for path in _unit(name).official))


@cache
def _official_all() -> SchemaSet:
    return load_schemas(*(OFFICIAL / path for unit in UNITS for path in unit.official))


def _ours_all(root: Path) -> SchemaSet:
    return load_schemas(*(root / unit.entry for unit in UNITS))


def _unexpected(official: SchemaSet, ours: SchemaSet, namespaces: frozenset[str]) -> list[str]:
    return [d for d in compare(official, ours, namespaces) if d not in ACCEPTED_DIFFERENCES]


# --------------------------------------------------------------------------- our files alone


@pytest.mark.parametrize("unit", UNIT_NAMES)
def test_entry_compiles_in_lxml(unit: str) -> None:
    etree.XMLSchema(etree.parse(str(OURS / _unit(unit).entry)))


@pytest.mark.parametrize("unit", UNIT_NAMES)
def test_entry_reaches_exactly_its_namespaces_and_resolves_every_name(unit: str) -> None:
    ours = load_schemas(OURS / _unit(unit).entry)
    assert ours.namespaces == _unit(unit).namespaces
    assert ours.unresolved_references() == []


_CHECKED_BY = re.compile(r"Checked by:?\s+(tests/\S+?\.py)")


def _checked_elsewhere(path: Path) -> bool:
    """Whether the file's header names another test as its proof (its own equivalence or
    service test): such files are not part of the units compared here."""
    first = etree.parse(str(path)).getroot().getprevious()
    found = _CHECKED_BY.search(str(first.text)) if isinstance(first, etree._Comment) else None
    return found is not None and found.group(1) != "tests/test_xsd_ssdn_equivalence.py"


def _our_schema_files() -> list[Path]:
    return sorted(p for p in OURS.rglob("*.xsd") if not _checked_elsewhere(p))


def test_every_schema_file_is_reached_from_an_entry() -> None:
    reached = {Path(doc.split("#", 1)[0]) for doc in _ours_all(OURS).documents}
    assert sorted(set(_our_schema_files()) - reached) == []


_HEADER_MARKERS = ("official-equivalent", "cbss-facts.md §", "tests/test_xsd_ssdn_equivalence.py")
_CONTRACT_MARKERS = {
    "common": "SSDN envelope",
    "service": "SSDN envelope",
    "connector": "SSDN envelope",
    "person": "SSDN Person 20060630",
    "IdentifyPerson": "OCMWCPASIdentifyPerson 20050930",
    "ManageAccess": "OCMWCPASManageAccess 20050930",
    "PerformInvestigation": "OCMWCPASPerformInvestigation 20080604",
}
# Markers of the official files' editor comments; none may reach our files.
_FOREIGN_MARKERS = ("XMLSPY", "XML Spy", "BANQUE CARREFOUR", "!KSZBCSS!", "LS 2012")


@pytest.mark.parametrize("path", _our_schema_files(), ids=lambda p: str(p.relative_to(OURS)))
def test_schema_file_header(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    first = root.getprevious()
    assert isinstance(first, etree._Comment), "header comment missing"
    header = " ".join(str(first.text).split())
    for marker in _HEADER_MARKERS:
        assert marker in header
    contract = next(v for k, v in _CONTRACT_MARKERS.items() if k in path.relative_to(OURS).parts)
    assert contract in header
    text = path.read_text(encoding="utf-8")
    assert not [m for m in _FOREIGN_MARKERS if m.lower() in text.lower()]


def test_request_header_explains_why_language_is_absent() -> None:
    text = (OURS / "service" / "SSDNRequest.xsd").read_text(encoding="utf-8")
    assert "Message/Language" in text
    assert 'name="Language"' not in text


# --------------------------------------------------------------------------- shapes


@needs_reference
@pytest.mark.parametrize("unit", UNIT_NAMES)
def test_unit_has_the_official_shapes(unit: str) -> None:
    official = _official_unit(unit)
    ours = load_schemas(OURS / _unit(unit).entry)
    assert official.namespaces == ours.namespaces == _unit(unit).namespaces
    problems = _unexpected(official, ours, _unit(unit).namespaces)
    assert problems == [], _masked(problems)


@needs_reference
@pytest.mark.parametrize("namespace", sorted(ALL_NAMESPACES))
def test_namespace_has_the_official_global_components(namespace: str) -> None:
    official = _official_all().shapes(namespace)
    ours = _ours_all(OURS).shapes(namespace)
    accepted = {line.split(" ", 2)[2] for line in ACCEPTED_DIFFERENCES}
    assert official, f"nothing official in {namespace}"
    assert {key[1] for key in official} - accepted == {key[1] for key in ours}


@needs_reference
def test_accepted_differences_are_still_real() -> None:
    found = set(compare(_official_all(), _ours_all(OURS), ALL_NAMESPACES))
    assert set(ACCEPTED_DIFFERENCES) <= found


@needs_reference
def test_official_perform_investigation_root_is_broken_and_ours_is_not() -> None:
    root = OFFICIAL / _PI / "NamespaceRoot.xsd"
    includes = etree.parse(str(root)).getroot().findall(f"{{{XS}}}include")
    missing = [
        i.get("schemaLocation")
        for i in includes
        if not (root.parent / str(i.get("schemaLocation"))).is_file()
    ]
    assert missing == ["PerformInvestigationReply.xsd"]
    with pytest.raises(etree.XMLSchemaParseError):
        etree.XMLSchema(etree.parse(str(root)))
    ours = (
        OURS / "OCMW_CPAS" / "PerformInvestigation" / "20080604" / "PerformInvestigationReply.xsd"
    )
    assert ours.is_file()


# One changed fact per case: (file under xsd/ssdn, [(text, replacement), ...]).
MUTATIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "detail_max_occurs": ("common/ResultSummary.xsd", [('maxOccurs="30"', 'maxOccurs="31"')]),
    "ok_attribute_optional": ("common/ResultSummary.xsd", [('use="required"', 'use="optional"')]),
    "ssin_pattern": ("common/CommonDataTypes.xsd", [(r"\p{N}{11}", "[0-9]{11}")]),
    "civil_state_enumeration_dropped": (
        "common/CommonDataTypes.xsd",
        [('<xs:enumeration value="41"/>', "")],
    ),
    "extra_global_type": (
        "common/CommonDataTypes.xsd",
        [
            (
                "</xs:schema>",
                '<xs:simpleType name="t_Extra"><xs:restriction base="xs:string"/>'
                "</xs:simpleType></xs:schema>",
            )
        ],
    ),
    "extension_placeholder_dropped": (
        "common/Common.xsd",
        [('<xs:include schemaLocation="ExtensionPlaceHolder.xsd"/>', "")],
    ),
    "request_payload_strict": ("service/SSDNRequest.xsd", [(' processContents="lax"', "")]),
    "request_message_language_added": (
        "service/SSDNRequest.xsd",
        [
            (
                '<xs:element name="TimeRequest" type="common:t_DateTimeUTC" minOccurs="0"/>',
                '<xs:element name="TimeRequest" type="common:t_DateTimeUTC" minOccurs="0"/>'
                '<xs:element name="Language" type="common:t_Language" minOccurs="0"/>',
            )
        ],
    ),
    "reply_payload_other_namespace": (
        "service/SSDNReply.xsd",
        [
            (
                '<xs:any namespace="##any" minOccurs="0"/>',
                '<xs:any namespace="##other" minOccurs="0"/>',
            )
        ],
    ),
    "reply_version_whitespace": (
        "service/SSDNReply.xsd",
        [
            (
                '<xs:whiteSpace value="collapse"/>\n            <xs:length value="8"/>',
                '<xs:length value="8"/>',
            )
        ],
    ),
    "org_unit_required": (
        "service/ServiceDataTypes.xsd",
        [('name="OrgUnit" type="xs:string" minOccurs="0"', 'name="OrgUnit" type="xs:string"')],
    ),
    "legal_address_choice_to_sequence": (
        "person/20060630/AddressInformation.xsd",
        [("<xs:choice>", "<xs:sequence>"), ("</xs:choice>", "</xs:sequence>")],
    ),
    "nationality_base": (
        "person/20060630/Citizen.xsd",
        [('<xs:extension base="LocationType">', '<xs:extension base="MunicipalityType">')],
    ),
    "gender_simple_content_base": (
        "person/20060630/PersonDataTypes.xsd",
        [('<xs:extension base="GenderCodeType">', '<xs:extension base="xs:integer">')],
    ),
    "phonetic_maximum": (
        "OCMW_CPAS/IdentifyPerson/20050930/IdentifyPersonRequest.xsd",
        [('<xs:maxInclusive value="80"/>', '<xs:maxInclusive value="100"/>')],
    ),
    "search_results_unbounded": (
        "OCMW_CPAS/IdentifyPerson/20050930/IdentifyPersonReply.xsd",
        [
            (
                'name="LimitedLegalData" maxOccurs="100"',
                'name="LimitedLegalData" maxOccurs="unbounded"',
            )
        ],
    ),
    "extended_civil_state_type": (
        "OCMW_CPAS/IdentifyPerson/20050930/IdentifyPersonReply.xsd",
        [
            (
                'name="CivilState" type="xs:integer"',
                'name="CivilState" type="common:t_CivilStateCode"',
            )
        ],
    ),
    "register_enumeration_dropped": (
        "OCMW_CPAS/ManageAccess/20050930/ManageAccessDataTypes.xsd",
        [('<xs:enumeration value="ALL"/>', "")],
    ),
    "manage_access_period_type": (
        "OCMW_CPAS/ManageAccess/20050930/ManageAccessRequest.xsd",
        [
            (
                'name="Period" type="common:StartingPeriodType"',
                'name="Period" type="common:PeriodType"',
            )
        ],
    ),
    "wait_register_spelling_fixed": (
        "OCMW_CPAS/PerformInvestigation/20080604/WaitRegister.xsd",
        [('name="RefugeeAdministriveFileH206" ', 'name="RefugeeAdministrativeFileH206" ')],
    ),
    "wait_register_unqualified_locals": (
        "OCMW_CPAS/PerformInvestigation/20080604/WaitRegister.xsd",
        [('elementFormDefault="qualified"', 'elementFormDefault="unqualified"')],
    ),
    "family_composition_origin_dropped": (
        "OCMW_CPAS/PerformInvestigation/20080604/FamilyComposition.xsd",
        [('<xs:attribute name="origin" type="person:OriginType" use="optional"/>', "")],
    ),
    "citizen_reference_to_local_element": (
        "OCMW_CPAS/PerformInvestigation/20080604/PerformInvestigationReply.xsd",
        [
            (
                '<xs:element ref="person:Citizen" maxOccurs="100"/>',
                '<xs:element name="Citizen" type="xs:anyType" maxOccurs="100"/>',
            )
        ],
    ),
    "wait_register_flag_type": (
        "OCMW_CPAS/PerformInvestigation/20080604/PerformInvestigationRequest.xsd",
        [
            (
                'name="WaitRegisterGroup" type="xs:boolean"',
                'name="WaitRegisterGroup" type="xs:string"',
            )
        ],
    ),
    "xml_string_type": (
        "connector/WebServiceConnector.xsd",
        [('type="xs:string"', 'type="xs:anyType"')],
    ),
}


def _mutated_copy(tmp_path: Path, case: str | None) -> Path:
    root = tmp_path / "ssdn"
    shutil.copytree(OURS, root)
    if case is not None:
        relative, replacements = MUTATIONS[case]
        path = root / relative
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert text.count(old) == 1, f"mutation {case!r}: {old!r} is not unique in {relative}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return root


@needs_reference
def test_unmutated_copy_matches(tmp_path: Path) -> None:
    ours = _ours_all(_mutated_copy(tmp_path, None))
    assert _unexpected(_official_all(), ours, ALL_NAMESPACES) == []


@needs_reference
@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_one_changed_fact_is_detected(tmp_path: Path, case: str) -> None:
    ours = _ours_all(_mutated_copy(tmp_path, case))
    assert _unexpected(_official_all(), ours, ALL_NAMESPACES), f"mutation {case!r} went unnoticed"


# --------------------------------------------------------------------------- instances
#
# A validator is a tuple of parts; each side (ours, official) knows where each part lives. A
# validator with several parts is a driver schema importing them all, so that the strict payload
# wildcard of SSDNReply (and the lax one of SSDNRequest) finds the payload declaration.

_OUR_PARTS: dict[str, tuple[str, tuple[Path, ...]]] = {
    "envelope": (SERVICE, (OURS / "service" / "SSDN.xsd",)),
    "identify": (IDENTIFY, (OURS / _unit("identify_person").entry,)),
    "manage": (MANAGE, (OURS / _unit("manage_access").entry,)),
    "investigate": (INVESTIGATE, (OURS / _unit("perform_investigation").entry,)),
}
_OFFICIAL_PARTS: dict[str, tuple[str, tuple[Path, ...]]] = {
    "envelope": (SERVICE, (OFFICIAL / "XSD/SSDN/Service/NamespaceRoot.xsd",)),
    "identify": (IDENTIFY, (OFFICIAL / "XSD/SSDN/OCMW_CPAS/IdentifyPerson/NamespaceRoot.xsd",)),
    "manage": (MANAGE, (OFFICIAL / "XSD/SSDN/OCMW_CPAS/ManageAccess/NamespaceRoot.xsd",)),
    "investigate": (INVESTIGATE, tuple(OFFICIAL / p for p in OFFICIAL_PERFORM_INVESTIGATION)),
}


@cache
def _validator(side: str, parts: tuple[str, ...]) -> etree.XMLSchema:
    """A schema made of the given parts: one-file parts imported, a multi-file part included."""
    locations = _OUR_PARTS if side == "ours" else _OFFICIAL_PARTS
    driver = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS})
    included = [locations[p] for p in parts if len(locations[p][1]) > 1]
    assert len(included) <= 1
    for namespace, files in (locations[p] for p in parts):
        if len(files) == 1:
            etree.SubElement(
                driver, f"{{{XS}}}import", namespace=namespace, schemaLocation=files[0].as_uri()
            )
    for namespace, files in included:
        driver.set("targetNamespace", namespace)
        for path in files:
            etree.SubElement(driver, f"{{{XS}}}include", schemaLocation=path.as_uri())
    return etree.XMLSchema(driver)


def _errors(side: str, parts: tuple[str, ...], node: etree._Element) -> list[tuple[int, str]]:
    schema = _validator(side, parts)
    if schema.validate(node):
        return []
    return sorted({(error.line, error.type_name) for error in schema.error_log})


def _check_same_verdict(node: etree._Element, parts: tuple[str, ...], expected: bool) -> None:
    ours = _errors("ours", parts, node)
    official = _errors("official", parts, node)
    assert (not ours) is expected, _masked(list(_validator("ours", parts).error_log))
    assert (not official) is expected, _masked(list(_validator("official", parts).error_log))
    assert ours == official


# Fictitious identifiers: SSIN 85073003328, CBE 0212344876, SSDN user id 00901234567.
SSIN = "85073003328"


def _context(message: str | None = None, user_extra: str = "") -> str:
    if message is None:
        message = (
            "<Message><Reference>0212344876 8 000000001</Reference>"
            "<TimeRequest>20240115T103000</TimeRequest></Message>"
        )
    return (
        "<RequestContext><AuthorizedUser><UserID>00901234567</UserID>"
        "<Email>it@cpas.example.be</Email><OrgUnit>0212344876</OrgUnit>"
        f"<MatrixID>17</MatrixID><MatrixSubID>1</MatrixSubID>{user_extra}</AuthorizedUser>"
        f"{message}</RequestContext>"
    )


def _request(*calls: tuple[str, str, str], context: str | None = None) -> str:
    body = "".join(
        f"<ServiceRequest><ServiceId>{service}</ServiceId><Version>{version}</Version>"
        f"{payload}</ServiceRequest>"
        for service, version, payload in calls
    )
    return f'<SSDNRequest xmlns="{SERVICE}">{context or _context()}{body}</SSDNRequest>'


def _identify(criteria: str, verification: str = "") -> str:
    return (
        f'<IdentifyPersonRequest xmlns="{IDENTIFY}"><SearchCriteria>{criteria}</SearchCriteria>'
        f"{verification}</IdentifyPersonRequest>"
    )


def _manage(inner: str) -> str:
    return f'<ManageAccessRequest xmlns="{MANAGE}" xmlns:c="{COMMON}">{inner}</ManageAccessRequest>'


def _investigate(inner: str) -> str:
    return (
        f'<PerformInvestigationRequest xmlns="{INVESTIGATE}">{inner}</PerformInvestigationRequest>'
    )


_PROOF = (
    "<ProofOfAuthentication><PersonData><LastName>DUPONT</LastName>"
    "<BirthDate>1985-07-30</BirthDate></PersonData></ProofOfAuthentication>"
)
_START = "<Period><c:StartDate>2024-01-15</c:StartDate></Period>"

IDENTIFY_CASES = {
    "ssin_with_person_data": (
        _identify(
            f"<SSIN>{SSIN}</SSIN>",
            "<VerificationData><PersonData><LastName>DUPONT</LastName><FirstName>JEAN</FirstName>"
            "<BirthDate>1985-07-30</BirthDate></PersonData></VerificationData>",
        ),
        True,
    ),
    "ssin_with_cards": (
        _identify(
            f"<SSIN>{SSIN}</SSIN>",
            "<VerificationData><SISCardNumber>1234567890</SISCardNumber>"
            "<IdentityCardNumber>591123456789</IdentityCardNumber></VerificationData>",
        ),
        True,
    ),
    "phonetic": (
        _identify(
            "<PhoneticCriteria><LastName>DUPONT</LastName><FirstName>JEAN</FirstName>"
            "<BirthDate>1985-07-00</BirthDate><Gender>1</Gender><Tolerance>1</Tolerance>"
            "<Maximum>10</Maximum></PhoneticCriteria>"
        ),
        True,
    ),
    "maximum_above_80": (
        _identify(
            "<PhoneticCriteria><LastName>DUPONT</LastName><BirthDate>1985-07-30</BirthDate>"
            "<Maximum>81</Maximum></PhoneticCriteria>"
        ),
        False,
    ),
    "ssin_of_ten_digits": (_identify("<SSIN>8507300332</SSIN>"), False),
    "gender_code_3": (
        _identify(
            "<PhoneticCriteria><LastName>DUPONT</LastName><BirthDate>1985-07-30</BirthDate>"
            "<Gender>3</Gender></PhoneticCriteria>"
        ),
        False,
    ),
    "birth_date_not_padded": (
        _identify(
            "<PhoneticCriteria><LastName>DUPONT</LastName>"
            "<BirthDate>1985-7-30</BirthDate></PhoneticCriteria>"
        ),
        False,
    ),
    "phonetic_without_last_name": (
        _identify("<PhoneticCriteria><BirthDate>1985-07-30</BirthDate></PhoneticCriteria>"),
        False,
    ),
    "no_search_criteria": (
        f'<IdentifyPersonRequest xmlns="{IDENTIFY}"><VerificationData/></IdentifyPersonRequest>',
        False,
    ),
}

MANAGE_CASES = {
    "register": (
        _manage(
            f"<SSIN>{SSIN}</SSIN><Purpose>1</Purpose>{_START}<Action>REGISTER</Action>{_PROOF}"
        ),
        True,
    ),
    "list_secondary": (
        _manage(
            f"<SSIN>{SSIN}</SSIN><Period><c:StartDate>2024-01-01</c:StartDate>"
            "<c:EndDate>2024-12-31</c:EndDate></Period><Action>LIST</Action><Sector>17</Sector>"
            "<QueryRegister>SECONDARY</QueryRegister><ProofOfAuthentication>"
            "<SISCardNumber>1234567890</SISCardNumber></ProofOfAuthentication>"
        ),
        True,
    ),
    "unknown_action": (
        _manage(f"<SSIN>{SSIN}</SSIN><Purpose>1</Purpose>{_START}<Action>DELETE</Action>{_PROOF}"),
        False,
    ),
    "unknown_register": (
        _manage(
            f"<SSIN>{SSIN}</SSIN>{_START}<Action>LIST</Action>"
            f"<QueryRegister>BOTH</QueryRegister>{_PROOF}"
        ),
        False,
    ),
    "no_proof": (
        _manage(f"<SSIN>{SSIN}</SSIN><Purpose>1</Purpose>{_START}<Action>REGISTER</Action>"),
        False,
    ),
    "period_without_start": (
        _manage(
            f"<SSIN>{SSIN}</SSIN><Purpose>1</Purpose>"
            "<Period><c:EndDate>2024-12-31</c:EndDate></Period>"
            f"<Action>REGISTER</Action>{_PROOF}"
        ),
        False,
    ),
    "period_dates_in_payload_namespace": (
        _manage(
            f"<SSIN>{SSIN}</SSIN><Purpose>1</Purpose>"
            "<Period><StartDate>2024-01-15</StartDate></Period>"
            f"<Action>REGISTER</Action>{_PROOF}"
        ),
        False,
    ),
}

INVESTIGATE_CASES = {
    "all_groups": (_investigate(f"<SocialSecurityUser>{SSIN}</SocialSecurityUser>"), True),
    "some_groups": (
        _investigate(
            f"<SocialSecurityUser>{SSIN}</SocialSecurityUser><DataGroups>"
            "<FamilyCompositionGroup>true</FamilyCompositionGroup><CitizenGroup>1</CitizenGroup>"
            "<AddressHistoryGroup>false</AddressHistoryGroup>"
            "<WaitRegisterGroup>0</WaitRegisterGroup>"
            "</DataGroups>"
        ),
        True,
    ),
    "flag_yes": (
        _investigate(
            f"<SocialSecurityUser>{SSIN}</SocialSecurityUser>"
            "<DataGroups><CitizenGroup>yes</CitizenGroup></DataGroups>"
        ),
        False,
    ),
    "groups_out_of_order": (
        _investigate(
            f"<SocialSecurityUser>{SSIN}</SocialSecurityUser>"
            "<DataGroups><WaitRegisterGroup>true</WaitRegisterGroup>"
            "<CitizenGroup>true</CitizenGroup></DataGroups>"
        ),
        False,
    ),
    "no_person": (
        _investigate("<DataGroups><CitizenGroup>true</CitizenGroup></DataGroups>"),
        False,
    ),
}

_MANAGE_REPLY = (
    f'<ManageAccessReply xmlns="{MANAGE}" xmlns:c="{COMMON}"><OriginalRequest><SSIN>{SSIN}</SSIN>'
    f"<Purpose>1</Purpose>{_START}<Action>REGISTER</Action></OriginalRequest>"
    f"<Registrations><Purpose>1</Purpose>{_START}<OrgUnit>0212344876</OrgUnit>"
    "<Register>SECONDARY</Register></Registrations></ManageAccessReply>"
)


def _investigation_reply(relationship: str = "1") -> str:
    return (
        f'<PerformInvestigationReply xmlns="{INVESTIGATE}" xmlns:p="{PERSON}" xmlns:c="{COMMON}">'
        f"<SocialSecurityUser>{SSIN}</SocialSecurityUser><DataGroups>"
        '<FamilyCompositionGroup><FamilyComposition origin="RN_RR"><FamilyMember>'
        f"<SocialSecurityUser>{SSIN}</SocialSecurityUser><RelationShip>{relationship}</RelationShip>"
        "<EntryDate>2010-05-01</EntryDate></FamilyMember></FamilyComposition></FamilyCompositionGroup>"
        f'<CitizenGroup><p:Citizen origin="RN_RR"><p:SocialSecurityUser>{SSIN}</p:SocialSecurityUser>'
        "<p:InscriptionRegister>1</p:InscriptionRegister><p:LegalData>"
        "<p:Name><p:LastName>DUPONT</p:LastName><p:FirstName>JEAN</p:FirstName></p:Name>"
        '<p:Gender modificationDate="1985-07-30">1</p:Gender>'
        "<p:Birth><p:Date>1985-07-30</p:Date><p:Location><p:Code>21004</p:Code>"
        '<p:Description lang="fr">BRUXELLES</p:Description></p:Location></p:Birth>'
        "<p:CivilState><p:Code>10</p:Code></p:CivilState>"
        "<p:AddressInformation><p:LegalAddress><p:StandardAddress><p:Country><p:Code>150</p:Code>"
        "</p:Country><p:Municipality><p:Code>21004</p:Code><p:PostalCode>1000</p:PostalCode>"
        "</p:Municipality><p:HouseNumber>1</p:HouseNumber></p:StandardAddress></p:LegalAddress>"
        "</p:AddressInformation><p:Nationality><p:Code>150</p:Code></p:Nationality>"
        "</p:LegalData></p:Citizen></CitizenGroup>"
        f"<AddressHistoryGroup><AddressHistory><SocialSecurityUser>{SSIN}</SocialSecurityUser>"
        "<ManagerLocations><ManagerLocation><p:Code>21004</p:Code></ManagerLocation></ManagerLocations>"
        "<LegalAddresses><StandardAddress><p:Country><p:Code>150</p:Code></p:Country></StandardAddress>"
        "</LegalAddresses></AddressHistory></AddressHistoryGroup>"
        f"<WaitRegisterGroup><WaitRegister><SocialSecurityUser>{SSIN}</SocialSecurityUser>"
        "<RefugeeAdministriveFileH206><RefugeeAdministrativeFile><nisCode>21004</nisCode>"
        "</RefugeeAdministrativeFile></RefugeeAdministriveFileH206><RefugeeDataH213>"
        "<aliasFull>DUPONT JEAN</aliasFull><RefugeeDataBlockH213><lastName>DUPONT</lastName>"
        "</RefugeeDataBlockH213></RefugeeDataH213></WaitRegister></WaitRegisterGroup>"
        "</DataGroups></PerformInvestigationReply>"
    )


REPLY_CASES = {
    "manage_access": (_MANAGE_REPLY, "manage", True),
    "perform_investigation": (_investigation_reply(), "investigate", True),
    "relationship_above_99": (_investigation_reply("100"), "investigate", False),
}


def _reply(service: str, version: str, payload: str) -> str:
    return (
        f'<SSDNReply xmlns="{SERVICE}" xmlns:c="{COMMON}"><ReplyContext>'
        '<c:ResultSummary ok="YES"><c:ReturnCode>0</c:ReturnCode></c:ResultSummary>'
        "<Message><Reference>0212344876 8 000000001</Reference><Ticket>T0000000000001</Ticket>"
        "<TimeReceive>20240115T103001</TimeReceive><TimeResponse>20240115T103002</TimeResponse>"
        '</Message></ReplyContext><ServiceReply><c:ResultSummary ok="YES">'
        "<c:ReturnCode>0</c:ReturnCode></c:ResultSummary>"
        f"<ServiceId>{service}</ServiceId><Version>{version}</Version>{payload}</ServiceReply></SSDNReply>"
    )


_IDENTIFY_CALL = ("OCMWCPASIdentifyPerson", "20050930", IDENTIFY_CASES["ssin_with_person_data"][0])
_MANAGE_CALL = ("OCMWCPASManageAccess", "20050930", MANAGE_CASES["register"][0])
_INVESTIGATE_CALL = ("OCMWCPASPerformInvestigation", "20080604", INVESTIGATE_CASES["all_groups"][0])

# Envelope documents: (xml, payload part or None, valid alone, valid with the payload schema).
ENVELOPE_CASES: dict[str, tuple[str, str | None, bool, bool]] = {
    "request_identify_person": (_request(_IDENTIFY_CALL), "identify", True, True),
    "request_manage_access": (_request(_MANAGE_CALL), "manage", True, True),
    "request_perform_investigation": (_request(_INVESTIGATE_CALL), "investigate", True, True),
    "request_two_calls": (
        _request(_INVESTIGATE_CALL, _INVESTIGATE_CALL),
        "investigate",
        True,
        True,
    ),
    "request_minimal_context": (
        _request(
            _INVESTIGATE_CALL,
            context="<RequestContext><AuthorizedUser><UserID>00901234567</UserID>"
            "<Email>it@cpas.example.be</Email><MatrixID>17</MatrixID></AuthorizedUser></RequestContext>",
        ),
        "investigate",
        True,
        True,
    ),
    # The payload wildcard of SSDNRequest is lax: an invalid payload passes the envelope alone.
    "request_invalid_payload": (
        _request(("OCMWCPASIdentifyPerson", "20050930", IDENTIFY_CASES["maximum_above_80"][0])),
        "identify",
        True,
        False,
    ),
    # What the PHP client sends; not in the official SSDNRequest schema.
    "request_message_language": (
        _request(
            _INVESTIGATE_CALL,
            context=_context("<Message><Reference>R1</Reference><Language>fr</Language></Message>"),
        ),
        "investigate",
        False,
        False,
    ),
    "request_version_of_7": (
        _request(("OCMWCPASPerformInvestigation", "2008060", _INVESTIGATE_CALL[2])),
        "investigate",
        False,
        False,
    ),
    "request_without_service_request": (_request(), None, False, False),
    "request_email_without_at": (
        _request(_INVESTIGATE_CALL).replace("it@cpas.example.be", "it.cpas.example.be"),
        "investigate",
        False,
        False,
    ),
    "request_iso_time": (
        _request(
            _INVESTIGATE_CALL,
            context=_context("<Message><TimeRequest>2024-01-15T10:30:00</TimeRequest></Message>"),
        ),
        "investigate",
        False,
        False,
    ),
    "request_cbe_as_user_id": (
        _request(_INVESTIGATE_CALL).replace(
            "<UserID>00901234567</UserID>", "<UserID>0212344876</UserID>"
        ),
        "investigate",
        False,
        False,
    ),
    # The payload wildcard of SSDNReply is strict: the envelope alone cannot accept a payload.
    "reply_manage_access": (
        _reply("OCMWCPASManageAccess", "20050930", _MANAGE_REPLY),
        "manage",
        False,
        True,
    ),
    "reply_perform_investigation": (
        _reply("OCMWCPASPerformInvestigation", "20080604", _investigation_reply()),
        "investigate",
        False,
        True,
    ),
    "reply_without_payload": (_reply("OCMWCPASManageAccess", "20050930", ""), "manage", True, True),
    "reply_unknown_status": (
        _reply("OCMWCPASManageAccess", "20050930", "").replace('ok="YES"', 'ok="MAYBE"'),
        "manage",
        False,
        False,
    ),
}


def _parse(xml: str) -> etree._Element:
    return etree.fromstring(xml.encode("utf-8"))


@needs_reference
@pytest.mark.parametrize("case", sorted(IDENTIFY_CASES))
def test_identify_person_request(case: str) -> None:
    xml, valid = IDENTIFY_CASES[case]
    _check_same_verdict(_parse(xml), ("identify",), valid)


@needs_reference
@pytest.mark.parametrize("case", sorted(MANAGE_CASES))
def test_manage_access_request(case: str) -> None:
    xml, valid = MANAGE_CASES[case]
    _check_same_verdict(_parse(xml), ("manage",), valid)


@needs_reference
@pytest.mark.parametrize("case", sorted(INVESTIGATE_CASES))
def test_perform_investigation_request(case: str) -> None:
    xml, valid = INVESTIGATE_CASES[case]
    _check_same_verdict(_parse(xml), ("investigate",), valid)


@needs_reference
@pytest.mark.parametrize("case", sorted(REPLY_CASES))
def test_payload_reply(case: str) -> None:
    xml, part, valid = REPLY_CASES[case]
    _check_same_verdict(_parse(xml), (part,), valid)


@needs_reference
@pytest.mark.parametrize("case", sorted(ENVELOPE_CASES))
def test_envelope(case: str) -> None:
    xml, part, alone, combined = ENVELOPE_CASES[case]
    document = _parse(xml)
    _check_same_verdict(document, ("envelope",), alone)
    if part is not None:
        _check_same_verdict(document, ("envelope", part), combined)


# The official IdentifyPerson sample replies. Samples 1, 3 and 4 carry a payload, which the
# strict wildcard of SSDNReply rejects unless the IdentifyPerson schema is loaded too.
IDENTIFY_SAMPLES = {
    "demo_ipr_1.xml": (False, True),
    "demo_ipr_2.xml": (True, True),
    "demo_ipr_3.xml": (False, True),
    "demo_ipr_4.xml": (False, True),
    "demo_ipr_5.xml": (True, True),
}
_WITH_PAYLOAD = ("demo_ipr_1.xml", "demo_ipr_3.xml", "demo_ipr_4.xml")


@needs_reference
@pytest.mark.parametrize("sample", sorted(IDENTIFY_SAMPLES))
def test_identify_person_sample_envelope(sample: str) -> None:
    alone, combined = IDENTIFY_SAMPLES[sample]
    document = etree.parse(str(FIXTURES / sample)).getroot()
    _check_same_verdict(document, ("envelope",), alone)
    _check_same_verdict(document, ("envelope", "identify"), combined)


@needs_reference
@pytest.mark.parametrize("sample", sorted(IDENTIFY_SAMPLES))
def test_identify_person_sample_payload(sample: str) -> None:
    document = etree.parse(str(FIXTURES / sample)).getroot()
    payloads = document.findall(f"{{{SERVICE}}}ServiceReply/{{{IDENTIFY}}}IdentifyPersonReply")
    assert len(payloads) == (1 if sample in _WITH_PAYLOAD else 0)
    for payload in payloads:
        _check_same_verdict(payload, ("identify",), True)


# --------------------------------------------------------------------------- own prose


def _documentation(paths: Sequence[Path]) -> set[str]:
    texts = set()
    for path in paths:
        for node in etree.parse(str(path)).iter(f"{{{XS}}}documentation"):
            text = " ".join("".join(node.itertext()).split()).lower()
            if text:
                texts.add(text)
    return texts


@needs_reference
def test_no_official_documentation_is_reused() -> None:
    official = _documentation(sorted((OFFICIAL / "XSD" / "SSDN").rglob("*.xsd")))
    ours = _documentation(_our_schema_files())
    shared = sorted(ours & official)
    assert shared == []
    long_official = [text for text in official if len(text) >= 40]
    contained = sorted(o for o in long_official for text in ours if o in text)
    assert contained == []
    our_comments = " ".join(
        " ".join(str(c.text).split()).lower()
        for path in _our_schema_files()
        for c in etree.parse(str(path)).getroot().itersiblings(preceding=True)
        if isinstance(c, etree._Comment)
    )
    assert not [o for o in long_official if o in our_comments]
    assert not re.search(r"\bauthor\b|\brevision\b", our_comments)
