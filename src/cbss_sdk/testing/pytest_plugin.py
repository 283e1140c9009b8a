"""pytest plugin of cbss-sdk: the CBSS simulator and clients bound to it, as fixtures.

Registered through the ``pytest11`` entry point: installing ``cbss-sdk`` is
enough, nothing to add to ``conftest.py``.

Fixtures (all function-scoped):

* ``cbss_simulator`` — a fresh :class:`~cbss_sdk.testing.Simulator`.  After
  the test body, the test *fails* if a stub queued with ``sim.stub(...)`` was
  not used up, or if a simulated service crashed;
* ``cbss_client`` / ``cbss_async_client`` — a ``CbssClient`` /
  ``AsyncCbssClient`` bound to that simulator in process (closed afterwards);
* ``cbss_simulator_server`` — the same simulator served over real HTTP on a
  free local port (a :class:`~cbss_sdk.testing.SimulatorServer`);
* ``cbss_simulator_options`` — the keyword arguments of ``Simulator(...)``;
  override it in a ``conftest.py`` to change them for many tests.

The marker ``@pytest.mark.cbss_simulator(**options)`` sets options for one
test (it wins over ``cbss_simulator_options``): any ``Simulator`` argument,
e.g. ``sign_replies=False``, plus ``allow_pending=True`` to let stubs go
unused.  This module imports only pytest at import time, so the plugin costs
nothing to projects that do not use it.  See ``docs/pytest-plugin.md``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from cbss_sdk._client import AsyncCbssClient, CbssClient
    from cbss_sdk.testing._server import SimulatorServer
    from cbss_sdk.testing._simulator import Simulator

__all__ = [
    "cbss_async_client",
    "cbss_client",
    "cbss_simulator",
    "cbss_simulator_options",
    "cbss_simulator_server",
]

MARKER = "cbss_simulator"


class _Watched:
    """The simulator of a test and whether unused stubs are allowed."""

    __slots__ = ("allow_pending", "simulator")

    def __init__(self, simulator: Simulator, allow_pending: bool) -> None:
        self.simulator = simulator
        self.allow_pending = allow_pending


_WATCHED = pytest.StashKey[_Watched]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): keyword arguments of the cbss_simulator fixture's Simulator "
        "(e.g. sign_replies=False), and allow_pending=True to allow unused stubs",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """After a passing test body: fail on unused stubs and on crashed simulated services."""
    result = yield
    watched = item.stash.get(_WATCHED, None)
    if watched is not None:
        _check(watched)
    return result


def _check(watched: _Watched) -> None:
    from cbss_sdk._redact import mask_national_numbers

    simulator = watched.simulator
    crashes = simulator.handler_errors
    if crashes:
        lines = "\n".join(
            f"  - {type(exc).__name__}: {mask_national_numbers(str(exc))[:200]}" for exc in crashes
        )
        raise AssertionError(
            f"{len(crashes)} simulated CBSS service call(s) crashed "
            f"(answered with SOAP fault MSG00003):\n{lines}"
        )
    if not watched.allow_pending:
        simulator.assert_no_pending()


def _options(request: pytest.FixtureRequest, defaults: dict[str, Any]) -> dict[str, Any]:
    options = dict(defaults)
    markers = list(request.node.iter_markers(MARKER))
    for marker in reversed(markers):  # the closest marker (the test's own) is applied last
        if marker.args:
            raise pytest.UsageError(f"@pytest.mark.{MARKER} takes keyword arguments only")
        options.update(marker.kwargs)
    return options


@pytest.fixture
def cbss_simulator_options() -> dict[str, Any]:
    """Keyword arguments of the ``cbss_simulator`` fixture's ``Simulator`` (override to change)."""
    return {}


@pytest.fixture
def cbss_simulator(
    request: pytest.FixtureRequest, cbss_simulator_options: dict[str, Any]
) -> Simulator:
    """A fresh CBSS simulator; the test fails if one of its stubs is left unused."""
    from cbss_sdk.testing._simulator import Simulator

    options = _options(request, cbss_simulator_options)
    allow_pending = bool(options.pop("allow_pending", False))
    simulator = Simulator(**options)
    request.node.stash[_WATCHED] = _Watched(simulator, allow_pending)
    return simulator


@pytest.fixture
def cbss_client(cbss_simulator: Simulator) -> Iterator[CbssClient]:
    """A ``CbssClient`` bound in process to ``cbss_simulator`` (see ``Simulator.client``)."""
    client = cbss_simulator.client()
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def cbss_async_client(cbss_simulator: Simulator) -> Iterator[AsyncCbssClient]:
    """An ``AsyncCbssClient`` bound in process to ``cbss_simulator``."""
    client = cbss_simulator.async_client()
    try:
        yield client
    finally:
        _close_async(client)


def _close_async(client: AsyncCbssClient) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(client.aclose())
    # Inside a running loop the in-process transport holds nothing that needs closing.


@pytest.fixture
def cbss_simulator_server(cbss_simulator: Simulator) -> Iterator[SimulatorServer]:
    """``cbss_simulator`` served over HTTP on a free port of 127.0.0.1 (needs uvicorn)."""
    from cbss_sdk.testing._server import SimulatorServer

    with SimulatorServer(cbss_simulator) as server:
        yield server
