"""The synthetic population the CBSS simulator answers about.

A simulator is only useful if the people it knows behave like a National
Register extract: households with a head, a partner and children, address
histories in real Belgian municipalities, births before and after 2000
(the "2" prefix of the SSIN check), BIS numbers, foreigners and refugees,
and one person per error situation a client must handle (replaced or
cancelled numbers, missing integration, refused legal context…).

Everything here is synthetic.  The people, their national numbers and their
addresses were generated for tests; municipality names, NIS and postal codes
are real so that replies look like real ones.

Two parts make up a population:

* a fixed *cast* — the personas (``PERSONA_SSINS``) and a few documented
  families — identical for every seed, so documentation and tests can name
  them;
* seeded *filler* households drawn with ``random.Random(seed)`` (never the
  global generator), which give phonetic searches something to sift.

Same seed, same people.  Nothing random happens at import time.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Literal

import attrs

from .._redact import mask_national_numbers
from ..ids import normalize_ssin

__all__ = [
    "COUNTRIES",
    "MUNICIPALITIES",
    "PERSONA_SSINS",
    "REL_CHILD",
    "REL_GRANDCHILD",
    "REL_HEAD",
    "REL_SPOUSE",
    "REL_UNRELATED",
    "UNKNOWN_SSIN",
    "Address",
    "CivilStateRecord",
    "Country",
    "Municipality",
    "Person",
    "PersonaInfo",
    "Place",
    "Population",
    "RefugeeFile",
    "Street",
    "birth_date_matches",
    "default_population",
    "is_complete_date",
    "make_ssin",
    "names_equivalent",
    "names_match",
    "normalize_name",
    "phonetic_key",
]

Language = Literal["fr", "nl", "de"]
Gender = Literal["M", "F"]
PersonKind = Literal["national_register", "bis"]

BELGIUM = 150

# Relationship to the head of household (National Register family-role codes, also the
# SSDN ``RelationShip`` of PerformInvestigation).
REL_HEAD = 1
REL_SPOUSE = 2
REL_CHILD = 3
REL_GRANDCHILD = 4
REL_UNRELATED = 12

# SSDN civil-state codes.
SINGLE, MARRIED, WIDOWED, DIVORCED = 10, 20, 30, 41


# --------------------------------------------------------------------------- geography


def _label(labels: tuple[tuple[str, str], ...], lang: str) -> str:
    for code, text in labels:
        if code == lang:
            return text
    return labels[0][1]


@attrs.frozen
class Street:
    """A street of a municipality: its 4-digit street code and its name per language.

    The first name is the one in the municipality's own language.
    """

    code: int
    names: tuple[tuple[str, str], ...]

    def name(self, lang: str) -> str:
        """The street name in *lang*, or in the local language when it has no translation."""
        return _label(self.names, lang)


@attrs.frozen
class Municipality:
    """A Belgian municipality: NIS code, main postal code, names per language, some streets.

    ``languages`` are the official languages of the municipality (two in Brussels).
    """

    code: int
    postal_code: str
    names: tuple[tuple[str, str], ...]
    languages: tuple[Language, ...]
    streets: tuple[Street, ...]

    def name(self, lang: str) -> str:
        return _label(self.names, lang)

    @property
    def local_name(self) -> str:
        return _label(self.names, self.languages[0])

    def street(self, code: int) -> Street:
        for street in self.streets:
            if street.code == code:
                return street
        raise KeyError(code)


def _m(
    code: int,
    postal: str,
    fr: str,
    nl: str,
    de: str,
    languages: tuple[Language, ...],
    streets: Sequence[tuple[int, Mapping[str, str]]],
) -> Municipality:
    names = {"fr": fr, "nl": nl, "de": de}
    ordered = tuple((lang, names[lang]) for lang in (*languages, "fr", "nl", "de"))
    unique = tuple(dict(ordered).items())
    return Municipality(
        code=code,
        postal_code=postal,
        names=unique,
        languages=languages,
        streets=tuple(
            Street(code=sc, names=tuple((lang, text) for lang, text in labels.items()))
            for sc, labels in streets
        ),
    )


# fmt: off
_MUNICIPALITY_TABLE = (
    _m(21004, "1000", "Bruxelles", "Brussel", "Brüssel", ("fr", "nl"), (
        (1101, {"fr": "Rue de la Station", "nl": "Stationsstraat"}),
        (1102, {"fr": "Rue des Tilleuls", "nl": "Lindestraat"}),
        (1103, {"fr": "Avenue des Peupliers", "nl": "Populierenlaan"}),
        (1104, {"fr": "Rue du Moulin", "nl": "Molenstraat"}))),
    _m(21015, "1030", "Schaerbeek", "Schaarbeek", "Schaerbeek", ("fr", "nl"), (
        (2201, {"fr": "Rue des Coquelicots", "nl": "Klaprozenstraat"}),
        (2202, {"fr": "Avenue des Érables", "nl": "Esdoornlaan"}),
        (2203, {"fr": "Rue du Verger", "nl": "Boomgaardstraat"}))),
    _m(52011, "6000", "Charleroi", "Charleroi", "Charleroi", ("fr",), (
        (3301, {"fr": "Rue de la Station"}), (3302, {"fr": "Rue des Écoles"}),
        (3303, {"fr": "Avenue des Marronniers"}), (3304, {"fr": "Rue du Calvaire"}))),
    _m(62063, "4000", "Liège", "Luik", "Lüttich", ("fr",), (
        (4401, {"fr": "Rue Haute"}), (4402, {"fr": "Rue des Prés"}),
        (4403, {"fr": "Quai des Saules"}), (4404, {"fr": "Rue du Pont"}))),
    _m(92094, "5000", "Namur", "Namen", "Namur", ("fr",), (
        (5501, {"fr": "Rue du Château"}), (5502, {"fr": "Rue des Brasseurs"}),
        (5503, {"fr": "Avenue des Acacias"}))),
    _m(44021, "9000", "Gand", "Gent", "Gent", ("nl",), (
        (6601, {"nl": "Kerkstraat"}), (6602, {"nl": "Molenstraat"}),
        (6603, {"nl": "Lindenlaan"}), (6604, {"nl": "Schoolstraat"}))),
    _m(11002, "2000", "Anvers", "Antwerpen", "Antwerpen", ("nl",), (
        (7701, {"nl": "Stationsstraat"}), (7702, {"nl": "Beukenlaan"}),
        (7703, {"nl": "Dorpstraat"}), (7704, {"nl": "Kerkstraat"}))),
    _m(24062, "3000", "Louvain", "Leuven", "Löwen", ("nl",), (
        (8801, {"nl": "Kapelstraat"}), (8802, {"nl": "Eikenlaan"}), (8803, {"nl": "Molenstraat"}))),
    _m(63023, "4700", "Eupen", "Eupen", "Eupen", ("de",), (
        (9901, {"de": "Bahnhofstraße", "fr": "Rue de la Gare"}),
        (9902, {"de": "Kirchstraße", "fr": "Rue de l'Église"}),
        (9903, {"de": "Lindenweg", "fr": "Chemin des Tilleuls"}),
        (9904, {"de": "Schulstraße", "fr": "Rue de l'École"}))),
)
# fmt: on

#: The municipalities the population lives in (NIS code → municipality). Street names are
#: generic ("Station street", "Church street"…) and the street codes our own.
MUNICIPALITIES: Mapping[int, Municipality] = MappingProxyType(
    {m.code: m for m in _MUNICIPALITY_TABLE}
)


@attrs.frozen
class Country:
    """A country by its National Register (NIS) code, with names per language and a city."""

    code: int
    names: tuple[tuple[str, str], ...]
    city: str

    def name(self, lang: str) -> str:
        return _label(self.names, lang)


def _c(code: int, fr: str, nl: str, de: str, city: str) -> Country:
    return Country(code=code, names=(("fr", fr), ("nl", nl), ("de", de)), city=city)


# fmt: off
_COUNTRY_TABLE = (
    _c(150, "Belgique", "België", "Belgien", "Bruxelles"),
    _c(111, "France", "Frankrijk", "Frankreich", "Lille"),
    _c(129, "Pays-Bas", "Nederland", "Niederlande", "Maastricht"),
    _c(173, "Allemagne", "Duitsland", "Deutschland", "Aachen"),
    _c(128, "Italie", "Italië", "Italien", "Palermo"),
    _c(124, "Roumanie", "Roemenië", "Rumänien", "Bucureşti"),
    _c(139, "Pologne", "Polen", "Polen", "Kraków"),
    _c(354, "Maroc", "Marokko", "Marokko", "Casablanca"),
    _c(262, "Turquie", "Turkije", "Türkei", "Kayseri"),
    _c(261, "Syrie", "Syrië", "Syrien", "Halab"),
    _c(251, "Afghanistan", "Afghanistan", "Afghanistan", "Herat"),
    _c(306, "Congo (Rép. dém.)", "Congo (Dem. Rep.)", "Kongo (Dem. Rep.)", "Kinshasa"),
    _c(349, "Érythrée", "Eritrea", "Eritrea", "Asmara"),
)
# fmt: on

#: Countries used for nationalities, births and addresses abroad (National Register codes).
COUNTRIES: Mapping[int, Country] = MappingProxyType({c.code: c for c in _COUNTRY_TABLE})


# --------------------------------------------------------------------------- people


@attrs.frozen
class Address:
    """One legal main address of a person, valid from ``valid_from`` to ``valid_to`` (inclusive).

    ``municipality_code`` is the NIS code (``None`` for an address abroad, where
    ``country_code`` is not 150); ``street_code`` the 4-digit street code within the
    municipality.
    """

    street: str
    house_number: str
    postal_code: str
    municipality: str
    municipality_code: int | None
    street_code: int | None
    valid_from: dt.date
    box: str | None = None
    country_code: int = BELGIUM
    valid_to: dt.date | None = None

    @property
    def in_belgium(self) -> bool:
        return self.country_code == BELGIUM

    def one_line(self) -> str:
        """``Street 12 box 3, 6000 Charleroi`` (for plain-text address fields)."""
        number = self.house_number + (f" bte {self.box}" if self.box else "")
        return f"{self.street} {number}, {self.postal_code} {self.municipality}".strip()


@attrs.frozen
class Place:
    """A place of birth: a Belgian municipality (NIS code) or a city abroad (country code)."""

    name: str
    country_code: int = BELGIUM
    municipality_code: int | None = None

    @property
    def in_belgium(self) -> bool:
        return self.country_code == BELGIUM


@attrs.frozen
class CivilStateRecord:
    """One civil state (SSDN code) from ``since``; ``partner`` is the spouse's SSIN if known."""

    code: int
    since: dt.date
    partner: str | None = None
    place_code: int | None = None


