"""Service facades: one class per CBSS service, typed keyword arguments in, typed results out.

Each facade works on :class:`~cbss_sdk.CbssClient` (returns results) and
:class:`~cbss_sdk.AsyncCbssClient` (returns awaitables).
"""

from ._facade import Facade, Page, operation, paged_operation
from ._identify_person import Gender, IdentifyPerson, IdentifyPersonResult
from ._manage_access import ManageAccess, ManageAccessResult, ProofOfAuthentication, Purpose
from ._perform_investigation import DataGroup, PerformInvestigation, PerformInvestigationResult
from ._retrieve_ti_groups import RetrieveTIGroups, Tx25Result
from ._ssdn_results import SsdnResult
from ._test_connection import TestConnection, TestConnectionResult

__all__ = [
    "DataGroup",
    "Facade",
    "Gender",
    "IdentifyPerson",
    "IdentifyPersonResult",
    "ManageAccess",
    "ManageAccessResult",
    "Page",
    "PerformInvestigation",
    "PerformInvestigationResult",
    "ProofOfAuthentication",
    "Purpose",
    "RetrieveTIGroups",
    "SsdnResult",
    "TestConnection",
    "TestConnectionResult",
    "Tx25Result",
    "operation",
    "paged_operation",
]
