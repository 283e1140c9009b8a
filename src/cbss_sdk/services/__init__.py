"""Service facades: one class per CBSS service, typed keyword arguments in, typed results out.

Each facade works on :class:`~cbss_sdk.CbssClient` (returns results) and
:class:`~cbss_sdk.AsyncCbssClient` (returns awaitables; paged listings return
async iterators).  The catalog (:mod:`cbss_sdk.catalog`) says which CBSS
service and version each facade speaks.
"""

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
from ._social_rate_investigation import SocialRateInvestigation, SocialTariff, SocialTariffResult
from ._ssdn_results import SsdnResult
from ._tax_assessment import DerivedYear, TaxAssessment, TaxAssessmentResult, TaxElement, TaxGroup
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