@attrs.frozen
class RefugeeFile:
    """What the waiting register (asylum seekers) holds on a person — simulator values."""

    application_date: dt.date
    quality_code: int
    centre_code: int
    centre_name: str
    cpas_code: int
    cpas_name: str
    document_code: int
    situation_code: int
    situation_date: dt.date


def _default_civil_states(person: Person) -> tuple[CivilStateRecord, ...]:
    return (CivilStateRecord(code=SINGLE, since=person.birth_date),)


@attrs.frozen(kw_only=True)
class Person:
    """One synthetic person.

    ``addresses`` and ``civil_states`` are histories, oldest first; the last one is
    current.  ``household`` is an opaque household id shared by the members;
    ``relationship`` is the National Register family-role code relative to the head
    (1 head, 2 spouse, 3 child, 4 grandchild, 12 not related) and ``household_since``
    the date the person joined the household.  ``tags`` name the behaviours the
    simulator gives the person (see :data:`PERSONA_SSINS`).
    """

    ssin: str
    kind: PersonKind
    last_name: str
    first_names: tuple[str, ...]
    gender: Gender
    birth_date: dt.date
    birth_place: Place
    nationality_code: int
    addresses: tuple[Address, ...]
    household: str
    relationship: int = REL_HEAD
    household_since: dt.date | None = None
    language: Language = "fr"
    civil_states: tuple[CivilStateRecord, ...] = attrs.field(
        default=attrs.Factory(_default_civil_states, takes_self=True)
    )
    nationality_since: dt.date | None = None
    former_nationalities: tuple[tuple[int, dt.date], ...] = ()
    deceased: dt.date | None = None
    tags: frozenset[str] = frozenset()
    replaced_by: str | None = None
    integrated: bool = True
    identity_card: str | None = None
    sis_card: str | None = None
    refugee: RefugeeFile | None = None

    @property
    def first_name(self) -> str:
        return self.first_names[0] if self.first_names else ""

    @property
    def full_name(self) -> str:
        return " ".join((*self.first_names[:1], self.last_name))

    @property
    def civil_state(self) -> int:
        return self.civil_states[-1].code

    @property
    def partner(self) -> str | None:
        return self.civil_states[-1].partner

    @property
    def address(self) -> Address | None:
        """The current legal main address."""
        return self.addresses[-1] if self.addresses else None

    @property
    def joined_household(self) -> dt.date:
        return self.household_since or self.birth_date

    @property
    def is_bis(self) -> bool:
        return self.kind == "bis"


