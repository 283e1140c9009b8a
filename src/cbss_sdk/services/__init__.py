"""Service facades: one class per CBSS service, typed keyword arguments in, typed results out.

Each facade works on :class:`~cbss_sdk.CbssClient` (returns results) and
:class:`~cbss_sdk.AsyncCbssClient` (returns awaitables; paged listings return
async iterators).  The catalog (:mod:`cbss_sdk.catalog`) says which CBSS
service and version each facade speaks.

The facades load lazily: ``from cbss_sdk.services import RetrieveTIGroups``
imports that facade's module and its service's generated models, and no
other service's (:pep:`562` module ``__getattr__``).  Type checkers and IDEs
see every name through the ``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._child_benefits import (
        AuthenticSource,
        ChildBenefits,
        ChildBenefitsResult,
        FamilyAllowanceFile,
    )
    from ._dolsis import Dolsis, DolsisScope, EmployersResult
    from ._employer_identification import (
        EmployerIdentification,
        EmployerIdentificationResult,
        classic_prefix,
    )
    from ._facade import Facade, Page, operation, paged_operation
    from ._handiservice import DisabilityPayment, Handiservice, HandiserviceResult
    from ._health_care_insurance import HealthCareInsurance, InsuranceData, InsuranceResult
    from ._heating_allocation import HeatingAllocation, HeatingAllocationResult, HeatingCategory
    from ._identify_person import Gender, IdentifyPerson, IdentifyPersonResult
    from ._l036 import L036, A036Attestation, L036Page
    from ._list_of_attestations import (
        Art35Exemption,
        AttestKind,
        CodedValue,
        GpmiPiis,
        ListOfAttestations,
        ListOfAttestationsResult,
        SppAttestation,
    )
    from ._loi65 import (
        LOI65_VERSION,
        Loi65,
        Loi65Decision,
        Loi65Evaluation,
        Loi65Form,
        Loi65FormError,
        Loi65Result,
    )
    from ._loi65_forms import (
        AidAmounts,
        Art60p7,
        Beneficiary,
        BirthAllowance,
        CancellationC,
        CommonDecisionB1,
        FileSituation,
        GrantDuration,
        GuaranteedChildAllowance,
        HospitalBill,
        IdentificationA,
        IndividualDecisionB2,
        PostalAddress,
        PrimaryBeneficiary,
        QualityPeriod,
        RecoveryF,
        RefundD1,
        RefundD2,
        RequestedAid,
        SecondaryBeneficiary,
        SecondaryIntegration,
        SocialAidMeasures,
    )
    from ._manage_access import ManageAccess, ManageAccessResult, ProofOfAuthentication, Purpose
    from ._pension_register import (
        PaymentsDetail,
        PensionFocus,
        PensionItem,
        PensionPayment,
        PensionPillars,
        PensionRegister,
        PensionRegisterResult,
    )
    from ._perform_investigation import DataGroup, PerformInvestigation, PerformInvestigationResult
    from ._reference_manager import OtherSectorIntegration, ReferenceManager, ReferenceManagerResult
    from ._retrieve_ti_groups import RetrieveTIGroups, Tx25Result
    from ._self_employed import Contribution, SelfEmployed, SelfEmployedResult
    from ._social_common import Month, Quarter, SoaResult
    from ._social_rate_investigation import (
        SocialRateInvestigation,
        SocialTariff,
        SocialTariffResult,
    )
    from ._ssdn_results import SsdnResult
    from ._tax_assessment import (
        DerivedYear,
        TaxAssessment,
        TaxAssessmentResult,
        TaxElement,
        TaxGroup,
    )
    from ._test_connection import TestConnection, TestConnectionResult
    from ._unemployment_data import (
        ActivationPaidSum,
        HistoryItem,
        PaidSum,
        ScheduledPayment,
        Situation,
        UnemploymentData,
        UnemploymentPayment,
        UnemploymentResult,
        UnemploymentRight,
    )

#: Each public name and the submodule that defines it.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "_child_benefits": (
        "AuthenticSource",
        "ChildBenefits",
        "ChildBenefitsResult",
        "FamilyAllowanceFile",
    ),
    "_dolsis": ("Dolsis", "DolsisScope", "EmployersResult"),
    "_employer_identification": (
        "EmployerIdentification",
        "EmployerIdentificationResult",
        "classic_prefix",
    ),
    "_facade": ("Facade", "Page", "operation", "paged_operation"),
    "_handiservice": ("DisabilityPayment", "Handiservice", "HandiserviceResult"),
    "_health_care_insurance": ("HealthCareInsurance", "InsuranceData", "InsuranceResult"),
    "_heating_allocation": ("HeatingAllocation", "HeatingAllocationResult", "HeatingCategory"),
    "_identify_person": ("Gender", "IdentifyPerson", "IdentifyPersonResult"),
    "_l036": ("L036", "A036Attestation", "L036Page"),
    "_list_of_attestations": (
        "Art35Exemption",
        "AttestKind",
        "CodedValue",
        "GpmiPiis",
        "ListOfAttestations",
        "ListOfAttestationsResult",
        "SppAttestation",
    ),
    "_loi65": (
        "LOI65_VERSION",
        "Loi65",
        "Loi65Decision",
        "Loi65Evaluation",
        "Loi65Form",
        "Loi65FormError",
        "Loi65Result",
    ),
    "_loi65_forms": (
        "AidAmounts",
        "Art60p7",
        "Beneficiary",
        "BirthAllowance",
        "CancellationC",
        "CommonDecisionB1",
        "FileSituation",
        "GrantDuration",
        "GuaranteedChildAllowance",
        "HospitalBill",
        "IdentificationA",
        "IndividualDecisionB2",
        "PostalAddress",
        "PrimaryBeneficiary",
        "QualityPeriod",
        "RecoveryF",
        "RefundD1",
        "RefundD2",
        "RequestedAid",
        "SecondaryBeneficiary",
        "SecondaryIntegration",
        "SocialAidMeasures",
    ),
    "_manage_access": ("ManageAccess", "ManageAccessResult", "ProofOfAuthentication", "Purpose"),
    "_pension_register": (
        "PaymentsDetail",
        "PensionFocus",
        "PensionItem",
        "PensionPayment",
        "PensionPillars",
        "PensionRegister",
        "PensionRegisterResult",
    ),
    "_perform_investigation": ("DataGroup", "PerformInvestigation", "PerformInvestigationResult"),
    "_reference_manager": ("OtherSectorIntegration", "ReferenceManager", "ReferenceManagerResult"),
    "_retrieve_ti_groups": ("RetrieveTIGroups", "Tx25Result"),
    "_self_employed": ("Contribution", "SelfEmployed", "SelfEmployedResult"),
    "_social_common": ("Month", "Quarter", "SoaResult"),
    "_social_rate_investigation": ("SocialRateInvestigation", "SocialTariff", "SocialTariffResult"),
    "_ssdn_results": ("SsdnResult",),
    "_tax_assessment": (
        "DerivedYear",
        "TaxAssessment",
        "TaxAssessmentResult",
        "TaxElement",
        "TaxGroup",
    ),
    "_test_connection": ("TestConnection", "TestConnectionResult"),
    "_unemployment_data": (
        "ActivationPaidSum",
        "HistoryItem",
        "PaidSum",
        "ScheduledPayment",
        "Situation",
        "UnemploymentData",
        "UnemploymentPayment",
        "UnemploymentResult",
        "UnemploymentRight",
    ),
}
_MODULE_OF: dict[str, str] = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "L036",
    "LOI65_VERSION",
    "A036Attestation",
    "ActivationPaidSum",
    "AidAmounts",
    "Art35Exemption",
    "Art60p7",
    "AttestKind",
    "AuthenticSource",
    "Beneficiary",
    "BirthAllowance",
    "CancellationC",
    "ChildBenefits",
    "ChildBenefitsResult",
    "CodedValue",
    "CommonDecisionB1",
    "Contribution",
    "DataGroup",
    "DerivedYear",
    "DisabilityPayment",
    "Dolsis",
    "DolsisScope",
    "EmployerIdentification",
    "EmployerIdentificationResult",
    "EmployersResult",
    "Facade",
    "FamilyAllowanceFile",
    "FileSituation",
    "Gender",
    "GpmiPiis",
    "GrantDuration",
    "GuaranteedChildAllowance",
    "Handiservice",
    "HandiserviceResult",
    "HealthCareInsurance",
    "HeatingAllocation",
    "HeatingAllocationResult",
    "HeatingCategory",
    "HistoryItem",
    "HospitalBill",
    "IdentificationA",
    "IdentifyPerson",
    "IdentifyPersonResult",
    "IndividualDecisionB2",
    "InsuranceData",
    "InsuranceResult",
    "L036Page",
    "ListOfAttestations",
    "ListOfAttestationsResult",
    "Loi65",
    "Loi65Decision",
    "Loi65Evaluation",
    "Loi65Form",
    "Loi65FormError",
    "Loi65Result",
    "ManageAccess",
    "ManageAccessResult",
    "Month",
    "OtherSectorIntegration",
    "Page",
    "PaidSum",
    "PaymentsDetail",
    "PensionFocus",
    "PensionItem",
    "PensionPayment",
    "PensionPillars",
    "PensionRegister",
    "PensionRegisterResult",
    "PerformInvestigation",
    "PerformInvestigationResult",
    "PostalAddress",
    "PrimaryBeneficiary",
    "ProofOfAuthentication",
    "Purpose",
    "QualityPeriod",
    "Quarter",
    "RecoveryF",
    "ReferenceManager",
    "ReferenceManagerResult",
    "RefundD1",
    "RefundD2",
    "RequestedAid",
    "RetrieveTIGroups",
    "ScheduledPayment",
    "SecondaryBeneficiary",
    "SecondaryIntegration",
    "SelfEmployed",
    "SelfEmployedResult",
    "Situation",
    "SoaResult",
    "SocialAidMeasures",
    "SocialRateInvestigation",
    "SocialTariff",
    "SocialTariffResult",
    "SppAttestation",
    "SsdnResult",
    "TaxAssessment",
    "TaxAssessmentResult",
    "TaxElement",
    "TaxGroup",
    "TestConnection",
    "TestConnectionResult",
    "Tx25Result",
    "UnemploymentData",
    "UnemploymentPayment",
    "UnemploymentResult",
    "UnemploymentRight",
    "classic_prefix",
    "operation",
    "paged_operation",
]


if not TYPE_CHECKING:  # hidden from type checkers, which would then accept any name at all

    def __getattr__(name: str) -> Any:
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", __name__), name)
        globals()[name] = value  # later look-ups no longer go through __getattr__
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
