"""Where the official CBSS test data is (read at run time, never copied into the project)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["REFERENCE", "ReferenceMissing", "fixture", "reference_dir"]

#: ``<workspace>/shared/reference/cbss``, beside the repository.
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cbss"


class ReferenceMissing(RuntimeError):
    """The official samples and WSDLs are not available on this machine."""


def reference_dir() -> Path:
    """``.../reference/cbss/head``, or :class:`ReferenceMissing` with what to do."""
    head = REFERENCE / "head"
    if not (head / "fixtures").is_dir():
        raise ReferenceMissing(
            f"the official CBSS samples and WSDLs are expected in {head} "
            "(a folder beside the repository, not part of it); without them the bind, "
            "start-up and zeep cases cannot run"
        )
    return head


def fixture(name: str) -> Path:
    """One official sample reply."""
    return reference_dir() / "fixtures" / name