@attrs.frozen
class PersonaInfo:
    """A documented persona: which SSIN, what it triggers, and the typed error a client sees."""

    tag: str
    ssin: str
    name: str
    behaviour: str
    error: str | None = None


# --------------------------------------------------------------------------- identifiers


def make_ssin(birth: dt.date, sequence: int, *, bis: int = 0) -> str:
    """A valid SSIN for *birth* and day *sequence* (odd = male, even = female).

    ``bis=20`` or ``bis=40`` makes a BIS number (month + 20: gender unknown; + 40: gender
    known).  Births from 2000 on get their check digits computed on ``2`` + the first nine
    digits, as the National Register does.
    """
    if not 1 <= sequence <= 997:
        raise ValueError("sequence must be between 1 and 997")
    if bis not in (0, 20, 40):
        raise ValueError("bis must be 0, 20 or 40")
    body = f"{birth.year % 100:02d}{birth.month + bis:02d}{birth.day:02d}{sequence:03d}"
    base = int(("2" if birth.year >= 2000 else "") + body)
    return f"{body}{97 - base % 97:02d}"


def _card_number(seed_text: str, salt: str) -> str:
    """A 12-digit Belgian eID card number (10 digits + mod-97 check) derived from *seed_text*."""
    base = zlib.crc32(f"{salt}:{seed_text}".encode()) % 10**9 + 5 * 10**9
    check = base % 97 or 97
    return f"{base:010d}{check:02d}"


def _sis_number(seed_text: str) -> str:
    return f"{zlib.crc32(f'sis:{seed_text}'.encode()) % 10**10:010d}"


#: A valid national number that belongs to nobody in any population: the simulator answers
#: "SSIN unknown" (MSG00005 / an SSDN error) for it.
UNKNOWN_SSIN = make_ssin(dt.date(1970, 1, 1), 95)


# --------------------------------------------------------------------------- phonetic search


