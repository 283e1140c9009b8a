"""Benchmarks of cbss-sdk against zeep, xsdata's generic binding and the raw limits.

Not part of the test suite: run ``python -m benchmarks`` (extra ``bench``).
Every comparison runs its contenders in one process, interleaved, for at
least seven rounds, and reports medians and ratios; the runner prints a
table and rewrites ``benchmarks/README.md``.
"""
