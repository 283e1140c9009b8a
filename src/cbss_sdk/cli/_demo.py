"""``cbss demo``: a complete CPAS social inquiry against the in-process simulator, in a few seconds.

What a social worker's software does when a file opens: check the
connection, identify the person (with the identity data the CPAS holds),
register the file in the sector repertory, read the National Register file
(TX25, with history) and the family composition.  First for one household
head, step by step with readable tables; then the same inquiry for several
persons at once on the asyncio client, as a batch job would.

Everything comes from the synthetic population of the simulator: names are
shown (they are fictitious), national numbers are masked unless
``--unmask`` is given, so the output is safe to paste in a ticket or a talk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .._redact import mask_ssin
from ._errors import EXIT_FAILURE, EXIT_OK, UsageError, describe_error
from ._output import make_console

if TYPE_CHECKING:
    from rich.console import Console

    from .._client import AsyncCbssClient, CbssClient
    from ..testing._population import Person, Population

__all__ = ["STEPS", "add_parser", "pick_household_head", "pick_persons", "run"]

#: The steps of one inquiry, in order (the first runs once per session).
STEPS = (
    "Test connection",
    "Identify the person",
    "Register the file",
    "National Register file (TX25)",
    "Family composition",
)
#: Concurrent inquiries in the async part (a polite batch never floods CBSS).
CONCURRENCY = 4


def add_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        parents=parents,
        help="run a social inquiry against the built-in simulator",
        description="Run a CPAS social inquiry (test connection, identify, register, TX25, "
        "family composition) against the in-process CBSS simulator, then the same inquiry "
        "for several persons concurrently with the async client. Synthetic data only.",
    )
    parser.add_argument(
        "--persons",
        type=int,
        default=5,
        metavar="N",
        help="persons in the concurrent (async) part [5]",
    )
    parser.add_argument("--seed", type=int, default=0, help="population seed [0]")
    parser.add_argument(
        "--unmask",
        action="store_true",
        help="show the synthetic national numbers in full instead of masked",
    )
    parser.set_defaults(handler=run)


# ------------------------------------------------------------------------------ choosing people


def _ordinary(person: Person) -> bool:
    """A living, National-Register person with no error-persona behaviour."""
    return not person.tags and person.deceased is None and person.kind == "national_register"


def pick_household_head(population: Population) -> Person:
    """The head of the largest ordinary household (ties: population order)."""
    best: Person | None = None
    best_size = 0
    for person in population:
        if person.relationship != 1 or not _ordinary(person):
            continue
        size = len(population.household(person.ssin))
        if size > best_size:
            best, best_size = person, size
    if best is None:
        raise UsageError("the simulator population has no ordinary household head")
    return best


def pick_persons(population: Population, count: int, first: Person) -> list[Person]:
    """*count* ordinary persons: household heads first, starting with *first*."""
    ordinary = [p for p in population if _ordinary(p)]
    heads = [p for p in ordinary if p.relationship == 1 and p.ssin != first.ssin]
    others = [p for p in ordinary if p.relationship != 1]
    chosen = [first, *heads, *others][:count]
    if len(chosen) < count:
        raise UsageError(
            f"--persons {count}: the simulator population has only {len(chosen)} ordinary persons"
        )
    return chosen


# ------------------------------------------------------------------------------ reading replies


def _text(values: Any) -> str:
    """The first description text of an SSDN ``DescriptionType`` list (or a plain value)."""
    if values is None:
        return ""
    if isinstance(values, list):
        return str(getattr(values[0], "value", values[0])) if values else ""
    return str(getattr(values, "value", values))


def _enum_value(value: Any) -> Any:
    return getattr(value, "value", value)


def _rn_date(value: Any) -> str:
    """A National Register ``DateType`` (century, year, month, day) as ``yyyy-mm-dd``."""
    if value is None:
        return ""
    century = _enum_value(getattr(value, "century", None))
    year = getattr(value, "year", None) or ""
    month = getattr(value, "month", None) or "00"
    day = getattr(value, "day", None) or "00"
    prefix = str(century) if century not in (None, "") else ""
    return f"{prefix}{year}-{month}-{day}"


def _street(street: Any) -> str:
    if street is None:
        return ""
    return str(getattr(street, "label", None) or getattr(street, "graphic", None) or "")


@attrs.frozen
class InquiryOutcome:
    """What one inquiry found, for the summary table of the async part."""

    person: Person
    identified: bool
    verified: bool
    registered: bool
    tx25_types: int
    household: int
    tickets: tuple[str, ...]
    seconds: float
    error: str | None = None


# ------------------------------------------------------------------------------ the sync part


class _Printer:
    def __init__(self, console: Console, unmask: bool) -> None:
        self.console = console
        self.unmask = unmask

    def ssin(self, value: str | None) -> str:
        if not value:
            return "—"
        return value if self.unmask else mask_ssin(value)

    def step(self, number: int, ticket: str | None) -> None:
        from rich.rule import Rule

        title = f"Step {number}/{len(STEPS)} · {STEPS[number - 1]}"
        if ticket:
            title += f"  (CBSS ticket {ticket})"
        self.console.print(Rule(title, align="left"))

    def table(self, *columns: str, title: str | None = None) -> Any:
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        return table


def _identify_table(printer: _Printer, result: Any, person: Person) -> bool:
    table = printer.table("SSIN", "name", "birth date", "gender", "address", "verification")
    mismatch = "22007007" in result.reason_codes
    verification = "data do NOT match" if mismatch else "identity data match"
    for found in result.persons:
        basic = found.basic
        address = basic.address
        where = ""
        if address is not None:
            street = " ".join(x for x in (_text(address.street), address.house_number or "") if x)
            town = " ".join(
                x for x in (address.postal_code or "", _text(address.municipality)) if x
            )
            where = ", ".join(x for x in (street, town) if x)
        gender = _enum_value(basic.gender.value) if basic.gender is not None else None
        table.add_row(
            printer.ssin(basic.social_security_user),
            " ".join(x for x in (basic.first_name or "", basic.last_name) if x),
            str(basic.birth_date),
            {1: "M", 2: "F"}.get(gender, "?") if gender is not None else "?",
            where or "—",
            verification,
        )
    if not result.persons:
        table.add_row(printer.ssin(person.ssin), "—", "—", "—", "—", "not found")
    printer.console.print(table)
    return bool(result.persons) and not mismatch


def _register_table(printer: _Printer, result: Any) -> None:
    table = printer.table("purpose", "from", "to", "register", "organisation unit")
    for registration in result.registrations:
        period = registration.period
        table.add_row(
            str(registration.purpose),
            str(period.start_date),
            str(period.end_date) if period.end_date is not None else "open",
            str(_enum_value(registration.register)),
            str(registration.org_unit),
        )
    if not result.registrations:
        table.add_row("1", "today", "open", "—", "registered (CBSS listed no detail)")
    printer.console.print(table)


def _information_types(file: Any) -> list[tuple[str, int]]:
    """(information type group, number of entries) for every group present in a TX25 file."""
    import dataclasses

    rows: list[tuple[str, int]] = []
    if file is None:
        return rows
    for field in dataclasses.fields(file):
        value = getattr(file, field.name)
        if value is None:
            continue
        name = field.metadata.get("name", field.name)
        lists = (
            [getattr(value, f.name) for f in dataclasses.fields(value)]
            if dataclasses.is_dataclass(value)
            else []
        )
        entries = next((len(v) for v in lists if isinstance(v, list) and v), 1)
        rows.append((str(name), entries))
    return rows


def _tx25_tables(printer: _Printer, result: Any) -> int:
    groups = _information_types(result.file)
    table = printer.table("information type", "entries", title="Information types returned")
    for name, entries in groups:
        table.add_row(name, str(entries))
    if not groups:
        table.add_row(f"(status {result.status.value})", "0")
    printer.console.print(table)
    addresses = getattr(
        getattr(result.file, "legal_main_addresses", None), "legal_main_address", None
    )
    if addresses:
        history = printer.table("since", "until", "address", title="Legal main addresses (history)")
        newest_first = sorted(addresses, key=lambda item: _rn_date(item.date), reverse=True)
        for index, item in enumerate(newest_first):
            if item.del_date is not None:
                until = _rn_date(item.del_date)
            else:  # an address lasts until the next one starts
                until = "current" if index == 0 else _rn_date(newest_first[index - 1].date)
            address = item.address
            street = _street(address.street)
            box = f"box {address.box}" if address.box else ""
            line = " ".join(x for x in (street, address.house_number or "", box) if x)
            history.add_row(_rn_date(item.date), until, f"{line}, {address.zip_code}")
        printer.console.print(history)
    return len(groups)


#: Family-role codes of the National Register (relationship to the head of household).
_RELATIONSHIPS = {1: "head", 2: "spouse", 3: "child", 4: "grandchild", 12: "not related"}


def _citizen_names(result: Any) -> dict[str, tuple[str, str]]:
    """SSIN → (name, birth date) from the citizen group of a PerformInvestigation reply."""
    names: dict[str, tuple[str, str]] = {}
    for citizen in result.citizens:
        legal = citizen.legal_data
        name = legal.name
        full = " ".join(x for x in (name.first_name or "", name.last_name) if x)
        names[citizen.social_security_user] = (full, str(legal.birth.date))
    return names


def _family_table(printer: _Printer, result: Any, population: Population) -> int:
    names = _citizen_names(result)
    table = printer.table("SSIN", "name", "birth date", "relationship", "in household since")
    members = result.family_members
    for member in members:
        ssin = member.social_security_user
        name, birth = names.get(ssin, ("", ""))
        if not name:
            known = population.get(ssin)
            if known is not None:
                name = known.full_name
                birth = known.birth_date.isoformat()
        relation = member.relation_ship
        table.add_row(
            printer.ssin(ssin),
            name or "—",
            birth or "—",
            f"{relation:02d} {_RELATIONSHIPS.get(relation, '')}".rstrip(),
            str(member.entry_date) if member.entry_date is not None else "—",
        )
    printer.console.print(table)
    return len(members)


def _sync_inquiry(
    printer: _Printer, client: CbssClient, person: Person, population: Population
) -> None:
    from ..services import (
        IdentifyPerson,
        ManageAccess,
        PerformInvestigation,
        ProofOfAuthentication,
        Purpose,
        RetrieveTIGroups,
        TestConnection,
    )

    echo = TestConnection(client).send_test_message("cbss demo")
    printer.step(1, echo.meta.cbss_ticket)
    table = printer.table("echo sent", "echo received", "match", "environment")
    table.add_row(echo.sent, echo.echo, "yes" if echo.echo_matches else "NO", echo.meta.environment)
    printer.console.print(table)

    identified = IdentifyPerson(client).identify(
        person.ssin,
        last_name=person.last_name,
        first_name=person.first_names[0] if person.first_names else None,
        birth_date=person.birth_date,
    )
    printer.step(2, identified.meta.cbss_ticket)
    _identify_table(printer, identified, person)

    registered = ManageAccess(client).register(
        person.ssin,
        Purpose.FILE_UNDER_INVESTIGATION,
        start=dt.date.today(),
        proof=ProofOfAuthentication(last_name=person.last_name, birth_date=person.birth_date),
    )
    printer.step(3, registered.meta.cbss_ticket)
    _register_table(printer, registered)

    tx25 = RetrieveTIGroups(client).retrieve(person.ssin, history=True)
    printer.step(4, tx25.meta.cbss_ticket)
    _tx25_tables(printer, tx25)

    family = PerformInvestigation(client).investigate(person.ssin)
    printer.step(5, family.meta.cbss_ticket)
    _family_table(printer, family, population)


# ------------------------------------------------------------------------------ the async part


async def _async_inquiry(client: AsyncCbssClient, person: Person) -> InquiryOutcome:
    import asyncio

    from ..services import (
        IdentifyPerson,
        ManageAccess,
        PerformInvestigation,
        ProofOfAuthentication,
        Purpose,
        RetrieveTIGroups,
    )

    started = time.perf_counter()
    identified = await IdentifyPerson(client).identify(
        person.ssin, last_name=person.last_name, birth_date=person.birth_date
    )
    registered = await ManageAccess(client).register(
        person.ssin,
        Purpose.FILE_UNDER_INVESTIGATION,
        start=dt.date.today(),
        proof=ProofOfAuthentication(last_name=person.last_name, birth_date=person.birth_date),
    )
    tx25, family = await asyncio.gather(
        RetrieveTIGroups(client).retrieve(person.ssin, history=True),
        PerformInvestigation(client).investigate(person.ssin),
    )
    tickets = tuple(
        t
        for t in (
            identified.meta.cbss_ticket,
            registered.meta.cbss_ticket,
            tx25.meta.cbss_ticket,
            family.meta.cbss_ticket,
        )
        if t
    )
    return InquiryOutcome(
        person=person,
        identified=bool(identified.persons),
        verified="22007007" not in identified.reason_codes,
        registered=True,
        tx25_types=len(_information_types(tx25.file)),
        household=len(family.family_members),
        tickets=tickets,
        seconds=time.perf_counter() - started,
    )


async def _batch(
    client: AsyncCbssClient, persons: Sequence[Person], console: Console
) -> list[InquiryOutcome]:
    import asyncio

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    semaphore = asyncio.Semaphore(CONCURRENCY)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )

    with progress:
        task = progress.add_task("Social inquiries", total=len(persons))

        async def one(person: Person) -> InquiryOutcome:
            async with semaphore:
                started = time.perf_counter()
                try:
                    outcome = await _async_inquiry(client, person)
                except Exception as exc:  # one failure must not hide the others
                    message, _ = describe_error(exc)
                    outcome = InquiryOutcome(
                        person=person,
                        identified=False,
                        verified=False,
                        registered=False,
                        tx25_types=0,
                        household=0,
                        tickets=(),
                        seconds=time.perf_counter() - started,
                        error=message,
                    )
                progress.advance(task)
                return outcome

        return list(await asyncio.gather(*(one(p) for p in persons)))


def _summary(printer: _Printer, outcomes: Sequence[InquiryOutcome], elapsed: float) -> None:
    table = printer.table(
        "SSIN",
        "name",
        "identified",
        "registered",
        "TX25 types",
        "household",
        "time",
        "outcome",
        title="Concurrent inquiries (AsyncCbssClient)",
    )
    for outcome in outcomes:
        person = outcome.person
        table.add_row(
            printer.ssin(person.ssin),
            person.full_name,
            "yes" if outcome.identified else "no",
            "yes" if outcome.registered else "no",
            str(outcome.tx25_types),
            str(outcome.household),
            f"{outcome.seconds * 1000:.0f} ms",
            outcome.error or "ok",
        )
    printer.console.print(table)
    done = sum(1 for o in outcomes if o.error is None)
    printer.console.print(
        f"{done}/{len(outcomes)} inquiries completed in {elapsed:.2f} s "
        f"({CONCURRENCY} at a time, {4 * len(outcomes)} CBSS calls)."
    )


def run(args: argparse.Namespace) -> int:
    import asyncio  # here, not at the top: the other `cbss` commands never need it

    if args.persons < 1:
        raise UsageError("--persons must be at least 1")
    console = make_console()
    from ..testing import Simulator
    from ..testing._population import default_population

    population = default_population(args.seed)
    simulator = Simulator(population=population, seed=args.seed)
    person = pick_household_head(population)
    persons = pick_persons(population, args.persons, person)
    printer = _Printer(console, args.unmask)

    from rich.text import Text

    console.print(
        Text.assemble(
            ("cbss demo", "bold"),
            f" — in-process CBSS simulator (seed {args.seed}). ",
            ("Synthetic data:", "bold yellow"),
            " every person, name and number below is fictitious; national numbers are "
            + ("shown in full (--unmask)." if args.unmask else "masked."),
        )
    )
    household = len(population.household(person.ssin))
    console.print(
        f"Social inquiry for {person.full_name} "
        f"({printer.ssin(person.ssin)}), head of a household of {household}."
    )
    with simulator.client() as client:
        _sync_inquiry(printer, client, person, population)

    console.print()
    console.print(
        f"Now the same inquiry for {len(persons)} persons concurrently "
        f"(asyncio.gather, at most {CONCURRENCY} at a time):"
    )

    async def batch() -> list[InquiryOutcome]:
        async with simulator.async_client() as client:
            return await _batch(client, persons, console)

    started = time.perf_counter()
    outcomes = asyncio.run(batch())
    _summary(printer, outcomes, time.perf_counter() - started)
    return EXIT_OK if all(o.error is None for o in outcomes) else EXIT_FAILURE