def normalize_name(text: str) -> str:
    """Upper case, no accents, letters only: ``"Van den Berghe"`` → ``"VANDENBERGHE"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = (ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in "".join(letters).upper() if "A" <= ch <= "Z")


_REWRITES = (("SCH", "S"), ("PH", "F"), ("TH", "T"), ("CK", "K"), ("QU", "K"), ("DT", "T"))
_GROUPS = {
    **dict.fromkeys("BP", "1"),
    **dict.fromkeys("FV", "2"),
    **dict.fromkeys("CGJKQSXZ", "3"),
    **dict.fromkeys("DT", "4"),
    "L": "5",
    **dict.fromkeys("MN", "6"),
    "R": "7",
}


def phonetic_key(text: str) -> str:
    """A Soundex-like key, without Soundex's four-character cut.

    After :func:`normalize_name`, the digraphs SCH, PH, TH, CK, QU and DT are rewritten
    (S, F, T, K, K, T); consonants map to sound groups (B P | F V | C G J K Q S X Z |
    D T | L | M N | R); vowels, H, W and Y separate groups but are not coded, except a
    leading vowel (``0``); repeated groups collapse.  ``Dubois`` and ``Dubuis`` share
    ``413``; ``Claes`` and ``Klaas`` share ``353``.
    """
    name = normalize_name(text)
    for old, new in _REWRITES:
        name = name.replace(old, new)
    key: list[str] = []
    previous = ""
    for index, ch in enumerate(name):
        group = _GROUPS.get(ch, "")
        if not group:
            if index == 0:
                key.append("0")
            previous = ""
            continue
        if group != previous:
            key.append(group)
        previous = group
    return "".join(key)


def names_match(query: str, name: str) -> bool:
    """True when *query* is a prefix of *name* or sounds like it (see :func:`phonetic_key`).

    Case, accents, spaces and hyphens do not matter.
    """
    wanted = normalize_name(query)
    if not wanted:
        return False
    candidate = normalize_name(name)
    return candidate.startswith(wanted) or phonetic_key(query) == phonetic_key(name)


def names_equivalent(a: str, b: str) -> bool:
    """True when two names are the same but for case, accents and punctuation, or sound alike.

    Stricter than :func:`names_match` (no prefix match): used to verify identity data.
    """
    left, right = normalize_name(a), normalize_name(b)
    return bool(left) and (left == right or phonetic_key(a) == phonetic_key(b))


def _parse_incomplete(value: str | dt.date) -> tuple[int, int, int]:
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    problem = "birth date must be YYYY-MM-DD (00 for an unknown month or day)"
    parts = value.split("-")
    if [len(p) for p in parts] != [4, 2, 2] or not all(p.isdigit() for p in parts):
        raise ValueError(problem)
    year, month, day = (int(p) for p in parts)
    if year == 0 or month > 12 or day > 31 or (month == 0 and day != 0):
        raise ValueError(problem)
    if month and day:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"birth date {value!r} does not exist") from None
    return year, month, day


def birth_date_matches(birth: dt.date, wanted: str | dt.date, tolerance: int | None = None) -> bool:
    """Whether *birth* matches a possibly incomplete date within *tolerance*.

    The unit of the tolerance follows what is known: days for a complete date
    (``1980-09-03``), months when the day is 00 (``1980-09-00``), years when month and
    day are 00 (``1980-00-00``).  No tolerance means 0: the known parts must match.
    """
    year, month, day = _parse_incomplete(wanted)
    tol = tolerance or 0
    if month and day:
        return abs((birth - dt.date(year, month, day)).days) <= tol
    if month:
        return abs((birth.year * 12 + birth.month) - (year * 12 + month)) <= tol
    return abs(birth.year - year) <= tol


def is_complete_date(value: str | dt.date) -> bool:
    """True when neither month nor day of an incomplete date is 00."""
    _year, month, day = _parse_incomplete(value)
    return bool(month and day)


# --------------------------------------------------------------------------- population


_HIDDEN_FROM_SEARCH = frozenset({"replaced", "cancelled"})


class Population:
    """An immutable set of people, indexed by SSIN, household and tag.

    Build your own with ``Population(people)`` (every SSIN valid and unique, every
    household with exactly one head) or take :func:`default_population`.
    """

    def __init__(self, people: Iterable[Person], *, seed: int | None = None) -> None:
        self.seed = seed
        ordered = tuple(people)
        by_ssin: dict[str, Person] = {}
        households: dict[str, list[Person]] = {}
        by_tag: dict[str, list[Person]] = {}
        for person in ordered:
            try:
                normalize_ssin(person.ssin)
            except ValueError as exc:
                raise ValueError(
                    mask_national_numbers(f"invalid SSIN in population: {exc}")
                ) from None
            if person.ssin in by_ssin:
                raise ValueError(mask_national_numbers(f"SSIN {person.ssin} appears twice"))
            if person.ssin == UNKNOWN_SSIN:
                raise ValueError("UNKNOWN_SSIN must not belong to anybody")
            by_ssin[person.ssin] = person
            households.setdefault(person.household, []).append(person)
            for tag in person.tags:
                by_tag.setdefault(tag, []).append(person)
        for key, members in households.items():
            heads = [p for p in members if p.relationship == REL_HEAD]
            if len(heads) != 1:
                raise ValueError(f"household {key!r} must have exactly one head")
            members.sort(key=lambda p: (p.relationship != REL_HEAD, p.relationship, p.birth_date))
        self._people = ordered
        self._by_ssin = by_ssin
        self._households = {k: tuple(v) for k, v in households.items()}
        self._by_tag = {k: tuple(v) for k, v in by_tag.items()}

    def __iter__(self) -> Iterator[Person]:
        return iter(self._people)

    def __len__(self) -> int:
        return len(self._people)

    def __contains__(self, ssin: object) -> bool:
        return ssin in self._by_ssin

    def __repr__(self) -> str:
        return f"Population({len(self)} people, seed={self.seed!r})"

    def get(self, ssin: str) -> Person | None:
        """The person with this SSIN, or ``None``."""
        return self._by_ssin.get(ssin)

    def household(self, ssin: str) -> tuple[Person, ...]:
        """The members of *ssin*'s household, head first (empty for an unknown SSIN)."""
        person = self._by_ssin.get(ssin)
        if person is None:
            return ()
        return self._households[person.household]

    def head_of_household(self, ssin: str) -> Person | None:
        members = self.household(ssin)
        return members[0] if members else None

    def households(self) -> Mapping[str, tuple[Person, ...]]:
        return MappingProxyType(self._households)

    def by_tag(self, tag: str) -> Person:
        """The first person carrying *tag* (``KeyError`` when nobody does)."""
        found = self._by_tag.get(tag)
        if not found:
            raise KeyError(tag)
        return found[0]

    def all_by_tag(self, tag: str) -> tuple[Person, ...]:
        return self._by_tag.get(tag, ())

    def personas(self) -> list[PersonaInfo]:
        """The documented personas, in documentation order (plus the unknown SSIN)."""
        result = []
        for tag, behaviour, error in _PERSONA_DOCS:
            if tag == "unknown":
                result.append(PersonaInfo(tag, UNKNOWN_SSIN, "(nobody)", behaviour, error))
                continue
            people = self._by_tag.get(tag)
            if people:
                result.append(
                    PersonaInfo(tag, people[0].ssin, people[0].full_name, behaviour, error)
                )
        return result

    def search(
        self,
        last_name: str,
        birth_date: str | dt.date,
        *,
        tolerance: int | None = None,
        gender: int | str | None = None,
        first_name: str | None = None,
        maximum: int | None = None,
    ) -> list[Person]:
        """Phonetic search, as IdentifyPerson does it.

        *last_name* (and *first_name*, matched against every first name) match by
        :func:`names_match`; *birth_date* (``YYYY-MM-DD`` with ``00`` for unknown parts)
        by :func:`birth_date_matches` with *tolerance*; *gender* is ``1``/``"M"``,
        ``2``/``"F"`` or ``0``/``None`` for any.  Replaced and cancelled numbers are
        not returned.  Results are sorted by name and birth date and cut at *maximum*.
        """
        want_gender = _gender_filter(gender)
        found = []
        for person in self._people:
            if person.tags & _HIDDEN_FROM_SEARCH:
                continue
            if want_gender is not None and person.gender != want_gender:
                continue
            if not names_match(last_name, person.last_name):
                continue
            if first_name and not any(names_match(first_name, n) for n in person.first_names):
                continue
            if not birth_date_matches(person.birth_date, birth_date, tolerance):
                continue
            found.append(person)
        found.sort(key=lambda p: (normalize_name(p.last_name), p.first_names, p.birth_date, p.ssin))
        if maximum is not None:
            found = found[: max(maximum, 0)]
        return found


def _gender_filter(gender: int | str | None) -> Gender | None:
    if gender in (None, 0, "0", ""):
        return None
    if gender in (1, "1", "M", "m"):
        return "M"
    if gender in (2, "2", "F", "f"):
        return "F"
    raise ValueError("gender must be 0, 1, 2, 'M' or 'F'")


# --------------------------------------------------------------------------- building


AddressSpec = tuple[int, int, str, "str | None", dt.date]
"""(municipality NIS code, street code, house number, box, since) — or (country code, 0, …)
for an address abroad when the first element is a COUNTRIES code below 1000."""


def _address(spec: AddressSpec, valid_to: dt.date | None, lang: Language) -> Address:
    code, street_code, number, box, since = spec
    if code < 1000:
        country = COUNTRIES[code]
        return Address(
            street="Strada Exemplului" if code == 124 else "Main Street",
            house_number=number,
            box=box,
            postal_code="",
            municipality=country.city,
            municipality_code=None,
            street_code=None,
            country_code=code,
            valid_from=since,
            valid_to=valid_to,
        )
    municipality = MUNICIPALITIES[code]
    street = municipality.street(street_code)
    local = lang if lang in municipality.languages else municipality.languages[0]
    return Address(
        street=street.name(local),
        house_number=number,
        box=box,
        postal_code=municipality.postal_code,
        municipality=municipality.name(local),
        municipality_code=code,
        street_code=street_code,
        valid_from=since,
        valid_to=valid_to,
    )


