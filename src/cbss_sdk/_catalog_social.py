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
#: Legal context Handiservice is called with (cbss-facts §1.8).
SOCIAL_INQUIRY = "social inquiry"
#: Legal context HealthCareInsurance is called with (cbss-facts §1.8).
SOCIAL_INQUIRY_AND_FINANCIAL_HELP = "social inquiry and financial help"
#: Legal context SocialRateInvestigation is called with (cbss-facts §1.8, §3.10).
SOCIAL_RATE_INVESTIGATION = "Social Rate Investigation"

_DOLSIS_NS = "http://kszbcss.fgov.be/intf/DolsisService/v1"
_SELF_EMPLOYED_NS = "http://kszbcss.fgov.be/intf/SelfEmployedService/v1"
_TAX_NS = "http://kszbcss.fgov.be/intf/TaxAssessmentDataService/v2"
_HANDI_NS = "http://kszbcss.fgov.be/intf/HandiserviceService/v2"
_HEALTH_NS = "http://kszbcss.fgov.be/intf/HealthCareInsuranceService/v1"
_UNEMPLOYMENT_NS = "http://kszbcss.fgov.be/intf/UnemploymentDataService/v3"
_CHILD_BENEFITS_NS = "http://kszbcss.fgov.be/intf/ChildBenefitsService/v1"
_SOCIAL_RATE_NS = "http://kszbcss.fgov.be/intf/SocialRateInvestigationService/v1"

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
            CodeSpec(
                "DOLS0004", "partial result: nothing from the National Register (too many results)"
            ),
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
        namespace="http://www.ksz-bcss.fgov.be/XSD/Message",
        ssdn_service_id="XMLite",
        ssdn_version="20051206",
        operations=(
            ssdn_op(
                "identify",
                "identify",
                "Employer identification (classic flow A701) by NSSO registration number: "
                "enterprise number and name.",
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/ssdn/XMLite/20051206/XMLite.xsd",
        models="cbss_sdk.models.xmlite_a701_20051206",
        docs="services/employer-identification.md",
        facts="cbss-facts §1.2, §3.2",
    ),
    ServiceSpec(
        key="SelfEmployed",
        cbss_name="SelfEmployed",
        title="Self-employed career and contributions",
        group="social-databases",
        protocol="soa",
        version="v1",
        namespace="http://kszbcss.fgov.be/types/SelfEmployed/v1",
        operations=tuple(
            soa_op(
                name,
                python_name,
                summary,
                service_path="SelfEmployedService/v1",
                action_prefix="http://kszbcss.fgov.be/SelfEmployedService",
                interface_ns=_SELF_EMPLOYED_NS,
                request=f"{name}Request",
                response=f"{name}Response",
                legal_context=PCSA_SOCIAL_INQUIRY,
                implemented=True,
            )
            for name, python_name, summary in (
                ("consultCareer", "career", "The self-employed career of a person in a period."),
                (
                    "consultContributions",
                    "contributions",
                    "The social contributions of a self-employed person, quarter by quarter.",
                ),
                (
                    "consultCareerAndContributions",
                    "career_and_contributions",
                    "The career and the contributions in one call.",
                ),
            )
        ),
        provenance="from-client-evidence",
        schema="xsd/soa/SelfEmployed/v1/SelfEmployedService.xsd",
        models="cbss_sdk.models.self_employed_v1",
        docs="services/self-employed.md",
        facts="cbss-facts §3.3, §1.8",
        codes=SSIN_CODES,
    ),
    ServiceSpec(
        key="HealthCareInsurance",
        cbss_name="HealthCareInsurance",
        title="Health insurance (mutuality, rights, increased intervention)",
        group="social-databases",
        protocol="soa",
        version="v1",
        namespace="http://kszbcss.fgov.be/types/HealthCareInsurance/v1",
        operations=(
            soa_op(
                "getInsuranceOrganizationInformations",
                "insurance",
                "Health-insurance data on a date: mutuality, CT1/CT2, increased intervention, "
                "maximum charge, medical house…",
                service_path="HealthCareInsuranceService/v1",
                action_prefix="http://kszbcss.fgov.be/HealthCareInsuranceService",
                interface_ns=_HEALTH_NS,
                request="getInsuranceOrganizationInformationsRequest",
                response="getInsuranceOrganizationInformationsResponse",
                legal_context=SOCIAL_INQUIRY_AND_FINANCIAL_HELP,
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/soa/HealthCareInsurance/v1/HealthCareInsuranceService.xsd",
        models="cbss_sdk.models.health_care_insurance_v1",
        docs="services/health-care-insurance.md",
        facts="cbss-facts §3.4, §1.8",
        codes=SSIN_CODES,
    ),
    ServiceSpec(
        key="TaxAssessment",
        cbss_name="TaxAssessmentData",
        title="Tax assessment data",
        group="social-databases",
        protocol="soa",
        version="v2",
        namespace="http://kszbcss.fgov.be/types/TaxAssessmentData/v2",
        operations=(
            soa_op(
                "consultTaxAssessmentData",
                "consult",
                "Tax assessment data of an income year (or the most recent one): elements and groups.",
                service_path="TaxAssessmentDataService/v2",
                action_prefix="http://kszbcss.fgov.be/TaxAssessmentDataService",
                interface_ns=_TAX_NS,
                request="consultTaxAssessmentDataRequest",
                response="consultTaxAssessmentDataResponse",
                legal_context=SOCIAL_INVESTIGATION_OF_PCSA,
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/soa/TaxAssessment/v2/TaxAssessmentService.xsd",
        models="cbss_sdk.models.tax_assessment_v2",
        docs="services/tax-assessment.md",
        facts="cbss-facts §3.5, §1.8",
        codes=(
            *SSIN_CODES,
            CodeSpec("TAXA0007", "no tax data for an income year up to three years back (no data)"),
        ),
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
        namespace="http://kszbcss.fgov.be/types/Handiservice/v2",
        operations=(
            soa_op(
                "consultFile",
                "consult_file",
                "The disability file of a person: requests, recognitions, rights, social cards, payments.",
                service_path="HandiserviceService/v2",
                action_prefix="http://kszbcss.fgov.be/HandiserviceService",
                interface_ns=_HANDI_NS,
                request="consultFileRequest",
                response="consultFileResponse",
                legal_context=SOCIAL_INQUIRY,
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/soa/Handiservice/v2/HandiserviceService.xsd",
        models="cbss_sdk.models.handiservice_v2",
        docs="services/handiservice.md",
        facts="cbss-facts §3.7, §1.6, §1.8",
        codes=(
            *SSIN_CODES,
            CodeSpec("MSG00021", "person unknown at the DG Persons with disabilities (no data)"),
            CodeSpec("SSK00003", "person unknown at the DG Persons with disabilities (no data)"),
            CodeSpec("HAN00010", "client not authorised", HandiClientNotAuthorized),
            CodeSpec("HAN00011", "information not authorised", HandiInformationNotAuthorized),
            CodeSpec("HAN00020", "payment period longer than two years", HandiPaymentPeriodRefused),
            CodeSpec("HAN00021", "payment period not ascending", HandiPaymentPeriodRefused),
            CodeSpec("HAN00022", "no information asked for (no data)"),
            CodeSpec("HAN00023", "every information flag is false (no data)"),
            CodeSpec("HAN00030", "request refused by the DGPH schema", HandiSourceError),
            CodeSpec("HAN00031", "error at the DGPH", HandiSourceError),
            CodeSpec("HAN00032", "no answer from the DGPH", HandiSourceError),
            CodeSpec("HAN00033", "request refused by the DGPH schema", HandiSourceError),
        ),
    ),
    ServiceSpec(
        key="UnemploymentData",
        cbss_name="UnemploymentDataService",
        title="Unemployment payments and rights",
        group="social-databases",
        protocol="soa",
        version="v3",
        namespace="http://kszbcss.fgov.be/types/UnemploymentData/v3",
        operations=tuple(
            soa_op(
                name,
                python_name,
                summary,
                service_path="UnemploymentDataService/v3",
                action_prefix="http://kszbcss.fgov.be/UnemploymentDataService",
                interface_ns=_UNEMPLOYMENT_NS,
                request=f"{name}Request",
                response=f"{name}Response",
                legal_context=SOCIAL_INVESTIGATION_OF_PCSA,
                implemented=True,
            )
            for name, python_name, summary in (
                (
                    "consultPayments",
                    "payments",
                    "Unemployment payments of the twelve months up to a date.",
                ),
                (
                    "consultPaidSums",
                    "paid_sums",
                    "Sums paid per month over a period (48 months at most).",
                ),
                (
                    "consultActivationPaidSums",
                    "activation_paid_sums",
                    "Activation allowances paid in a quarter.",
                ),
                (
                    "consultScheduledPayment",
                    "scheduled_payment",
                    "Payments scheduled for the months of a quarter.",
                ),
                ("consultRights", "rights", "Unemployment rights on a date."),
                ("consultExemptionHistory", "exemption_history", "Exemptions over a period."),
                ("consultSanctionHistory", "sanction_history", "Sanctions over a period."),
                ("consultScaleCodeHistory", "scale_code_history", "Scale codes over a period."),
                (
                    "consultNoEarningCapacity",
                    "no_earning_capacity",
                    "No-earning-capacity status on a date.",
                ),
                ("consultWorkDisability", "work_disability", "Work-disability status on a date."),
                (
                    "consultYoungAvailability",
                    "young_availability",
                    "Availability status of a young jobseeker on a date.",
                ),
            )
        ),
        provenance="modeled",
        schema="xsd/soa/UnemploymentData/v3/UnemploymentDataService.xsd",
        models="cbss_sdk.models.unemployment_data_v3",
        docs="services/unemployment-data.md",
        facts="cbss-facts §3.8, §1.6, §1.8",
        codes=(
            *SSIN_CODES,
            *(
                CodeSpec(f"UDS000{n}", "no data (UDS000x; the meaning of each code is not public)")
                for n in range(10)
            ),
        ),
    ),
    ServiceSpec(
        key="ChildBenefits",
        cbss_name="ChildBenefits",
        title="Child benefits (family allowances)",
        group="social-databases",
        protocol="soa",
        version="v1",
        namespace="http://kszbcss.fgov.be/types/ChildBenefits/v1",
        operations=(
            soa_op(
                "consultFilesBySsin",
                "files",
                "Family-allowance files of a person over a range of months, per authentic source.",
                service_path="ChildBenefitsService/v1",
                action_prefix="http://kszbcss.fgov.be/ChildBenefitsService",
                interface_ns=_CHILD_BENEFITS_NS,
                request="consultFilesBySsinRequest",
                response="consultFilesBySsinResponse",
                legal_context=PCSA_SOCIAL_INQUIRY,
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/soa/ChildBenefits/v1/ChildBenefitsService.xsd",
        models="cbss_sdk.models.child_benefits_v1",
        docs="services/child-benefits.md",
        facts="cbss-facts §3.9, §1.8",
        codes=SSIN_CODES,
    ),
    ServiceSpec(
        key="SocialRateInvestigation",
        cbss_name="SocialRateInvestigation",
        title="Social tariff (gas and electricity)",
        group="social-databases",
        protocol="soa",
        version="v1",
        namespace="http://kszbcss.fgov.be/types/SocialRateInvestigation/v1",
        operations=(
            soa_op(
                "consultExchangedData",
                "consult",
                "The rights to the social tariff for gas and electricity exchanged about a person.",
                service_path="SocialRateInvestigationService/v1",
                action_prefix="http://kszbcss.fgov.be/SocialRateInvestigationService",
                interface_ns=_SOCIAL_RATE_NS,
                request="consultExchangedDataRequest",
                response="consultExchangedDataResponse",
                legal_context=SOCIAL_RATE_INVESTIGATION,
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/soa/SocialRateInvestigation/v1/SocialRateInvestigationService.xsd",
        models="cbss_sdk.models.social_rate_investigation_v1",
        docs="services/social-rate-investigation.md",
        facts="cbss-facts §3.10, §1.8",
        codes=SSIN_CODES,
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
