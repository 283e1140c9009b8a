"""The code generator: units, pinned xsdata runs, headers, ``--check`` and the vendor path.

Tests that change schemas or models work on copies in a temporary directory; the repository's
own ``xsd/`` and ``src/cbss_sdk/models/`` are only read.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # the generator lives beside src/, not inside it
    sys.path.insert(0, str(REPO_ROOT))

import codegen  # noqa: E402
from codegen import (  # noqa: E402
    CodegenError,
    Difference,
    Unit,
    check_models,
    check_vendor,
    collect_schemas,
    generate_models,
    generate_vendor,
    load_units,
    parse_units,
    render_models,
)
from codegen.__main__ import main  # noqa: E402

XSD_ROOT = REPO_ROOT / "xsd"
MODELS_ROOT = REPO_ROOT / "src" / "cbss_sdk" / "models"
UNITS = load_units(codegen.DEFAULT_UNITS_FILE)
SMALL = [u for u in UNITS if u.name == "test_connection_v1"]
TC_TYPES = "soa/TestConnectionService/v1/TestConnectionServiceTypes.xsd"


def schema(body: str, namespace: str | None = "urn:cbss-sdk:test:a", extra: str = "") -> str:
    target = f' targetNamespace="{namespace}" xmlns:t="{namespace}"' if namespace else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"{target}{extra}'
        ' elementFormDefault="qualified">\n'
        f"{body}\n</xs:schema>\n"
    )


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def unit(name: str, *entries: str) -> Unit:
    return Unit(name, f"cbss_sdk.models.{name}", entries, f"{name} test unit")


def kinds(differences: Sequence[Difference]) -> set[tuple[str, str]]:
    return {(d.kind, d.path) for d in differences}


# --- units file ------------------------------------------------------------------------------


# The units the generator started with. Units are appended to units.toml, never reordered or
# renamed: a rename would move a public package (cbss_sdk.models.<name>).
FIRST_UNITS = [
    "test_connection_v1",
    "retrieve_ti_groups_v2",
    "ssdn",
    "identify_person_20050930",
    "manage_access_20050930",
    "perform_investigation_20080604",
]


def test_units_file_lists_one_unit_per_service_version() -> None:
    names = [u.name for u in UNITS]
    assert names[: len(FIRST_UNITS)] == FIRST_UNITS
    assert len(set(names)) == len(names)
    entries = [e for u in UNITS for e in u.entries]
    assert len(set(entries)) == len(entries), "an entry schema belongs to two units"
    for item in UNITS:
        assert item.package == f"cbss_sdk.models.{item.name}"
        assert item.leaf == item.name
        assert item.description
        assert item.entries
        for entry in item.entry_paths(XSD_ROOT):
            assert entry.is_file(), entry
            assert entry.suffix == ".xsd", entry
    ssdn = next(u for u in UNITS if u.name == "ssdn")
    assert len(ssdn.entries) == 3
    # one generated package per unit, nothing else
    packages = {p.name for p in MODELS_ROOT.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert packages == set(names)


@pytest.mark.parametrize("item", UNITS, ids=[u.name for u in UNITS])
def test_each_unit_reads_one_release_per_namespace(item: Unit) -> None:
    """Releases live in versioned directories: a unit reads each namespace from one of them."""
    files = collect_schemas(item.entry_paths(XSD_ROOT)).files
    directories: dict[str, set[Path]] = {}
    for schema_file in files:
        directories.setdefault(schema_file.target_namespace, set()).add(schema_file.path.parent)
    spread = {ns: sorted(map(str, d)) for ns, d in directories.items() if len(d) > 1}
    assert spread == {}
    rn25 = {f.path.parent for f in files if "rn25" in f.path.relative_to(XSD_ROOT.resolve()).parts}
    assert len(rn25) <= 1, sorted(map(str, rn25))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "one or more [[unit]]"),
        ('[[unit]]\nname = "a"\npackage = "cbss_sdk.models.a"\nentries = []', "non-empty"),
        ('[[unit]]\nname = "a"\npackage = "other.a"\nentries = ["x.xsd"]', "'package' must"),
        ('[[unit]]\nname = "A-b"\npackage = "cbss_sdk.models.a"\nentries = ["x.xsd"]', "'name'"),
        ('[[unit]]\nname = "a"\npackage = "cbss_sdk.models.a"\nentries = ["/x.xsd"]', "relative"),
        ('[[unit]]\nname = "a"\npackage = "cbss_sdk.models.a"\nentries = ["../x.xsd"]', "relative"),
        ('[[unit]]\nname = "a"\npackage = "cbss_sdk.models.a"\nentries = ["x"]\nfoo = 1', "foo"),
        (
            '[[unit]]\nname = "a"\npackage = "cbss_sdk.models.a"\nentries = ["x"]\n'
            '[[unit]]\nname = "b"\npackage = "cbss_sdk.models.a"\nentries = ["y"]',
            "duplicate unit package",
        ),
        ("[[unit]\n", "units.toml"),
    ],
)
def test_bad_units_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(CodegenError, match=message.replace("[", r"\[")):
        parse_units(text)


def test_unknown_unit_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no_such_unit"]) == 1
    assert "unknown unit" in capsys.readouterr().err


def test_list_prints_every_unit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    for item in UNITS:
        assert item.name in out
        assert item.package in out


# --- the committed models ----------------------------------------------------------------------


def test_committed_models_are_fresh() -> None:
    differences = check_models(UNITS, XSD_ROOT, MODELS_ROOT)
    assert differences == [], "run `python -m codegen`:\n" + "\n".join(map(str, differences))


def test_models_package_imports_nothing() -> None:
    tree = ast.parse((MODELS_ROOT / "__init__.py").read_text(encoding="utf-8"))
    assert ast.get_docstring(tree)
    assert "generated code only" in (ast.get_docstring(tree) or "").lower()
    assert all(isinstance(node, ast.Expr) for node in tree.body)
    code = "import sys, cbss_sdk.models; print([m for m in sys.modules if 'models.' in m])"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]"


def test_every_generated_module_has_the_header() -> None:
    for item in UNITS:
        files = collect_schemas(item.entry_paths(XSD_ROOT)).paths
        digest = codegen._schemas.digest(files, XSD_ROOT.resolve())
        first = f"# Generated by codegen from {', '.join('xsd/' + e for e in item.entries)}"
        modules = sorted((MODELS_ROOT / item.leaf).rglob("*.py"))
        assert modules
        for module in modules:
            lines = module.read_text(encoding="utf-8").splitlines()
            assert lines[0] == f"{first} — do not edit.", module
            assert lines[1].startswith(f"# Unit: {item.name}; xsdata {codegen.XSDATA_VERSION};")
            assert lines[1].endswith(f"input schemas sha256: {digest}"), module


def test_generated_names_keep_acronyms() -> None:
    retrieve = (MODELS_ROOT / "retrieve_ti_groups_v2/be/fgov/kszbcss/types/common/v3.py").read_text(
        encoding="utf-8"
    )
    assert "class CBSSFaultType" in retrieve
    assert "@dataclass(slots=True, kw_only=True, init=False, repr=False, eq=False)" in retrieve
    assert "Optional[" not in retrieve
    assert "None | " in retrieve
    service = (MODELS_ROOT / "ssdn/be/fgov/ksz_bcss/xsd/ssdn/service.py").read_text("utf-8")
    assert "class SSDNRequest:" in service
    assert "class SSDNReply:" in service


# --- staleness, on a copy of the repository's schemas ------------------------------------------


@pytest.fixture(scope="module")
def generated_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of xsd/ and models generated from it for the small unit, made once."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(XSD_ROOT, root / "xsd")
    generate_models(SMALL, root / "xsd", root / "models")
    return root / "xsd", root / "models"


@pytest.fixture
def repo(generated_copy: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A fresh, writable copy of the generated copy for one test."""
    xsd, models = tmp_path / "xsd", tmp_path / "models"
    shutil.copytree(generated_copy[0], xsd)
    shutil.copytree(generated_copy[1], models)
    return xsd, models


