"""Catalog entries of the social databases reached through new-generation (SOA) services.

Part of :mod:`cbss_sdk.catalog`; see there.
"""

from __future__ import annotations

from ._catalog_model import (
    PCSA_SOCIAL_INQUIRY,
    SSIN_CODES,
    CodeSpec,
    ServiceSpec,
    planned,
    soa_op,
    ssdn_op,
)
from ._errors_social import (
    DolsisFamilyCompositionFailed,
    HandiClientNotAuthorized,
    HandiInformationNotAuthorized,
    HandiPaymentPeriodRefused,
    HandiSourceError,
)

#: Legal context of the CPAS social investigation as Dolsis, UnemploymentData and TaxAssessment name it.
SOCIAL_INVESTIGATION_OF_PCSA = "SOCIAL_INVESTIGATION_OF_PCSA"

_DOLSIS_NS = "http://kszbcss.fgov.be/intf/DolsisService/v1"

SERVICES: tuple[ServiceSpec, ...] = (
    # ----------------------------------------------------------------- social databases
    ServiceSpec(
        key="Dolsis",
        cbss_name="Dolsis",
        title="Employment data (Dimona, DmfA, employers, posted workers)",
        group="social-databases",
        protocol="soa",
        version="v1",
        namespace="http://kszbcss.fgov.be/types/Dolsis/v1",
        operations=(
            soa_op(
                "findEmployersByWorker",
                "find_employers_by_worker",
                "The employers of a worker: current, active in a period, or declarations made in a period.",
                service_path="DolsisService/v1",
                action_prefix="http://kszbcss.fgov.be/DolsisService",
                interface_ns=_DOLSIS_NS,
                request="findEmployersByWorkerRequest",
                response="findEmployersByWorkerResponse",
                legal_context=SOCIAL_INVESTIGATION_OF_PCSA,
                implemented=True,
            ),
            planned("getEmploymentDetail", "employment_detail", "Detail of an employment (DmfA)."),
            planned("getEmployerDetail", "employer_detail", "Detail of an employer."),
            planned("findPostedWorkers", "find_posted_workers", "Posted workers."),
        ),
        provenance="from-client-evidence",
        schema="xsd/soa/Dolsis/v1/DolsisService.xsd",
        models="cbss_sdk.models.dolsis_v1",
        docs="services/dolsis.md",
        facts="cbss-facts §3.1, §1.8",
        codes=(
            *SSIN_CODES,
            CodeSpec("DOLS0000", "no match in the National Register nor at CBSS (no data)"),
            CodeSpec("DOLS0004", "partial result: nothing from the National Register (too many results)"),
            CodeSpec("DOLS0005", "partial result: nothing from CBSS (too many results)"),
            CodeSpec(
                "DOLS0009",
                "error while processing the family composition",
                DolsisFamilyCompositionFailed,
            ),
        ),
    ),
    ServiceSpec(
        key="EmployerIdentification",
        cbss_name="A701 (XMLite)",
        title="Employer identification A701",
        group="social-databases",
        protocol="ssdn",
        version="20051206",
        ssdn_service_id="XMLite",
        ssdn_version="20051206",
        operations=(planned("identify", "identify", "Employer data by NSSO registration number."),),
        provenance="from-client-evidence",
        facts="cbss-facts §1.2, §3.2",
    ),
    ServiceSpec(
        key="SelfEmployed",
        cbss_name="SelfEmployed",
        title="Self-employed career and contributions",
        group="social-databases",
        protocol="soa",
        version="v2",
        operations=(
            planned("consultCareer", "career", "Self-employed career."),
            planned("consultContributions", "contributions", "Social contributions per quarter."),
            planned("consultCareerAndContributions", "career_and_contributions", "Both at once."),
        ),
        provenance="from-client-evidence",
        facts="cbss-facts §3.3",
    ),
    ServiceSpec(
        key="HealthCareInsurance",
        cbss_name="HealthCareInsurance",
        title="Health insurance (mutuality, rights, increased intervention)",
        group="social-databases",
        protocol="soa",
        version="v1",
        operations=(
            planned(
                "getInsuranceOrganizationInformations", "insurance", "Insurability information."
            ),
        ),
        provenance="from-client-evidence",
        facts="cbss-facts §3.4",
    ),
    ServiceSpec(
        key="TaxAssessment",
        cbss_name="TaxAssessmentData",
        title="Tax assessment data",
        group="social-databases",
        protocol="soa",
        version="v2",
        operations=(planned("consultTaxAssessmentData", "consult", "Tax assessment data."),),
        provenance="from-client-evidence",
        facts="cbss-facts §3.5",
    ),
    ServiceSpec(
        key="Patrimony",
        cbss_name="PatrimonyService",
        title="Real estate (immovable properties)",
        group="social-databases",
        protocol="soa",
        version="v1",
        operations=(planned("findProperties", "properties", "Immovable properties of a person."),),
        facts="cbss-facts §3.6",
    ),
    ServiceSpec(
        key="Handiservice",
        cbss_name="Handiservice",
        title="Disability allowances and recognitions",
        group="social-databases",
        protocol="soa",
        version="v2",
        operations=(planned("consultFile", "consult_file", "Disability file of a person."),),
        provenance="from-client-evidence",
        facts="cbss-facts §3.7",
    ),
    ServiceSpec(
        key="UnemploymentData",
        cbss_name="UnemploymentDataService",
        title="Unemployment payments and rights",
        group="social-databases",
        protocol="soa",
        version="v3",
        operations=(planned("consultPayments", "payments", "Unemployment payments."),),
        provenance="from-client-evidence",
        facts="cbss-facts §3.8",
    ),
    ServiceSpec(
        key="ChildBenefits",
        cbss_name="ChildBenefits",
        title="Child benefits (family allowances)",
        group="social-databases",
        protocol="soa",
        version="v1",
        operations=(planned("consultFilesBySsin", "files", "Family-allowance files."),),
        provenance="from-client-evidence",
        facts="cbss-facts §3.9",
    ),
    ServiceSpec(
        key="SocialRateInvestigation",
        cbss_name="SocialRateInvestigation",
        title="Social tariff (gas and electricity)",
        group="social-databases",
        protocol="soa",
        version="v1",
        operations=(planned("consultExchangedData", "consult", "Social tariff data."),),
        provenance="from-client-evidence",
        facts="cbss-facts §3.10",
    ),
    ServiceSpec(
        key="Jobseeker",
        cbss_name="Jobseeker",
        title="Jobseeker registration",
        group="social-databases",
        protocol="soa",
        version="unknown",
        operations=(planned("consult", "consult", "Jobseeker data."),),
    ),
)
