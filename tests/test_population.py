"""The simulator's synthetic population: determinism, valid identifiers, personas, households, search."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbss_sdk import ids
from cbss_sdk.testing._population import (
    MUNICIPALITIES,
    PERSONA_SSINS,
    REL_CHILD,
    REL_GRANDCHILD,
    REL_HEAD,
    REL_SPOUSE,
    UNKNOWN_SSIN,
    Person,
    Population,
    _build,
    birth_date_matches,
    default_population,
    make_ssin,
    names_equivalent,
    names_match,
    normalize_name,
    phonetic_key,
)

SEEDS = (0, 1, 2, 17, 12345)
ERROR_TAGS = (
    "replaced",
    "cancelled",
    "not_integrated",
    "legal_context_refused",
    "internal_error",
    "slow",
    "unavailable",
)


@pytest.fixture(scope="module")
def population() -> Population:
    return default_population(0)


def person(population: Population, ssin: str) -> Person:
    found = population.get(ssin)
    assert found is not None
    return found


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("seed", SEEDS)
def test_same_seed_same_people(seed: int) -> None:
    first, second = _build(seed), _build(seed)
    assert first is not second
    assert list(first) == list(second)


def test_default_population_is_cached_and_immutable() -> None:
    assert default_population(3) is default_population(3)
    with pytest.raises(AttributeError):
        person(default_population(3), PERSONA_SSINS["slow"]).last_name = "x"  # type: ignore[misc]


def test_seeds_change_the_filler_not_the_cast() -> None:
    populations = [default_population(seed) for seed in SEEDS]
    fillers = [frozenset(p.ssin for p in pop if p.household.startswith("F")) for pop in populations]
    assert len(set(fillers)) == len(SEEDS)
    cast = [[p for p in pop if not p.household.startswith("F")] for pop in populations]
    assert all(c == cast[0] for c in cast)
    for pop in populations:
        for tag, ssin in PERSONA_SSINS.items():
            if tag != "unknown":
                assert tag in person(pop, ssin).tags


@pytest.mark.parametrize("seed", SEEDS)
def test_size_is_between_30_and_60(seed: int) -> None:
    assert 30 <= len(default_population(seed)) <= 60


def test_seed_must_be_an_int() -> None:
    with pytest.raises(TypeError):
        default_population("0")


# --------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize("seed", SEEDS)
def test_every_ssin_is_valid_and_consistent(seed: int) -> None:
    for p in default_population(seed):
        assert ids.normalize_ssin(p.ssin) == p.ssin
        assert ids.ssin_kind(p.ssin) == p.kind
        assert ids.birth_date(p.ssin) == p.birth_date
        encoded = ids.gender(p.ssin)
        if p.kind == "national_register" or int(p.ssin[2:4]) >= 40:
            assert encoded == p.gender
        else:
            assert encoded is None  # BIS month + 20: gender unknown


def test_births_before_and_after_2000_and_both_bis_forms(population: Population) -> None:
    years = [p.birth_date.year for p in population]
    assert min(years) < 2000 <= max(years)
    months = {int(p.ssin[2:4]) for p in population if p.kind == "bis"}
    assert any(20 < m <= 32 for m in months)
    assert any(40 < m <= 52 for m in months)
    # The 2000+ check digits are computed on "2" + the first nine digits.
    child = next(p for p in population if p.birth_date.year >= 2000)
    body = int("2" + child.ssin[:9])
    assert int(child.ssin[9:]) == 97 - body % 97


def test_unknown_ssin_is_valid_and_nobody_has_it() -> None:
    assert ids.is_valid_ssin(UNKNOWN_SSIN)
    assert PERSONA_SSINS["unknown"] == UNKNOWN_SSIN
    for seed in SEEDS:
        assert default_population(seed).get(UNKNOWN_SSIN) is None
        assert UNKNOWN_SSIN not in default_population(seed)


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2024, 12, 31)),
    sequence=st.integers(min_value=1, max_value=997),
    bis=st.sampled_from((0, 20, 40)),
)
def test_make_ssin_is_always_valid(birth: dt.date, sequence: int, bis: int) -> None:
    ssin = make_ssin(birth, sequence, bis=bis)
    assert ids.is_valid_ssin(ssin)
    assert ids.ssin_kind(ssin) == ("bis" if bis else "national_register")


def test_make_ssin_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="sequence"):
        make_ssin(dt.date(1990, 1, 1), 0)
    with pytest.raises(ValueError, match="bis"):
        make_ssin(dt.date(1990, 1, 1), 1, bis=10)


def test_identity_cards_have_a_valid_check(population: Population) -> None:
    cards = [p.identity_card for p in population if p.identity_card]
    assert cards
    for card in cards:
        assert len(card) == 12 and card.isdigit()
        assert int(card[10:]) == (int(card[:10]) % 97 or 97)


# --------------------------------------------------------------------------- personas


def test_every_persona_tag_is_present(population: Population) -> None:
    for tag in ERROR_TAGS:
        assert tag in PERSONA_SSINS
        assert population.by_tag(tag).ssin == PERSONA_SSINS[tag]
    assert set(PERSONA_SSINS) >= {*ERROR_TAGS, "unknown", "refugee", "deceased", "bis"}


def test_persona_details(population: Population) -> None:
    replaced = population.by_tag("replaced")
    assert replaced.kind == "bis"
    new = person(population, replaced.replaced_by or "")
    assert (new.last_name, new.birth_date) == (replaced.last_name, replaced.birth_date)
    assert new.kind == "national_register" and not new.tags
    assert not population.by_tag("not_integrated").integrated
    assert all(p.integrated for p in population if "not_integrated" not in p.tags)
    assert population.by_tag("deceased").deceased is not None
    refugees = population.all_by_tag("refugee")
    assert len(refugees) >= 2 and all(p.refugee is not None for p in refugees)
    assert all(p.refugee is None for p in population if "refugee" not in p.tags)


def test_personas_listing_matches_the_constant(population: Population) -> None:
    listed = population.personas()
    assert [p.tag for p in listed] == list(PERSONA_SSINS)
    assert {p.tag: p.ssin for p in listed} == dict(PERSONA_SSINS)
    assert all(p.behaviour for p in listed)


def test_by_tag_of_a_missing_tag_is_a_key_error(population: Population) -> None:
    with pytest.raises(KeyError):
        population.by_tag("no-such-tag")
    assert population.all_by_tag("no-such-tag") == ()


# --------------------------------------------------------------------------- households


@pytest.mark.parametrize("seed", SEEDS)
def test_households_are_consistent(seed: int) -> None:
    pop = default_population(seed)
    for key, members in pop.households().items():
        head = members[0]
        assert head.relationship == REL_HEAD, key
        assert [m for m in members if m.relationship == REL_HEAD] == [head]
        for member in members:
            assert pop.household(member.ssin) == members
            assert pop.head_of_household(member.ssin) == head
            assert member.joined_household >= member.birth_date
            if member.relationship in (REL_CHILD, REL_GRANDCHILD):
                assert member.birth_date > head.birth_date
        current = {
            (m.address.municipality_code, m.address.street_code, m.address.house_number)
            for m in members
            if m.address is not None
        }
        assert len(current) == 1, key


@pytest.mark.parametrize("seed", SEEDS)
def test_spouses_point_at_each_other(seed: int) -> None:
    pop = default_population(seed)
    for p in pop:
        if p.partner is not None:
            partner = person(pop, p.partner)
            assert partner.partner == p.ssin
            assert p.civil_state == partner.civil_state == 20
            if p.relationship == REL_SPOUSE:
                assert pop.head_of_household(p.ssin) == partner


@pytest.mark.parametrize("seed", SEEDS)
def test_address_histories_are_contiguous_and_real(seed: int) -> None:
    for p in default_population(seed):
        assert 1 <= len(p.addresses) <= 4
        for earlier, later in zip(p.addresses, p.addresses[1:], strict=False):
            assert earlier.valid_to == later.valid_from - dt.timedelta(days=1)
            assert earlier.valid_from < later.valid_from
        assert p.addresses[-1].valid_to is None
        for address in p.addresses:
            if address.in_belgium:
                municipality = MUNICIPALITIES[address.municipality_code or 0]
                assert address.postal_code == municipality.postal_code
                assert address.street_code in {s.code for s in municipality.streets}
            else:
                assert address.municipality_code is None


def test_a_documented_family(population: Population) -> None:
    members = population.household(PERSONA_SSINS["refugee"])
    assert [m.first_name for m in members] == ["Rania", "Lina"]
    dubois = population.household(make_ssin(dt.date(1978, 4, 12), 11))
    assert [m.first_name for m in dubois] == ["Marc", "Sophie", "Lucas", "Emma", "Léa"]
    assert [m.relationship for m in dubois] == [1, 2, 3, 3, 3]
    assert len(dubois[0].addresses) == 4
    assert dubois[0].address is not None and dubois[0].address.municipality == "Charleroi"
    assert population.household(UNKNOWN_SSIN) == ()


def test_nationalities_are_mostly_belgian(population: Population) -> None:
    codes = [p.nationality_code for p in population]
    assert codes.count(150) > len(codes) / 2
    assert len(set(codes)) >= 5


# --------------------------------------------------------------------------- population checks


def _someone(**changes: Any) -> Person:
    base = default_population(0).get(PERSONA_SSINS["slow"])
    assert base is not None
    import attrs

    return attrs.evolve(base, **changes)


def test_population_refuses_duplicates_without_naming_the_ssin() -> None:
    someone = _someone()
    with pytest.raises(ValueError, match="twice") as raised:
        Population([someone, someone])
    assert someone.ssin not in str(raised.value)


def test_population_refuses_invalid_ssins_headless_households_and_the_unknown_ssin() -> None:
    with pytest.raises(ValueError, match="invalid SSIN"):
        Population([_someone(ssin="12345678901")])
    with pytest.raises(ValueError, match="head"):
        Population([_someone(relationship=REL_CHILD)])
    with pytest.raises(ValueError, match="UNKNOWN_SSIN"):
        Population([_someone(ssin=UNKNOWN_SSIN)])


def test_a_custom_population_works() -> None:
    someone = _someone()
    pop = Population([someone], seed=None)
    assert len(pop) == 1 and someone.ssin in pop and list(pop) == [someone]
    assert pop.personas()[0].tag == "unknown"
    assert "1 people" in repr(pop)


# --------------------------------------------------------------------------- phonetic search


@pytest.mark.parametrize(
    ("a", "b"),
    [("Dubois", "Dubuis"), ("Claes", "Klaas"), ("Peeters", "Pieters"), ("Janssens", "Jansens")],
)
def test_phonetic_keys_that_sound_alike(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)
    assert names_equivalent(a, b)


def test_phonetic_keys_that_differ() -> None:
    assert phonetic_key("Dubois") != phonetic_key("Dupont")
    assert not names_equivalent("Dubois", "Dupont")
    assert not names_equivalent("", "")


def test_name_normalisation() -> None:
    assert normalize_name("Van den Berghe") == "VANDENBERGHE"
    assert normalize_name("Léa-Élise d'Ozé") == "LEAELISEDOZE"
    assert names_match("lea", "Léa")
    assert names_match("Dub", "Dubois")  # prefix
    assert not names_equivalent("Dub", "Dubois")  # verification is stricter
    assert not names_match("", "Dubois")


@given(st.text(min_size=1, max_size=30).filter(lambda t: normalize_name(t) != ""))
def test_a_name_matches_itself(name: str) -> None:
    assert names_match(name, name)
    assert names_equivalent(name, name)


@given(
    birth=st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2024, 12, 31)),
    wanted=st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2024, 12, 31)),
    shape=st.sampled_from(("day", "month", "year")),
    tolerance=st.integers(min_value=0, max_value=20),
)
def test_tolerance_only_widens(birth: dt.date, wanted: dt.date, shape: str, tolerance: int) -> None:
    text = {
        "day": wanted.isoformat(),
        "month": f"{wanted.year:04d}-{wanted.month:02d}-00",
        "year": f"{wanted.year:04d}-00-00",
    }[shape]
    if birth_date_matches(birth, text, tolerance):
        assert birth_date_matches(birth, text, tolerance + 1)
    assert birth_date_matches(wanted, text, tolerance)


def test_birth_date_tolerance_units() -> None:
    birth = dt.date(1978, 4, 12)
    assert birth_date_matches(birth, "1978-04-12")
    assert birth_date_matches(birth, "1978-04-10", 2)  # days
    assert not birth_date_matches(birth, "1978-04-10", 1)
    assert birth_date_matches(birth, "1978-04-00")  # months, tolerance 0
    assert birth_date_matches(birth, "1978-06-00", 2)
    assert not birth_date_matches(birth, "1978-06-00", 1)
    assert birth_date_matches(birth, "1978-00-00")  # years
    assert birth_date_matches(birth, "1980-00-00", 2)
    assert not birth_date_matches(birth, "1980-00-00", 1)
    assert birth_date_matches(birth, dt.date(1978, 4, 13), 1)


@pytest.mark.parametrize(
    "bad", ["1978-13-01", "1978-00-05", "1978-02-30", "78-04-12", "0000-00-00"]
)
def test_invalid_birth_dates_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="birth date"):
        birth_date_matches(dt.date(1978, 4, 12), bad)


def test_search_finds_by_name_and_birth_date(population: Population) -> None:
    marc = make_ssin(dt.date(1978, 4, 12), 11)
    assert [p.ssin for p in population.search("Dubois", "1978-04-12")] == [marc]
    assert [p.ssin for p in population.search("DUBUIS", "1978-04-12")] == [marc]
    assert marc in [p.ssin for p in population.search("dub", "1978-00-00")]
    assert population.search("Dubois", "1978-04-13") == []
    assert [p.ssin for p in population.search("Dubois", "1978-04-13", tolerance=1)] == [marc]


def test_search_filters_first_name_and_gender(population: Population) -> None:
    family = population.search("Dubois", "2010-00-00", tolerance=5)
    assert {p.first_name for p in family} >= {"Lucas", "Emma", "Léa"}
    girls = population.search("Dubois", "2010-00-00", tolerance=5, gender=2)
    assert girls and all(p.gender == "F" for p in girls)
    boys = population.search("Dubois", "2010-00-00", tolerance=5, gender="M")
    assert boys and all(p.gender == "M" for p in boys)
    lea = population.search("Dubois", "2014-07-21", first_name="Lea")
    assert [p.first_name for p in lea] == ["Léa"]
    assert population.search("Dubois", "2014-07-21", first_name="Marie")  # second first name
    with pytest.raises(ValueError, match="gender"):
        population.search("Dubois", "2014-07-21", gender=5)


def test_search_caps_at_maximum_and_is_sorted(population: Population) -> None:
    everyone = population.search("Dubois", "2000-00-00", tolerance=80)
    assert len(everyone) >= 4
    assert population.search("Dubois", "2000-00-00", tolerance=80, maximum=2) == everyone[:2]
    keys = [(normalize_name(p.last_name), p.first_names, p.birth_date) for p in everyone]
    assert keys == sorted(keys)


def test_search_hides_replaced_and_cancelled_numbers(population: Population) -> None:
    replaced = population.by_tag("replaced")
    found = population.search(replaced.last_name, replaced.birth_date)
    assert [p.ssin for p in found] == [replaced.replaced_by]
    cancelled = population.by_tag("cancelled")
    assert cancelled.ssin not in [
        p.ssin for p in population.search(cancelled.last_name, cancelled.birth_date)
    ]


def test_the_personas_page_shows_the_real_ssins() -> None:
    page = Path(__file__).resolve().parents[1] / "docs" / "personas.md"
    if not page.exists():
        pytest.skip("docs/personas.md is not part of this checkout")
    rows = {}
    for line in page.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.split("|")[1:3]]
        if len(cells) == 2 and cells[0] in PERSONA_SSINS:
            rows[cells[0]] = cells[1]
    assert rows == dict(PERSONA_SSINS)
