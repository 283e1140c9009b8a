"""Where CBSS lives: the three public environments and custom base URLs.

CBSS runs a test, an acceptance and a production platform on hosts that
differ only by the environment name.  New-generation (SOA) services share
one base URL per environment (the endpoint of an operation is that base plus
the operation path); legacy SSDN services share a single connector URL.  A
simulator or a forwarding proxy is reached by giving a ``base_url`` of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import urljoin, urlsplit

import attrs

from ..errors import ConfigurationError

__all__ = [
    "ENVIRONMENTS",
    "ENV_ACPT",
    "ENV_PROD",
    "ENV_TEST",
    "SSDN_CONNECTOR_PATH",
    "Environment",
    "resolve_environment",
]

#: Path of the SSDN web-service connector on a CBSS host (and on a simulator).
SSDN_CONNECTOR_PATH = "/connectors/webservice/KSZBCSSWebServiceConnectorPort"


def _check_url(value: str, what: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(f"{what} must be an absolute http(s) URL")
    if parts.query or parts.fragment:
        raise ConfigurationError(f"{what} must not carry a query or a fragment")
    return value


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


@attrs.frozen
class Environment:
    """A CBSS platform: its name (for logs and errors) and its two entry points.

    ``soa_base_url`` always ends with ``/``; :meth:`soa_url` appends an
    operation path such as ``RetrieveTIGroupsService/v2/retrieveTI``.
    """

    name: str
    soa_base_url: str = attrs.field(converter=_with_slash)
    ssdn_url: str

    def __attrs_post_init__(self) -> None:
        if not self.name.strip():
            raise ConfigurationError("Environment.name must not be empty")
        _check_url(self.soa_base_url, "Environment.soa_base_url")
        _check_url(self.ssdn_url, "Environment.ssdn_url")

    def soa_url(self, path: str) -> str:
        """The endpoint of a new-generation operation: the base URL plus ``path``."""
        return self.soa_base_url + path.lstrip("/")


def _cbss(name: str) -> Environment:
    host = f"bcssksz-services-{name}.smals.be"
    return Environment(
        name=name,
        soa_base_url=f"https://{host}:443/SOA4520/",
        ssdn_url=f"https://{host}{SSDN_CONNECTOR_PATH}",
    )


#: CBSS test platform (called "dvlp" in some CBSS documents).
ENV_TEST = _cbss("test")
#: CBSS acceptance platform: where a new integration is validated with CBSS.
ENV_ACPT = _cbss("acpt")
#: CBSS production platform: real people, real legal obligations.
ENV_PROD = _cbss("prod")

#: The public environments by name.
ENVIRONMENTS: Mapping[str, Environment] = MappingProxyType(
    {env.name: env for env in (ENV_TEST, ENV_ACPT, ENV_PROD)}
)


def resolve_environment(
    environment: str | Environment | None,
    *,
    base_url: str | None = None,
    ssdn_url: str | None = None,
) -> Environment:
    """Turn the client's ``environment``/``base_url``/``ssdn_url`` arguments into an :class:`Environment`.

    * a name (``"test"``, ``"acpt"``, ``"prod"``, any case) or an
      :class:`Environment` selects that platform;
    * ``base_url`` replaces the SOA base URL (a simulator, a proxy) and keeps
      the environment name for logs; with ``environment=None`` the name is
      ``"custom"``;
    * ``ssdn_url`` replaces the SSDN connector URL.  When only ``base_url`` is
      given, the SSDN connector is looked for on the same host, at
      ``/connectors/webservice/KSZBCSSWebServiceConnectorPort``.

    An unknown name raises :class:`~cbss_sdk.errors.ConfigurationError`
    listing the valid names.
    """
    if isinstance(environment, Environment):
        resolved: Environment | None = environment
    elif environment is None:
        resolved = None
    elif isinstance(environment, str):
        key = environment.strip().lower()
        if key not in ENVIRONMENTS:
            valid = ", ".join(repr(name) for name in ENVIRONMENTS)
            raise ConfigurationError(
                f"unknown CBSS environment {environment.strip()[:40]!r}; valid names: {valid}"
                " (or give base_url=...)"
            )
        resolved = ENVIRONMENTS[key]
    else:
        raise ConfigurationError("environment must be a name, an Environment or None")

    if base_url is not None:
        _check_url(base_url, "base_url")
        derived_ssdn = urljoin(base_url, SSDN_CONNECTOR_PATH)
        return Environment(
            name=resolved.name if resolved is not None else "custom",
            soa_base_url=base_url,
            ssdn_url=ssdn_url if ssdn_url is not None else derived_ssdn,
        )
    if resolved is None:
        raise ConfigurationError("give an environment name ('test', 'acpt', 'prod') or a base_url")
    if ssdn_url is not None:
        return attrs.evolve(resolved, ssdn_url=ssdn_url)
    return resolved
