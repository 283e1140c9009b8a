"""Catalog entries of the legacy SSDN services: registers and social databases consulted through
SSDN, and the exchanges with the SPP IS.

Part of :mod:`cbss_sdk.catalog`; see there.
"""

from __future__ import annotations

from ._catalog_model import (
    Protocol,
    ServiceSpec,
    planned,
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
            planned("consult", "consult", "Sectors and quality codes a person is integrated in."),
        ),
        provenance="from-client-evidence",
        facts="cbss-facts §2.2",
    ),
    ServiceSpec(
        key="PensionRegister",
        cbss_name="OCMWCPASPensionRegisterConsult",
        title="Pension register",
        group="social-databases",
        protocol="ssdn",
        version="20090706",
        ssdn_service_id="OCMWCPASPensionRegisterConsult",
        ssdn_version="20090706",
        operations=(planned("consult", "consult", "Pension rights and payments."),),
        provenance="from-client-evidence",
        facts="cbss-facts §3.11",
    ),
    # ----------------------------------------------------------------- SPP IS exchanges
    ServiceSpec(
        key="HeatingAllocation",
        cbss_name="OCMWCPASHeatingAllocation",
        title="Heating allowance",
        group="spp-is",
        protocol="ssdn",
        version="20090409",
        ssdn_service_id="OCMWCPASHeatingAllocation",
        ssdn_version="20090409",
        operations=(
            planned(
                "compute",
                "compute",
                "Compute a heating allowance.",
            ),
        ),
        provenance="from-client-evidence",
        facts="cbss-facts §4.1",
    ),
    ServiceSpec(
        key="Loi65",
        cbss_name="OCMWCPASWet65Loi65",
        title="Law of 1965 refunds (forms A/B, C, D/F)",
        group="spp-is",
        protocol="ssdn",
        version="unknown",
        operations=(
            planned("decisionAB", "decision_ab", "Declare a grant decision (A/B)."),
            planned("decisionC", "decision_c", "Cancel or stop (C)."),
            planned("decisionDF", "decision_df", "Refund claims and recoveries (D/F)."),
        ),
        provenance="official-equivalent",
        facts="cbss-facts §4.2",
    ),
    ServiceSpec(
        key="ListOfAttestations",
        cbss_name="OCMWCPASListOfAttestations",
        title="Attestations per file (exemptions, installation premium, forms)",
        group="spp-is",
        protocol="ssdn",
        version="20080317",
        ssdn_service_id="OCMWCPASListOfAttestations",
        ssdn_version="20080317",
        operations=(planned("list", "list", "Attestations of a person."),),
        provenance="from-client-evidence",
        facts="cbss-facts §4.3",
    ),
    ServiceSpec(
        key="L036",
        cbss_name="OCMWCPASL036",
        title="Multifunctional attests (L036 consultation)",
        group="spp-is",
        protocol="ssdn",
        version="20060315",
        ssdn_service_id="OCMWCPASL036",
        ssdn_version="20060315",
        operations=(planned("consult", "consult", "Multifunctional attests, page by page."),),
        provenance="from-client-evidence",
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
