"""Serving the simulator over real HTTP with uvicorn: in the foreground or from a background thread.

:func:`run_server` is what ``cbss simulator`` runs: it blocks until
interrupted.  :class:`SimulatorServer` starts the same server in a thread,
on a free port by default, waits (a bounded time) until it listens, and stops
it cleanly — for tests that drive the simulator over HTTP, from Python or
from another program.  uvicorn is an optional dependency
(``pip install 'cbss-sdk[simulator]'``); it is imported only here.
"""

from __future__ import annotations

import socket
import threading
import time
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError
from ..transport import SSDN_CONNECTOR_PATH, Environment
from ._engine_soa import SOA_BASE_PATH

if TYPE_CHECKING:
    from .._client import AsyncCbssClient, CbssClient
    from ._simulator import Simulator

__all__ = ["DEFAULT_PORT", "SimulatorServer", "run_server"]

#: Port of ``cbss simulator`` (CBSS's own SOA port is 4520; 8450 is free on most machines).
DEFAULT_PORT = 8450


def _uvicorn() -> ModuleType:
    try:
        import uvicorn
    except ModuleNotFoundError:
        raise ConfigurationError(
            "serving the simulator over HTTP needs uvicorn: pip install 'cbss-sdk[simulator]'"
        ) from None
    return uvicorn


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def run_server(
    simulator: Simulator,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    *,
    log_level: str = "info",
) -> None:
    """Serve *simulator* on ``http://host:port`` until interrupted (Ctrl-C).

    SOA services are at ``/SOA4520/<operation path>``, the SSDN connector at
    ``/connectors/webservice/KSZBCSSWebServiceConnectorPort``, a JSON status
    page at ``/``.  Listening on anything but a loopback address exposes a
    test peer to the network: do it only on a trusted one.
    """
    uvicorn = _uvicorn()
    config = uvicorn.Config(
        simulator.asgi_app,
        host=host,
        port=port,
        log_level=log_level,
        lifespan="on",
        ws="none",
        server_header=False,
    )
    uvicorn.Server(config).run()


class SimulatorServer:
    """A simulator served over HTTP from a background thread (a context manager).

    ``port=0`` (the default) picks a free port; :attr:`port`, :attr:`url`,
    :attr:`base_url` and :attr:`ssdn_url` say where it listens once started.
    :meth:`client` and :meth:`async_client` return SDK clients configured like
    ``Simulator.client()`` but talking real HTTP to this server::

        with SimulatorServer(Simulator()) as server:
            with server.client() as client:
                TestConnection(client).send_test_message("hello")
    """

    def __init__(
        self,
        simulator: Simulator,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        log_level: str = "warning",
        startup_timeout: float = 10.0,
    ) -> None:
        self.simulator = simulator
        self.host = host
        self._requested_port = port
        self._log_level = log_level
        self._startup_timeout = startup_timeout
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._port: int | None = None
        self._error: BaseException | None = None

    # -- where ----------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise ConfigurationError("the simulator server is not started")
        return self._port

    @property
    def url(self) -> str:
        """``http://host:port`` (no trailing slash)."""
        return _url(self.host, self.port)

    @property
    def base_url(self) -> str:
        """The SOA base URL (``…/SOA4520/``)."""
        return self.url + SOA_BASE_PATH

    @property
    def ssdn_url(self) -> str:
        """The SSDN connector URL."""
        return self.url + SSDN_CONNECTOR_PATH

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- start and stop -------------------------------------------------------------------------

    def start(self) -> SimulatorServer:
        """Start listening; returns once the server accepts connections (or raises)."""
        if self._thread is not None:
            raise ConfigurationError("the simulator server is already started")
        uvicorn = _uvicorn()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self._requested_port))
        except OSError as exc:
            sock.close()
            raise ConfigurationError(
                f"the simulator cannot listen on {_url(self.host, self._requested_port)}: "
                f"{exc.strerror or type(exc).__name__}"
            ) from None
        self._socket = sock
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self.simulator.asgi_app,
            log_level=self._log_level,
            log_config=None,  # leave the host application's logging alone
            access_log=False,
            lifespan="on",
            ws="none",
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._run, name=f"cbss-simulator:{self._port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not self._server.started:
            if self._error is not None or not self._thread.is_alive():
                self._cleanup()
                raise ConfigurationError(
                    f"the simulator server did not start ({type(self._error).__name__})"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise ConfigurationError(
                    f"the simulator server did not start within {self._startup_timeout:g} s"
                )
            time.sleep(0.01)
        return self

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._socket])
        except BaseException as exc:  # reported by start() or stop()
            self._error = exc

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and wait (at most *timeout* seconds) for its thread to end."""
        thread, server = self._thread, self._server
        if thread is None or server is None:
            return
        server.should_exit = True
        thread.join(timeout / 2)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout / 2)
        self._cleanup()
        if thread.is_alive():
            raise ConfigurationError(f"the simulator server did not stop within {timeout:g} s")

    def _cleanup(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._thread = None
        self._server = None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._port is not None else "not started"
        return f"SimulatorServer({where})"

    # -- clients --------------------------------------------------------------------------------

    def _client_options(self, overrides: dict[str, Any]) -> dict[str, Any]:
        options = self.simulator.client_options()
        options["environment"] = Environment(
            name="simulator", soa_base_url=self.base_url, ssdn_url=self.ssdn_url
        )
        options.update(overrides)
        return options

    def client(self, **overrides: Any) -> CbssClient:
        """A :class:`~cbss_sdk.CbssClient` talking HTTP to this server (see ``Simulator.client``)."""
        from .._client import CbssClient

        return CbssClient(**self._client_options(overrides))

    def async_client(self, **overrides: Any) -> AsyncCbssClient:
        """The :class:`~cbss_sdk.AsyncCbssClient` twin of :meth:`client`."""
        from .._client import AsyncCbssClient

        return AsyncCbssClient(**self._client_options(overrides))
