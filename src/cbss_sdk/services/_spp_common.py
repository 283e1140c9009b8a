"""Argument checks shared by the SPP IS facades (Law-of-1965 forms, L036, heating allowance…).

The exchanges between a CPAS and the SPP IS carry the same kinds of values
again and again: amounts written as whole eurocents, short codes of SPP IS
code lists, 15-character attest ids, 0–99 household suffixes, booleans that
must really be booleans.  Each check raises
:class:`~cbss_sdk.errors.RequestValidationError` naming the argument and
never echoing its value.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..errors import RequestValidationError
from ._args import euros

__all__ = [
    "check_bool",
    "check_code",
    "check_count",
    "check_fixed_text",
    "eurocents",
    "euros",
]


def eurocents(value: Decimal | int | str, *, field: str, max_digits: int = 8) -> int:
    """Euros (``Decimal``, ``int`` or numeric text, at most 2 decimals, not negative) as eurocents.

    ``Decimal("123.45")`` → ``12345``.  Floats are refused: money is exact.
    ``max_digits`` is the number of digits the contract allows for the cents.
    """
    if isinstance(value, (bool, float)):
        raise RequestValidationError(
            f"{field} must be a Decimal, an int or numeric text (not a float)", field=field
        )
    if not isinstance(value, (Decimal, int, str)):
        raise RequestValidationError(f"{field} must be an amount in euros", field=field)
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError):
        raise RequestValidationError(f"{field} must be an amount in euros", field=field) from None
    if not amount.is_finite():
        raise RequestValidationError(f"{field} must be a finite amount", field=field)
    if amount < 0:
        raise RequestValidationError(f"{field} may not be negative", field=field)
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise RequestValidationError(f"{field} may have at most 2 decimals", field=field)
    result = int(cents)
    if len(str(result)) > max_digits:
        raise RequestValidationError(
            f"{field} is too large ({max_digits} digits of eurocents at most)", field=field
        )
    return result


def check_code(
    value: str | int | None, *, field: str, min_length: int = 1, max_length: int = 2
) -> str | None:
    """A short code of an SPP IS code list (``t_Code``: 1 or 2 characters by default)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RequestValidationError(f"{field} must be a code (text)", field=field)
    text = str(value).strip()
    if not min_length <= len(text) <= max_length:
        size = f"{min_length}" if min_length == max_length else f"{min_length} to {max_length}"
        raise RequestValidationError(f"{field} must be {size} characters", field=field)
    return text


def check_fixed_text(value: str, *, field: str, length: int) -> str:
    """Text of exactly *length* characters (attest ids, SPP IS references)."""
    if not isinstance(value, str) or len(value.strip()) != length:
        raise RequestValidationError(f"{field} must be {length} characters", field=field)
    return value.strip()


def check_bool(value: object, *, field: str) -> bool | None:
    """``True``, ``False`` or ``None`` (not given); anything else is refused."""
    if value is None or isinstance(value, bool):
        return value
    raise RequestValidationError(f"{field} must be True, False or None", field=field)


def check_count(value: object, low: int, high: int, *, field: str) -> int:
    """A required integer from *low* to *high*."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RequestValidationError(
            f"{field} must be an integer from {low} to {high}", field=field
        )
    return value
