"""Test helpers shipped with the SDK: throw-away certificates (and, later, the CBSS simulator).

Import from here, not from the private modules::

    from cbss_sdk.testing import make_test_credentials
"""

from __future__ import annotations

from ._certs import (
    DEFAULT_CA_SUBJECT,
    DEFAULT_LEAF_SUBJECT,
    DEFAULT_TEST_PASSWORD,
    GeneratedCertificate,
    cached_private_key,
    make_self_signed_certificate,
    make_test_ca,
    make_test_certificate,
    make_test_credentials,
)

__all__ = [
    "DEFAULT_CA_SUBJECT",
    "DEFAULT_LEAF_SUBJECT",
    "DEFAULT_TEST_PASSWORD",
    "GeneratedCertificate",
    "cached_private_key",
    "make_self_signed_certificate",
    "make_test_ca",
    "make_test_certificate",
    "make_test_credentials",
]
