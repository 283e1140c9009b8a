"""throughput: signed TX25 calls through the async clients against the in-process simulator.

``cbss_sdk.testing.Simulator(sign_replies=False)`` answers in the same
process (``httpx.MockTransport``), so client *and* simulator share one core:
the simulator verifies each request signature, validates it against the
schema and answers with a TX25 reply with history (built once per person,
request and day, then served again with a fresh CommonV3 header: the
simulator's reply cache).  The SDK side is
``AsyncCbssClient`` (the simulator's ``async_client()``); the zeep side is
``zeep.AsyncClient`` on the official v2 WSDL with Timestamp + BinarySignature,
on an ``httpx.AsyncClient`` over the same simulator.  Both run N calls with
at most 50 in flight, alternating, round after round.  Peak RSS is measured
for each side in a fresh process (``python -m benchmarks.case_throughput``).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ._harness import CaseResult, Check, Row, profile_top

__all__ = ["run"]

CONCURRENCY = 50


def _simulator() -> Any:
    from cbss_sdk.testing import Simulator

    return Simulator(sign_replies=False)


class _Meter:
    """CPU seconds the simulator spends answering (its ``process``, synchronous)."""

    def __init__(self, sim: Any) -> None:
        self.seconds = 0.0
        original = sim.process

        def process(call: Any) -> Any:
            start = time.process_time()
            try:
                return original(call)
            finally:
                self.seconds += time.process_time() - start

        sim.process = process


def _subjects(sim: Any) -> list[str]:
    from cbss_sdk.testing import default_population

    people = [p.ssin for p in default_population() if p.integrated and not p.tags]
    if not people:
        raise RuntimeError("the simulator population has no plain integrated person")
    return people


async def _drive(call: Callable[[str], Awaitable[Any]], subjects: list[str], n: int) -> float:
    """Seconds for *n* calls with at most CONCURRENCY in flight."""
    limit = asyncio.Semaphore(CONCURRENCY)

    done = 0

    async def one(i: int) -> None:
        nonlocal done
        async with limit:
            await call(subjects[i % len(subjects)])  # checked, then dropped: as a service would
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    elapsed = time.perf_counter() - start
    if done != n:
        raise AssertionError("calls lost")
    return elapsed


def _sdk_side(sim: Any) -> tuple[Callable[[str], Awaitable[Any]], Callable[[], Awaitable[None]]]:
    from cbss_sdk.services import RetrieveTIGroups

    client = sim.async_client()
    facade = RetrieveTIGroups(client)

    async def call(ssin: str) -> Any:
        result = await facade.retrieve(ssin, history=True)
        if not result.data_found:
            raise AssertionError(f"unexpected TX25 status {result.status.value}")
        return result

    return call, client.aclose


def _zeep_side(sim: Any) -> tuple[Callable[[str], Awaitable[Any]], Callable[[], Awaitable[None]]]:
    import httpx

    from ._peers import (
        PreloadedBinarySignature,
        TimestampPlugin,
        peer,
        wsdl_path,
        xmlsec_key,
        zeep_request_args,
    )

    zeep = peer("zeep")
    AsyncServiceProxy = peer("zeep.proxy").AsyncServiceProxy
    AsyncTransport = peer("zeep.transports").AsyncTransport
    Compose = peer("zeep.wsse.compose").Compose

    http = httpx.AsyncClient(transport=sim.transport())
    transport = AsyncTransport(client=http, wsdl_client=httpx.Client())
    client = zeep.AsyncClient(
        wsdl_path(),
        wsse=Compose([TimestampPlugin(), PreloadedBinarySignature(xmlsec_key())]),
        transport=transport,
    )
    binding = client.wsdl.bindings[
        "{http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v2}RetrieveTIGroupsServiceHTTPBinding"
    ]
    # zeep 4.3's AsyncClient.create_service returns a sync proxy: build the async one directly
    service: Any = AsyncServiceProxy(
        client, binding, address=sim.base_url + "RetrieveTIGroupsService/v2/retrieveTI"
    )

    async def call(ssin: str) -> Any:
        args = zeep_request_args(ssin)
        args["searchInformation"]["history"] = True
        result = await service.retrieveTI(**args)
        if result.status.value != "DATA_FOUND":
            raise AssertionError(f"unexpected TX25 status {result.status.value}: {result.status}")
        return result

    async def close() -> None:
        await http.aclose()

    return call, close


SIDES = {"sdk": _sdk_side, "zeep": _zeep_side}


def _peak_rss(side: str, calls: int) -> float:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.case_throughput", side, str(calls)],
        capture_output=True,
        text=True,
        check=False,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    if out.returncode != 0:
        raise RuntimeError(f"throughput child {side} failed:\n{out.stderr[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def run(*, rounds: int, quick: bool = False, calls: int = 2000) -> CaseResult:
    if quick:
        calls = min(calls, 300)
    result = CaseResult(
        key="throughput",
        title=f"throughput — {calls:,} signed TX25 calls, concurrency {CONCURRENCY}, one core",
        what=(
            "In-process simulator (`Simulator(sign_replies=False)`: it still verifies every "
            "request signature, validates the request and checks the person and the "
            "integration; the National Register part of a TX25 reply with history is built "
            "once per person, request and day and served again with a fresh header), "
            "shared with the client on one event loop, one core. SDK: `AsyncCbssClient` + "
            "`RetrieveTIGroups(...).retrieve(ssin, history=True)`; zeep: `zeep.AsyncClient` "
            "(official v2 WSDL, Timestamp + BinarySignature, key loaded once) over an "
            "`httpx.AsyncClient` on the same simulator. Calls/s = calls / wall time; the "
            "process's CPU time is reported too. Peak RSS: each side alone in a fresh process."
        ),
    )
    sim = _simulator()
    meter = _Meter(sim)
    subjects = _subjects(sim)
    sides = {name: make(sim) for name, make in SIDES.items()}

    async def measure() -> dict[str, list[tuple[float, float, float]]]:
        out: dict[str, list[tuple[float, float, float]]] = {name: [] for name in sides}
        for call, _close in sides.values():
            await _drive(call, subjects, CONCURRENCY)  # warm-up
        for r in range(rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))
            for name in order:
                cpu = time.process_time()
                meter.seconds = 0.0
                wall = await _drive(sides[name][0], subjects, calls)
                out[name].append((wall, time.process_time() - cpu, meter.seconds))
        for _call, close in sides.values():
            await close()
        return out

    samples = asyncio.run(measure())
    rates = {
        name: statistics.median(calls / wall for wall, _, _ in values)
        for name, values in samples.items()
    }
    cpu_rates = {
        name: statistics.median(calls / cpu for _, cpu, _ in values)
        for name, values in samples.items()
    }
    client_rates = {
        name: statistics.median(calls / max(cpu - sim_cpu, 1e-9) for _, cpu, sim_cpu in values)
        for name, values in samples.items()
    }
    simulator_share = {
        name: statistics.median(sim_cpu / cpu for _, cpu, sim_cpu in values if cpu > 0)
        for name, values in samples.items()
    }
    peaks = {name: _peak_rss(name, calls) for name in sides}
    result.tables.append(
        (
            "Medians over the rounds",
            [
                Row(
                    "cbss-sdk AsyncCbssClient",
                    "SDK",
                    rates["sdk"],
                    "calls/s",
                    f"{cpu_rates['sdk']:,.0f} calls per CPU-second, of which the simulator "
                    f"{simulator_share['sdk']:.0%}; client alone "
                    f"{client_rates['sdk']:,.0f} calls per CPU-second · peak RSS "
                    f"{peaks['sdk']:.0f} MB",
                ),
                Row(
                    "zeep AsyncClient",
                    "peer",
                    rates["zeep"],
                    "calls/s",
                    f"{cpu_rates['zeep']:,.0f} calls per CPU-second, of which the simulator "
                    f"{simulator_share['zeep']:.0%}; client alone "
                    f"{client_rates['zeep']:,.0f} calls per CPU-second · peak RSS "
                    f"{peaks['zeep']:.0f} MB",
                ),
            ],
        )
    )
    per_call = 1e3 / cpu_rates["sdk"]
    simulator_ms = per_call * simulator_share["sdk"]
    result.checks.append(
        Check(
            "throughput: ≥ 1,000 signed calls/s on one core",
            rates["sdk"],
            1000.0,
            higher_is_better=True,
            unit="calls/s",
            why=(
                f"each call costs {per_call:.1f} ms of CPU, of which the in-process simulator "
                f"{simulator_ms:.1f} ms (it verifies the request signature, validates and "
                "binds the request, checks the person and the integration, and answers with a "
                "TX25 reply with history, whose National Register part it builds once per "
                "person, request and day and serves again with a fresh header); "
                f"the client alone runs {client_rates['sdk']:,.0f} calls per CPU-second "
                f"({1e3 / client_rates['sdk']:.1f} ms a call: one RSA-2048 signature, the "
                "envelope, httpx, the hardened parse and the binding of a ~20 KB reply). "
                "1,000 calls/s leaves 1 ms per call for client and simulator together"
            ),
        )
    )
    if rates["sdk"] < 1000.0:
        result.profiles.append(
            ("One core running 200 SDK calls and the simulator", _profile(sim, subjects))
        )
    return result


def _profile(sim: Any, subjects: list[str]) -> str:
    call, close = _sdk_side(sim)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_drive(call, subjects, CONCURRENCY))
        text = profile_top(
            lambda: loop.run_until_complete(_drive(call, subjects, 200)), calls=1, limit=15
        )
        loop.run_until_complete(close())
    finally:
        loop.close()
    return text


def _child(side: str, calls: int) -> None:
    """Run *calls* calls for one side and print the peak RSS (MB)."""
    import resource

    sim = _simulator()
    subjects = _subjects(sim)
    call, close = SIDES[side](sim)

    async def go() -> None:
        await _drive(call, subjects, calls)
        await close()

    asyncio.run(go())
    # VmHWM is this process's own peak; ru_maxrss would carry the parent's across exec on Linux
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) * 1024
    except OSError:
        pass
    print(f"{peak / 1e6:.1f}")


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]))
