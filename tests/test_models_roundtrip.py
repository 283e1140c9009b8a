"""Round trips of every generated request model: instance → XML → instance, and schema validity.

Every request root element class of every generation unit is listed in ``ROOTS`` (a test checks
that none is missing).  Hypothesis draws instances of it from strategies derived from the
generated dataclasses and our schema files (``roundtrip_strategies``).  Every instance must
serialize, validate against the unit's entry schema with lxml, and parse back (unknown elements
and attributes are errors) into an equal instance.

Each test serializes and parses on a fresh ``XmlContext``: xsdata caches one binding metadata
per class in a context, so metadata built wrongly once (a nested class built without its
parent's namespace) would otherwise corrupt every later test sharing that context.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from roundtrip_strategies import (
    INTEGER_RANGES,
    SchemaIndex,
    Strategies,
    int_strategy,
    period_strategy,
    python_pattern,
    target_namespace,
    xml_name,
)
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.models.datatype import XmlPeriod

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # the generator lives beside src/, not inside it
    sys.path.insert(0, str(REPO_ROOT))

import codegen  # noqa: E402

XSD_ROOT = REPO_ROOT / "xsd"
MODELS_ROOT = REPO_ROOT / "src" / "cbss_sdk" / "models"
MODELS = "cbss_sdk.models"
UNITS = {u.name: u for u in codegen.load_units(codegen.DEFAULT_UNITS_FILE)}

__all__ = ["ROOTS", "XSD_ROOT", "Root", "SchemaIndex", "Strategies"]  # used by test_fastbind


class Root(NamedTuple):
    """A request root element class and the entry schema that declares it."""

    module: str
    name: str
    schema: str


def _roots(unit: str, module: str, names: str, schema: str) -> list[Root]:
    """The roots of one unit: ``module`` relative to the unit package, ``names`` space-separated."""
    return [Root(f"{unit}.{module}", name, schema) for name in names.split()]


SOA = "be.fgov.kszbcss.intf"  # the intf modules hold the SOA request elements
SSDN = "be.fgov.ksz_bcss.xsd.ssdn"

ROOTS = [
    *_roots(
        "test_connection_v1",
        f"{SOA}.test_connection_service_service.v1",
        "SendTestMessageRequest",
        "soa/TestConnectionService/v1/TestConnectionService.xsd",
    ),
    *_roots(
        "retrieve_ti_groups_v2",
        f"{SOA}.retrieve_tigroups_service.v2",
        "RetrieveTIGroupsRequest",
        "soa/RetrieveTIGroups/v2/RetrieveTIGroupsService.xsd",
    ),
    *_roots("ssdn", f"{SSDN}.service", "SSDNRequest", "ssdn/service/SSDNRequest.xsd"),
    *_roots(
        "identify_person_20050930",
        f"{SSDN}.ocmw_cpas.identify_person",
        "IdentifyPersonRequest",
        "ssdn/OCMW_CPAS/IdentifyPerson/20050930/IdentifyPerson.xsd",
    ),
    *_roots(
        "manage_access_20050930",
        f"{SSDN}.ocmw_cpas.manage_access",
        "ManageAccessRequest",
        "ssdn/OCMW_CPAS/ManageAccess/20050930/ManageAccess.xsd",
    ),
    *_roots(
        "perform_investigation_20080604",
        f"{SSDN}.ocmw_cpas.perform_investigation",
        "PerformInvestigationRequest",
        "ssdn/OCMW_CPAS/PerformInvestigation/20080604/PerformInvestigation.xsd",
    ),
    *_roots(
        "dolsis_v1",
        f"{SOA}.dolsis_service.v1",
        "FindEmployersByWorkerRequest",
        "soa/Dolsis/v1/DolsisService.xsd",
    ),
    *_roots(
        "loi65_20020101",
        f"{SSDN}.ocmw_cpas.loi_wet65",
        "L65ABDecisionRequest L65CDecisionRequest L65DFDecisionRequest",
        "ssdn/OCMW_CPAS/Loi65Wet65/20020101/LoiWet65.xsd",
    ),
    *_roots(
        "self_employed_v1",
        f"{SOA}.self_employed_service.v1",
        "ConsultCareerRequest ConsultContributionsRequest ConsultCareerAndContributionsRequest",
        "soa/SelfEmployed/v1/SelfEmployedService.xsd",
    ),
    *_roots(
        "tax_assessment_v2",
        f"{SOA}.tax_assessment_data_service.v2",
        "ConsultTaxAssessmentDataRequest",
        "soa/TaxAssessment/v2/TaxAssessmentService.xsd",
    ),
    *_roots(
        "handiservice_v2",
        f"{SOA}.handiservice_service.v2",
        "ConsultFileRequest",
        "soa/Handiservice/v2/HandiserviceService.xsd",
    ),
    # one element for both directions: the request is L036RequestReply with a Request part
    *_roots(
        "l036_20060315",
        f"{SSDN}.ocmw_cpas.l036",
        "L036RequestReply",
        "ssdn/OCMW_CPAS/L036/20060315/L036.xsd",
    ),
    *_roots(
        "health_care_insurance_v1",
        f"{SOA}.health_care_insurance_service.v1",
        "GetInsuranceOrganizationInformationsRequest",
        "soa/HealthCareInsurance/v1/HealthCareInsuranceService.xsd",
    ),
    *_roots(
        "unemployment_data_v3",
        f"{SOA}.unemployment_data_service.v3",
        "ConsultPaymentsRequest ConsultPaidSumsRequest ConsultActivationPaidSumsRequest"
        " ConsultScheduledPaymentRequest ConsultRightsRequest ConsultExemptionHistoryRequest"
        " ConsultSanctionHistoryRequest ConsultScaleCodeHistoryRequest"
        " ConsultNoEarningCapacityRequest ConsultWorkDisabilityRequest"
        " ConsultYoungAvailabilityRequest",
        "soa/UnemploymentData/v3/UnemploymentDataService.xsd",
    ),
    *_roots(
        "list_of_attestations_20080317",
        f"{SSDN}.ocmw_cpas.manage_attests",
        "ListOfAttestationsRequest",
        "ssdn/OCMW_CPAS/ManageAttests/20080317/ListOfAttestations.xsd",
    ),
    *_roots(
        "child_benefits_v1",
        f"{SOA}.child_benefits_service.v1",
        "ConsultFilesBySsinRequest",
        "soa/ChildBenefits/v1/ChildBenefitsService.xsd",
    ),
    *_roots(
        "pension_register_20090706",
        f"{SSDN}.pension_register",
        "PenskadOpenPKConsultRequest",
        "ssdn/PensionRegister/20090706/PensionRegister.xsd",
    ),
    *_roots(
        "social_rate_investigation_v1",
        f"{SOA}.social_rate_investigation_service.v1",
        "ConsultExchangedDataRequest",
        "soa/SocialRateInvestigation/v1/SocialRateInvestigationService.xsd",
    ),
    *_roots(
        "reference_manager_20050525",
        f"{SSDN}.reference_manager_facade",
        "ReferenceManagerRequest",
        "ssdn/ReferenceManagerFacade/20050525/ReferenceManager.xsd",
    ),
    # the XMLite Message carries the A701 flow: one root covers both
    *_roots(
        "xmlite_a701_20051206",
        "be.fgov.ksz_bcss.xsd.message",
        "Message",
        "ssdn/XMLite/20051206/XMLite.xsd",
    ),
    *_roots(
        "heating_allocation_20090409",
        "be.smals.xsd.ocmw_cpas.heating_allocation_request",
        "AllocationRequest",
        "ssdn/OCMW_CPAS/HeatingAllocation/20090409/HeatingAllocation.xsd",
    ),
]

# Examples per root: enough to reach every choice alternative and bound of the request models
# a few times, small enough to keep this file fast (three dozen roots, about 15 s in all).
EXAMPLES = 40


@cache
def root_class(root: Root) -> type:
    return getattr(importlib.import_module(f"{MODELS}.{root.module}"), root.name)  # type: ignore[no-any-return]


@cache
def schema(root: Root) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_ROOT / root.schema)))


@cache
def index(entry: str) -> SchemaIndex:
    return SchemaIndex(XSD_ROOT / entry)


@cache
def strategy(root: Root) -> st.SearchStrategy[Any]:
    # a context of its own: the metadata built while deriving strategies never serializes
    return Strategies(index(root.schema), XmlContext()).for_class(root_class(root))


def _unit(root: Root) -> str:
    return root.module.split(".", 1)[0]


# --- the list of roots is complete -------------------------------------------------------


def test_every_unit_has_a_request_root() -> None:
    init = (MODELS_ROOT / "__init__.py").read_text(encoding="utf-8")
    listed = set(re.findall(r"``cbss_sdk\.models\.(\w+)``", init))
    assert listed == set(UNITS)
    assert {_unit(r) for r in ROOTS} == set(UNITS)
    assert len(set(ROOTS)) == len(ROOTS)


@pytest.mark.parametrize("root", ROOTS, ids=[r.name for r in ROOTS])
def test_each_root_is_a_global_element_of_its_unit_entry(root: Root) -> None:
    assert root.schema in UNITS[_unit(root)].entries
    cls = root_class(root)
    assert "." not in cls.__qualname__
    qname = f"{{{target_namespace(cls)}}}{xml_name(cls)}"
    assert qname in index(root.schema).elements, qname


def _top_level_classes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in tree.body if isinstance(node, ast.ClassDef)]


def test_every_generated_request_class_is_a_root() -> None:
    """A request element added to a schema (a class named ``...Request``) must be listed."""
    listed = {(r.module, r.name) for r in ROOTS}
    found = set()
    for path in MODELS_ROOT.rglob("*.py"):
        module = ".".join(path.relative_to(MODELS_ROOT).with_suffix("").parts)
        for name in _top_level_classes(path):
            if name.endswith("Request"):
                found.add((module, name))
    assert found, "no generated request class found"
    assert found - listed == set()


# --- the generator -----------------------------------------------------------------------


def test_xsd_patterns_translate() -> None:
    assert python_pattern(r"\p{N}{11}") == "[0-9]{11}"
    assert python_pattern(r"[\p{L} ]+") == "[A-Za-z ]+"
    assert python_pattern(r"a$b") == r"a\$b"
    with pytest.raises(NotImplementedError):
        python_pattern(r"\p{IsBasicLatin}")


def test_nested_classes_take_their_parents_namespace() -> None:
    """Regression: nested Loi65 classes were built alone and written without namespace."""
    root = next(r for r in ROOTS if r.name == "L65ABDecisionRequest")
    cls = root_class(root)
    context = XmlContext()
    Strategies(index(root.schema), context).for_class(cls)
    namespace = target_namespace(cls)
    nested = [cls.IdentificationA, cls.IdentificationA.PrimaryBeneficiary]  # type: ignore[attr-defined]
    for inner in nested:
        assert "Meta" not in inner.__dict__  # nothing but the parent gives it a namespace
        meta = context.cache[inner]
        assert meta.namespace == namespace, inner.__qualname__
        inherited = [v for v in meta.get_element_vars() if "namespace" not in _declared(inner, v)]
        assert inherited
        assert all(v.qname.startswith(f"{{{namespace}}}") for v in inherited)


def _declared(cls: type, var: Any) -> dict[str, Any]:
    return dict(next(f for f in dataclasses.fields(cls) if f.name == var.name).metadata)


def test_integer_fields_follow_their_builtin_type() -> None:
    """``positiveInteger`` and friends leave no trace in xsdata's metadata: the schema says."""
    root = next(r for r in ROOTS if r.name == "AllocationRequest")
    module = importlib.import_module(
        f"{MODELS}.heating_allocation_20090409.be.smals.xsd.ocmw_cpas.heating_allocation_data_types"
    )
    invoice = module.InvoiceType
    meta = XmlContext().build(invoice, target_namespace(invoice))
    builtins = {
        v.local_name: index(root.schema).builtin_type(invoice, v) for v in meta.get_element_vars()
    }
    assert builtins["Quantity"] == "positiveInteger"
    assert builtins["Amount"] == "nonNegativeInteger"
    assert INTEGER_RANGES["positiveInteger"][0] == 1

    @settings(max_examples=50, deadline=None, derandomize=True)
    @given(int_strategy({}, "positiveInteger"), int_strategy({"max_inclusive": 5}, "int"))
    def bounded(positive: int, small: int) -> None:
        assert positive >= 1
        assert small <= 5

    bounded()


