"""The result shape shared by SSDN facades: metadata, warnings, bound reply.

SSDN replies may carry warnings and information details next to the data
(``ok=WARNING``: "the given person data do not match"); a caller must see
them, so every SSDN result exposes them the same way.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import attrs

from .._results import CallMeta
from ..errors import SsdnDetail

__all__ = ["SsdnResult"]

R = TypeVar("R")


@attrs.frozen
class SsdnResult(Generic[R]):
    """An SSDN result: ``reply`` is the bound service reply (``None`` when CBSS found nothing).

    ``warnings`` holds the WARNING and INFORMATION details CBSS sent
    (reason code, diagnostic); ``reason_codes`` lists their codes.
    """

    meta: CallMeta
    warnings: tuple[SsdnDetail, ...]
    reply: R | None = attrs.field(repr=False)
    no_data: bool = False

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(w.reason_code for w in self.warnings)