def test_fresh_copy_checks_clean(repo: tuple[Path, Path]) -> None:
    xsd, models = repo
    assert check_models(SMALL, xsd, models) == []
    init = (models / "__init__.py").read_text(encoding="utf-8")
    assert "cbss_sdk.models.test_connection_v1" in init
    assert "retrieve_ti_groups_v2" not in init


def test_editing_a_schema_without_regenerating_is_stale(repo: tuple[Path, Path]) -> None:
    xsd, models = repo
    types = xsd / TC_TYPES
    types.write_text(
        types.read_text(encoding="utf-8").replace("</xs:schema>", "<!-- edited -->\n</xs:schema>"),
        encoding="utf-8",
    )
    differences = check_models(SMALL, xsd, models)
    changed = {d.path for d in differences if d.kind == "changed"}
    assert {d.kind for d in differences} == {"changed"}
    # a comment changes no class, but the input hash in every header
    assert changed == {p.relative_to(models).as_posix() for p in models.rglob("*.py")} - {
        "__init__.py"
    }
    assert "input schemas sha256" in differences[0].detail
    generate_models(SMALL, xsd, models)
    assert check_models(SMALL, xsd, models) == []


def test_a_schema_change_reaches_the_classes(repo: tuple[Path, Path]) -> None:
    xsd, models = repo
    types = xsd / TC_TYPES
    text = types.read_text(encoding="utf-8")
    assert '<xs:element name="echo"' in text
    types.write_text(
        text.replace(
            '<xs:element name="echo"',
            '<xs:element name="echoAgain" type="xs:string"/>\n      <xs:element name="echo"',
            1,
        ),
        encoding="utf-8",
    )
    differences = check_models(SMALL, xsd, models)
    assert any("echo_again" in d.detail for d in differences), "\n".join(map(str, differences))


