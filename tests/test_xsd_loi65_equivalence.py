"""Our Law-of-1965 schemas (``xsd/ssdn/OCMW_CPAS/Loi65Wet65/``) against the official CBSS ones.

The payloads of OCMWCPASWet65Loi65AB / C / DF (namespaces ``…/OCMW_CPAS/LoiWet65`` and
``…/OCMW_CPAS/LoiWet65Common``) are written by the project. These tests prove them
interchangeable with the official files:

* every global type and element of the three namespaces the unit reaches has the official shape
  (``xsd_shape``), and a single changed fact is noticed (mutation tests);
* request and reply instances written here with fictitious identifiers get the same verdict, with
  the same errors, from lxml with our schemas as with the official ones;
* every file carries its provenance header and none of the official prose or editor comments.

The official files are test data kept beside the repository (``../shared/reference/cbss``);
the tests that need them are skipped when that folder is absent.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from xsd_shape import compare, load_schemas

from cbss_sdk._redact import mask_national_numbers

XS = "http://www.w3.org/2001/XMLSchema"
COMMON = "http://www.ksz-bcss.fgov.be/XSD/SSDN/Common"
L65 = "http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/LoiWet65"
L65C = "http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/LoiWet65Common"
NAMESPACES = frozenset({L65, L65C, COMMON})

REPO = Path(__file__).resolve().parents[1]
XSD_ROOT = REPO / "xsd"
FOLDER = Path("ssdn") / "OCMW_CPAS" / "Loi65Wet65" / "20020101"
OURS = XSD_ROOT / FOLDER
ENTRY = "LoiWet65.xsd"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cbss"
OFFICIAL_FOLDER = REFERENCE / "head" / "XSD" / "SSDN" / "OCMW_CPAS" / "Loi65Wet65"
OFFICIAL_ENTRY = OFFICIAL_FOLDER / "NamespaceRoot.xsd"

needs_reference = pytest.mark.skipif(
    not OFFICIAL_ENTRY.is_file(),
    reason=f"official CBSS Loi65 schemas not found under {REFERENCE} "
    "(test data kept outside the repository)",
)


def _masked(lines: Sequence[object]) -> str:
    return mask_national_numbers("\n".join(str(line) for line in lines))


def _our_files(root: Path = OURS) -> list[Path]:
    return sorted(root.glob("*.xsd"))


# --------------------------------------------------------------------------- our files alone


def test_entry_compiles_in_lxml() -> None:
    etree.XMLSchema(etree.parse(str(OURS / ENTRY)))


def test_entry_reaches_exactly_its_namespaces_and_resolves_every_name() -> None:
    ours = load_schemas(OURS / ENTRY)
    assert ours.namespaces == NAMESPACES
    assert ours.unresolved_references() == []


def test_every_file_of_the_folder_is_reached_from_the_entry() -> None:
    reached = {Path(doc.split("#", 1)[0]) for doc in load_schemas(OURS / ENTRY).documents}
    assert set(_our_files()) - reached == set()


def test_the_catalog_and_the_codegen_unit_point_at_the_entry() -> None:
    from cbss_sdk import catalog

    for key in ("Loi65AB", "Loi65C", "Loi65DF"):
        assert catalog.service(key).schema == f"xsd/{FOLDER.as_posix()}/{ENTRY}"
    units = (REPO / "codegen" / "units.toml").read_text(encoding="utf-8")
    assert f'entries = ["{FOLDER.as_posix()}/{ENTRY}"]' in units


_FOREIGN_MARKERS = ("XMLSPY", "XML Spy", "BANQUE CARREFOUR", "sicksicksick", "socksocksock")


@pytest.mark.parametrize("path", _our_files(), ids=lambda p: p.name)
def test_schema_file_header(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    first = root.getprevious()
    assert isinstance(first, etree._Comment), "header comment missing"
    header = " ".join(str(first.text).split())
    for marker in ("Contract:", "Provenance:", "Facts:", "Checked by:"):
        assert marker in header
    assert "official-equivalent" in header
    assert "modeled" in header  # ServiceId and Version are not official
    assert "cbss-facts.md §4.2" in header
    assert "tests/test_xsd_loi65_equivalence.py" in header
    assert "OCMWCPASWet65Loi65" in header
    text = path.read_text(encoding="utf-8")
    assert not [m for m in _FOREIGN_MARKERS if m.lower() in text.lower()]


# --------------------------------------------------------------------------- shapes


@needs_reference
def test_the_unit_has_the_official_shapes() -> None:
    official = load_schemas(OFFICIAL_ENTRY)
    ours = load_schemas(OURS / ENTRY)
    assert official.namespaces == ours.namespaces == NAMESPACES
    problems = compare(official, ours, NAMESPACES)
    assert problems == [], _masked(problems)


@needs_reference
@pytest.mark.parametrize("namespace", [L65, L65C])
def test_namespace_has_the_official_global_components(namespace: str) -> None:
    official = load_schemas(OFFICIAL_ENTRY).shapes(namespace)
    ours = load_schemas(OURS / ENTRY).shapes(namespace)
    assert official
    assert set(official) == set(ours)


# One changed fact per case: (file, [(text, replacement), ...]); the text must be unique.
MUTATIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "t_code_longer": (
        "LoiWet65Common.xsd",
        [('<xs:maxLength value="2"/>', '<xs:maxLength value="3"/>')],
    ),
    "evaluation_value_dropped": (
        "LoiWet65Common.xsd",
        [('<xs:enumeration value="PARTIALLYACCEPTED"/>', "")],
    ),
    "file_id_length": (
        "LoiWet65Common.xsd",
        [('<xs:length value="11"/>', '<xs:length value="12"/>')],
    ),
    "duration_days_maximum": (
        "LoiWet65Common.xsd",
        [('<xs:maxInclusive value="366"/>', '<xs:maxInclusive value="365"/>')],
    ),
    "return_code_description_single": (
        "LoiWet65Common.xsd",
        [
            (
                'name="Description" type="common:DescriptionType" maxOccurs="unbounded"',
                'name="Description" type="common:DescriptionType"',
            )
        ],
    ),
    "secondary_beneficiaries_18": (
        "FormAB.xsd",
        [
            (
                'name="SecondaryBeneficiary" minOccurs="0" maxOccurs="17"',
                'name="SecondaryBeneficiary" minOccurs="0" maxOccurs="18"',
            )
        ],
    ),
    "housing_proofs_attribute_required": (
        "FormAB.xsd",
        [
            (
                '<xs:attribute name="ProvesProvided" type="xs:boolean"/>',
                '<xs:attribute name="ProvesProvided" type="xs:boolean" use="required"/>',
            )
        ],
    ),
    "juridical_procedure_optional_in_b1": (
        "FormAB.xsd",
        [
            (
                '<xs:element name="JuridicalProcedure" type="xs:boolean"/>',
                '<xs:element name="JuridicalProcedure" type="xs:boolean" minOccurs="0"/>',
            )
        ],
    ),
    "percentage_maximum": (
        "FormAB.xsd",
        [('<xs:maxInclusive value="10000"/>', '<xs:maxInclusive value="100"/>')],
    ),
    "cancellation_reason_unblocked": (
        "FormC.xsd",
        [('name="CancellationReason" block="restriction"', 'name="CancellationReason"')],
    ),
    "decision_nature_respelled": (
        "FormC.xsd",
        [('name="Decisionnature"', 'name="DecisionNature"')],
    ),
    "guaranteed_child_allowance_sequence": (
        "FormDF.xsd",
        [("<xs:all>", "<xs:sequence>"), ("</xs:all>", "</xs:sequence>")],
    ),
    "recovery_period_type": (
        "FormDF.xsd",
        [
            (
                'name="PeriodOfRecovering" type="common:PeriodType"',
                'name="PeriodOfRecovering" type="common:ClosedPeriodType"',
            )
        ],
    ),
    "monthly_income_integer": (
        "FormDF.xsd",
        [
            (
                'name="MonthlyIncome" type="xs:decimal"',
                'name="MonthlyIncome" type="xs:integer"',
            )
        ],
    ),
    "form_c_not_included": (
        ENTRY,
        [('<xs:include schemaLocation="FormC.xsd"/>', "")],
    ),
}


def _mutated_copy(tmp_path: Path, case: str | None) -> Path:
    root = tmp_path / "xsd"
    shutil.copytree(XSD_ROOT / "ssdn", root / "ssdn")
    if case is not None:
        name, replacements = MUTATIONS[case]
        path = root / FOLDER / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert text.count(old) == 1, f"mutation {case!r}: {old!r} is not unique in {name}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return root / FOLDER / ENTRY


@needs_reference
def test_unmutated_copy_matches(tmp_path: Path) -> None:
    ours = load_schemas(_mutated_copy(tmp_path, None))
    assert compare(load_schemas(OFFICIAL_ENTRY), ours, NAMESPACES) == []


@needs_reference
@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_one_changed_fact_is_detected(tmp_path: Path, case: str) -> None:
    ours = load_schemas(_mutated_copy(tmp_path, case))
    assert compare(load_schemas(OFFICIAL_ENTRY), ours, NAMESPACES), f"{case!r} went unnoticed"


# --------------------------------------------------------------------------- instances

# Fictitious identifiers: SSIN 85073003328, CBE 0212344876.
SSIN = "85073003328"
_PERIOD = "<Integration qualitycode='2'><c:StartDate>2024-01-01</c:StartDate><c:EndDate>2024-12-31</c:EndDate></Integration>"
_FILE = "<x:FileIdentification><x:KBOBCE>212344876</x:KBOBCE><x:FileID>FILE0000001</x:FileID></x:FileIdentification>"


def _doc(root: str, body: str) -> str:
    return f"<{root} xmlns='{L65}' xmlns:x='{L65C}' xmlns:c='{COMMON}'>{_FILE}{body}</{root}>"


def _a(nationality: str = "150", extra: str = "") -> str:
    return (
        "<IdentificationA><EntryDate>2024-01-15</EntryDate><UniqueAttestID>AB0000000000001</UniqueAttestID>"
        f"<PrimaryBeneficiary><x:BeneficiaryID><x:SSIN>{SSIN}</x:SSIN><x:Name>DUPONT</x:Name>"
        "<x:BirthDate>1985-07-00</x:BirthDate></x:BeneficiaryID><Status>1</Status>"
        "<x:Address><x:Street>Rue Haute</x:Street><x:HouseNumber>1</x:HouseNumber><x:PostalCode>6000</x:PostalCode></x:Address>"
        f"<Nationality>{nationality}</Nationality><Gender>M</Gender>{_PERIOD}</PrimaryBeneficiary>{extra}"
        "</IdentificationA>"
    )


_B1 = (
    "<CommonDecisionB1><EntryDate>2024-01-15</EntryDate><UniqueAttestID>AB0000000000002</UniqueAttestID>"
    f"<IdentificationPrimaryBeneficiary><SSIN>{SSIN}</SSIN></IdentificationPrimaryBeneficiary>"
    "<RequestedAids><FinancialAid>true</FinancialAid><HousingCosts>false</HousingCosts></RequestedAids>"
    "<Situation><HousingProvision ProvesProvided='true'>01</HousingProvision></Situation>"
    "<x:Duration><x:Months>3</x:Months></x:Duration><DecisionDate>2024-01-10</DecisionDate>"
    "<JuridicalProcedure>false</JuridicalProcedure></CommonDecisionB1>"
)

REQUEST_CASES = {
    "ab_identification": (_doc("L65_AB_DecisionRequest", _a()), True),
    "ab_b1": (_doc("L65_AB_DecisionRequest", _B1), True),
    "ab_file_only": (_doc("L65_AB_DecisionRequest", ""), True),
    "ab_entry_before_2002": (
        _doc("L65_AB_DecisionRequest", _a().replace("2024-01-15", "2001-12-31")),
        False,
    ),
    "ab_nationality_four_digits": (_doc("L65_AB_DecisionRequest", _a("1500")), False),
    "ab_cbss_evaluation_lower_case": (
        _doc("L65_AB_DecisionRequest", _a(extra="<CBSSEvaluation>accepted</CBSSEvaluation>")),
        False,
    ),
    "ab_b1_without_duration": (
        _doc(
            "L65_AB_DecisionRequest",
            _B1.replace("<x:Duration><x:Months>3</x:Months></x:Duration>", ""),
        ),
        False,
    ),
    "c_cancellation": (
        _doc(
            "L65_C_DecisionRequest",
            "<CancellationFormC><EntryDate>2024-02-01</EntryDate><UniqueAttestID>C00000000000001</UniqueAttestID>"
            f"<SSIN>{SSIN}</SSIN><Suffix>0</Suffix><AidCancellation><DecisionDate>2024-01-31</DecisionDate>"
            "<Decisionnature>S</Decisionnature><CancellationReason>01</CancellationReason></AidCancellation>"
            "</CancellationFormC>",
        ),
        True,
    ),
    "c_reason_of_three": (
        _doc(
            "L65_C_DecisionRequest",
            "<CancellationFormC><EntryDate>2024-02-01</EntryDate><UniqueAttestID>C00000000000001</UniqueAttestID>"
            f"<SSIN>{SSIN}</SSIN><Suffix>0</Suffix><AidCancellation><DecisionDate>2024-01-31</DecisionDate>"
            "<Decisionnature>S</Decisionnature><CancellationReason>011</CancellationReason></AidCancellation>"
            "</CancellationFormC>",
        ),
        False,
    ),
    "df_d1": (
        _doc(
            "L65_DF_DecisionRequest",
            "<RefundformD1><ReferenceMonth>2024-01</ReferenceMonth><UniqueAttestID>D00000000000001</UniqueAttestID>"
            f"<SSIN>{SSIN}</SSIN><DeliveredAmountsD1><FinancialAid><Amount>120050</Amount>"
            "<MonthlyIncome>0.00</MonthlyIncome></FinancialAid><GuaranteedChildAllowance><NumberOfChildren>2"
            "</NumberOfChildren><Amount>100</Amount></GuaranteedChildAllowance><DoubleMaximum>false</DoubleMaximum>"
            "</DeliveredAmountsD1><TotalAmount>120050</TotalAmount></RefundformD1>",
        ),
        True,
    ),
    "df_d1_amount_nine_digits": (
        _doc(
            "L65_DF_DecisionRequest",
            "<RefundformD1><ReferenceMonth>2024-01</ReferenceMonth><UniqueAttestID>D00000000000001</UniqueAttestID>"
            f"<SSIN>{SSIN}</SSIN><DeliveredAmountsD1><DoubleMaximum>false</DoubleMaximum>"
            "</DeliveredAmountsD1><TotalAmount>123456789</TotalAmount></RefundformD1>",
        ),
        False,
    ),
    "df_f": (
        _doc(
            "L65_DF_DecisionRequest",
            "<RecoveringFormF><ReferenceDate>2024-03-01</ReferenceDate><UniqueAttestID>F00000000000001</UniqueAttestID>"
            f"<SSIN>{SSIN}</SSIN><Suffix>1</Suffix><RecoveringDetails><OriginalForm>D</OriginalForm><Type>01</Type>"
            "<RecoveredAmount>5000</RecoveredAmount><PeriodOfRecovering><c:StartDate>2024-01-01</c:StartDate>"
            "</PeriodOfRecovering></RecoveringDetails></RecoveringFormF>",
        ),
        True,
    ),
}

_DESCRIPTION = "<x:Description lang='fr'>Erreur</x:Description>"
REPLY_CASES = {
    "ab_reply": (
        _doc(
            "L65_AB_DecisionReply",
            "<DecisionResult><UniqueAttestID>AB0000000000001</UniqueAttestID><ReferenceSPP_POD>0000000001</ReferenceSPP_POD>"
            f"<SSIN>{SSIN}</SSIN><Suffix>0</Suffix><EntryDate>2024-01-15</EntryDate><Percentage>10000</Percentage>"
            f"<Evaluation>REFUSED</Evaluation><ErrorsOnForm><x:Code>E00001</x:Code>{_DESCRIPTION}</ErrorsOnForm>"
            "<ProvesChecked>CHECKED</ProvesChecked><RefundedAids><FinancialAid>false</FinancialAid>"
            "<PrimaryBeneficiary/><Partner/></RefundedAids></DecisionResult>",
        ),
        True,
    ),
    "ab_reply_without_decision": (_doc("L65_AB_DecisionReply", ""), False),
    "c_reply_code_of_five": (
        _doc(
            "L65_C_DecisionReply",
            "<DecisionResultC><EntryDate>2024-02-01</EntryDate><UniqueAttestID>C00000000000001</UniqueAttestID>"
            f"<ReferenceSPP_POD>0000000002</ReferenceSPP_POD><SSIN>{SSIN}</SSIN><Suffix>0</Suffix>"
            f"<Evaluation>ACCEPTED</Evaluation><ErrorsOnForm><x:Code>E0001</x:Code>{_DESCRIPTION}</ErrorsOnForm>"
            "</DecisionResultC>",
        ),
        False,
    ),
    "df_reply": (
        _doc(
            "L65_DF_DecisionReply",
            "<DecisionResultDF><ReferenceMonth>2024-01</ReferenceMonth><UniqueAttestID>D00000000000001</UniqueAttestID>"
            f"<ReferenceSPP_POD>0000000003</ReferenceSPP_POD><SSIN>{SSIN}</SSIN><Suffix>0</Suffix>"
            "<Evaluation>PARTIALLYACCEPTED</Evaluation><ManualVerificationCode>false</ManualVerificationCode>"
            "<DecisionOnAmounts><FinancialAid><x:AcceptedAmount>100000</x:AcceptedAmount><x:Percentage>100"
            "</x:Percentage></FinancialAid></DecisionOnAmounts><TotalAcceptedAmount>100000</TotalAcceptedAmount>"
            "</DecisionResultDF>",
        ),
        True,
    ),
    # Unlike the AB reply's Percentage (0-10000), an accepted amount's Percentage has 4 digits.
    "df_reply_percentage_of_five_digits": (
        _doc(
            "L65_DF_DecisionReply",
            "<DecisionResultDF><UniqueAttestID>D00000000000001</UniqueAttestID>"
            f"<ReferenceSPP_POD>0000000003</ReferenceSPP_POD><SSIN>{SSIN}</SSIN><Suffix>0</Suffix>"
            "<Evaluation>ACCEPTED</Evaluation><DecisionOnAmounts><FinancialAid><x:AcceptedAmount>1"
            "</x:AcceptedAmount><x:Percentage>10000</x:Percentage></FinancialAid></DecisionOnAmounts>"
            "</DecisionResultDF>",
        ),
        False,
    ),
}


@cache
def _validator(official: bool) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(OFFICIAL_ENTRY if official else OURS / ENTRY)))


def _errors(official: bool, node: etree._Element) -> list[tuple[int, str]]:
    schema = _validator(official)
    if schema.validate(node):
        return []
    return sorted({(error.line, error.type_name) for error in schema.error_log})


def _check_same_verdict(xml: str, expected: bool) -> None:
    node = etree.fromstring(xml.encode("utf-8"))
    ours = _errors(False, node)
    official = _errors(True, node)
    assert (not ours) is expected, _masked(list(_validator(False).error_log))
    assert (not official) is expected, _masked(list(_validator(True).error_log))
    assert ours == official


@needs_reference
@pytest.mark.parametrize("case", sorted(REQUEST_CASES))
def test_request_instance(case: str) -> None:
    _check_same_verdict(*REQUEST_CASES[case])


@needs_reference
@pytest.mark.parametrize("case", sorted(REPLY_CASES))
def test_reply_instance(case: str) -> None:
    _check_same_verdict(*REPLY_CASES[case])


def test_instances_alone_against_our_schema() -> None:
    """The verdicts hold with our schema even where the official files are absent."""
    for xml, expected in (*REQUEST_CASES.values(), *REPLY_CASES.values()):
        node = etree.fromstring(xml.encode("utf-8"))
        assert _validator(False).validate(node) is expected


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
    official = _documentation(sorted(OFFICIAL_FOLDER.glob("*.xsd")))
    ours = _documentation(_our_files())
    assert official, "the official files have documentation to compare with"
    assert sorted(ours & official) == []
    assert not [o for o in official if len(o) >= 12 and any(o in text for text in ours)]
