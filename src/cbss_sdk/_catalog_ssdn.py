"""Catalog entries of the legacy SSDN services: registers and social databases consulted through
SSDN, and the exchanges with the SPP IS.

Part of :mod:`cbss_sdk.catalog`; see there.
"""

from __future__ import annotations

from ._catalog_model import (
    Protocol,
    ServiceSpec,
    planned,
    ssdn_op,
)

#: The SSDN Version sent for the three Law-of-1965 services. No version is public: this is a
#: documented placeholder (the first entry date the forms accept), overridable per client and
#: per call on :class:`cbss_sdk.services.Loi65`.
LOI65_VERSION = "20020101"
_LOI65_NS = "http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/LoiWet65"
_LOI65_SCHEMA = "xsd/ssdn/OCMW_CPAS/Loi65Wet65/20020101/LoiWet65.xsd"
_LOI65_FORMS = (
    (
        "AB",
        "Law of 1965 refunds: identification (A) and grant decision (B1, B2)",
        "Send forms A, B1 and B2 of a file; the SPP IS answers with its decision per attest.",
    ),
    (
        "C",
        "Law of 1965 refunds: stop or withdrawal of an aid (C)",
        "Send cancellation forms C of a file; the SPP IS answers with its decision per form.",
    ),
    (
        "DF",
        "Law of 1965 refunds: refund claims (D1, D2) and recoveries (F)",
        "Send refund claims D1/D2 and recovery forms F; the SPP IS answers with the accepted amounts.",
    ),
)

