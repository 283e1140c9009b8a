"""Simulated TestConnectionService v1: echo the text and the client certificate.

CBSS answers ``sendTestMessage`` with the text it received and the TLS client
certificate it saw on the connection.  In process there is no TLS, so the
simulator sends back the certificate that signed the request (its
WS-Security BinarySecurityToken), base64 DER — the certificate a CBSS
customer registers for both purposes.
"""

from __future__ import annotations

from typing import Any

from ...models.test_connection_v1.be.fgov.kszbcss.intf.test_connection_service_service.v1 import (
    SendTestMessageResponse,
)
from .._registry import SimContext, SimRequest, handler

__all__ = ["NO_CERTIFICATE", "build_test_connection_response"]

#: What ``sslCertificate`` holds when the request was not signed (no certificate seen).
NO_CERTIFICATE = ""


def build_test_connection_response(echo: str, certificate_base64: str | None) -> Any:
    """``sendTestMessageResponse`` with *echo* and the certificate (base64 DER, or empty)."""
    return SendTestMessageResponse(echo=echo, ssl_certificate=certificate_base64 or NO_CERTIFICATE)


@handler("TestConnection", "sendTestMessage")
def send_test_message(ctx: SimContext, request: SimRequest) -> Any:
    model: Any = request.model
    response = build_test_connection_response(model.echo, request.signer_certificate_base64)
    return ctx.soa_response(
        SendTestMessageResponse, echo=response.echo, ssl_certificate=response.ssl_certificate
    )
