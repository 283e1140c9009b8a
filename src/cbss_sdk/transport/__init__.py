"""The transport layer: environments, call descriptions, retries, logging and the audit journal.

The clients themselves (:class:`~cbss_sdk.CbssClient`,
:class:`~cbss_sdk.AsyncCbssClient`) live in :mod:`cbss_sdk._client`; this
package holds the pieces they are made of and that protocol layers use
(:class:`CallInfo`, :class:`Outcome`, :class:`SoapReply`).
"""

from __future__ import annotations

from ._audit import AuditHook, AuditRecord
from ._call import CallInfo, Outcome, ProtocolName, SoapReply
from ._environments import (
    ENV_ACPT,
    ENV_PROD,
    ENV_TEST,
    ENVIRONMENTS,
    SSDN_CONNECTOR_PATH,
    Environment,
    resolve_environment,
)
from ._http import DEFAULT_TIMEOUT, USER_AGENT
from ._logging import error_summary, logger
from ._retry import DEFAULT_RETRY, RETRYABLE_STATUS_CODES, RetryPolicy

__all__ = [
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "ENVIRONMENTS",
    "ENV_ACPT",
    "ENV_PROD",
    "ENV_TEST",
    "RETRYABLE_STATUS_CODES",
    "SSDN_CONNECTOR_PATH",
    "USER_AGENT",
    "AuditHook",
    "AuditRecord",
    "CallInfo",
    "Environment",
    "Outcome",
    "ProtocolName",
    "RetryPolicy",
    "SoapReply",
    "error_summary",
    "logger",
    "resolve_environment",
]