_UNDOCUMENTED_SPP_IS: tuple[tuple[str, str, str, Protocol], ...] = (
    ("HouseholdIncome", "OCMWCPASHouseholdIncome", "Household income", "ssdn"),
    (
        "RegisterAttest",
        "OCMWCPASRegisterAttest",
        "RIS/ERIS attests (declaration and refusal)",
        "ssdn",
    ),
    ("OrganicLaw", "OCMWCPASOrganicLaw", "Organic law attests", "ssdn"),
    (
        "RegisterRecoveredAmount",
        "OCMWCPASRegisterRecoveredAmount",
        "Recovered amounts",
        "ssdn",
    ),
    ("StopAttest", "OCMWCPASStopAttest", "Stop attests", "ssdn"),
    ("A036", "OCMWCPASA036", "Cancel or modify a multifunctional attest (A036)", "ssdn"),
    ("ElectronicSocialReport", "ElectronicSocialReport", "Electronic social report", "soa"),
    ("AlertReaction", "PCSAAlertReaction", "Reactions to alerts", "soa"),
    ("SocialInquiry", "PCSASocialInquiry", "Social inquiry", "soa"),
)


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        key="ReferenceManager",
        cbss_name="ReferenceManager.consult",
        title="Integrations of a person in other sectors",
        group="registers",
        protocol="ssdn",
        version="20050525",
        namespace="http://www.ksz-bcss.fgov.be/XSD/SSDN/ReferenceManagerFacade",
        ssdn_service_id="ReferenceManager.consult",
        ssdn_version="20050525",
        operations=(
            ssdn_op(
                "consult",
                "consult",
                "Sectors and quality codes a person is integrated in, outside the CPAS sector.",
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/ssdn/ReferenceManagerFacade/20050525/ReferenceManager.xsd",
        models="cbss_sdk.models.reference_manager_20050525",
        docs="services/reference-manager.md",
        facts="cbss-facts §2.2",
    ),
    ServiceSpec(
        key="PensionRegister",
        cbss_name="OCMWCPASPensionRegisterConsult",
        title="Pension register (pension cadastre, first and second pillar)",
        group="social-databases",
        protocol="ssdn",
        version="20090706",
        namespace="http://www.ksz-bcss.fgov.be/XSD/SSDN/PensionRegister",
        ssdn_service_id="OCMWCPASPensionRegisterConsult",
        ssdn_version="20090706",
        operations=(
            ssdn_op(
                "consult",
                "consult",
                "Pension rights of a person, with the last or all payments over a period.",
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/ssdn/PensionRegister/20090706/PensionRegister.xsd",
        models="cbss_sdk.models.pension_register_20090706",
        docs="services/pension-register.md",
        facts="cbss-facts §3.11 (request from client evidence; PensionItem content modeled)",
    ),
    # ----------------------------------------------------------------- SPP IS exchanges
    ServiceSpec(
        key="HeatingAllocation",
        cbss_name="OCMWCPASHeatingAllocation",
        title="Heating allowance (Social Heating Fund)",
        group="spp-is",
        protocol="ssdn",
        version="20090409",
        namespace="http://www.smals.be/XSD/OCMW_CPAS/HeatingAllocationRequest",
        ssdn_service_id="OCMWCPASHeatingAllocation",
        ssdn_version="20090409",
        operations=(
            ssdn_op(
                "compute",
                "compute",
                "Compute (and declare) the heating allowance of a beneficiary for one delivery.",
                idempotent=False,
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/ssdn/OCMW_CPAS/HeatingAllocation/20090409/HeatingAllocation.xsd",
        models="cbss_sdk.models.heating_allocation_20090409",
        docs="services/heating-allocation.md",
        facts="cbss-facts §4.1 (request from client evidence; reply modeled)",
    ),
    *(
        ServiceSpec(
            key=f"Loi65{form}",
            cbss_name=f"OCMWCPASWet65Loi65{form}",
            title=title,
            group="spp-is",
            protocol="ssdn",
            version=LOI65_VERSION,
            namespace=_LOI65_NS,
            ssdn_service_id=f"OCMWCPASWet65Loi65{form}",
            ssdn_version=LOI65_VERSION,
            operations=(
                ssdn_op(
                    f"decision{form}",
                    f"decision_{form.lower()}",
                    summary,
                    idempotent=False,
                    implemented=True,
                ),
            ),
            provenance="official-equivalent",
            schema=_LOI65_SCHEMA,
            models="cbss_sdk.models.loi65_20020101",
            docs="services/loi65.md",
            facts="cbss-facts §4.2 (payload official; ServiceId and Version modeled)",
            facade="Loi65",
        )
        for form, title, summary in _LOI65_FORMS
    ),
    ServiceSpec(
        key="ListOfAttestations",
        cbss_name="OCMWCPASListOfAttestations",
        title="Attestations per file (exemptions, installation premium, GPMI/PIIS, forms)",
        group="spp-is",
        protocol="ssdn",
        version="20080317",
        namespace="http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/ManageAttests",
        ssdn_service_id="OCMWCPASListOfAttestations",
        ssdn_version="20080317",
        operations=(
            ssdn_op(
                "list",
                "list",
                "The attests of a person the SPP IS keeps, for one request type.",
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/ssdn/OCMW_CPAS/ManageAttests/20080317/ListOfAttestations.xsd",
        models="cbss_sdk.models.list_of_attestations_20080317",
        docs="services/list-of-attestations.md",
        facts="cbss-facts §4.3",
    ),
    ServiceSpec(
        key="L036",
        cbss_name="OCMWCPASL036",
        title="Multifunctional attests (L036 consultation)",
        group="spp-is",
        protocol="ssdn",
        version="20060315",
        namespace="http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/L036",
        ssdn_service_id="OCMWCPASL036",
        ssdn_version="20060315",
        operations=(
            ssdn_op(
                "consult",
                "attestations",
                "The multifunctional attests (A036) of a person over a period, page by page.",
                implemented=True,
            ),
        ),
        provenance="from-client-evidence",
        schema="xsd/ssdn/OCMW_CPAS/L036/20060315/L036.xsd",
        models="cbss_sdk.models.l036_20060315",
        docs="services/l036.md",
        facts="cbss-facts §4.4",
    ),
    ServiceSpec(
        key="LivingWages",
        cbss_name="LivingWages",
        title="Living wage periods",
        group="spp-is",
        protocol="soa",
        version="v1",
        operations=(
            planned("getLivingWagePeriods", "periods", "Living wage periods."),
            planned("getLivingWages", "living_wages", "Living wages."),
        ),
        facts="cbss-facts §4.4",
    ),
    *(
        ServiceSpec(
            key=key,
            cbss_name=cbss,
            title=title,
            group="spp-is",
            protocol=proto,
            version="unknown",
            operations=(planned("send", "send", title),),
            facts="cbss-facts §4.5",
        )
        for key, cbss, title, proto in _UNDOCUMENTED_SPP_IS
    ),
)
