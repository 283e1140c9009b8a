"""Identifiers: SSIN, BIS and CBE numbers (validation, normalisation, formatting)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbss_sdk import ids
from cbss_sdk.errors import InvalidIdentifier, RequestValidationError


def _with_check(first9: str, *, born_2000: bool = False) -> str:
    base = int(("2" if born_2000 else "") + first9)
    return first9 + f"{97 - base % 97:02d}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("85073003328", "85073003328"),
        ("85.07.30-033.28", "85073003328"),
        (" 850730 033-28 ", "85073003328"),
        ("850730 033=28", "85073003328"),
        (85073003328, "85073003328"),
    ],
)
def test_normalize_ssin_accepts_usual_forms(raw: object, expected: str) -> None:
    assert ids.normalize_ssin(raw) == expected


def test_ssin_born_from_2000_uses_the_2_prefix() -> None:
    ssin = _with_check("050101123", born_2000=True)
    assert ids.normalize_ssin(ssin) == ssin
    assert ids.birth_date(ssin) == dt.date(2005, 1, 1)
    # the same digits with the pre-2000 check number are a different, invalid-for-2005 number
    assert ids.birth_date(_with_check("050101123")) == dt.date(1905, 1, 1)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("85073003327", "checksum"),
        ("8507300332", "length"),
        ("850730033289", "length"),
        ("85O73003328", "format"),
        ("", "length"),
        (None, "format"),
        (3.14, "format"),
    ],
)
def test_invalid_ssin_is_typed_and_never_echoes_the_value(raw: object, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        ids.normalize_ssin(raw)
    err = info.value
    assert err.reason == reason
    assert err.kind == "ssin"
    assert err.field == "ssin"
    assert isinstance(err, RequestValidationError)
    assert isinstance(err, ValueError)
    if isinstance(raw, str) and raw:
        assert raw not in str(err)


def test_bis_numbers_month_plus_20_and_plus_40() -> None:
    gender_unknown = _with_check("852730033")
    gender_known = _with_check("854730033")
    assert ids.ssin_kind(gender_unknown) == "bis"
    assert ids.ssin_kind(gender_known) == "bis"
    assert ids.gender(gender_unknown) is None
    assert ids.gender(gender_known) == "M"
    assert ids.ssin_kind("85073003328") == "national_register"
    with pytest.raises(InvalidIdentifier) as info:
        ids.normalize_ssin(gender_known, allow_bis=False)
    assert info.value.reason == "kind"


def test_bis_with_bad_check_is_refused_as_bis() -> None:
    good = _with_check("852730033")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(InvalidIdentifier, match="BIS number"):
        ids.normalize_ssin(bad)


def test_format_and_gender_and_birth_date() -> None:
    assert ids.format_ssin("85073003328") == "85.07.30-033.28"
    assert ids.gender("85073003328") == "M"
    assert ids.birth_date("85073003328") == dt.date(1985, 7, 30)
    assert ids.is_valid_ssin("85073003328")
    assert not ids.is_valid_ssin("85073003329")


@pytest.mark.parametrize("raw", ["0212344876", "0212.344.876", "BE0212344876", "212344876"])
def test_cbe_forms(raw: str) -> None:
    assert ids.normalize_cbe(raw) == "0212344876"
    assert ids.format_cbe(raw) == "0212.344.876"
    assert ids.is_valid_cbe(raw)


@pytest.mark.parametrize(
    ("raw", "reason"), [("0212344877", "checksum"), ("02123", "length"), ("02x2344876", "format")]
)
def test_cbe_invalid(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        ids.normalize_cbe(raw)
    assert info.value.reason == reason
    assert info.value.kind == "cbe"


@st.composite
def valid_ssins(draw: st.DrawFn) -> str:
    year = draw(st.integers(1900, 2025))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    counter = draw(st.integers(1, 997))
    first9 = f"{year % 100:02d}{month:02d}{day:02d}{counter:03d}"
    return _with_check(first9, born_2000=year >= 2000)


@given(valid_ssins())
def test_every_well_formed_ssin_round_trips(ssin: str) -> None:
    assert ids.normalize_ssin(ids.format_ssin(ssin)) == ssin
    assert ids.ssin_kind(ssin) == "national_register"


@given(valid_ssins(), st.integers(0, 10), st.integers(1, 9))
def test_any_single_digit_change_is_detected(ssin: str, position: int, delta: int) -> None:
    digit = (int(ssin[position]) + delta) % 10
    changed = ssin[:position] + str(digit) + ssin[position + 1 :]
    # a changed digit may still form a valid number only if it flips the century/kind;
    # mod 97 detects every single-digit change of the same number layout
    if ids.is_valid_ssin(changed):
        assert ids.birth_date(changed) != ids.birth_date(ssin) or changed[:9] != ssin[:9]
    else:
        with pytest.raises(InvalidIdentifier):
            ids.normalize_ssin(changed)


@given(st.text(max_size=20))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        ids.normalize_ssin(text)
    except InvalidIdentifier as err:
        assert err.reason in {"format", "length", "checksum", "date", "kind"}
