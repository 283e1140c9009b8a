"""Test helpers shipped with the SDK: the CBSS simulator, its population, pytest plugin and certificates.

Import from here, not from the private modules::

    from cbss_sdk.testing import Simulator, make_test_credentials

    sim = Simulator()
    with sim.client() as client:
        ...

Names are loaded on first use, so importing this package (which the pytest
plugin does at every pytest start) costs nothing until a name is used.
See ``docs/simulator.md`` and ``docs/pytest-plugin.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._asgi import SimulatorApp
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
    from ._checks import Registration, RegistrationStore
    from ._engine_ssdn import SSDN_REASON_CODES
    from ._population import (
        PERSONA_SSINS,
        UNKNOWN_SSIN,
        Address,
        Person,
        PersonaInfo,
        Population,
        default_population,
    )
    from ._registry import (
        Handler,
        SimContext,
        SimRequest,
        SimulatedBusinessError,
        SimulatedFault,
        SimulatedSsdnError,
        SsdnAnswer,
        handler,
        handlers,
    )
    from ._server import SimulatorServer, run_server
    from ._simulator import (
        SIMULATOR_CBE,
        SIMULATOR_CERTIFICATE_SUBJECT,
        SIMULATOR_SSDN_USER,
        RequestRecord,
        Simulator,
    )
    from ._stubs import Stub

_LAZY: dict[str, str] = {
    **dict.fromkeys(
        (
            "DEFAULT_CA_SUBJECT",
            "DEFAULT_LEAF_SUBJECT",
            "DEFAULT_TEST_PASSWORD",
            "GeneratedCertificate",
            "cached_private_key",
            "make_self_signed_certificate",
            "make_test_ca",
            "make_test_certificate",
            "make_test_credentials",
        ),
        "._certs",
    ),
    **dict.fromkeys(
        (
            "SIMULATOR_CBE",
            "SIMULATOR_CERTIFICATE_SUBJECT",
            "SIMULATOR_SSDN_USER",
            "RequestRecord",
            "Simulator",
        ),
        "._simulator",
    ),
    **dict.fromkeys(
        (
            "Handler",
            "SimContext",
            "SimRequest",
            "SimulatedBusinessError",
            "SimulatedFault",
            "SimulatedSsdnError",
            "SsdnAnswer",
            "handler",
            "handlers",
        ),
        "._registry",
    ),
    **dict.fromkeys(
        (
            "PERSONA_SSINS",
            "UNKNOWN_SSIN",
            "Address",
            "Person",
            "PersonaInfo",
            "Population",
            "default_population",
        ),
        "._population",
    ),
    "Registration": "._checks",
    "RegistrationStore": "._checks",
    "SSDN_REASON_CODES": "._engine_ssdn",
    "SimulatorApp": "._asgi",
    "SimulatorServer": "._server",
    "run_server": "._server",
    "Stub": "._stubs",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cbss_sdk.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "DEFAULT_CA_SUBJECT",
    "DEFAULT_LEAF_SUBJECT",
    "DEFAULT_TEST_PASSWORD",
    "PERSONA_SSINS",
    "SIMULATOR_CBE",
    "SIMULATOR_CERTIFICATE_SUBJECT",
    "SIMULATOR_SSDN_USER",
    "SSDN_REASON_CODES",
    "UNKNOWN_SSIN",
    "Address",
    "GeneratedCertificate",
    "Handler",
    "Person",
    "PersonaInfo",
    "Population",
    "Registration",
    "RegistrationStore",
    "RequestRecord",
    "SimContext",
    "SimRequest",
    "SimulatedBusinessError",
    "SimulatedFault",
    "SimulatedSsdnError",
    "Simulator",
    "SimulatorApp",
    "SimulatorServer",
    "SsdnAnswer",
    "Stub",
    "cached_private_key",
    "default_population",
    "handler",
    "handlers",
    "make_self_signed_certificate",
    "make_test_ca",
    "make_test_certificate",
    "make_test_credentials",
    "run_server",
]
