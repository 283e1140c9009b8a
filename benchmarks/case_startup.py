"""start-up: ``import cbss_sdk`` and the first completed TX25 call, each in a fresh interpreter.

Each measurement is a new ``python`` process running ``_startup_child.py``;
SDK and zeep processes alternate, round after round.  The first call loads
the PKCS#12 credentials (SDK; zeep reads PEM files), builds and signs the
request, and gets a signed reply (``demo_tx25_3`` as v2) from an in-memory
transport: the SDK verifies and binds it, zeep deserializes it (zeep cannot
verify a reply signed by another party's certificate out of the box).
Times are measured inside the child from its first line, so the
interpreter's own start (reported apart) is not counted.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._harness import CaseResult, Check, Row
from ._peers import cert_pem, key_pem, test_certificate, wsdl_path

__all__ = ["run"]

CHILD = Path(__file__).with_name("_startup_child.py")
PASSWORD = "benchmark"


def _child(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(CHILD), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "0"},
    )
    if out.returncode != 0:
        raise RuntimeError(f"start-up child {args[0]} failed:\n{out.stderr[-2000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _interpreter_ms() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return (time.perf_counter() - start) * 1e3


def run(*, rounds: int, quick: bool = False) -> CaseResult:
    from .case_verify import signed_reply

    result = CaseResult(
        key="startup",
        title="start-up — import and first TX25 call in a fresh interpreter",
        what=(
            "Fresh `python` processes, SDK and zeep alternating. `import cbss_sdk` vs "
            "`import zeep`; then the first completed TX25 call from the child's first line: "
            "imports, credentials loaded (PKCS#12 for the SDK, PEM files for zeep), client "
            "created (zeep: WSDL loaded), request built and signed (Body + Timestamp, "
            "RSA-SHA256), a signed `demo_tx25_3` reply served from memory, verified (SDK only) "
            "and bound. The interpreter's own start is measured apart."
        ),
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        p12 = folder / "client.p12"
        p12.write_bytes(test_certificate().pkcs12(PASSWORD))
        key = folder / "key.pem"
        key.write_bytes(key_pem())
        cert = folder / "cert.pem"
        cert.write_bytes(cert_pem())
        reply = folder / "reply.xml"
        samples: dict[str, list[float]] = {
            "import": [],
            "zeep-import": [],
            "sdk": [],
            "sdk-imports": [],
            "zeep": [],
            "zeep-imports": [],
            "python": [],
        }
        for _ in range(rounds):
            reply.write_bytes(signed_reply()[0])  # a fresh Timestamp every round
            samples["import"].append(_child("import")["total_ms"])
            samples["zeep-import"].append(_child("zeep-import")["total_ms"])
            sdk = _child("sdk", str(reply), str(p12), PASSWORD)
            samples["sdk"].append(sdk["total_ms"])
            samples["sdk-imports"].append(sdk["imports_ms"])
            zeep = _child("zeep", str(reply), wsdl_path(), str(key), str(cert))
            samples["zeep"].append(zeep["total_ms"])
            samples["zeep-imports"].append(zeep["imports_ms"])
            samples["python"].append(_interpreter_ms())
    med = {name: statistics.median(values) for name, values in samples.items()}
    result.tables.append(
        (
            "Medians, milliseconds",
            [
                Row("`import cbss_sdk`", "SDK", med["import"], "ms"),
                Row("`import zeep`", "peer", med["zeep-import"], "ms"),
                Row(
                    "first TX25 call, cbss-sdk",
                    "SDK",
                    med["sdk"],
                    "ms",
                    f"of which imports {med['sdk-imports']:.0f} ms",
                ),
                Row(
                    "first TX25 call, zeep (import + WSDL load + call)",
                    "peer",
                    med["zeep"],
                    "ms",
                    f"of which imports {med['zeep-imports']:.0f} ms",
                ),
                Row("`python -c pass` (not counted above)", "floor", med["python"], "ms"),
            ],
        )
    )
    result.checks.append(
        Check("start-up: `import cbss_sdk` ≤ 100 ms", med["import"], 100.0, unit="ms")
    )
    result.checks.append(
        Check("start-up: first TX25 call in a fresh process ≤ 400 ms", med["sdk"], 400.0, unit="ms")
    )
    if med["import"] > 100.0 or med["sdk"] > 400.0:
        result.profiles.append(
            ("Import time of the first TX25 call (`python -X importtime`)", _importtime())
        )
    return result


def _importtime(limit: int = 15) -> str:
    """The modules with the largest cumulative import time on the first-call path."""
    code = (
        "import cbss_sdk, httpx; cbss_sdk.CbssClient; cbss_sdk.RetrieveTIGroups; "
        "cbss_sdk.Credentials; cbss_sdk.VerificationConfig; import cbss_sdk._binding"
    )
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    rows: list[tuple[int, int, str]] = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "cumulative" in line:
            continue
        head, cumulative_text, name = line.split("|", 2)
        rows.append((int(cumulative_text), int(head.split(":", 1)[1]), name.strip()))
    facades = sum(
        total
        for total, _, module in rows
        if module.startswith("cbss_sdk.services._")
        and module.count(".") == 2
        and module != "cbss_sdk.services._retrieve_ti_groups"
    )
    best: dict[str, tuple[int, int]] = {}
    for total, self_us, module in rows:
        if module not in best or best[module][0] < total:
            best[module] = (total, self_us)
    ranked = sorted(((t, s, m) for m, (t, s) in best.items()), reverse=True)
    lines = ["| module | cumulative | self |", "|---|---:|---:|"]
    for total_us, self_us, module in ranked[:limit]:
        lines.append(f"| `{module}` | {total_us / 1e3:.1f} ms | {self_us / 1e3:.1f} ms |")
    lines += [
        "",
        f"The other service facades, all imported by `cbss_sdk.services` although a TX25 call "
        f"needs none of them, add up to {facades / 1e3:.0f} ms of cumulative import time "
        "(with `-X importtime`, which slows imports down).",
    ]
    return "\n".join(lines)