def _history(
    own: Sequence[AddressSpec],
    family: Sequence[AddressSpec],
    joined: dt.date,
    lang: Language,
) -> tuple[Address, ...]:
    """Own addresses before *joined*, then the household's addresses from *joined* on."""
    specs: list[AddressSpec] = [s for s in own if s[4] < joined]
    current = [s for s in family if s[4] <= joined]
    if current:
        code, street, number, box, _since = current[-1]
        specs.append((code, street, number, box, joined))
    specs.extend(s for s in family if s[4] > joined)
    result = []
    for index, spec in enumerate(specs):
        following = specs[index + 1][4] if index + 1 < len(specs) else None
        valid_to = following - dt.timedelta(days=1) if following else None
        result.append(_address(spec, valid_to, lang))
    return tuple(result)


def _birth_place(code: int, lang: Language) -> Place:
    if code < 1000:
        return Place(name=COUNTRIES[code].city, country_code=code)
    municipality = MUNICIPALITIES[code]
    local = lang if lang in municipality.languages else municipality.languages[0]
    return Place(name=municipality.name(local), municipality_code=code)


@attrs.define
class _Member:
    """Everything the cast table says about one person (SSIN computed from birth + seq)."""

    first_names: tuple[str, ...]
    last_name: str
    gender: Gender
    birth: dt.date
    seq: int
    born_in: int
    relationship: int = REL_HEAD
    joined: dt.date | None = None
    own_addresses: tuple[AddressSpec, ...] = ()
    nationality: int = BELGIUM
    nationality_since: dt.date | None = None
    former_nationalities: tuple[tuple[int, dt.date], ...] = ()
    civil: tuple[tuple[int, dt.date, str | None], ...] = ()
    tags: frozenset[str] = frozenset()
    bis: int = 0
    deceased: dt.date | None = None
    integrated: bool = True
    replaced_by_key: str | None = None
    key: str | None = None
    refugee: RefugeeFile | None = None
    fixed_ssin: str | None = None

    @property
    def ssin(self) -> str:
        if self.fixed_ssin is not None:
            return self.fixed_ssin
        return make_ssin(self.birth, self.seq, bis=self.bis)


@attrs.define
class _Household:
    key: str
    language: Language
    addresses: tuple[AddressSpec, ...]
    members: list[_Member]


def _realize(households: Sequence[_Household]) -> list[Person]:
    """Turn household tables into Person records (partners and replacements resolved by key)."""
    keys: dict[str, str] = {}
    for household in households:
        for member in household.members:
            if member.key:
                keys[member.key] = member.ssin
    people = []
    for household in households:
        for member in household.members:
            joined = member.joined or member.birth
            civil = member.civil or ((SINGLE, member.birth, None),)
            card_holder = member.bis == 0 and member.nationality == BELGIUM
            people.append(
                Person(
                    ssin=member.ssin,
                    kind="bis" if member.bis else "national_register",
                    last_name=member.last_name,
                    first_names=member.first_names,
                    gender=member.gender,
                    birth_date=member.birth,
                    birth_place=_birth_place(member.born_in, household.language),
                    nationality_code=member.nationality,
                    nationality_since=member.nationality_since or member.birth,
                    former_nationalities=member.former_nationalities,
                    addresses=_history(
                        member.own_addresses, household.addresses, joined, household.language
                    ),
                    household=household.key,
                    relationship=member.relationship,
                    household_since=joined,
                    language=household.language,
                    civil_states=tuple(
                        CivilStateRecord(
                            code=code,
                            since=since,
                            partner=keys.get(partner) if partner else None,
                            place_code=_place_code(household) if code in (MARRIED,) else None,
                        )
                        for code, since, partner in civil
                    ),
                    deceased=member.deceased,
                    tags=member.tags,
                    replaced_by=keys[member.replaced_by_key] if member.replaced_by_key else None,
                    integrated=member.integrated,
                    identity_card=_card_number(member.ssin, "eid") if card_holder else None,
                    sis_card=_sis_number(member.ssin) if member.birth.year < 2014 else None,
                    refugee=member.refugee,
                )
            )
    return people


def _place_code(household: _Household) -> int | None:
    for spec in household.addresses:
        if spec[0] >= 1000:
            return spec[0]
    return None


# --------------------------------------------------------------------------- the cast

_D = dt.date


def _refugee(
    applied: dt.date, centre: tuple[int, str], cpas: int, *, situation: int = 1
) -> RefugeeFile:
    municipality = MUNICIPALITIES[cpas]
    return RefugeeFile(
        application_date=applied,
        quality_code=1,
        centre_code=centre[0],
        centre_name=centre[1],
        cpas_code=cpas,
        cpas_name=municipality.local_name,
        document_code=26,
        situation_code=situation,
        situation_date=applied + dt.timedelta(days=21),
    )


def _single(
    key: str,
    language: Language,
    addresses: tuple[AddressSpec, ...],
    member: _Member,
) -> _Household:
    member.joined = member.joined or addresses[0][4]
    return _Household(key=key, language=language, addresses=addresses, members=[member])


