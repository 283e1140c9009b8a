"""The documentation's Python examples run: every page, every block, against the simulator.

Each Markdown page (``docs/**/*.md`` and ``README.md``) is one test.  Its
```` ```python ```` blocks are executed in order, in one namespace seeded with
:data:`PREAMBLE` — the set-up the documentation announces in
``docs/getting-started.md`` (a simulator, a client bound to it, an SSIN it
knows).  Blocks whose first line is ``# production sketch`` need what no test
has (your ``.p12`` file, a real CBSS host): they are skipped, but a page may
hold only a few of them and must keep at least one block that runs.

Blocks with a top-level ``await`` are compiled as a coroutine and run with
:func:`asyncio.run`, the way a notebook or ``python -m asyncio`` runs them.
Blocks whose first line names a pytest file (``# conftest.py``,
``# test_inquiry.py — run with: pytest test_inquiry.py``) are what they say:
they are written to a throw-away directory and the test files are run by
pytest (pytester), every test in them expected to pass.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import logging
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

# pytester drops the modules an inner run imports when it ends: import the SDK here first so
# that every run shares one copy of its classes and of the simulator's handler registry.
import cbss_sdk.services
import cbss_sdk.testing._server
import cbss_sdk.testing._services
import cbss_sdk.testing._simulator  # noqa: F401

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

#: The names every example may use without defining them; shown word for word in
#: docs/getting-started.md ("The examples in this documentation"; ``test_preamble_is_documented``
#: keeps the two equal) and announced on docs/index.md.
PREAMBLE = """\
import asyncio
import datetime as dt

from cbss_sdk.testing import PERSONA_SSINS, Simulator, default_population

