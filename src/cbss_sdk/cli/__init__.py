"""The ``cbss`` command: try the SDK on the simulator, call CBSS services, check certificates.

Installed with the ``cli`` extra (``pip install "cbss-sdk[cli]"``), which
adds rich (tables, progress bars) and uvicorn (the HTTP simulator).  The
entry point is :func:`main`; ``python -m cbss_sdk.cli`` works as well.
See ``docs/cli.md`` for every command.
"""

from __future__ import annotations

from ._main import build_parser, main

__all__ = ["build_parser", "main"]
