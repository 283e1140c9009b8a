"""Validation of facade keyword arguments, before anything is built or sent.

Facades accept Python types (``datetime.date``, enums, plain strings for
SSINs) and turn them into the wire forms CBSS wants.  A bad argument raises
:class:`~cbss_sdk.errors.RequestValidationError` naming the argument, never
echoing a value that could be personal data.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from xsdata.models.datatype import XmlDate

from ..errors import RequestValidationError
from ..ids import normalize_ssin

__all__ = [
    "check_int_range",
    "check_period",
    "check_text",
    "coerce_enum",
    "digits_argument",
    "euros",
    "incomplete_date",
    "ssin_argument",
    "xml_date",
]

E = TypeVar("E", bound=Enum)

_INCOMPLETE = re.compile(r"^([12]\d{3})-(\d{2})-(\d{2})$")


def ssin_argument(value: object, *, field: str = "ssin") -> str:
    """A validated SSIN (National Register or BIS number), 11 digits."""
    return normalize_ssin(value, field=field)


def incomplete_date(value: dt.date | str, *, field: str) -> tuple[str, bool]:
    """An SSDN incomplete date ``yyyy-mm-dd`` (``00`` for an unknown month or day).

    Returns the text and whether it is complete.  Accepts a ``datetime.date``
    or such a string (``"1938-06-00"``); a day without a month is refused.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat(), True
    if not isinstance(value, str):
        raise RequestValidationError(f"{field} must be a date or 'yyyy-mm-dd' text", field=field)
    match = _INCOMPLETE.match(value.strip())
    if match is None:
        raise RequestValidationError(
            f"{field} must look like yyyy-mm-dd (00 for an unknown month or day)", field=field
        )
    year, month, day = (int(g) for g in match.groups())
    if month > 12 or day > 31 or (month == 0 and day != 0):
        raise RequestValidationError(f"{field} is not a possible (incomplete) date", field=field)
    if month and day:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise RequestValidationError(f"{field} is not a possible date", field=field) from None
    return value.strip(), bool(month and day)


def digits_argument(value: str | None, length: int, *, field: str) -> str | None:
    """A card or document number of exactly *length* digits (spaces, dots and dashes ignored)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise RequestValidationError(f"{field} must be a string of {length} digits", field=field)
    text = value.replace(" ", "").replace("-", "").replace(".", "")
    if not (text.isdigit() and len(text) == length):
        raise RequestValidationError(f"{field} must be {length} digits", field=field)
    return text


def xml_date(value: dt.date, *, field: str) -> XmlDate:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RequestValidationError(f"{field} must be a datetime.date", field=field)
    return XmlDate.from_date(value)


def check_period(start: dt.date, end: dt.date | None, *, field: str = "period") -> None:
    """``start`` ≤ ``end`` when both are given."""
    if end is not None and end < start:
        raise RequestValidationError(f"{field}: the end date is before the start date", field=field)


def check_int_range(value: int | None, low: int, high: int, *, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RequestValidationError(
            f"{field} must be an integer from {low} to {high}", field=field
        )
    return value


def check_text(value: str | None, *, field: str, max_length: int | None = None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RequestValidationError(f"{field} must be a non-empty string", field=field)
    if max_length is not None and len(value) > max_length:
        raise RequestValidationError(
            f"{field} must be at most {max_length} characters", field=field
        )
    return value.strip()


def coerce_enum(enum: type[E], value: E | str | int, *, field: str) -> E:
    """An enum member from itself, its value or its name (case-insensitive)."""
    if isinstance(value, enum):
        return value
    for member in enum:
        if value == member.value or (
            isinstance(value, str) and value.upper() == member.name.upper()
        ):
            return member
    allowed = ", ".join(str(m.value) for m in enum)
    raise RequestValidationError(f"{field} must be one of: {allowed}", field=field)


def euros(cents: int | None) -> Decimal | None:
    """An amount CBSS sends in euro cents, as exact euros (``12345`` → ``Decimal('123.45')``)."""
    if cents is None:
        return None
    return Decimal(int(cents)).scaleb(-2)
