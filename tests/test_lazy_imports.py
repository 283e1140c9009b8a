"""Lazy loading: a facade brings its own service's generated models and nothing of the others.

``cbss_sdk`` and ``cbss_sdk.services`` resolve their names on first use
(PEP 562), so that ``from cbss_sdk import RetrieveTIGroups`` and a first TX25
call do not pay for the twenty other services.  What a fresh interpreter
imports is checked in subprocesses, by looking at ``sys.modules``.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization

import cbss_sdk
import cbss_sdk.services as services
from cbss_sdk import catalog
from cbss_sdk.services import Facade, operation, paged_operation

TX25_MODELS = "cbss_sdk.models.retrieve_ti_groups_v2"

#: Facades that import another facade's module on purpose: ReferenceManager takes the
#: ``Purpose`` of ManageAccess (the same CBSS codes).
USES: dict[str, set[str]] = {"ReferenceManager": {"ManageAccess"}}

#: Packages ``import cbss_sdk`` must leave for later (the client, signing, binding, the CLI).
HEAVY = (
    "httpx",
    "lxml",
    "xsdata",
    "cryptography",
    "signxml",
    "asyncio",
    "click",
    "rich",
    "cbss_sdk.models",
    "cbss_sdk.services",
    "cbss_sdk.catalog",
    "cbss_sdk.wsse",
    "cbss_sdk.transport",
)


def _facade_names() -> list[str]:
    names = {spec.facade_name for spec in catalog.SERVICES if spec.facade_name}
    return sorted(name for name in names if name is not None)


def _facade_module(name: str) -> str:
    module: str = getattr(services, name).__module__
    return module


def _model_packages(modules: set[str]) -> set[str]:
    return {".".join(m.split(".")[:3]) for m in modules if m.startswith("cbss_sdk.models.")}


def _own_models(facade: str) -> set[str]:
    return {s.models for s in catalog.SERVICES if s.facade_name == facade and s.models}


def _fresh_modules(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running *code*."""
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    modules: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return set(modules)


