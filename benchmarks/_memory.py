"""Peak memory of binding one reply, measured in a fresh process.

``python -m benchmarks._memory CONTENDER FILE`` prints the growth of the
process's peak resident set size (bytes) while CONTENDER (sdk, sdk-tree,
sdk-stream, xsdata, zeep, raw: see ``case_bind.make_contender``) turns the reply
bytes into its result, with the result still alive.
Linux resets the peak through ``/proc/self/clear_refs`` so that imports and
the file read do not count; elsewhere ``ru_maxrss`` is the fallback.
"""

from __future__ import annotations

import gc
import resource
import sys
from pathlib import Path
from typing import Any


def _current_rss() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def _peak_rss() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def main(argv: list[str]) -> int:
    name, path = argv
    from . import case_bind

    fn = case_bind.make_contender(name)
    data = Path(path).read_bytes()
    sample = case_bind.sample_reply("demo_tx25_3.xml")
    warm: Any = fn(sample)  # plans, metadata, lazy imports
    if name.startswith("sdk"):  # both SDK paths: the streaming one compiles every plan at once
        warm = (warm, case_bind.make_contender("sdk-stream")(sample))
    del warm
    gc.collect()
    baseline = _current_rss()
    if not _reset_peak():
        baseline = _peak_rss()
    result = fn(data)
    peak = _peak_rss()
    del result
    print(max(0, peak - baseline))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
