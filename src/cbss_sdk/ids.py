"""Belgian identifiers used by CBSS: national numbers (SSIN), BIS numbers and CBE numbers.

Why a module of our own on top of python-stdnum: CBSS calls need one
canonical form (digits only), a typed error the caller can catch
(:class:`~cbss_sdk.errors.InvalidIdentifier`, also a ``ValueError``) that
never repeats the rejected number, and the distinction CBSS makes between a
National Register number and a BIS number.  The check-digit arithmetic itself
is python-stdnum's (``stdnum.be.nn``, ``stdnum.be.bis``, ``stdnum.be.vat``).

>>> normalize_ssin("85.07.30-033.28")
'85073003328'
>>> format_ssin("85073003328")
'85.07.30-033.28'
>>> ssin_kind("85273003371")
'bis'
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from stdnum import exceptions as _stdnum_errors
from stdnum.be import bis as _bis
from stdnum.be import nn as _nn
from stdnum.be import vat as _vat

from .errors import InvalidIdentifier

__all__ = [
    "SsinKind",
    "birth_date",
    "format_cbe",
    "format_ssin",
    "gender",
    "is_valid_cbe",
    "is_valid_ssin",
    "normalize_cbe",
    "normalize_ssin",
    "ssin_kind",
]

SsinKind = Literal["national_register", "bis"]

_SEPARATORS = str.maketrans("", "", " .-=/")


def _digits(value: object, *, kind: str, field: str | None) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InvalidIdentifier(
            f"{kind.upper()} must be a string of digits, not {type(value).__name__}",
            kind=kind,
            reason="format",
            field=field,
        )
    return value.strip().translate(_SEPARATORS)


def _reason(exc: _stdnum_errors.ValidationError) -> str:
    if isinstance(exc, _stdnum_errors.InvalidLength):
        return "length"
    if isinstance(exc, _stdnum_errors.InvalidChecksum):
        return "checksum"
    if isinstance(exc, _stdnum_errors.InvalidComponent):
        return "date"
    return "format"


_REASON_TEXT = {
    "length": "has the wrong number of digits",
    "checksum": "has a wrong check number",
    "date": "does not encode a possible birth date",
    "format": "is not made of digits",
    "kind": "is not of the expected kind",
}


def ssin_kind(value: object, *, field: str | None = "ssin") -> SsinKind:
    """Whether a valid identifier is a National Register number or a BIS number.

    Raises :class:`InvalidIdentifier` when it is neither.
    """
    digits = _digits(value, kind="ssin", field=field)
    if len(digits) != 11 or not digits.isdigit():
        reason = "format" if digits and not digits.isdigit() else "length"
        raise InvalidIdentifier(
            f"SSIN {_REASON_TEXT[reason]}", kind="ssin", reason=reason, field=field
        )
    month = int(digits[2:4])
    module = _bis if 20 <= month <= 32 or 40 <= month <= 52 else _nn
    try:
        module.validate(digits)
    except _stdnum_errors.ValidationError as exc:
        reason = _reason(exc)
        label = "BIS number" if module is _bis else "SSIN"
        raise InvalidIdentifier(
            f"{label} {_REASON_TEXT[reason]}", kind="ssin", reason=reason, field=field
        ) from None
    return "bis" if module is _bis else "national_register"


def normalize_ssin(value: object, *, allow_bis: bool = True, field: str | None = "ssin") -> str:
    """Validate an SSIN (National Register or BIS number) and return its 11 digits.

    Separators (spaces, dots, dashes, ``=``, ``/``) are accepted on input.
    With ``allow_bis=False`` a BIS number is refused (``reason="kind"``).
    """
    kind = ssin_kind(value, field=field)
    if kind == "bis" and not allow_bis:
        raise InvalidIdentifier(
            "a National Register number is required here, not a BIS number",
            kind="bis",
            reason="kind",
            field=field,
        )
    return _digits(value, kind="ssin", field=field)


def is_valid_ssin(value: object, *, allow_bis: bool = True) -> bool:
    """True when :func:`normalize_ssin` would accept *value*."""
    try:
        normalize_ssin(value, allow_bis=allow_bis)
    except InvalidIdentifier:
        return False
    return True


def format_ssin(value: object) -> str:
    """The printed form ``YY.MM.DD-SSS.CC`` (as on the eID card)."""
    digits = normalize_ssin(value)
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:11]}"


def birth_date(value: object) -> _dt.date | None:
    """The birth date encoded in an SSIN or BIS number, or ``None`` when it is not fully known."""
    digits = normalize_ssin(value)
    module = _bis if ssin_kind(digits) == "bis" else _nn
    try:
        result = module.get_birth_date(digits)
    except _stdnum_errors.ValidationError:
        return None
    return result if isinstance(result, _dt.date) else None


def gender(value: object) -> Literal["M", "F"] | None:
    """``"M"`` or ``"F"`` from the day counter, ``None`` when the number does not encode it.

    BIS numbers with month + 20 do not encode the gender.
    """
    digits = normalize_ssin(value)
    module = _bis if ssin_kind(digits) == "bis" else _nn
    result = module.get_gender(digits)
    if result == "M":
        return "M"
    if result == "F":
        return "F"
    return None


def normalize_cbe(value: object, *, field: str | None = "cbe_number") -> str:
    """Validate a CBE (KBO/BCE) enterprise number and return its 10 digits.

    Accepts ``0212.344.876``, ``BE0212344876`` and old 9-digit numbers
    (a leading ``0`` is added).
    """
    text = _digits(value, kind="cbe", field=field)
    if text[:2].upper() == "BE":
        text = text[2:]
    if not text.isdigit():
        raise InvalidIdentifier(
            "CBE number is not made of digits", kind="cbe", reason="format", field=field
        )
    if len(text) == 9:
        text = "0" + text
    try:
        _vat.validate(text)
    except _stdnum_errors.ValidationError as exc:
        reason = _reason(exc)
        if reason == "date":
            reason = "format"
        raise InvalidIdentifier(
            f"CBE number {_REASON_TEXT[reason]}", kind="cbe", reason=reason, field=field
        ) from None
    return text


def is_valid_cbe(value: object) -> bool:
    """True when :func:`normalize_cbe` would accept *value*."""
    try:
        normalize_cbe(value)
    except InvalidIdentifier:
        return False
    return True


def format_cbe(value: object) -> str:
    """The printed form ``0212.344.876``."""
    digits = normalize_cbe(value)
    return f"{digits[0:4]}.{digits[4:7]}.{digits[7:10]}"
