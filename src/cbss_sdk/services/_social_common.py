"""Pieces shared by the social-database facades: quarters, months, amounts, spans, no-data codes.

The new-generation social-database services (Dolsis, SelfEmployed,
TaxAssessment, Handiservice, UnemploymentData…) share conventions the
core facades do not need: periods counted in quarters or months with a
maximum span, amounts sent in euro cents, and service codes that mean
"nothing found" and must become a ``NO_DATA_FOUND`` outcome instead of an
error whatever status value CBSS puts next to them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Generic, TypeVar

import attrs

from .._results import CallMeta, Status
from ..errors import RequestValidationError
from ._args import euros

__all__ = [
    "Month",
    "Quarter",
    "SoaResult",
    "check_flag",
    "check_max_months",
    "euros",
    "months_spanned",
]

R = TypeVar("R")
T = TypeVar("T")

_QUARTER = re.compile(r"^([12]\d{3})\s*-?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^([12]\d{3})-(\d{2})$")


@attrs.frozen(order=True)
class Quarter:
    """A calendar quarter: ``Quarter(2024, 3)`` is July–September 2024.

    :meth:`of` accepts a ``Quarter``, ``"2024Q3"``, ``(2024, 3)`` or a
    ``datetime.date`` (the quarter containing it).
    """

    year: int
    quarter: int

    def __attrs_post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise RequestValidationError("a quarter's year must be an integer", field="quarter")
        if not 1000 <= self.year <= 2999:
            raise RequestValidationError("a quarter's year must be 1000-2999", field="quarter")
        if isinstance(self.quarter, bool) or self.quarter not in (1, 2, 3, 4):
            raise RequestValidationError("a quarter number must be 1, 2, 3 or 4", field="quarter")

    @classmethod
    def of(cls, value: Quarter | str | tuple[int, int] | dt.date, *, field: str) -> Quarter:
        try:
            if isinstance(value, Quarter):
                return value
            if isinstance(value, dt.date):
                return cls(value.year, (value.month - 1) // 3 + 1)
            if isinstance(value, str):
                match = _QUARTER.match(value.strip())
                if match is None:
                    raise RequestValidationError(f"{field} must look like 2024Q3", field=field)
                return cls(int(match.group(1)), int(match.group(2)))
            if isinstance(value, tuple) and len(value) == 2:
                return cls(value[0], value[1])
        except RequestValidationError as exc:
            raise RequestValidationError(exc.message, field=field) from None
        raise RequestValidationError(
            f"{field} must be a Quarter, 'yyyyQn', (year, quarter) or a date", field=field
        )

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> dt.date:
        month = 3 * self.quarter
        following = dt.date(self.year + (month == 12), month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"


@attrs.frozen(order=True)
class Month:
    """A calendar month; :meth:`of` accepts a ``Month``, ``"2024-03"``, ``(2024, 3)`` or a date."""

    year: int
    month: int

    def __attrs_post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise RequestValidationError("a month's year must be an integer", field="month")
        if not 1000 <= self.year <= 2999:
            raise RequestValidationError("a month's year must be 1000-2999", field="month")
        if isinstance(self.month, bool) or not isinstance(self.month, int):
            raise RequestValidationError("a month number must be an integer", field="month")
        if not 1 <= self.month <= 12:
            raise RequestValidationError("a month number must be 1-12", field="month")

    @classmethod
    def of(cls, value: Month | str | tuple[int, int] | dt.date, *, field: str) -> Month:
        try:
            if isinstance(value, Month):
                return value
            if isinstance(value, dt.date):
                return cls(value.year, value.month)
            if isinstance(value, str):
                match = _MONTH.match(value.strip())
                if match is None:
                    raise RequestValidationError(f"{field} must look like 2024-03", field=field)
                return cls(int(match.group(1)), int(match.group(2)))
            if isinstance(value, tuple) and len(value) == 2:
                return cls(value[0], value[1])
        except RequestValidationError as exc:
            raise RequestValidationError(exc.message, field=field) from None
        raise RequestValidationError(
            f"{field} must be a Month, 'yyyy-mm', (year, month) or a date", field=field
        )

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def index(self) -> int:
        """Months since year 0: differences give spans."""
        return self.year * 12 + self.month - 1


def months_spanned(start: dt.date, end: dt.date) -> int:
    """Calendar months a period touches (1 January–31 January = 1, 15 January–14 February = 2)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def check_max_months(start: dt.date, end: dt.date, months: int, *, field: str) -> None:
    """The period ``start``–``end`` (ordered) lasts at most *months* months.

    ``start`` plus *months* months, minus one day, is the last end date
    allowed: 2 years from 2023-03-15 ends on 2025-03-14 at the latest.
    """
    if end < start:
        raise RequestValidationError(f"{field}: the end date is before the start date", field=field)
    year = start.year + (start.month - 1 + months) // 12
    month = (start.month - 1 + months) % 12 + 1
    day = start.day
    while True:
        try:
            limit = dt.date(year, month, day)
            break
        except ValueError:
            day -= 1
    if day != start.day:
        limit = limit + dt.timedelta(days=1)
    if end >= limit:
        raise RequestValidationError(f"{field} may not be longer than {months} months", field=field)


def check_flag(value: object, *, field: str) -> bool:
    if not isinstance(value, bool):
        raise RequestValidationError(f"{field} must be True or False", field=field)
    return value


@attrs.frozen
class SoaResult(Generic[R]):
    """What every social-database result carries: call metadata, CBSS status and the bound reply.

    ``status.value`` is ``DATA_FOUND`` or ``NO_DATA_FOUND`` (``NO_RESULT``
    raises a typed error instead); ``response`` is the whole generated reply.
    """

    meta: CallMeta
    status: Status
    response: R = attrs.field(repr=False)

    @property
    def data_found(self) -> bool:
        return self.status.value == "DATA_FOUND"

    @property
    def code(self) -> str | None:
        return self.status.code
