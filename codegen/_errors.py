"""The one error type of the code generator.

Every failure the generator can diagnose (bad units file, missing or remote schema, xsdata
warning, stale models) is raised as :class:`CodegenError` with a message meant for a person;
the command line prints it and exits non-zero.
"""

from __future__ import annotations

__all__ = ["CodegenError"]


class CodegenError(Exception):
    """Code generation could not run, or its result cannot be trusted."""