def test_year_months_respect_their_bounds() -> None:
    low = XmlPeriod("2002-01")

    @settings(max_examples=50, deadline=None, derandomize=True)
    @given(period_strategy({"min_inclusive": low}, "gYearMonth"))
    def bounded(value: XmlPeriod) -> None:
        assert value.day is None
        assert (value.year, value.month) >= (2002, 1)
        assert XmlPeriod(str(value)) == value

    bounded()
    with pytest.raises(NotImplementedError):
        period_strategy({}, "gMonthDay")


# --- the round trips ---------------------------------------------------------------------


@pytest.mark.parametrize("root", ROOTS, ids=[r.name for r in ROOTS])
def test_request_round_trip(root: Root) -> None:
    cls = root_class(root)
    xml_schema = schema(root)
    context = XmlContext()  # fresh: see the module docstring
    parser = XmlParser(
        context=context,
        config=ParserConfig(fail_on_unknown_properties=True, fail_on_unknown_attributes=True),
    )
    serializer = XmlSerializer(context=context)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        derandomize=True,
    )
    @given(strategy(root))
    def round_trip(instance: Any) -> None:
        assert type(instance) is cls
        xml = serializer.render(instance)
        document = etree.fromstring(xml.encode("utf-8"))
        if not xml_schema.validate(document):
            errors = "; ".join(str(e.message) for e in xml_schema.error_log)
            pytest.fail(f"{root.name} instance is not valid against {root.schema}: {errors}")
        assert parser.from_string(xml, cls) == instance

    round_trip()
