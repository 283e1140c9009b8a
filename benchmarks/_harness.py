"""Timing and reporting: interleaved rounds, medians, ratios, targets, profiles.

Absolute times on a shared machine are noise; ratios between contenders that
ran in the same process, round after round, are not.  Each round times every
contender once (in a rotating order, so that none always runs first), each
sample repeats the operation until it lasts long enough to be read well, and
the median of the rounds is reported.
"""

from __future__ import annotations

import cProfile
import ctypes
import ctypes.util
import gc
import io
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CaseResult",
    "Check",
    "Row",
    "Timing",
    "interleaved",
    "profile_top",
]

MIN_SAMPLE_SECONDS = 0.05
MAX_REPEAT = 20_000


@dataclass
class Timing:
    """Median seconds per operation of one contender, and its round samples."""

    label: str
    median: float
    samples: list[float]


def _calibrate(fn: Callable[[], object], min_seconds: float) -> int:
    start = time.perf_counter()
    fn()
    once = max(time.perf_counter() - start, 1e-7)
    return max(1, min(MAX_REPEAT, int(min_seconds / once) + 1))


def _settle() -> None:
    """Collect garbage and give freed heap back to the OS, so the next sample starts clean.

    Used between the samples of large documents: otherwise a contender runs in the heap
    its predecessor just freed (no page faults) or fragmented, and the order decides.
    """
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: collecting is all we can do
        pass


def interleaved(
    contenders: dict[str, Callable[[], object]],
    *,
    rounds: int,
    min_seconds: float = MIN_SAMPLE_SECONDS,
    settle: bool = False,
) -> dict[str, Timing]:
    """Time every contender *rounds* times, interleaved; median seconds per call.

    ``settle`` cleans the heap before every sample (see :func:`_settle`); for large inputs.
    """
    if rounds < 1:
        raise ValueError("rounds must be >= 1")
    names = list(contenders)
    for fn in contenders.values():
        fn()  # warm-up: caches, lazy imports, plans
    repeat = {name: _calibrate(contenders[name], min_seconds) for name in names}
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            fn = contenders[name]
            n = repeat[name]
            if settle:
                _settle()
            start = time.perf_counter()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter() - start) / n)
    return {name: Timing(name, statistics.median(samples[name]), samples[name]) for name in names}


@dataclass
class Row:
    """One line of a case table."""

    label: str
    role: str  # "SDK", "peer", "floor" or "reference"
    value: float | None  # seconds per operation, or the unit's value
    unit: str = "s"  # "s" (formatted as ms/µs), "MB", "calls/s", "×"
    note: str = ""


@dataclass
class Check:
    """A target of the issue and what this run measured."""

    target: str
    measured: float | None
    limit: float
    higher_is_better: bool = False
    unit: str = "×"
    why: str = ""  # when not met: what the profile says, for the closing note

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        if self.higher_is_better:
            return self.measured >= self.limit
        return self.measured <= self.limit

    def measured_text(self) -> str:
        if self.measured is None:
            return "not measured"
        return format_value(self.measured, self.unit)

    def limit_text(self) -> str:
        sign = "≥" if self.higher_is_better else "≤"
        return f"{sign} {format_value(self.limit, self.unit)}"


@dataclass
class CaseResult:
    """What one case measured: tables of rows, targets, notes and profiles."""

    key: str
    title: str
    what: str
    tables: list[tuple[str, list[Row]]] = field(default_factory=list)
    grids: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profiles: list[tuple[str, str]] = field(default_factory=list)
    skipped: str | None = None


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        if value >= 1.0:
            return f"{value:.2f} s"
        if value >= 1e-3:
            return f"{value * 1e3:.2f} ms"
        return f"{value * 1e6:.1f} µs"
    if unit == "ms":
        return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"
    if unit == "×":
        return f"{value:.2f} ×"
    if unit == "calls/s":
        return f"{value:,.0f} calls/s"
    if unit == "MB":
        return f"{value:.1f} MB"
    return f"{value:g} {unit}"


def profile_top(fn: Callable[[], Any], *, calls: int, limit: int = 12) -> str:
    """Where the time of *calls* calls of *fn* goes: the functions with the most own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        fn()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    raw: Any = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1.0
    rows = sorted(raw.items(), key=lambda item: item[1][2], reverse=True)[:limit]
    lines = ["| own time | cumulative | calls per run | function |", "|---:|---:|---:|---|"]
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in rows:
        where = _short_path(filename)
        label = f"`{name}` ({where}:{line})" if line else f"`{name}`"
        lines.append(
            f"| {tottime / total:.0%} | {cumtime / total:.0%} | {ncalls // calls:,} | {label} |"
        )
    return "\n".join(lines)


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", "/src/", "/benchmarks/", "/lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename
