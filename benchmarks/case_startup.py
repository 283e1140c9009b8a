"""start-up: ``import cbss_sdk`` and the first completed TX25 call, each in a fresh interpreter.

Each measurement is a new ``python`` process running ``_startup_child.py``;
SDK and zeep processes alternate, round after round, after one untimed
warm-up run of each contender (so that every side runs with its ``.pyc``
files written, as after ``pip install``).  The first call loads the PKCS#12
credentials (SDK; zeep reads PEM files), builds and signs the request, and
gets a signed reply (``demo_tx25_3`` as v2) from an in-memory transport: the
SDK verifies and binds it, zeep deserializes it (zeep cannot verify a reply
signed by another party's certificate out of the box).  Times are measured
inside the child from its first line, so the interpreter's own start
(reported apart) is not counted.

The SDK's first call is measured twice: in this environment, and with click,
rich and pygments made unimportable (what a plain ``pip install cbss-sdk``
has: they come with the ``cli`` extra, and httpx imports its own command line
whenever they are importable).  No virtual environment is created for that.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ._harness import CaseResult, Check, Row, _short_path
from ._peers import cert_pem, key_pem, test_certificate, wsdl_path

__all__ = ["run"]

CHILD = Path(__file__).with_name("_startup_child.py")
PASSWORD = "benchmark"
TX25_MODELS = "cbss_sdk.models.retrieve_ti_groups_v2"
TX25_FACADE = "cbss_sdk.services._retrieve_ti_groups"
CLI_PACKAGES = ("click", "rich", "pygments")
CLI_GROUP = "httpx's command line (click, rich, pygments)"
OWN_GROUP = "cbss_sdk (own modules)"
SHARED_FACADE_MODULES = ("cbss_sdk.services._facade", "cbss_sdk.services._args")


def _child_env() -> dict[str, str]:
    """The environment of every child: ``.pyc`` files read *and written*, as after ``pip install``.

    ``PYTHONDONTWRITEBYTECODE`` disables writing them whatever its value
    (``"0"`` included), so it is removed, not set.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(CHILD), *args],
        capture_output=True,
        text=True,
        check=False,
        env=_child_env(),
    )
    if out.returncode != 0:
        raise RuntimeError(f"start-up child {args[0]} failed:\n{out.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _interpreter_ms() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, env=_child_env())
    return (time.perf_counter() - start) * 1e3


def run(*, rounds: int, quick: bool = False) -> CaseResult:
    from .case_verify import signed_reply

    result = CaseResult(
        key="startup",
        title="start-up — import and first TX25 call in a fresh interpreter",
        what=(
            "Fresh `python` processes, SDK and zeep alternating, after one untimed warm-up run "
            "of each contender, with `.pyc` files written and read as after `pip install` "
            "(`PYTHONDONTWRITEBYTECODE` removed from the children's environment). "
            "`import cbss_sdk` vs `import zeep`; then the first completed TX25 call from the "
            "child's first line: imports, credentials loaded (PKCS#12 for the SDK, PEM files "
            "for zeep), client created (zeep: WSDL loaded), request built and signed (Body + "
            "Timestamp, RSA-SHA256), a signed `demo_tx25_3` reply served from memory, verified "
            "(SDK only) and bound. The SDK's call is also measured as in a plain "
            "`pip install cbss-sdk`, without click, rich and pygments (made unimportable in the "
            "child; they come with the `cli` extra, and httpx imports its own command line "
            "whenever they are importable). The interpreter's own start is measured apart."
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
        sdk_args = (str(reply), str(p12), PASSWORD)
        zeep_args = (str(reply), wsdl_path(), str(key), str(cert))
        contenders: dict[str, tuple[str, ...]] = {
            "import": ("import",),
            "zeep-import": ("zeep-import",),
            "sdk": ("sdk", *sdk_args),
            "sdk-minimal": ("sdk-minimal", *sdk_args),
            "zeep": ("zeep", *zeep_args),
        }
        reply.write_bytes(signed_reply()[0])
        for args in contenders.values():  # warm-up: .pyc files written, OS caches filled
            _child(*args)
        samples: dict[str, list[float]] = defaultdict(list)
        for _ in range(rounds):
            reply.write_bytes(signed_reply()[0])  # a fresh Timestamp every round
            for name, args in contenders.items():
                measured = _child(*args)
                samples[name].append(measured["total_ms"])
                if "imports_ms" in measured:
                    samples[f"{name}-imports"].append(measured["imports_ms"])
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
                        "first TX25 call, cbss-sdk as `pip install cbss-sdk` "
                        "(no click, rich, pygments)",
                        "SDK",
                        med["sdk-minimal"],
                        "ms",
                        f"of which imports {med['sdk-minimal-imports']:.0f} ms",
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
        result.notes.append(
            f"httpx's own command line (`httpx._main`, importing click, rich and pygments when "
            f"they are installed) costs the first call {med['sdk'] - med['sdk-minimal']:.0f} ms "
            "here (difference of the two SDK medians); the SDK cannot avoid it where those "
            "packages are installed, as with the `cli` extra."
        )
        result.checks.append(
            Check("start-up: `import cbss_sdk` ≤ 100 ms", med["import"], 100.0, unit="ms")
        )
        call_check = Check(
            "start-up: first TX25 call in a fresh process ≤ 400 ms", med["sdk"], 400.0, unit="ms"
        )
        result.checks.append(call_check)
        if med["import"] > 100.0 or med["sdk"] > 400.0:
            groups, table = _importtime(sdk_args)
            result.profiles.append(
                ("imports of the first TX25 call, by package (`python -X importtime`)", table)
            )
            result.profiles.append(
                ("the first TX25 call after its imports (cProfile)", _call_profile(sdk_args))
            )
            call_check.why = _why(groups, med)
    return result


# ------------------------------------------------------------------------------ profiles


def _group(module: str) -> str:
    """The component a module belongs to, for the import-time table."""
    top = module.split(".")[0]
    if module == "httpx._main" or top in CLI_PACKAGES:
        return CLI_GROUP
    if module.startswith(TX25_MODELS):
        return "TX25 generated models"
    if module.startswith("cbss_sdk.models."):
        return "other services' generated models"
    if module.startswith("cbss_sdk.services._") and module not in SHARED_FACADE_MODULES:
        return "other services' facades" if module != TX25_FACADE else OWN_GROUP
    if top == "cbss_sdk":
        return OWN_GROUP
    if top in ("attr", "attrs"):
        return "attrs"
    if top == "stdnum":
        return "python-stdnum"
    if top in sys.stdlib_module_names or top.startswith("_"):
        return ""  # charged to the package that imported it, if any
    return top


def _import_entries(sdk_args: tuple[str, ...]) -> list[tuple[int, str, int]]:
    """One ``-X importtime`` run of the SDK's first call: (depth, module, self µs) per import."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", str(CHILD), "sdk", *sdk_args],
        capture_output=True,
        text=True,
        check=True,
        env=_child_env(),
    )
    entries: list[tuple[int, str, int]] = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "cumulative" in line:
            continue
        head, _cumulative, name = line.split("|", 2)
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2  # " a", "   a.b", ...
        entries.append((depth, name.strip(), int(head.split(":", 1)[1])))
    return entries


def _charge(entries: list[tuple[int, str, int]]) -> dict[str, int]:
    """Self import times per component (a standard-library module counts for its importer)."""
    # -X importtime prints a module after everything it imported: walk backwards to know
    # the ancestors of each line.
    groups: dict[str, int] = defaultdict(int)
    ancestors: list[str] = []
    for depth, module, self_us in reversed(entries):
        del ancestors[depth:]
        ancestors.append(module)
        owner = next((g for g in map(_group, reversed(ancestors)) if g), "standard library")
        groups[owner] += self_us
    return groups


def _importtime(sdk_args: tuple[str, ...], runs: int = 3) -> tuple[dict[str, int], str]:
    """Self import time of the first call, charged to components; medians of *runs* runs.

    A standard-library module counts for the nearest package above it in the
    import tree (``email`` pulled in by httpx counts for httpx); one imported by
    the child itself counts as "standard library".  Times in microseconds.
    """
    runs_entries = [_import_entries(sdk_args) for _ in range(runs)]
    charged = [_charge(entries) for entries in runs_entries]
    groups = {
        owner: int(statistics.median(run.get(owner, 0) for run in charged))
        for owner in set().union(*charged)
    }
    per_module: dict[str, list[int]] = defaultdict(list)
    for entries in runs_entries:
        for _depth, module, self_us in entries:
            per_module[module].append(self_us)
    modules = {module: statistics.median(values) for module, values in per_module.items()}
    total = sum(groups.values()) or 1
    shown = {owner: value for owner, value in groups.items() if value >= total / 100}
    rest = total - sum(shown.values())
    lines = ["| component | self import time | share |", "|---|---:|---:|"]
    for owner, self_us in sorted(shown.items(), key=lambda item: item[1], reverse=True):
        lines.append(f"| {owner} | {self_us / 1e3:.1f} ms | {self_us / total:.0%} |")
    if rest:
        lines.append(f"| others (under 1 % each) | {rest / 1e3:.1f} ms | {rest / total:.0%} |")
    lines.append(f"| **total** | {total / 1e3:.1f} ms | |")
    ranked = sorted(modules.items(), key=lambda item: item[1], reverse=True)[:8]
    lines += [
        "",
        "Largest single modules (self time): "
        + ", ".join(f"`{module}` {self_us / 1e3:.1f} ms" for module, self_us in ranked)
        + f". Medians of {runs} runs; `-X importtime` slows imports down, the shares are what "
        "counts.",
    ]
    return groups, "\n".join(lines)


def _call_profile(sdk_args: tuple[str, ...], limit: int = 12) -> str:
    """Where the first call spends its time once everything is imported."""
    measured = _child("sdk-profile", *sdk_args)
    rows: list[list[Any]] = measured["profile"]
    lines = ["| own time | cumulative | calls | function |", "|---:|---:|---:|---|"]
    for tottime, cumtime, ncalls, filename, line, name in rows[:limit]:
        where = _short_path(filename)
        label = f"`{name}` ({where}:{line})" if line else f"`{name}`"
        lines.append(f"| {tottime * 1e3:.1f} ms | {cumtime * 1e3:.1f} ms | {ncalls:,} | {label} |")
    lines += [
        "",
        f"Everything after the imports took {measured['profiled_ms']:.0f} ms under the profiler "
        "(credentials, client, request, signature, verification, binding).",
    ]
    return "\n".join(lines)


def _why(groups: dict[str, int], med: dict[str, float]) -> str:
    """The closing note's reason for a missed first-call target, from this run's figures."""
    total = sum(groups.values()) or 1
    share = {owner: value / total for owner, value in groups.items()}
    ranked = sorted(share.items(), key=lambda item: item[1], reverse=True)[:5]
    parts = [
        f"imports are {med['sdk-imports'] / med['sdk']:.0%} of it; by share of the import time: "
        + ", ".join(f"{owner} {value:.0%}" for owner, value in ranked),
        f"without httpx's own command line (no click, rich, pygments: a plain "
        f"`pip install cbss-sdk`) the call takes {med['sdk-minimal']:.0f} ms",
    ]
    others = share.get("other services' generated models", 0.0) + share.get(
        "other services' facades", 0.0
    )
    if others:
        parts.append(f"other services' facades and models {others:.0%}")
    return "; ".join(parts) + "; see the profiles"