def test_deleting_a_generated_file_is_stale(repo: tuple[Path, Path]) -> None:
    xsd, models = repo
    victim = next(p for p in sorted(models.rglob("v1.py")))
    victim.unlink()
    relative = victim.relative_to(models).as_posix()
    assert kinds(check_models(SMALL, xsd, models)) == {("missing", relative)}


def test_hand_editing_a_generated_file_is_stale(repo: tuple[Path, Path]) -> None:
    xsd, models = repo
    victim = next(p for p in sorted(models.rglob("v1.py")))
    victim.write_text(victim.read_text(encoding="utf-8") + "\n# my fix\n", encoding="utf-8")
    differences = check_models(SMALL, xsd, models)
    assert kinds(differences) == {("changed", victim.relative_to(models).as_posix())}
    assert "my fix" in differences[0].detail


def test_stray_files_are_stale(repo: tuple[Path, Path]) -> None:
    xsd, models = repo
    strays = ["notes.txt", "test_connection_v1/extra.py", "old_unit/x.py"]
    write(models, dict.fromkeys(strays, "# hand written\n"))
    assert kinds(check_models(SMALL, xsd, models)) == {("extra", s) for s in strays}
    generate_models(SMALL, xsd, models)  # a full run removes what it does not generate
    for stray in strays:
        assert not (models / stray).exists()
    assert not (models / "old_unit").exists()
    assert check_models(SMALL, xsd, models) == []


def test_pycache_is_ignored(repo: tuple[Path, Path]) -> None:
    xsd, models = repo
    write(models, {"test_connection_v1/__pycache__/x.cpython-311.pyc": "bytes"})
    assert check_models(SMALL, xsd, models) == []


