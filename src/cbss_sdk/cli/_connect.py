"""Turning the resolved configuration into a client: credentials, organisation, trust, or the simulator.

``--env simulator`` gives a client bound to an in-process simulator (no
network, throw-away certificates); any other environment gives a real
:class:`~cbss_sdk.CbssClient` built from the configuration, after checking
that what the service needs (a certificate to sign, a CBE number, an SSDN
user) is there, so the user learns which setting is missing before anything
is sent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..errors import CredentialsError
from ._config import PASSWORD_VARIABLE, Settings, prompt_password, read_password
from ._errors import CliError, UsageError

if TYPE_CHECKING:
    from .. import catalog
    from .._client import CbssClient
    from .._credentials import Credentials
    from ..testing import Simulator

__all__ = ["load_credentials", "make_simulator", "open_client"]


def make_simulator(seed: int = 0) -> Simulator:
    """An in-process simulator over the default synthetic population."""
    from ..testing import Simulator

    return Simulator(seed=seed)


def load_credentials(settings: Settings, environ: Mapping[str, str] | None = None) -> Credentials:
    """The organisation's key and certificate from the configured PKCS#12 file."""
    from .._credentials import Credentials

    if settings.cert is None:
        raise UsageError(
            "no certificate configured: give --cert FILE.p12, set CBSS_CERT, or put "
            "cert = '...' in cbss.toml"
        )
    path = settings.cert
    password = read_password(
        path,
        password_env=settings.password_env,
        from_flag=settings.source("password_env") == "flag",
        environ=environ,
    )
    if password is not None:
        return Credentials.from_pkcs12(path, password)
    try:
        return Credentials.from_pkcs12(path, None)
    except CredentialsError as exc:
        if exc.cause != "wrong-password":
            raise
    typed = prompt_password(path)
    if typed is None:
        raise CliError(
            f"{path}: the PKCS#12 file is password-protected; set {PASSWORD_VARIABLE} "
            "(or name another variable with --password-env VAR)"
        )
    return Credentials.from_pkcs12(path, typed)


def _needs(service: catalog.ServiceSpec | None) -> tuple[bool, bool, bool]:
    """(signature, organisation, SSDN user) needed by calls to *service*."""
    if service is None:
        return True, True, True
    if service.protocol == "ssdn":
        return False, True, True
    # TestConnection is the one SOA service without the CommonV3 customer header.
    return True, service.key != "TestConnection", False


def _real_client(
    settings: Settings, service: catalog.ServiceSpec | None, environ: Mapping[str, str] | None
) -> CbssClient:
    from .._client import CbssClient
    from .._organization import Organization, SsdnUser
    from ..transport import DEFAULT_TIMEOUT
    from ..wsse import VerificationConfig

    sign, needs_org, needs_user = _needs(service)
    credentials = None
    if sign or settings.cert is not None:
        credentials = load_credentials(settings, environ)

    organization = None
    if settings.cbe is not None or (
        settings.sector is not None and settings.institution is not None
    ):
        organization = Organization(
            cbe_number=settings.cbe, sector=settings.sector, institution=settings.institution
        )
    elif needs_org:
        raise UsageError(
            "no organisation configured: set CBSS_CBE (or --cbe), or both CBSS_SECTOR and "
            "CBSS_INSTITUTION"
        )

    ssdn_user = None
    if settings.ssdn_user is not None and settings.ssdn_email is not None:
        ssdn_user = SsdnUser(settings.ssdn_user, settings.ssdn_email)
    elif needs_user:
        raise UsageError(
            "legacy (SSDN) services need an SSDN user: set CBSS_SSDN_USER and CBSS_SSDN_EMAIL "
            "(or --ssdn-user / --ssdn-email)"
        )

    verification = VerificationConfig(
        policy=settings.verification or "required", ca_bundle=settings.ca_bundle
    )
    environment = settings.environment
    if environment is None and settings.base_url is None:
        environment = "acpt"
    return CbssClient(
        environment=environment,
        base_url=settings.base_url,
        credentials=credentials,
        organization=organization,
        ssdn_user=ssdn_user,
        verification=verification,
        timeout=settings.timeout if settings.timeout is not None else DEFAULT_TIMEOUT,
    )


@contextmanager
def open_client(
    settings: Settings,
    *,
    service: catalog.ServiceSpec | None = None,
    seed: int = 0,
    environ: Mapping[str, str] | None = None,
) -> Iterator[CbssClient]:
    """A client for the configured environment, closed when the block ends."""
    if settings.is_simulator:
        simulator = make_simulator(seed)
        overrides = {} if settings.timeout is None else {"timeout": settings.timeout}
        client = simulator.client(**overrides)
    else:
        client = _real_client(settings, service, environ)
    with client:
        yield client