def _cast() -> list[_Household]:
    """The fixed cast: documented families and personas, the same for every seed."""
    d, m, single = _D, _Member, _single
    dubois_wedding, elamrani_wedding = d(2004, 6, 19), d(2001, 7, 7)
    naturalized, haddad_arrival = d(2008, 5, 20), d(2022, 9, 5)
    haddad_file = _refugee(d(2022, 8, 16), (9102, "Opvangcentrum De Linde"), 24062)
    rahimi_file = _refugee(
        d(2023, 1, 16), (9101, "Centre d'accueil Les Peupliers"), 92094, situation=2
    )
    # fmt: off
    return [
        _Household("DUBOIS", "fr", ((52011, 3301, "14", None, d(2004, 7, 1)), (52011, 3303, "27", "2", d(2011, 3, 15))), [
            m(("Marc", "Antoine"), "Dubois", "M", d(1978, 4, 12), 11, 62063, joined=d(2004, 7, 1), key="marc",
              own_addresses=((62063, 4402, "8", None, d(1978, 4, 12)), (21004, 1102, "3", "5", d(1998, 9, 1))),
              civil=((SINGLE, d(1978, 4, 12), None), (MARRIED, dubois_wedding, "sophie"))),
            m(("Sophie",), "Lambert", "F", d(1980, 9, 3), 12, 52011, REL_SPOUSE, d(2004, 7, 1), key="sophie",
              own_addresses=((52011, 3302, "41", None, d(1980, 9, 3)),),
              civil=((SINGLE, d(1980, 9, 3), None), (MARRIED, dubois_wedding, "marc"))),
            m(("Lucas",), "Dubois", "M", d(2006, 2, 17), 13, 52011, REL_CHILD),
            m(("Emma",), "Dubois", "F", d(2009, 11, 5), 14, 52011, REL_CHILD),
            m(("Léa", "Marie"), "Dubois", "F", d(2014, 7, 21), 16, 52011, REL_CHILD),
        ]),
        _Household("JANSSENS", "nl", ((44021, 6601, "112", None, d(2016, 5, 1)),), [
            m(("Pieter", "Jan"), "Janssens", "M", d(1983, 1, 25), 21, 44021, joined=d(2016, 5, 1),
              own_addresses=((44021, 6603, "5", None, d(1983, 1, 25)), (11002, 7702, "19", None, d(2008, 10, 1)))),
            m(("Anke",), "Maes", "F", d(1986, 5, 14), 22, 24062, REL_UNRELATED, d(2016, 5, 1),
              own_addresses=((24062, 8801, "77", None, d(1986, 5, 14)),)),
            m(("Noah",), "Janssens", "M", d(2019, 3, 2), 23, 44021, REL_CHILD),
        ]),
        _Household("KESSLER", "de", ((63023, 9902, "6", None, d(1979, 4, 1)),), [
            m(("Mathias",), "Kessler", "M", d(1952, 10, 8), 31, 63023, joined=d(1979, 4, 1),
              own_addresses=((63023, 9901, "30", None, d(1952, 10, 8)),),
              civil=((SINGLE, d(1952, 10, 8), None), (MARRIED, d(1979, 3, 24), None), (WIDOWED, d(2017, 1, 9), None))),
            m(("Julia",), "Kessler", "F", d(1984, 6, 30), 32, 63023, REL_CHILD),
            m(("Finn",), "Kessler", "M", d(2012, 12, 12), 33, 63023, REL_GRANDCHILD),
        ]),
        _Household("ELAMRANI", "fr", ((21004, 1104, "56", "3", d(2002, 2, 1)), (21015, 2202, "9", None, d(2010, 8, 16))), [
            m(("Youssef",), "El Amrani", "M", d(1975, 11, 30), 41, 354, joined=d(2002, 2, 1), key="youssef",
              own_addresses=((62063, 4401, "102", None, d(1999, 9, 1)),),
              nationality_since=naturalized, former_nationalities=((354, d(1975, 11, 30)),),
              civil=((SINGLE, d(1975, 11, 30), None), (MARRIED, elamrani_wedding, "fatima"))),
            m(("Fatima",), "Benali", "F", d(1979, 2, 8), 42, 354, REL_SPOUSE, d(2002, 2, 1), key="fatima",
              nationality=354, civil=((SINGLE, d(1979, 2, 8), None), (MARRIED, elamrani_wedding, "youssef"))),
            m(("Amine",), "El Amrani", "M", d(2003, 4, 22), 43, 21004, REL_CHILD,
              nationality_since=naturalized, former_nationalities=((354, d(2003, 4, 22)),)),
            m(("Salma",), "El Amrani", "F", d(2007, 10, 10), 44, 21004, REL_CHILD,
              nationality_since=naturalized, former_nationalities=((354, d(2007, 10, 10)),)),
        ]),
        _Household("RENARD", "fr", ((62063, 4403, "15", None, d(1993, 10, 1)), (92094, 5501, "48", "1", d(2012, 2, 1))), [
            m(("Nathalie", "Claire"), "Renard", "F", d(1969, 3, 18), 52, 92094, joined=d(1993, 10, 1),
              own_addresses=((92094, 5503, "7", None, d(1969, 3, 18)),),
              civil=((SINGLE, d(1969, 3, 18), None), (MARRIED, d(1993, 9, 11), None), (DIVORCED, d(2011, 11, 30), None))),
        ]),
        single("WOUTERS", "nl", ((11002, 7701, "200", "12", d(2019, 1, 15)),),
               m(("Thomas",), "Wouters", "M", d(1995, 8, 8), 53, 11002, own_addresses=((11002, 7703, "4", None, d(1995, 8, 8)),))),
        single("LAURENT", "fr", ((21015, 2201, "17", None, d(2021, 10, 1)),),
               m(("Manon",), "Laurent", "F", d(2000, 1, 1), 90, 21004, own_addresses=((21004, 1101, "61", None, d(2000, 1, 1)),))),
        single("LEJEUNE", "fr", ((62063, 4404, "9", None, d(1960, 5, 1)),),
               m(("Georges", "Henri"), "Lejeune", "M", d(1931, 3, 11), 55, 62063, deceased=d(2021, 12, 2),
                 own_addresses=((62063, 4401, "2", None, d(1931, 3, 11)),), tags=frozenset({"deceased"}),
                 civil=((SINGLE, d(1931, 3, 11), None), (MARRIED, d(1958, 8, 2), None), (WIDOWED, d(2009, 4, 14), None)))),
        single("POPESCU", "fr", ((21004, 1103, "88", None, d(2022, 3, 1)),),
               m(("Ioana",), "Popescu", "F", d(1990, 2, 14), 62, 124, bis=40, nationality=124, joined=d(2022, 3, 1),
                 own_addresses=((124, 0, "17", None, d(2015, 6, 1)),), tags=frozenset({"bis"}))),
        single("NOWAK", "nl", ((139, 0, "5", None, d(2023, 4, 1)),),
               m(("Piotr",), "Nowak", "M", d(1988, 7, 5), 61, 139, bis=20, nationality=139,
                 tags=frozenset({"bis_unknown_gender"}))),
        _Household("HADDAD", "nl", ((24062, 8802, "31", "4", haddad_arrival),), [
            m(("Rania",), "Haddad", "F", d(1990, 12, 3), 72, 261, joined=haddad_arrival, nationality=261,
              tags=frozenset({"refugee"}), refugee=haddad_file),
            m(("Lina",), "Haddad", "F", d(2016, 4, 18), 74, 261, REL_CHILD, haddad_arrival, nationality=261,
              tags=frozenset({"refugee"}), refugee=haddad_file),
        ]),
        single("RAHIMI", "fr", ((92094, 5503, "140", None, d(2023, 2, 10)),),
               m(("Aziz",), "Rahimi", "M", d(1996, 5, 1), 71, 251, nationality=251, tags=frozenset({"refugee"}),
                 refugee=rahimi_file)),
        single("MBALA", "fr", ((62063, 4402, "63", None, d(2021, 6, 1)),),
               m(("Kevin",), "Mbala", "M", d(1991, 8, 22), 81, 306, nationality=306, key="mbala", joined=d(2021, 6, 1),
                 own_addresses=((62063, 4402, "63", None, d(2019, 11, 4)),))),
        # The BIS number Kevin Mbala had before his National Register number.
        single("MBALA-BIS", "fr", ((62063, 4402, "63", None, d(2019, 11, 4)),),
               m(("Kevin",), "Mbala", "M", d(1991, 8, 22), 83, 306, bis=40, nationality=306,
                 tags=frozenset({"replaced"}), replaced_by_key="mbala")),
        single("MARTIN", "fr", ((92094, 5501, "2", None, d(2015, 1, 1)),),
               m(("Julie",), "Martin", "F", d(1987, 1, 9), 84, 92094, tags=frozenset({"cancelled"}))),
        single("LECLERCQ", "fr", ((62063, 4403, "28", None, d(2000, 1, 1)),),
               m(("Olivier",), "Leclercq", "M", d(1972, 6, 6), 85, 62063, tags=frozenset({"not_integrated"}),
                 integrated=False)),
        single("HERMANS", "nl", ((24062, 8803, "12", None, d(1990, 1, 1)),),
               m(("Chantal",), "Hermans", "F", d(1964, 9, 27), 86, 24062, tags=frozenset({"legal_context_refused"}))),
        single("CLAES", "nl", ((11002, 7704, "3", None, d(2005, 1, 1)),),
               m(("Bruno",), "Claes", "M", d(1980, 2, 29), 87, 11002, tags=frozenset({"internal_error"}))),
        single("GOOSSENS", "nl", ((44021, 6602, "90", None, d(2018, 1, 1)),),
               m(("Sarah",), "Goossens", "F", d(1993, 5, 5), 88, 44021, tags=frozenset({"slow"}))),
        single("SIMON", "fr", ((52011, 3304, "5", None, d(1985, 1, 1)),),
               m(("Didier",), "Simon", "M", d(1961, 12, 24), 89, 52011, tags=frozenset({"unavailable"}))),
    ]
    # fmt: on


