"""The simulator as an ASGI 3 application, so any HTTP client (any language) can use it.

Plain ASGI, no web framework: the application reads the request body (up to
the simulator's XML size cap), hands it to :meth:`Simulator.process` — the
same code path as the in-process transport — and writes the answer, after
sleeping (without blocking other requests) when the ``slow`` persona asks
for a delay.  ``GET /`` returns a JSON status page listing the services and
personas.  Lifespan events are acknowledged so that any ASGI server can run it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from ._engine_soa import HttpCall, SimResponse, html_response

if TYPE_CHECKING:
    from ._simulator import Simulator

__all__ = ["SimulatorApp"]

logger = logging.getLogger("cbss_sdk.testing")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


class SimulatorApp:
    """ASGI 3 application of a :class:`~cbss_sdk.testing.Simulator` (``sim.asgi_app``)."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope.get("type")
        if kind == "lifespan":
            await self._lifespan(receive, send)
            return
        if kind != "http":  # websockets and anything else: not served
            return
        try:
            body = await self._read_body(receive)
        except _Disconnected:
            return
        except _TooLarge:
            await self._send(send, html_response(413, "413 Request Entity Too Large", "Too large."))
            return
        call = HttpCall(
            method=str(scope.get("method", "GET")),
            path=str(scope.get("path", "/")),
            headers={
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in scope.get("headers", ())
            },
            body=body,
        )
        try:
            response = self.simulator.process(call)
        except Exception as exc:  # raise_handler_errors=True, or a simulator bug
            logger.error("CBSS simulator: request failed: %s", type(exc).__name__)
            response = html_response(500, "500 Internal Server Error", type(exc).__name__)
        if response.delay > 0:
            await asyncio.sleep(response.delay)
        await self._send(send, response, head=call.method.upper() == "HEAD")

    async def _read_body(self, receive: Receive) -> bytes:
        limit = self.simulator.xml_limits.max_bytes
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message.get("type") == "http.disconnect":
                raise _Disconnected
            chunk = message.get("body", b"") or b""
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    async def _send(send: Send, response: SimResponse, *, head: bool = False) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": [
                    (name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in response.headers
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"" if head else response.body})

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message.get("type") == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message.get("type") == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
