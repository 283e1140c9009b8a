"""``cbss simulator``: the CBSS simulator as a real HTTP server, for applications in other processes.

The same simulator ``cbss demo`` uses in process, served over HTTP by
uvicorn (the ``cli``/``simulator`` extras), so an application, a Java or
PHP client, or ``cbss call --base-url`` can be pointed at it.  The command
prints the base URL and how to configure a client; ``--client-files DIR``
writes what a client needs to talk to it (a throw-away PKCS#12, the
simulator's reply-signing certificate to trust, and a ``cbss.toml``).
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import EXIT_OK, CliError, UsageError
from ._output import make_console

if TYPE_CHECKING:
    from ..testing import Simulator

__all__ = ["add_parser", "run", "write_client_files"]

CLIENT_P12 = "simulator-client.p12"
SIMULATOR_PEM = "simulator-signing.pem"
CLIENT_TOML = "cbss.toml"


def add_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "simulator",
        parents=parents,
        help="run the CBSS simulator as an HTTP server",
        description="Serve the CBSS simulator (synthetic population, signed replies) over "
        'HTTP until interrupted (Ctrl-C). Needs uvicorn: pip install "cbss-sdk[cli]".',
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on [127.0.0.1]")
    parser.add_argument("--port", type=int, default=8450, help="port to listen on [8450]")
    parser.add_argument("--seed", type=int, default=0, help="population seed [0]")
    parser.add_argument(
        "--no-sign",
        action="store_true",
        help="do not sign replies (for clients that cannot verify signatures)",
    )
    parser.add_argument(
        "--client-files",
        metavar="DIR",
        help="write a throw-away client PKCS#12, the simulator's signing certificate and a "
        "cbss.toml into DIR",
    )
    parser.add_argument(
        "--personas",
        action="store_true",
        help="list the personas (SSINs that trigger each behaviour) and exit",
    )
    parser.set_defaults(handler=run)


def server_url(host: str, port: int) -> str:
    """``http://host:port`` as a client on this machine reaches it."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - describing the address, not binding
        host = "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _check_port(host: str, port: int) -> None:
    """Fail with one line when the address is taken (uvicorn would log and exit)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CliError(
                f"cannot listen on {host}:{port} ({exc.strerror or type(exc).__name__}); "
                "choose another --port"
            ) from None


def write_client_files(
    directory: Path, simulator: Simulator, url: str, *, verification: str | None = None
) -> list[Path]:
    """Write the client PKCS#12 (no password), the simulator certificate and a cbss.toml.

    The PKCS#12 is a throw-away test certificate (the simulator trusts any
    signer); the TOML names it, trusts the simulator's signing certificate and
    sets the simulator's organisation and SSDN user.
    """
    from cryptography.hazmat.primitives import serialization

    from ..testing import make_test_certificate

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"{directory}: cannot be created ({exc.strerror})") from None
    client = simulator.client()
    organization = client.organization
    ssdn_user = client.ssdn_user
    client.close()
    leaf = make_test_certificate()
    p12 = directory / CLIENT_P12
    pem = directory / SIMULATOR_PEM
    toml = directory / CLIENT_TOML
    lines = [
        "# Throw-away configuration for the cbss-sdk simulator (synthetic data only).",
        f'base_url = "{url}"',
        f'cert = "{CLIENT_P12}"',
        f'ca_bundle = "{SIMULATOR_PEM}"',
    ]
    if verification is not None:
        lines.append(f'verification = "{verification}"')
    if organization is not None and organization.cbe_number is not None:
        lines.append(f'cbe = "{organization.cbe_number}"')
    if ssdn_user is not None:
        lines.append(f'ssdn_user = "{ssdn_user.user_id}"')
        lines.append(f'ssdn_email = "{ssdn_user.email}"')
    try:
        p12.write_bytes(leaf.pkcs12(password=None))
        pem.write_bytes(simulator.certificate.public_bytes(serialization.Encoding.PEM))
        toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{directory}: cannot write the client files ({exc.strerror})") from None
    return [p12, pem, toml]


def _print_personas(simulator: Simulator) -> None:
    console = make_console()
    from rich.table import Table

    personas = getattr(simulator.population, "personas", None)
    table = Table(
        title=f"Simulator personas (seed {simulator.seed}; synthetic numbers)", title_justify="left"
    )
    table.add_column("tag", no_wrap=True)
    table.add_column("SSIN", no_wrap=True)
    for column in ("name", "behaviour", "error raised"):
        table.add_column(column, overflow="fold")
    for persona in personas() if callable(personas) else ():
        table.add_row(
            persona.tag, persona.ssin, persona.name, persona.behaviour, persona.error or ""
        )
    console.print(table)


def run(args: argparse.Namespace) -> int:
    if args.personas:
        from ..testing import Simulator

        _print_personas(Simulator(seed=args.seed))
        return EXIT_OK
    if not 0 < args.port < 65536:
        raise UsageError("--port must be between 1 and 65535")
    try:
        import uvicorn  # noqa: F401  (checked first: the message comes before anything starts)
    except ImportError:
        raise CliError('cbss simulator needs uvicorn: pip install "cbss-sdk[cli]"') from None
    from ..testing import Simulator, run_server
    from ..testing._engine_soa import SOA_BASE_PATH
    from ..transport import SSDN_CONNECTOR_PATH

    _check_port(args.host, args.port)
    simulator = Simulator(seed=args.seed, sign_replies=not args.no_sign)
    root = server_url(args.host, args.port)
    url = root + SOA_BASE_PATH
    lines = [
        f"CBSS simulator (synthetic data, seed {args.seed}, "
        f"{len(simulator.population)} persons) listening on {root}",
        f"  SOA base URL:    {url}",
        f"  SSDN connector:  {root}{SSDN_CONNECTOR_PATH}",
        f"  status page:     {root}/",
        "  replies are "
        + ("NOT signed" if args.no_sign else "signed with the simulator's test certificate"),
    ]
    if args.client_files:
        files = write_client_files(
            Path(args.client_files),
            simulator,
            url,
            verification="if_present" if args.no_sign else None,
        )
        lines.append("Client files: " + ", ".join(str(f) for f in files))
        lines.append(f"Try:  cbss test-connection --config {files[-1]}")
    else:
        lines.append(
            "Try:  restart with --client-files DIR, then: cbss test-connection --config DIR/"
            + CLIENT_TOML
        )
    lines.append(
        f"Python: CbssClient(base_url={url!r}, credentials=..., organization=..., "
        "verification=VerificationConfig(pinned_certificate=<the simulator certificate>))"
    )
    lines.append("Press Ctrl-C to stop.")
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn handles SIGINT; be sure anyway
        run_server(simulator, host=args.host, port=args.port)
    return EXIT_OK
