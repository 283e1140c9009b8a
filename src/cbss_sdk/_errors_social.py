"""Typed business errors of the social-database services (Dolsis, Handiservice).

The codes these classes stand for are the services' own refusals; the
catalog (``_catalog_social``) maps each code to its class, and
:mod:`cbss_sdk.errors` re-exports them.  Codes that only mean "nothing
found" (``DOLS0000``, ``TAXA0007``, ``HAN00022``…) are not here: they are
outcomes on the result, not errors.
"""

from __future__ import annotations

from .errors import CbssBusinessError

__all__ = [
    "DolsisFamilyCompositionFailed",
    "HandiClientNotAuthorized",
    "HandiInformationNotAuthorized",
    "HandiPaymentPeriodRefused",
    "HandiSourceError",
    "HandiserviceError",
]


class DolsisFamilyCompositionFailed(CbssBusinessError):
    """DOLS0009: Dolsis failed while processing the family composition; nothing was returned."""

    code_default = "DOLS0009"


class HandiserviceError(CbssBusinessError):
    """A refusal of Handiservice (the disability file of the DG Persons with disabilities)."""


class HandiClientNotAuthorized(HandiserviceError):
    """HAN00010: your organisation is not authorised for Handiservice."""

    code_default = "HAN00010"


class HandiInformationNotAuthorized(HandiserviceError):
    """HAN00011: your organisation may not receive (some of) the information asked for."""

    code_default = "HAN00011"


class HandiPaymentPeriodRefused(HandiserviceError):
    """HAN00020 / HAN00021: the payment period is longer than two years or not ascending.

    The facade checks both before sending, so this comes back only when a
    caller bypasses it.
    """

    code_default = "HAN00020"


class HandiSourceError(HandiserviceError):
    """HAN00030-HAN00033: the DG Persons with disabilities failed or did not answer."""

    code_default = "HAN00031"
