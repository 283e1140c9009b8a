"""``cbss test-connection``: the first thing to run against a CBSS environment.

It sends TestConnection's echo (no personal data) and shows whether the
echo came back intact, the ticket CBSS gave the call (quote it to CBSS
support), the environment, and the client certificate CBSS saw.  A
mismatching echo exits with 1, so the command can guard a deployment.
"""

from __future__ import annotations

import argparse
import base64
import binascii
from collections.abc import Sequence
from typing import Any

from cryptography import x509

from .. import catalog
from .._redact import mask_national_numbers
from ._connect import open_client
from ._errors import EXIT_FAILURE, EXIT_OK
from ._options import settings_from_args
from ._output import dump_json, make_console

__all__ = ["add_parser", "certificate_subject", "run"]


def add_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "test-connection",
        parents=parents,
        help="send TestConnection's echo and show the CBSS ticket",
        description="Call TestConnectionService.sendTestMessage: checks the network path, "
        "the certificate and the signature without touching personal data. Exits 1 when "
        "the echo does not come back intact.",
    )
    parser.add_argument("--echo", default="cbss-sdk", help="text to echo [default: cbss-sdk]")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


def certificate_subject(text: str) -> str | None:
    """The subject of the certificate CBSS reports (PEM or base64 DER), masked; ``None`` if unreadable."""
    if not text or not text.strip():
        return None
    raw = text.strip()
    try:
        if "-----BEGIN" in raw:
            cert = x509.load_pem_x509_certificate(raw.encode("ascii"))
        else:
            cert = x509.load_der_x509_certificate(base64.b64decode("".join(raw.split())))
    except (ValueError, binascii.Error, UnicodeEncodeError):
        return None
    return mask_national_numbers(cert.subject.rfc4514_string())


def run(args: argparse.Namespace) -> int:
    from ..services import TestConnection

    settings = settings_from_args(args)
    if not args.json:
        console = make_console()
    with open_client(settings, service=catalog.service("TestConnection"), seed=args.seed) as client:
        endpoint = client.environment.soa_url(
            catalog.service("TestConnection").operation("sendTestMessage").path
        )
        result = TestConnection(client).send_test_message(args.echo)
    seen = certificate_subject(result.ssl_certificate)
    if args.json:
        dump_json(
            {
                "environment": result.meta.environment,
                "endpoint": endpoint,
                "sent": result.sent,
                "echo": result.echo,
                "echo_matches": result.echo_matches,
                "cbss_ticket": result.meta.cbss_ticket,
                "customer_ticket": result.meta.customer_ticket,
                "certificate_seen": seen,
            }
        )
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(title="CBSS TestConnection", title_justify="left", show_header=False)
        table.add_column("what", style="bold")
        table.add_column("value", overflow="fold")
        table.add_row("environment", result.meta.environment)
        table.add_row("endpoint", endpoint)
        table.add_row("echo sent", result.sent)
        table.add_row("echo received", result.echo)
        table.add_row(
            "echo matches",
            Text("yes", style="green") if result.echo_matches else Text("NO", style="bold red"),
        )
        table.add_row("CBSS ticket", result.meta.cbss_ticket or "—")
        table.add_row("customer ticket", result.meta.customer_ticket or "—")
        table.add_row("certificate CBSS saw", seen or "—")
        console.print(table)
    if not result.echo_matches:
        import sys

        sys.stderr.write("cbss: error: the echo CBSS returned differs from the one sent\n")
        return EXIT_FAILURE
    return EXIT_OK