# --------------------------------------------------------------------------- seeded filler

_REFERENCE_YEAR = 2024  # latest year of a generated event: keeps builds independent of today


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# (last names, male first names, female first names) per language region.
_POOLS: Mapping[Language, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "fr": (
        _names("Dubois|Dubuis|Lambert|Dupont|Leroy|Lefebvre|Mathieu|Collard|Denis|Thiry|Fontaine"),
        _names("Antoine|Julien|Nicolas|Maxime|Louis|Hugo|Arthur|Romain|Guillaume|Benoît|Marc"),
        _names("Camille|Julie|Charlotte|Manon|Chloé|Élise|Pauline|Margaux|Céline|Hélène|Sophie"),
    ),
    "nl": (
        _names("Peeters|Pieters|Janssens|Jansens|Maes|Jacobs|Mertens|Willems|Claes|Klaas|De Smet"),
        _names("Jan|Pieter|Wout|Bram|Stijn|Thomas|Lucas|Arne|Jonas|Koen"),
        _names("Lotte|Anke|Sofie|Eline|Marie|Lien|Hanne|Fien|Nele|Ellen"),
    ),
    "de": (
        _names("Schmitz|Kessler|Cremer|Radermacher|Lentz|Pauels|Hilgers|Heinen"),
        _names("Lukas|Jonas|Matthias|Tobias|Stefan|Rainer|Finn"),
        _names("Anna|Lena|Katrin|Sabine|Miriam|Jana|Julia"),
    ),
}
_FOREIGN = (111, 129, 128, 354, 262, 124)