simulator = Simulator()  # the CBSS simulator, in process
client = simulator.client()  # a CbssClient bound to it
async_client = simulator.async_client()  # the AsyncCbssClient twin
population = default_population()  # the synthetic people it knows
ssin = "78041201134"  # Marc Dubois: head of a household, integrated
"""

#: Blocks starting with this line are not run (see the module docstring).
SKETCH_MARK = "# production sketch"
#: How many production sketches one page may hold.
MAX_SKETCHES_PER_PAGE = 3

#: Text a page's examples must print (what their comments promise).
EXPECTED_OUTPUT: dict[str, tuple[str, ...]] = {
    "README.md": ("MSG00000",),
    "docs/cli.md": ("hello",),
    "docs/client.md": ("custom prod", "VerificationPolicy.REQUIRED", "hello again"),
    "docs/credentials.md": ("wrong-password", "CN=cpas-testville,O=CPAS Testville,C=BE"),
    "docs/errors.md": (
        "MSG00007 The SSIN has been cancelled.",
        "CBSS is slow: try later",
        "gateway trouble: 503",
        "unexpected error at CBSS",
    ),
    "docs/getting-started.md": ("MSG00000", str(["DATA_FOUND"] * 5)),
    "docs/index.md": ("MSG00000",),
    "docs/logging-audit.md": (
        '"outcome": "DATA_FOUND"',
        "[('batch-nightly', 'RetrieveTIGroups', 'DATA_FOUND')]",
        "[('batch-nightly',), ('jdupont',)]",
    ),
    "docs/personas.md": ("Sarah Goossens",),
    "docs/pytest-plugin.md": ("stubbed: unknown",),
    "docs/services/identify-person.md": ("('22007007',)", "78041201134 MARC"),
    "docs/services/loi65.md": ("Loi65Evaluation.ACCEPTED",),
    "docs/signing.md": ("('Body', 'Timestamp')", "timestamp-expired"),
    "docs/simulator.md": ("hello", "over HTTP", "True", "()"),
    "docs/soap.md": ("soapenv:Server", "('MSG00003',)", "503"),
}

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```python[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S
)
#: First line of a block that is a pytest file: ``# conftest.py`` or ``# test_x.py …``.
_PYTEST_FILE = re.compile(r"# (?P<name>conftest\.py|test_\w+\.py)\b")


@dataclass(frozen=True)
class Block:
    """One ```` ```python ```` block of a page."""

    line: int  # line of the first line of code, 1-based
    code: str

    @property
    def is_sketch(self) -> bool:
        return self.code.startswith(SKETCH_MARK)

    @property
    def pytest_file(self) -> str | None:
        """The file name when the block is a pytest file (see the module docstring)."""
        match = _PYTEST_FILE.match(self.code)
        return match.group("name") if match else None


def python_blocks(page: Path) -> list[Block]:
    """The ```` ```python ```` blocks of *page*, dedented (blocks may sit in a list item)."""
    text = page.read_text(encoding="utf-8")
    blocks = []
    for match in _FENCE.finditer(text):
        line = text.count("\n", 0, match.start("body")) + 1
        blocks.append(Block(line, textwrap.dedent(match.group("body"))))
    return blocks


def _pages() -> Iterator[Path]:
    yield ROOT / "README.md"
    for page in sorted(DOCS.rglob("*.md")):
        if "_hooks" not in page.relative_to(DOCS).parts:
            yield page


PAGES = [page.relative_to(ROOT).as_posix() for page in _pages()]


def _compile(block: Block, page: str) -> CodeType:
    # Pad with newlines so that tracebacks point at the page's own line numbers.
    source = "\n" * (block.line - 1) + block.code
    code = compile(source, page, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    assert isinstance(code, CodeType)
    return code


def _close_clients(*namespaces: dict[str, Any]) -> None:
    for namespace in namespaces:
        namespace["client"].close()
        asyncio.run(namespace["async_client"].aclose())


def _run_pytest_file(block: Block, page: str, request: pytest.FixtureRequest) -> None:
    pytester: pytest.Pytester = request.getfixturevalue("pytester")
    name = block.pytest_file
    assert name is not None
    path = pytester.path / name
    path.write_text(block.code, encoding="utf-8")
    if name == "conftest.py":
        return
    tests = [
        node.name
        for node in ast.parse(block.code).body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name.startswith("test")
    ]
    assert tests, f"{page}:{block.line}: {name} holds no test"
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest", path)
    result.assert_outcomes(passed=len(tests))


def run_page(page: str, request: pytest.FixtureRequest | None = None) -> int:
    """Run the blocks of *page* after the preamble; return how many blocks ran.

    *request* gives access to pytester for the blocks that are pytest files.
    """
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    exec(compile(PREAMBLE, "<preamble>", "exec"), namespace)
    preamble = dict(namespace)
    ran = 0
    try:
        for block in python_blocks(ROOT / page):
            if block.is_sketch:
                continue
            if block.pytest_file is not None:
                assert request is not None, f"{page}:{block.line}: pytest files need pytester"
                _run_pytest_file(block, page, request)
            else:
                code = _compile(block, page)
                if code.co_flags & inspect.CO_COROUTINE:
                    asyncio.run(eval(code, namespace))
                else:
                    exec(code, namespace)
            ran += 1
    finally:
        _close_clients(preamble, namespace)
    return ran


_LOGGERS = ("", "cbss_sdk", "cbss_sdk.transport")


@pytest.fixture
def _logging_restored() -> Iterator[None]:
    """Examples may configure logging: put handlers, levels and propagation back afterwards."""
    saved = [
        (logger, list(logger.handlers), logger.level, logger.propagate)
        for logger in map(logging.getLogger, _LOGGERS)
    ]
    yield
    for logger, handlers, level, propagate in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


@pytest.mark.usefixtures("_logging_restored")
@pytest.mark.parametrize("page", PAGES)
def test_page_examples_run(
    page: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    monkeypatch.chdir(tmp_path)  # whatever an example writes lands here
    blocks = python_blocks(ROOT / page)
    text = (ROOT / page).read_text(encoding="utf-8")
    assert text.count("```python") == len(blocks), f"{page}: a python fence was not read"
    assert not re.search(r"```(py|python3|pycon)\b", text), f"{page}: use ```python fences"
    sketches = [block.line for block in blocks if block.is_sketch]
    assert len(sketches) <= MAX_SKETCHES_PER_PAGE, f"{page}: production sketches at {sketches}"
    ran = run_page(page, request)
    if blocks:
        assert ran >= 1, f"{page}: every Python block is a production sketch"
    printed = capsys.readouterr().out
    for expected in EXPECTED_OUTPUT.get(page, ()):
        assert expected in printed, f"{page}: the examples did not print {expected!r}"


def test_pages_found() -> None:
    assert "README.md" in PAGES
    assert "docs/credentials.md" in PAGES
    assert "docs/services/retrieve-ti-groups.md" in PAGES
    assert not [page for page in PAGES if "_hooks" in page]
    assert set(EXPECTED_OUTPUT) <= set(PAGES)


def test_preamble_is_documented() -> None:
    documented = {block.code for block in python_blocks(DOCS / "getting-started.md")}
    assert PREAMBLE in documented, "docs/getting-started.md must show PREAMBLE word for word"


def test_preamble_ssin_is_an_integrated_household_head() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(PREAMBLE, "<preamble>", "exec"), namespace)
    try:
        population, ssin = namespace["population"], namespace["ssin"]
        person = population.get(ssin)
        assert person is not None
        assert person.integrated
        assert population.head_of_household(ssin) == person
        assert len(population.household(ssin)) > 1
    finally:
        _close_clients(namespace)


def test_block_extraction_handles_indentation_and_sketches(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Intro\n\n```python\nx = 1\n```\n\n1. step\n\n   ```python\n   # production sketch\n"
        "   y = open('cpas.p12')\n   ```\n\n```console\n$ cbss demo\n```\n",
        encoding="utf-8",
    )
    blocks = python_blocks(page)
    assert [(b.line, b.code, b.is_sketch) for b in blocks] == [
        (4, "x = 1\n", False),
        (10, "# production sketch\ny = open('cpas.p12')\n", True),
    ]
    assert [b.pytest_file for b in blocks] == [None, None]
    assert Block(1, "# test_inquiry.py — run with: pytest\n").pytest_file == "test_inquiry.py"
    assert Block(1, "# conftest.py\nimport pytest\n").pytest_file == "conftest.py"
    assert Block(1, "# test_ is not a file\n").pytest_file is None