def _sdk_modules_per_snippet(snippets: dict[str, str]) -> dict[str, set[str]]:
    """For each snippet, the ``cbss_sdk`` modules it loads, starting from no ``cbss_sdk`` at all.

    One interpreter runs them all (one per snippet would take seconds each): before
    each snippet every ``cbss_sdk`` module is dropped from ``sys.modules``, so that it
    imports the SDK afresh; third-party packages stay loaded, which does not change
    which of the SDK's modules a snippet needs.
    """
    script = textwrap.dedent(
        f"""
        import json, sys, textwrap
        found = {{}}
        for key, code in {snippets!r}.items():
            for name in [m for m in sys.modules if m.split(".")[0] == "cbss_sdk"]:
                del sys.modules[name]
            exec(textwrap.dedent(code), {{}})
            found[key] = sorted(m for m in sys.modules if m.split(".")[0] == "cbss_sdk")
        print(json.dumps(found))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    found: dict[str, list[str]] = json.loads(out.stdout.strip().splitlines()[-1])
    return {key: set(modules) for key, modules in found.items()}


def _loaded(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


# ------------------------------------------------------------------------- fresh processes


def test_import_cbss_sdk_loads_no_models_and_no_client_stack() -> None:
    modules = _fresh_modules("import cbss_sdk")
    assert [p for p in HEAVY if _loaded(modules, p)] == []


def test_each_facade_loads_only_its_own_service() -> None:
    """``from cbss_sdk import X`` for every facade: its models, and no other service's."""
    facades = _facade_names()
    module_of = {name: _facade_module(name) for name in facades}
    snippets = {
        name: (
            f"from cbss_sdk import {name}"
            if name in cbss_sdk.__all__
            else f"from cbss_sdk.services import {name}"
        )
        for name in facades
    }
    problems: list[str] = []
    for name, modules in _sdk_modules_per_snippet(snippets).items():
        allowed = {name, *USES.get(name, ())}
        models = _model_packages(modules)
        expected = set().union(*(_own_models(n) for n in allowed))
        if not _own_models(name) <= models:
            problems.append(f"{name}: its own models are not loaded ({sorted(models)})")
        if not models <= expected:
            problems.append(f"{name}: loads other services' models {sorted(models - expected)}")
        facades_loaded = {n for n, m in module_of.items() if m in modules}
        if facades_loaded - allowed:
            problems.append(f"{name}: loads other facades {sorted(facades_loaded - allowed)}")
    assert problems == []


def test_other_entry_points_load_only_the_service_they_name() -> None:
    """The form records of ``cbss_sdk.services`` and the ``cbss call`` look-up."""
    found = _sdk_modules_per_snippet(
        {
            "records": "from cbss_sdk.services import RefundD1, Month",
            "cli-tx25": """
                from cbss_sdk.cli._call import find_operation
                assert find_operation("RetrieveTIGroups", "retrieve")[2].__name__ == "RetrieveTIGroups"
            """,
            "cli-loi65": """
                from cbss_sdk.cli._call import find_operation
                assert find_operation("Loi65C", "decisionC")[2].__name__ == "Loi65"
            """,
        }
    )
    assert _model_packages(found["records"]) == _own_models("Loi65")
    assert _model_packages(found["cli-tx25"]) == {TX25_MODELS}
    assert _model_packages(found["cli-loi65"]) == _own_models("Loi65")


def test_a_first_tx25_call_loads_only_what_it_needs(tmp_path: Path) -> None:
    """Credentials, client, signed request, verified and bound reply: nothing of other services."""
    from cbss_sdk import RetrieveTIGroups
    from cbss_sdk.testing import Simulator, make_test_certificate

    simulator = Simulator()
    replies: list[bytes] = []

    def capture(request: httpx.Request) -> httpx.Response:
        response = simulator.handle(request)
        replies.append(response.read())
        return response

    with simulator.client(http_client=httpx.Client(transport=httpx.MockTransport(capture))) as c:
        assert RetrieveTIGroups(c).retrieve("78041201134").data_found
    (tmp_path / "reply.xml").write_bytes(replies[-1])
    (tmp_path / "cbss.pem").write_bytes(
        simulator.certificate.public_bytes(serialization.Encoding.PEM)
    )
    (tmp_path / "client.p12").write_bytes(make_test_certificate().pkcs12("secret"))
    modules = _fresh_modules(
        f"""
        from pathlib import Path

        import httpx
        from cryptography import x509

        from cbss_sdk import (
            CbssClient, Credentials, Organization, RetrieveTIGroups, VerificationConfig,
        )

        folder = Path({str(tmp_path)!r})
        reply = (folder / "reply.xml").read_bytes()
        pinned = x509.load_pem_x509_certificate((folder / "cbss.pem").read_bytes())
        client = CbssClient(
            environment="test",
            credentials=Credentials.from_pkcs12(folder / "client.p12", password="secret"),
            organization=Organization(cbe_number="0212344876"),
            verification=VerificationConfig(pinned_certificate=pinned),
            http_client=httpx.Client(
                transport=httpx.MockTransport(lambda request: httpx.Response(200, content=reply))
            ),
        )
        assert RetrieveTIGroups(client).retrieve("78041201134").data_found
        """
    )
    assert _model_packages(modules) == {TX25_MODELS}
    facade_modules = {_facade_module(name) for name in _facade_names()}
    assert modules & facade_modules == {"cbss_sdk.services._retrieve_ti_groups"}
    for unneeded in ("cbss_sdk.ssdn", "cbss_sdk.testing", "cbss_sdk.cli", "asyncio"):
        assert not _loaded(modules, unneeded), unneeded


# ------------------------------------------------------------------------- the name tables


@pytest.mark.parametrize("module", [cbss_sdk, services], ids=lambda m: m.__name__)
def test_every_public_name_resolves_and_is_listed(module: Any) -> None:
    names: list[str] = module.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert getattr(module, name) is not None or name == "__version__", name
    assert set(names) <= set(dir(module))


def test_the_services_table_names_each_defining_submodule() -> None:
    table: dict[str, str] = services._MODULE_OF
    assert set(table) == set(services.__all__)
    for name, submodule in table.items():
        defining = importlib.import_module(f"cbss_sdk.services.{submodule}")
        assert getattr(defining, name) is getattr(services, name), name


def test_the_top_level_table_and_all_agree() -> None:
    lazy: dict[str, str] = cbss_sdk._LAZY
    eager = {"CPAS_INSTITUTION", "CPAS_SECTOR", "Organization", "SsdnUser", "__version__"}
    assert set(cbss_sdk.__all__) == {*eager, "errors", "ids", *cbss_sdk.errors.__all__, *lazy}


def test_top_level_names_are_the_services_objects() -> None:
    for name in cbss_sdk.__all__:
        if name in services.__all__:
            assert getattr(cbss_sdk, name) is getattr(services, name), name


def test_unknown_names_raise_the_usual_errors() -> None:
    with pytest.raises(AttributeError, match="Nope"):
        services.Nope  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError, match="Nope"):
        cbss_sdk.Nope  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(ImportError):
        from cbss_sdk.services import Nope  # type: ignore[attr-defined]  # noqa: F401
    assert not hasattr(services, "_retrieve_ti_groups_not_a_name")


def test_each_implemented_service_names_a_facade_declaring_its_operations() -> None:
    for spec in catalog.SERVICES:
        if not spec.implemented:
            assert spec.facade_name is None, spec.key
            continue
        assert spec.facade_name in services.__all__, spec.key
        facade = getattr(services, spec.facade_name)
        assert isinstance(facade, type) and issubclass(facade, Facade), spec.key
        for op in spec.operations:
            if op.implemented:
                declared = facade.__dict__.get(op.python_name)
                assert isinstance(declared, (operation, paged_operation)), (spec.key, op.name)
