"""The command-line options shared by the commands that talk to CBSS, and their resolution.

Every flag here has an environment variable and a configuration-file key of
the same meaning (see :mod:`cbss_sdk.cli._config`); the flags default to
"not given" so the lower-precedence sources can fill them.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._config import ENVIRONMENTS, VERIFICATION_POLICIES, Settings, load_settings

__all__ = ["ArgumentParser", "connection_options", "debug_options", "settings_from_args"]


class ArgumentParser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting on a bad command line.

    ``main`` turns the error into the single ``cbss: error: …`` line every
    other failure gets.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No prefix matching: "--password SECRET" must not be taken for "--password-env".
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        from ._errors import UsageError

        raise UsageError(f"{message} (see: {self.prog} --help)")


def debug_options(*, top: bool) -> ArgumentParser:
    """``--debug``: accepted before or after the command name."""
    parser = ArgumentParser(add_help=False)
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="show tracebacks and the SDK's (masked) debug log on stderr",
    )
    return parser


def connection_options() -> ArgumentParser:
    """Options selecting the CBSS environment, the credentials and the organisation."""
    parser = ArgumentParser(add_help=False)
    group = parser.add_argument_group("connection (flags > environment variables > cbss.toml)")
    group.add_argument("--config", metavar="FILE", help="TOML configuration file")
    group.add_argument(
        "--env",
        dest="environment",
        choices=ENVIRONMENTS,
        metavar="{" + ",".join(ENVIRONMENTS) + "}",
        help="CBSS platform, or the in-process simulator [CBSS_ENV; default acpt]",
    )
    group.add_argument("--base-url", metavar="URL", help="SOA base URL [CBSS_BASE_URL]")
    group.add_argument("--cert", metavar="FILE.p12", help="PKCS#12 key and certificate [CBSS_CERT]")
    group.add_argument(
        "--password-env",
        metavar="VAR",
        help="environment variable holding the certificate password "
        "[default: CBSS_CERT_PASSWORD; prompts on a terminal]",
    )
    group.add_argument("--cbe", metavar="NUMBER", help="CBE number of the organisation [CBSS_CBE]")
    group.add_argument("--sector", metavar="N", help="sector, 17 for a CPAS [CBSS_SECTOR]")
    group.add_argument(
        "--institution", metavar="N", help="institution, 1 for a CPAS [CBSS_INSTITUTION]"
    )
    group.add_argument("--ssdn-user", metavar="ID", help="SSDN user id [CBSS_SSDN_USER]")
    group.add_argument(
        "--ssdn-email", metavar="EMAIL", help="SSDN contact e-mail [CBSS_SSDN_EMAIL]"
    )
    group.add_argument(
        "--ca-bundle",
        metavar="FILE.pem",
        help="certificates trusted for CBSS reply signatures [CBSS_CA_BUNDLE]",
    )
    group.add_argument("--timeout", metavar="SECONDS", help="network timeout [CBSS_TIMEOUT]")
    group.add_argument(
        "--verification",
        choices=VERIFICATION_POLICIES,
        help="reply signature check [CBSS_VERIFICATION; default required]",
    )
    group.add_argument(
        "--seed",
        type=int,
        default=0,
        help="population seed of the in-process simulator (--env simulator) [default 0]",
    )
    return parser


_FLAG_NAMES = (
    "environment",
    "base_url",
    "cert",
    "password_env",
    "cbe",
    "sector",
    "institution",
    "ssdn_user",
    "ssdn_email",
    "ca_bundle",
    "timeout",
    "verification",
)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The configuration for this run: the parsed flags over the environment over the file."""
    flags = {name: getattr(args, name, None) for name in _FLAG_NAMES}
    return load_settings(flags, config=getattr(args, "config", None))
