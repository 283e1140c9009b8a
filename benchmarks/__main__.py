"""``python -m benchmarks``: run every case, print the tables, rewrite ``benchmarks/README.md``.

Options: ``--rounds N`` (at least 7 for published figures; default 7),
``--only sign,bind,...`` (a subset), ``--quick`` (fewer documents and calls,
for trying things out; never written to the README unless ``--write``),
``--no-readme``.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from . import case_bind, case_sign, case_startup, case_throughput, case_verify
from ._harness import CaseResult
from ._readme import machine, render_console, render_readme
from ._reference import ReferenceMissing

CASES: dict[str, Callable[..., CaseResult]] = {
    "sign": case_sign.run,
    "bind": case_bind.run,
    "verify": case_verify.run,
    "throughput": case_throughput.run,
    "startup": case_startup.run,
}
README = Path(__file__).with_name("README.md")
MIN_PUBLISHED_ROUNDS = 7


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--rounds", type=int, default=MIN_PUBLISHED_ROUNDS)
    parser.add_argument("--only", default="", help="comma-separated cases: " + ",".join(CASES))
    parser.add_argument("--quick", action="store_true", help="fewer documents and calls")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite README.md")
    parser.add_argument("--write", action="store_true", help="write the README even when --quick")
    args = parser.parse_args(argv)
    selected = [name.strip() for name in args.only.split(",") if name.strip()] or list(CASES)
    unknown = [name for name in selected if name not in CASES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(CASES)}")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    started = time.time()
    results: list[CaseResult] = []
    for name in selected:
        print(f"[benchmarks] {name} …", file=sys.stderr, flush=True)
        case_started = time.perf_counter()
        try:
            result = CASES[name](rounds=args.rounds, quick=args.quick)
        except ReferenceMissing as missing:
            result = CaseResult(key=name, title=name, what="", skipped=str(missing))
        except Exception:  # one broken case must not hide the others' figures
            result = CaseResult(
                key=name, title=name, what="", skipped="failed:\n" + traceback.format_exc(limit=8)
            )
        print(
            f"[benchmarks] {name} done in {time.perf_counter() - case_started:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        results.append(result)
        print(render_console(result), flush=True)

    command = (
        "python -m benchmarks"
        + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    )
    publish = not args.no_readme and (not args.quick or args.write)
    if (
        publish
        and (args.rounds < MIN_PUBLISHED_ROUNDS or set(selected) != set(CASES))
        and not args.write
    ):
        print(
            f"[benchmarks] README.md not rewritten: publishing needs every case and "
            f"--rounds >= {MIN_PUBLISHED_ROUNDS} (or --write)",
            file=sys.stderr,
        )
        publish = False
    if publish:
        README.write_text(
            render_readme(results, command=command, machine=machine(), started=started),
            encoding="utf-8",
        )
        print(f"[benchmarks] wrote {README}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
