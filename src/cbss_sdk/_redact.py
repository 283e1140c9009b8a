"""Masking of national numbers in any text the SDK emits.

Every consultation is about a person, so no log line, exception message or
audit text field may carry a national number (SSIN, BIS) by default.  This
module is the one place that knows what such a number looks like in free text:
eleven digits in a row, or the printed forms ``YY.MM.DD-SSS.CC`` and
``YYMMDD SSS-CC`` / ``YYMMDD SSS=CC``.
"""

from __future__ import annotations

import re

__all__ = ["MASK", "has_national_number", "mask_national_numbers", "mask_ssin"]

MASK = "***********"

# Eleven digits not glued to other digits, or the usual printed layouts.
_NATIONAL_NUMBER = re.compile(
    r"(?<!\d)(?:\d{11}|\d{2}\.\d{2}\.\d{2}[-.]\d{3}\.\d{2}|\d{6} \d{3}[-=]\d{2})(?!\d)"
)


def mask_national_numbers(text: str) -> str:
    """Return *text* with every national-number-shaped run replaced by a mask."""
    if not text:
        return text
    return _NATIONAL_NUMBER.sub(MASK, text)


def has_national_number(text: str) -> bool:
    """Whether :func:`mask_national_numbers` would mask anything in *text*.

    Identifiers the SDK makes up (tickets) are drawn again when they contain
    one, so that masking never mangles them in logs.
    """
    return _NATIONAL_NUMBER.search(text) is not None


def mask_ssin(ssin: str | None) -> str:
    """Mask one national number, keeping only its last two digits for support.

    ``85073003328`` becomes ``*********28``: enough for a person reading a
    journal to tell two calls apart, not enough to identify anyone.
    """
    if not ssin:
        return ""
    digits = "".join(ch for ch in ssin if ch.isdigit())
    if len(digits) < 3:
        return "*" * len(digits)
    return "*" * (len(digits) - 2) + digits[-2:]
