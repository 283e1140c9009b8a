"""cbss-sdk: typed Python access to the web services of the Belgian Crossroads Bank for Social Security.

Everything a user needs is importable from here::

    from cbss_sdk import CbssClient, Credentials, Organization, RetrieveTIGroups

Heavy parts (httpx, signing, the generated models of each service) are
imported on first use, so ``import cbss_sdk`` stays cheap for command-line
tools and notebooks; type checkers see every name as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import errors, ids
from ._organization import CPAS_INSTITUTION, CPAS_SECTOR, Organization, SsdnUser
from .errors import *  # noqa: F403  (the error hierarchy is part of the top-level surface)

if TYPE_CHECKING:
    from . import catalog
    from ._client import AsyncCbssClient, CbssClient
    from ._credentials import Credentials
    from ._results import CallMeta, Status
    from .services import (
        L036,
        LOI65_VERSION,
        A036Attestation,
        ActivationPaidSum,
        Art35Exemption,
        AttestKind,
        AuthenticSource,
        ChildBenefits,
        ChildBenefitsResult,
        CodedValue,
        Contribution,
        DataGroup,
        DerivedYear,
        DisabilityPayment,
        Dolsis,
        DolsisScope,
        EmployerIdentification,
        EmployerIdentificationResult,
        EmployersResult,
        FamilyAllowanceFile,
        Gender,
        GpmiPiis,
        Handiservice,
        HandiserviceResult,
        HealthCareInsurance,
        HeatingAllocation,
        HeatingAllocationResult,
        HeatingCategory,
        HistoryItem,
        IdentifyPerson,
        IdentifyPersonResult,
        InsuranceData,
        InsuranceResult,
        L036Page,
        ListOfAttestations,
        ListOfAttestationsResult,
        Loi65,
        Loi65Decision,
        Loi65Evaluation,
        Loi65Form,
        Loi65FormError,
        Loi65Result,
        ManageAccess,
        ManageAccessResult,
        Month,
        OtherSectorIntegration,
        PaidSum,
        PaymentsDetail,
        PensionFocus,
        PensionItem,
        PensionPayment,
        PensionPillars,
        PensionRegister,
        PensionRegisterResult,
        PerformInvestigation,
        PerformInvestigationResult,
        ProofOfAuthentication,
        Purpose,
        Quarter,
        ReferenceManager,
        ReferenceManagerResult,
        RetrieveTIGroups,
        ScheduledPayment,
        SelfEmployed,
        SelfEmployedResult,
        Situation,
        SocialRateInvestigation,
        SocialTariff,
        SocialTariffResult,
        SppAttestation,
        SsdnResult,
        TaxAssessment,
        TaxAssessmentResult,
        TaxElement,
        TaxGroup,
        TestConnection,
        TestConnectionResult,
        Tx25Result,
        UnemploymentData,
        UnemploymentPayment,
        UnemploymentResult,
        UnemploymentRight,
    )
    from .soap import DEFAULT_XML_LIMITS, XmlLimits
    from .transport import (
        DEFAULT_RETRY,
        DEFAULT_TIMEOUT,
        ENV_ACPT,
        ENV_PROD,
        ENV_TEST,
        AuditRecord,
        CallInfo,
        Environment,
        Outcome,
        RetryPolicy,
        SoapReply,
    )
    from .wsse import (
        DEFAULT_SIGNING_PROFILE,
        SigningProfile,
        VerificationConfig,
        VerificationPolicy,
        VerifiedSignature,
        sign_envelope,
        verify_envelope,
    )

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "catalog": ".catalog",
    "CbssClient": "._client",
    "AsyncCbssClient": "._client",
    "Credentials": "._credentials",
    "CallMeta": "._results",
    "Status": "._results",
    "XmlLimits": ".soap",
    "DEFAULT_XML_LIMITS": ".soap",
    **dict.fromkeys(
        (
            "DEFAULT_RETRY",
            "DEFAULT_TIMEOUT",
            "ENV_ACPT",
            "ENV_PROD",
            "ENV_TEST",
            "AuditRecord",
            "CallInfo",
            "Environment",
            "Outcome",
            "RetryPolicy",
            "SoapReply",
        ),
        ".transport",
    ),
    **dict.fromkeys(
        (
            "DEFAULT_SIGNING_PROFILE",
            "SigningProfile",
            "VerificationConfig",
            "VerificationPolicy",
            "VerifiedSignature",
            "sign_envelope",
            "verify_envelope",
        ),
        ".wsse",
    ),
    **dict.fromkeys(
        (
            "A036Attestation",
            "ActivationPaidSum",
            "Art35Exemption",
            "AttestKind",
            "AuthenticSource",
            "ChildBenefits",
            "ChildBenefitsResult",
            "CodedValue",
            "Contribution",
            "DataGroup",
            "DerivedYear",
            "DisabilityPayment",
            "Dolsis",
            "DolsisScope",
            "EmployerIdentification",
            "EmployerIdentificationResult",
            "EmployersResult",
            "FamilyAllowanceFile",
            "Gender",
            "GpmiPiis",
            "Handiservice",
            "HandiserviceResult",
            "HealthCareInsurance",
            "HeatingAllocation",
            "HeatingAllocationResult",
            "HeatingCategory",
            "HistoryItem",
            "IdentifyPerson",
            "IdentifyPersonResult",
            "InsuranceData",
            "InsuranceResult",
            "L036",
            "L036Page",
            "LOI65_VERSION",
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
            "ProofOfAuthentication",
            "Purpose",
            "Quarter",
            "ReferenceManager",
            "ReferenceManagerResult",
            "RetrieveTIGroups",
            "ScheduledPayment",
            "SelfEmployed",
            "SelfEmployedResult",
            "Situation",
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
        ),
        ".services",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cbss_sdk' has no attribute {name!r}")
    loaded = importlib.import_module(module, __name__)
    value = loaded if name == "catalog" else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "CPAS_INSTITUTION",
    "CPAS_SECTOR",
    "Organization",
    "SsdnUser",
    "__version__",
    "errors",
    "ids",
    *errors.__all__,
    *_LAZY,
]
