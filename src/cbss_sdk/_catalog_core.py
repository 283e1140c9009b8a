"""Catalog entries of the technical service and the registers, Mediprima, Flemish and notification services.

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

_TX25_NS = "http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v2"
_TEST_NS = "http://kszbcss.fgov.be/intf/TestConnectionServiceService/v1"


SERVICES: tuple[ServiceSpec, ...] = (
    # ----------------------------------------------------------------- technical
    ServiceSpec(
        key="TestConnection",
        cbss_name="TestConnectionService",
        title="Test connection (echo)",
        group="technical",
        protocol="soa",
        version="v1",
        namespace="http://kszbcss.fgov.be/types/TestConnectionService/v1",
        operations=(
            soa_op(
                "sendTestMessage",
                "send_test_message",
                "Echo a string through CBSS and get back the client TLS certificate CBSS saw.",
                service_path="TestConnectionServiceService",
                action_prefix="http://kszbcss.fgov.be/TestConnectionServiceService",
                interface_ns=_TEST_NS,
                request="sendTestMessageRequest",
                response="sendTestMessageResponse",
                implemented=True,
            ),
        ),
        provenance="official-equivalent",
        schema="xsd/soa/TestConnectionService/v1/TestConnectionService.xsd",
        models="cbss_sdk.models.test_connection_v1",
        docs="services/test-connection.md",
        facts="cbss-facts §8",
    ),
    # ----------------------------------------------------------------- registers
    ServiceSpec(
        key="RetrieveTIGroups",
        cbss_name="RetrieveTIGroupsService",
        title="National Register information types (TX25)",
        group="registers",
        protocol="soa",
        version="v2",
        namespace="http://kszbcss.fgov.be/types/RetrieveTIGroups/v2",
        operations=(
            soa_op(
                "retrieveTI",
                "retrieve",
                "The National Register file of a person (all information types), optionally with history.",
                service_path="RetrieveTIGroupsService/v2",
                action_prefix="http://kszbcss.fgov.be/RetrieveTIGroupsService",
                interface_ns=_TX25_NS,
                request="retrieveTIGroupsRequest",
                response="retrieveTIGroupsResponse",
                legal_context=PCSA_SOCIAL_INQUIRY,
                implemented=True,
            ),
        ),
        provenance="official-equivalent",
        schema="xsd/soa/RetrieveTIGroups/v2/RetrieveTIGroupsService.xsd",
        models="cbss_sdk.models.retrieve_ti_groups_v2",
        docs="services/retrieve-ti-groups.md",
        facts="cbss-facts §2.6",
        codes=(*SSIN_CODES, CodeSpec("RTIPC001", "file inaccessible")),
    ),
    ServiceSpec(
        key="IdentifyPerson",
        cbss_name="OCMWCPASIdentifyPerson",
        title="Identify a person (by SSIN or phonetically)",
        group="registers",
        protocol="ssdn",
        version="20050930",
        namespace="http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/IdentifyPerson",
        ssdn_service_id="OCMWCPASIdentifyPerson",
        ssdn_version="20050930",
        operations=(
            ssdn_op(
                "identify",
                "identify",
                "Check an SSIN and get the person's legal data, optionally verifying identity data.",
                implemented=True,
            ),
            ssdn_op(
                "search",
                "search",
                "Phonetic search on name, birth date (with tolerance) and gender.",
                implemented=True,
            ),
        ),
        provenance="official-equivalent",
        schema="xsd/ssdn/OCMW_CPAS/IdentifyPerson/20050930/IdentifyPerson.xsd",
        models="cbss_sdk.models.identify_person_20050930",
        docs="services/identify-person.md",
        facts="cbss-facts §2.3",
    ),
    ServiceSpec(
        key="ManageAccess",
        cbss_name="OCMWCPASManageAccess",
        title="Register, unregister and list integrations (sector repertory)",
        group="registers",
        protocol="ssdn",
        version="20050930",
        namespace="http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/ManageAccess",
        ssdn_service_id="OCMWCPASManageAccess",
        ssdn_version="20050930",
        operations=(
            ssdn_op(
                "register",
                "register",
                "Declare a file for a person in the CPAS sector repertory.",
                idempotent=False,
                implemented=True,
            ),
            ssdn_op(
                "unregister",
                "unregister",
                "Withdraw a registration.",
                idempotent=False,
                implemented=True,
            ),
            ssdn_op("list", "list", "List the registrations of a person.", implemented=True),
        ),
        provenance="official-equivalent",
        schema="xsd/ssdn/OCMW_CPAS/ManageAccess/20050930/ManageAccess.xsd",
        models="cbss_sdk.models.manage_access_20050930",
        docs="services/manage-access.md",
        facts="cbss-facts §2.1, §1.9",
    ),
    ServiceSpec(
        key="PerformInvestigation",
        cbss_name="OCMWCPASPerformInvestigation",
        title="Social investigation: family composition, citizen data, address history, waiting register",
        group="registers",
        protocol="ssdn",
        version="20080604",
        namespace="http://www.ksz-bcss.fgov.be/XSD/SSDN/OCMW_CPAS/PerformInvestigation",
        ssdn_service_id="OCMWCPASPerformInvestigation",
        ssdn_version="20080604",
        operations=(
            ssdn_op(
                "investigate",
                "investigate",
                "Selected data groups about a person and the members of their household.",
                implemented=True,
            ),
        ),
        provenance="official-equivalent",
        schema="xsd/ssdn/OCMW_CPAS/PerformInvestigation/20080604/PerformInvestigation.xsd",
        models="cbss_sdk.models.perform_investigation_20080604",
        docs="services/perform-investigation.md",
        facts="cbss-facts §2.4",
    ),
    ServiceSpec(
        key="PersonService",
        cbss_name="PersonService",
        title="Person service (search by SSIN, phonetic search)",
        group="registers",
        protocol="soa",
        version="v4",
        operations=(
            planned("searchPersonBySsin", "search_by_ssin", "Person data by SSIN."),
            planned("searchPersonPhonetically", "search_phonetically", "Phonetic person search."),
        ),
        facts="cbss-facts §0 (eHealth-proxied names only)",
    ),
    ServiceSpec(
        key="BisPersonService",
        cbss_name="BisPersonService",
        title="Register and update BIS numbers",
        group="registers",
        protocol="soa",
        version="v1",
        operations=(
            planned("registerPerson", "register_person", "Create a BIS number for a person."),
            planned("updatePerson", "update_person", "Update a person in the BIS register."),
        ),
        facts="cbss-facts §0",
    ),
    ServiceSpec(
        key="SsinHistory",
        cbss_name="SSINInformationService",
        title="SSIN history (current SSIN of a replaced number)",
        group="registers",
        protocol="soa",
        version="v1",
        operations=(
            planned("consultCurrentSsin", "current_ssin", "The current SSIN of a person."),
        ),
        facts="cbss-facts §0",
    ),
    ServiceSpec(
        key="AddressSearch",
        cbss_name="NRPPersonService",
        title="Search persons by address",
        group="registers",
        protocol="soa",
        version="v1",
        operations=(
            planned("searchPersonByAddress", "search_by_address", "Persons at an address."),
        ),
        facts="cbss-facts §0",
    ),
    ServiceSpec(
        key="FamilyComposition",
        cbss_name="FamilyComposition",
        title="Family composition",
        group="registers",
        protocol="ssdn",
        version="unknown",
        operations=(planned("consult", "consult", "The family composition of a person."),),
        facts="cbss-facts §2.5",
    ),
    # ----------------------------------------------------------------- Mediprima, Flemish
    ServiceSpec(
        key="ManageCarmed",
        cbss_name="ManageCarmed",
        title="Mediprima medical cards",
        group="mediprima",
        protocol="soa",
        version="v2",
        operations=tuple(
            planned(name, python_name, summary)
            for name, python_name, summary in (
                ("openCarmed", "open", "Open a medical card."),
                ("modifyCarmed", "modify", "Modify a medical card."),
                ("stopCarmed", "stop", "Stop a medical card."),
                ("consultCarmed", "consult", "Consult a medical card."),
                ("evaluateCarmed", "evaluate", "Evaluate a medical card."),
                ("consultCarmedHistory", "history", "History of a medical card."),
            )
        ),
        facts="cbss-facts §5",
    ),
    ServiceSpec(
        key="QualificationCertificates",
        cbss_name="QualificationCertificateService",
        title="Flemish qualification certificates (LED)",
        group="flemish",
        protocol="soa",
        version="unknown",
        operations=(planned("consult", "consult", "Certificates of a person."),),
        facts="cbss-facts §6",
    ),
    # ----------------------------------------------------------------- notifications
    *(
        ServiceSpec(
            key=name[0].upper() + name[1:],
            cbss_name=name,
            title=title,
            group="notifications",
            protocol="soa",
            version="unknown",
            operations=(planned(name, "receive", title),),
            facts="cbss-facts §7",
        )
        for name, title in (
            ("notifyPersonSSIN", "Mutations of a person's SSIN"),
            ("notifyFamilyComposition", "Mutations of a family composition"),
            ("pensionRegisterMutation", "Pension register mutations"),
            ("personnelFile", "Dimona personnel file mutations"),
            ("selfEmployedCareerNotifications", "Self-employed career mutations"),
            ("eCarmedCalculationNotification", "Carmed calculation notifications"),
        )
    ),
)