def test_cli_check_reports_differences(
    repo: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xsd, models = repo
    units_file = tmp_path / "units.toml"
    units_file.write_text(
        '[[unit]]\nname = "test_connection_v1"\npackage = "cbss_sdk.models.test_connection_v1"\n'
        f'entries = ["{SMALL[0].entries[0]}"]\ndescription = "{SMALL[0].description}"\n',
        encoding="utf-8",
    )
    args = ["--units-file", str(units_file), "--xsd-root", str(xsd), "--models-root", str(models)]
    assert main([*args, "--check"]) == 0
    (models / "stray.py").write_text("x = 1\n", encoding="utf-8")
    next(models.rglob("v1.py")).unlink()
    assert main([*args, "--check"]) == 1
    err = capsys.readouterr().err
    assert "stale: 2 difference(s)" in err
    assert "extra:   stray.py" in err
    assert "missing: test_connection_v1/" in err
    assert main(args) == 0
    assert main([*args, "--check"]) == 0


def test_partial_regeneration_touches_only_its_unit(tmp_path: Path) -> None:
    xsd = tmp_path / "xsd"
    write(
        xsd,
        {
            "a/A.xsd": schema('<xs:element name="A" type="xs:string"/>'),
            "b/B.xsd": schema('<xs:element name="B" type="xs:int"/>', "urn:cbss-sdk:test:b"),
        },
    )
    units = [unit("alpha", "a/A.xsd"), unit("beta", "b/B.xsd")]
    models = tmp_path / "models"
    generate_models(units, xsd, models)
    beta_file = next((models / "beta").rglob("b.py"))
    beta_file.write_text("# hand edit\n", encoding="utf-8")
    touched = generate_models(units, xsd, models, only=[units[0]])
    assert all(not p.startswith("beta/") for p in touched)
    assert beta_file.read_text(encoding="utf-8") == "# hand edit\n"
    generate_models(units, xsd, models, only=[units[1]])
    assert check_models(units, xsd, models) == []


# --- the pinned xsdata run -------------------------------------------------------------------


def test_several_entries_in_one_run_and_determinism(tmp_path: Path) -> None:
    xsd = tmp_path / "xsd"
    write(
        xsd,
        {
            "a/A.xsd": schema(
                '<xs:complexType name="CBSSThingType"><xs:sequence>'
                '<xs:element name="ssinNumber" type="xs:string" minOccurs="0"/>'
                "</xs:sequence></xs:complexType>"
                '<xs:element name="RetrieveTIGroupsRequest" type="t:CBSSThingType"/>'
                '<xs:include schemaLocation="../c/Part.xsd"/>'
            ),
            "b/B.xsd": schema('<xs:element name="Other" type="xs:date"/>', "urn:cbss-sdk:test:b"),
            "c/C.xsd": schema('<xs:element name="Third" type="xs:int"/>', "urn:cbss-sdk:test:c"),
            "c/Part.xsd": schema('<xs:element name="Chameleon" type="xs:string"/>', None),
        },
    )
    units = [unit("multi", "a/A.xsd", "b/B.xsd", "c/C.xsd")]
    first = render_models(units, xsd)
    assert render_models(units, xsd) == first
    text = b"".join(first.values()).decode("utf-8")
    for expected in (
        "class CBSSThingType",
        "class RetrieveTIGroupsRequest(CBSSThingType)",
        "ssin_number: None | str",
        "class Other",
        "class Third",
        "class Chameleon",
        "@dataclass(slots=True, kw_only=True, init=False, repr=False, eq=False)",
        "from __future__ import annotations",
    ):
        assert expected in text
    header = "# Generated by codegen from xsd/a/A.xsd, xsd/b/B.xsd, xsd/c/C.xsd — do not edit."
    assert all(data.decode().startswith(header) for p, data in first.items() if p != "__init__.py")


def test_a_schema_without_namespace_is_refused(tmp_path: Path) -> None:
    xsd = tmp_path / "xsd"
    write(xsd, {"A.xsd": schema('<xs:element name="A" type="xs:string"/>', None)})
    with pytest.raises(CodegenError, match="without a targetNamespace"):
        render_models([unit("nons", "A.xsd")], xsd)


def test_an_xsdata_warning_fails_the_run(tmp_path: Path) -> None:
    xsd = tmp_path / "xsd"
    # the import has no schemaLocation, so only xsdata notices the type is missing (a warning)
    write(
        xsd,
        {
            "A.xsd": schema(
                '<xs:import namespace="urn:cbss-sdk:test:missing"/>'
                '<xs:element name="A" type="m:Thing"/>',
                extra=' xmlns:m="urn:cbss-sdk:test:missing"',
            )
        },
    )
    with pytest.raises(CodegenError, match=r"(?i)warning"):
        render_models([unit("warned", "A.xsd")], xsd)


def test_a_missing_schema_fails_with_its_name(tmp_path: Path) -> None:
    xsd = tmp_path / "xsd"
    write(
        xsd,
        {
            "A.xsd": schema(
                '<xs:import namespace="urn:x" schemaLocation="gone/Missing.xsd"/>'
                '<xs:element name="A" type="xs:string"/>'
            )
        },
    )
    with pytest.raises(CodegenError, match=r"gone/Missing\.xsd"):
        render_models([unit("broken", "A.xsd")], xsd)
    with pytest.raises(CodegenError, match=r"xsd/Nope\.xsd does not exist"):
        render_models([unit("absent", "Nope.xsd")], xsd)


def test_two_releases_of_a_namespace_are_refused(tmp_path: Path) -> None:
    xsd = tmp_path / "xsd"
    write(
        xsd,
        {
            "r1/rn.xsd": schema('<xs:element name="X" type="xs:string"/>', "urn:rn"),
            "r2/rn.xsd": schema('<xs:element name="Y" type="xs:string"/>', "urn:rn"),
            "Entry.xsd": schema(
                '<xs:import namespace="urn:rn" schemaLocation="r1/rn.xsd"/>'
                '<xs:import namespace="urn:rn" schemaLocation="r2/rn.xsd"/>'
            ),
        },
    )
    with pytest.raises(CodegenError, match="two releases"):
        render_models([unit("mixed", "Entry.xsd")], xsd)


def test_a_remote_schema_location_is_refused(tmp_path: Path) -> None:
    xsd = tmp_path / "xsd"
    write(
        xsd,
        {
            "A.xsd": schema(
                '<xs:import namespace="urn:x" schemaLocation="https://example.invalid/x.xsd"/>'
            )
        },
    )
    with pytest.raises(CodegenError, match="never uses the network"):
        render_models([unit("remote", "A.xsd")], xsd)


def test_schemas_outside_the_xsd_root_are_refused(tmp_path: Path) -> None:
    write(tmp_path, {"outside/O.xsd": schema("", "urn:o")})
    write(
        tmp_path / "xsd",
        {"A.xsd": schema('<xs:import namespace="urn:o" schemaLocation="../outside/O.xsd"/>')},
    )
    with pytest.raises(CodegenError, match="outside"):
        render_models([unit("escape", "A.xsd")], tmp_path / "xsd")


def test_ruff_must_be_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "xsd", {"A.xsd": schema('<xs:element name="A" type="xs:string"/>')})
    monkeypatch.setattr(sys, "executable", str(tmp_path / "nowhere" / "python"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(CodegenError, match="ruff not found"):
        render_models([unit("noruff", "A.xsd")], tmp_path / "xsd")


def test_another_xsdata_release_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("codegen._config.metadata.version", lambda name: "1.0")
    with pytest.raises(CodegenError, match=r"xsdata 1\.0 is installed"):
        render_models(SMALL, XSD_ROOT)


def test_the_config_is_pinned() -> None:
    text = codegen.build_config_xml("some.pkg")
    for expected in (
        "<Package>some.pkg</Package>",
        'slots="true">dataclasses</Format>',
        "<Structure>namespaces</Structure>",
        "<RelativeImports>true</RelativeImports>",
        ">false</CompoundFields>",
        "<UnnestClasses>false</UnnestClasses>",
        '<ClassName case="mixedPascalCase"',
        '<FieldName case="snakeCase"',
    ):
        assert expected in text


# --- the vendor path -------------------------------------------------------------------------


def test_vendor_path_generates_an_importable_package(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    write(
        bundle,
        {
            "be/types/Types.xsd": schema(
                '<xs:complexType name="PersonType"><xs:sequence>'
                '<xs:element name="ssin" type="xs:string"/></xs:sequence></xs:complexType>',
                "urn:vendor:types",
            ),
            "be/intf/Service.xsd": schema(
                '<xs:import namespace="urn:vendor:types" schemaLocation="../types/Types.xsd"/>'
                '<xs:element name="LookupRequest" type="v:PersonType"/>',
                "urn:vendor:intf",
                extra=' xmlns:v="urn:vendor:types"',
            ),
        },
    )
    out = tmp_path / "src"
    entry = bundle / "be/intf/Service.xsd"
    args = ["--schema", str(entry), "--package", "acme.cbss_models", "--output", str(out)]
    assert main(args) == 0
    package = out / "acme" / "cbss_models"
    assert (out / "acme" / "__init__.py").read_bytes() == b""
    modules = sorted(package.rglob("*.py"))
    assert modules
    for module in modules:
        first = module.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# Generated by codegen from intf/Service.xsd — do not edit."
        assert str(tmp_path) not in module.read_text(encoding="utf-8")
    # the vendor's classes get the explicit methods too (codegen/_methods.py)
    sources = "".join(m.read_text(encoding="utf-8") for m in modules)
    assert "@dataclass(slots=True, kw_only=True, init=False, repr=False, eq=False)" in sources
    assert "def __init__(self, *, ssin: str) -> None:" in sources
    code = (
        "import importlib, pkgutil, acme.cbss_models as p\n"
        "names = [m.name for m in pkgutil.walk_packages(p.__path__, 'acme.cbss_models.')]\n"
        "mods = [importlib.import_module(n) for n in names]\n"
        "print(any(hasattr(m, 'LookupRequest') for m in mods))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=out,
        env={**os.environ, "PYTHONPATH": str(out)},
        check=True,
    )
    assert done.stdout.strip() == "True"
    assert check_vendor([entry], "acme.cbss_models", out) == []
    assert main([*args, "--check"]) == 0
    assert generate_vendor([entry], "acme.cbss_models", out) == []  # nothing to rewrite


def test_vendor_path_never_overwrites_foreign_files(tmp_path: Path) -> None:
    write(tmp_path / "b", {"S.xsd": schema('<xs:element name="S" type="xs:string"/>')})
    write(tmp_path / "src", {"acme/models/handwritten.py": "x = 1\n"})
    with pytest.raises(CodegenError, match="refusing to write"):
        generate_vendor([tmp_path / "b" / "S.xsd"], "acme.models", tmp_path / "src")
    assert (tmp_path / "src/acme/models/handwritten.py").read_text() == "x = 1\n"


def test_vendor_path_needs_package_and_output(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--schema", "x.xsd"])
    assert "--package and --output" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--package", "a.b"])


def test_module_runs_from_the_repository_root() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "codegen", "--list"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "retrieve_ti_groups_v2" in done.stdout
