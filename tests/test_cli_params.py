"""``--param name=value`` conversion by the facade annotations (no network)."""

from __future__ import annotations

import datetime as dt
from enum import Enum, IntEnum
from typing import Literal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbss_sdk.cli._call import find_operation
from cbss_sdk.cli._errors import UsageError
from cbss_sdk.cli._params import (
    bind_params,
    convert,
    describe_type,
    expand_parameters,
    method_parameters,
    parse_assignments,
)
from cbss_sdk.services import DataGroup, Gender, ProofOfAuthentication, Purpose


class Colour(str, Enum):
    RED = "red"
    BLUE = "blue"


class Level(IntEnum):
    LOW = 1
    HIGH = 2


@attrs.frozen
class Box:
    width: int
    label: str | None = None


def sample(
    self: object,
    name: str,
    count: int,
    *,
    when: dt.date | None = None,
    flag: bool = False,
    colour: Colour | None = None,
    level: Level | int = Level.LOW,
    lang: Literal["nl", "fr", "de"] = "fr",
    tags: list[Colour] | None = None,
    box: Box | None = None,
) -> None:
    """A prepare-function-shaped callable to convert for."""


PARAMS = method_parameters(sample)


def test_parameters_skip_self_and_resolve_hints() -> None:
    names = [p.name for p in PARAMS]
    assert names == ["name", "count", "when", "flag", "colour", "level", "lang", "tags", "box"]
    assert [p.name for p in PARAMS if p.required] == ["name", "count"]
    assert next(p for p in PARAMS if p.name == "lang").default == "fr"


def test_every_kind_of_value_converts() -> None:
    kwargs = bind_params(
        PARAMS,
        parse_assignments(
            [
                "name=Alice",
                "count=3",
                "when=2024-02-29",
                "flag=yes",
                "colour=BLUE",
                "level=2",
                "lang=NL",
                "tags=red, blue",
                "box.width=7",
                "box.label=big",
            ]
        ),
        where="Sample.op",
    )
    assert kwargs == {
        "name": "Alice",
        "count": 3,
        "when": dt.date(2024, 2, 29),
        "flag": True,
        "colour": Colour.BLUE,
        "level": Level.HIGH,
        "lang": "nl",
        "tags": [Colour.RED, Colour.BLUE],
        "box": Box(width=7, label="big"),
    }


def test_union_falls_back_in_order() -> None:
    # Level first (by value or name), then int.
    assert convert("high", Level | int) is Level.HIGH
    assert convert("99", Level | int) == 99
    # A date when it is one, else the text (incomplete dates are the facade's business).
    assert convert("1938-06-00", dt.date | str | None) == "1938-06-00"
    assert convert("1938-06-01", dt.date | str | None) == dt.date(1938, 6, 1)
    assert convert("none", dt.date | None) is None


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("count=three", "--param count must be an integer"),
        ("when=29/02/2024", "--param when must be a date YYYY-MM-DD"),
        ("when=2023-02-29", "--param when is not a possible date"),
        ("flag=perhaps", "--param flag must be true or false"),
        ("colour=green", "--param colour must be one of: red (red), blue (blue)"),
        ("lang=en", "--param lang must be one of nl, fr, de"),
        ("box=3", "--param box: give its parts as box.FIELD=value"),
        ("box.depth=3", "--param box.depth: no such part"),
        ("box.width=wide", "--param box.width must be an integer"),
        ("nmae=Bob", "--param nmae: Sample.op has no such parameter"),
        ("name.first=Bob", "--param name has no parts"),
    ],
)
def test_bad_values_are_usage_errors_without_the_value(item: str, message: str) -> None:
    given_params = parse_assignments(
        [item, "name=X", "count=1"] if not item.startswith(("name", "count")) else [item]
    )
    with pytest.raises(UsageError) as info:
        bind_params(PARAMS, given_params, where="Sample.op")
    assert message in info.value.message
    value = item.partition("=")[2]
    if value not in ("3", "Bob"):  # short values may appear in the list of accepted names
        assert value not in info.value.message


def test_missing_required_lists_them_and_what_is_accepted() -> None:
    with pytest.raises(UsageError) as info:
        bind_params(PARAMS, {"name": "x"}, where="Sample.op")
    assert "Sample.op needs --param count=…" in info.value.message
    assert "box.width" in info.value.message


@pytest.mark.parametrize("item", ["novalue", "=3"])
def test_malformed_assignment(item: str) -> None:
    with pytest.raises(UsageError, match="name=value"):
        parse_assignments([item])


