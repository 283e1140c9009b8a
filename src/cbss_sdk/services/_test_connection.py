"""TestConnection: the echo service CBSS offers to check connectivity and credentials.

Clients call it before real consultations (cbss-facts §8): it proves the
network path, the TLS client certificate and the WS-Security signature
work, without touching anyone's personal data.
"""

from __future__ import annotations

import attrs

from .. import catalog
from .._prepared import PreparedCall
from .._results import CallMeta
from ..models.test_connection_v1.be.fgov.kszbcss.intf.test_connection_service_service.v1 import (
    SendTestMessageRequest,
    SendTestMessageResponse,
)
from ..soa import SoaReply, prepare_soa_call
from ._args import check_text
from ._facade import C, Facade, operation

__all__ = ["TestConnection", "TestConnectionResult"]

_SERVICE = catalog.service("TestConnection")
_SEND = _SERVICE.operation("sendTestMessage")


@attrs.frozen
class TestConnectionResult:
    """The echo CBSS sent back and the client TLS certificate it saw (PEM/base64 text)."""

    __test__ = False  # not a pytest test class

    meta: CallMeta
    sent: str
    echo: str
    ssl_certificate: str = attrs.field(repr=False)

    @property
    def echo_matches(self) -> bool:
        """True when CBSS echoed exactly what was sent."""
        return self.echo == self.sent


class TestConnection(Facade[C]):
    """CBSS ``TestConnectionService`` v1 (SOA). No legal context, no personal data."""

    __test__ = False  # not a pytest test class
    service_key = "TestConnection"

    @operation
    def send_test_message(self, echo: str = "cbss-sdk") -> PreparedCall[TestConnectionResult]:
        """CBSS operation ``sendTestMessage``: send *echo*, get it back.

        Args:
            echo: any short text (not personal data: it travels and is logged by CBSS).

        Returns:
            A :class:`TestConnectionResult`; check ``echo_matches``.
        """
        text = check_text(echo, field="echo", max_length=256)
        assert text is not None

        def build(reply: SoaReply[SendTestMessageResponse]) -> TestConnectionResult:
            response = reply.response
            return TestConnectionResult(
                meta=reply.meta,
                sent=text,
                echo=response.echo,
                ssl_certificate=response.ssl_certificate,
            )

        return prepare_soa_call(
            self._client,
            _SERVICE,
            _SEND,
            SendTestMessageRequest,
            {"echo": text},
            response_type=SendTestMessageResponse,
            build=build,
            common_header=False,
        )