class _Filler:
    """Draws seeded households; SSIN day counters 100–997 never meet the cast's (below 100)."""

    def __init__(self, seed: int, used: set[str]) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - test data, not security
        self.used = used

    def ssin(self, birth: dt.date, gender: Gender) -> str:
        while True:
            seq = self.rng.randrange(100, 997)
            if (seq % 2 == 1) != (gender == "M"):
                seq += 1
            ssin = make_ssin(birth, seq)
            if ssin not in self.used and ssin != UNKNOWN_SSIN:
                self.used.add(ssin)
                return ssin

    def date(self, first: int, last: int) -> dt.date:
        start = _D(first, 1, 1).toordinal()
        end = _D(min(last, _REFERENCE_YEAR), 12, 31).toordinal()
        return _D.fromordinal(self.rng.randint(start, end))

    def municipality(self, language: Language) -> Municipality:
        options = [m for m in MUNICIPALITIES.values() if language in m.languages]
        return self.rng.choice(options)

    def spec(self, language: Language, since: dt.date) -> AddressSpec:
        municipality = self.municipality(language)
        street = self.rng.choice(municipality.streets)
        box = str(self.rng.randint(1, 12)) if self.rng.random() < 0.25 else None
        return (municipality.code, street.code, str(self.rng.randint(1, 180)), box, since)

    def arrival(self, member: _Member) -> dt.date:
        """First Belgian address: birth for Belgians, a date around age 18–25 for others."""
        if member.nationality == BELGIUM:
            return member.birth
        return member.birth + dt.timedelta(days=self.rng.randint(18 * 365, 25 * 365))

    def member(
        self,
        language: Language,
        gender: Gender,
        birth: dt.date,
        last_name: str,
        relationship: int,
    ) -> _Member:
        _lasts, males, females = _POOLS[language]
        names = males if gender == "M" else females
        count = self.rng.choice((1, 1, 2))
        first = tuple(self.rng.sample(names, count))
        nationality = BELGIUM if self.rng.random() < 0.85 else self.rng.choice(_FOREIGN)
        born_in = self.municipality(language).code if nationality == BELGIUM else nationality
        member = _Member(first, last_name, gender, birth, 1, born_in, relationship=relationship)
        member.nationality = nationality
        return member

    def household(self, index: int) -> tuple[_Household, list[str]]:
        rng = self.rng
        language: Language = rng.choices(("fr", "nl", "de"), weights=(45, 45, 10))[0]
        lasts = _POOLS[language][0]
        shape = rng.choice(("single", "couple", "family", "family", "single_parent", "elderly"))
        members: list[_Member] = []
        head_gender: Gender = rng.choice(("M", "F"))
        young = shape in ("family", "single_parent", "couple", "single")
        head_birth = self.date(1960, 1999) if young else self.date(1938, 1955)
        head_last = rng.choice(lasts)
        head = self.member(language, head_gender, head_birth, head_last, REL_HEAD)
        members.append(head)
        formed = _D(
            min(head_birth.year + rng.randint(20, 32), _REFERENCE_YEAR),
            rng.randint(1, 12),
            rng.randint(1, 28),
        )
        head.own_addresses = (self.spec(language, self.arrival(head)),)
        head.joined = formed
        if shape in ("couple", "family", "elderly"):
            gender: Gender = "F" if head_gender == "M" else "M"
            partner_birth = self.date(head_birth.year - 4, head_birth.year + 4)
            partner = self.member(language, gender, partner_birth, rng.choice(lasts), REL_SPOUSE)
            partner.own_addresses = (self.spec(language, self.arrival(partner)),)
            partner.joined = formed
            if rng.random() < 0.7:
                head.civil = ((SINGLE, head_birth, None), (MARRIED, formed, f"p{index}"))
                partner.civil = ((SINGLE, partner_birth, None), (MARRIED, formed, f"h{index}"))
                head.key, partner.key = f"h{index}", f"p{index}"
            else:
                partner.relationship = REL_UNRELATED
            members.append(partner)
        if shape in ("family", "single_parent") and formed.year < _REFERENCE_YEAR:
            for _ in range(rng.randint(1, 3)):
                birth = self.date(formed.year + 1, formed.year + 14)
                if birth <= formed:
                    continue
                child_gender: Gender = rng.choice(("M", "F"))
                child = self.member(language, child_gender, birth, head_last, REL_CHILD)
                child.nationality = head.nationality
                child.born_in = self.municipality(language).code
                members.append(child)
        moves = [self.spec(language, formed)]
        for _ in range(rng.randint(0, 2)):
            since = moves[-1][4] + dt.timedelta(days=rng.randint(400, 4000))
            if since.year > _REFERENCE_YEAR:
                break
            moves.append(self.spec(language, since))
        ssins = [self.ssin(m.birth, m.gender) for m in members]
        return _Household(f"F{index:02d}", language, tuple(moves), members), ssins


def _filler(seed: int, used: set[str], count: int = 6) -> list[_Household]:
    filler = _Filler(seed, used)
    result = []
    for index in range(1, count + 1):
        household, ssins = filler.household(index)
        for member, ssin in zip(household.members, ssins, strict=True):
            member.fixed_ssin = ssin
        result.append(household)
    return result


# --------------------------------------------------------------------------- entry points

_PERSONA_DOCS: tuple[tuple[str, str, str | None], ...] = (
    (
        "unknown",
        "valid SSIN that nobody has: SOA status MSG00005, SSDN error detail",
        "SsinUnknown / SsdnError",
    ),
    (
        "replaced",
        "old BIS number replaced by a National Register number: MSG00006, information replacedBy",
        "SsinReplaced",
    ),
    ("cancelled", "cancelled number: MSG00007", "SsinCancelled"),
    (
        "not_integrated",
        "not integrated: MSG00012 on consultations until the caller registers the person (ManageAccess REGISTER)",
        "NotIntegrated",
    ),
    ("legal_context_refused", "MSG00013 whatever legal context is sent", "LegalContextRefused"),
    ("internal_error", "SOAP fault with reason code MSG00003", "SoapFault"),
    (
        "slow",
        "reply delayed by Simulator(slow_delay=...)",
        "CbssTimeout (read timeout shorter than the delay)",
    ),
    ("unavailable", "HTML 503 page instead of a SOAP reply", "CbssHttpError"),
    ("refugee", "asylum seeker: waiting-register data in PerformInvestigation", None),
    (
        "deceased",
        "deceased: DeceaseDate in IdentifyPerson, IT150 in TX25, Decease in Citizen",
        None,
    ),
    ("bis", "BIS number (month + 40): origin BCSS_KSZ; TX25 answers NO_DATA_FOUND", None),
    ("bis_unknown_gender", "BIS number (month + 20, gender not encoded) living abroad", None),
)


def _build(seed: int) -> Population:
    cast = _cast()
    used = {m.ssin for h in cast for m in h.members}
    households = [*cast, *_filler(seed, used)]
    return Population(_realize(households), seed=seed)


@functools.lru_cache(maxsize=8)
def default_population(seed: int = 0) -> Population:
    """The simulator's population: the fixed cast plus six seeded filler households.

    Same *seed*, same people (the result is cached and immutable).  The personas of
    :data:`PERSONA_SSINS` and the documented families are the same for every seed.
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError("seed must be an int")
    return _build(seed)


def _persona_ssins() -> Mapping[str, str]:
    result = {"unknown": UNKNOWN_SSIN}
    for household in _cast():
        for member in household.members:
            for tag in sorted(member.tags):
                result.setdefault(tag, member.ssin)
    order = [tag for tag, _behaviour, _error in _PERSONA_DOCS]
    return MappingProxyType({tag: result[tag] for tag in order if tag in result})


#: Persona tag → SSIN, the same for every seed (see ``docs/personas.md``). ``"unknown"`` is
#: :data:`UNKNOWN_SSIN`, which nobody has.
PERSONA_SSINS: Mapping[str, str] = _persona_ssins()