def test_repeated_assignment() -> None:
    with pytest.raises(UsageError, match="given twice"):
        parse_assignments(["a=1", "a=2"])


def test_value_may_contain_equals_signs() -> None:
    assert parse_assignments(["echo=a=b"]) == {"echo": "a=b"}


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_dates_round_trip(value: dt.date) -> None:
    assert convert(value.isoformat(), dt.date) == value


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_round_trip(value: int) -> None:
    assert convert(str(value), int) == value


@given(st.sampled_from(list(Purpose)), st.booleans())
def test_enums_by_value_or_name(member: Purpose, by_name: bool) -> None:
    text = member.name.lower() if by_name else str(member.value)
    assert convert(text, Purpose | int) is member


def test_describe_type() -> None:
    assert describe_type(dt.date) == "date YYYY-MM-DD"
    assert describe_type(Literal["nl", "fr"]) == "nl|fr"
    assert describe_type(list[Colour] | None) == "comma list of Colour (red|blue or name) | none"
    rows = expand_parameters(PARAMS)
    assert ("box.width", "int", False) in rows
    assert ("name", "text", True) in rows


# -- the real facades --------------------------------------------------------------------


def test_real_facades_are_found_by_key_and_cbss_names() -> None:
    spec, op, cls, prepare = find_operation("RetrieveTIGroupsService", "retrieveTI")
    assert spec.key == "RetrieveTIGroups"
    assert op.python_name == "retrieve"
    assert cls.__name__ == "RetrieveTIGroups"
    names = [p.name for p in method_parameters(prepare)]
    assert names == ["ssin", "language", "history", "legal_context"]


def test_real_register_parameters_convert() -> None:
    *_, prepare = find_operation("ManageAccess", "register")
    kwargs = bind_params(
        method_parameters(prepare),
        parse_assignments(
            [
                "ssin=85073003328",
                "purpose=file_under_investigation",
                "start=2024-01-01",
                "proof.last_name=Doe",
                "proof.birth_date=1985-07-30",
            ]
        ),
        where="ManageAccess.register",
    )
    assert kwargs["purpose"] is Purpose.FILE_UNDER_INVESTIGATION
    assert kwargs["start"] == dt.date(2024, 1, 1)
    assert kwargs["proof"] == ProofOfAuthentication(
        last_name="Doe", birth_date=dt.date(1985, 7, 30)
    )


def test_real_investigate_groups_and_search_gender() -> None:
    *_, investigate = find_operation("PerformInvestigation", "investigate")
    kwargs = bind_params(
        method_parameters(investigate),
        {"ssin": "85073003328", "groups": "family_composition,citizen"},
        where="x",
    )
    assert kwargs["groups"] == [DataGroup.FAMILY_COMPOSITION, DataGroup.CITIZEN]
    *_, search = find_operation("IdentifyPerson", "search")
    kwargs = bind_params(
        method_parameters(search),
        {"last_name": "Doe", "birth_date": "1985-00-00", "gender": "female", "tolerance": "2"},
        where="x",
    )
    assert kwargs["gender"] is Gender.FEMALE
    assert kwargs["birth_date"] == "1985-00-00"
    assert kwargs["tolerance"] == 2


@pytest.mark.parametrize(
    ("service", "operation", "message"),
    [
        ("Nope", "x", "unknown service 'Nope'"),
        ("RetrieveTIGroups", "nope", "RetrieveTIGroups has no operation 'nope' (retrieve)"),
        ("RetrieveTIGroups", None, "give the operation of RetrieveTIGroups to call"),
    ],
)
def test_unknown_service_or_operation(service: str, operation: str | None, message: str) -> None:
    with pytest.raises(UsageError) as info:
        find_operation(service, operation)
    assert message in info.value.message


def test_planned_service_is_refused() -> None:
    from cbss_sdk import catalog

    planned = next(s for s in catalog.SERVICES if not s.implemented)
    with pytest.raises(UsageError, match="not implemented yet"):
        find_operation(planned.key, planned.operations[0].name)


def _partly_unresolvable(self: object, when: dt.date, other: NotImportedAnywhere) -> None:  # type: ignore[name-defined]  # noqa: F821
    """An annotation naming a type imported only for type checkers."""


def test_unresolvable_annotation_counts_as_text() -> None:
    params = {p.name: p.hint for p in method_parameters(_partly_unresolvable)}
    assert params == {"when": dt.date, "other": str}
