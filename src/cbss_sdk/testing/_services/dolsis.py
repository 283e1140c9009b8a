"""Simulated Dolsis ``findEmployersByWorker``: deterministic employments for every adult.

Each person of working age gets zero to three employments with fictitious
employers, derived from the SSIN (same person, same employments).  The
views follow the request's scope: ``active`` (running today),
``activeInPeriod`` (overlapping the period) and ``mutations`` (one ``in``
declaration at each start and one ``out`` at each end inside the period).

Documented triggers:

* nobody found (a child, or an adult without employments) → ``NO_DATA_FOUND``
  with ``DOLS0000``;
* a ``mutations`` period longer than ten years → ``NO_DATA_FOUND`` with
  ``DOLS0005`` (partial result: too many results at CBSS);
* a period starting on 1 January 1900 (:data:`FAMILY_COMPOSITION_ERROR_DATE`)
  → business error ``DOLS0009``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ...models.dolsis_v1.be.fgov.kszbcss.intf.dolsis_service.v1 import (
    FindEmployersByWorkerRequest,
    FindEmployersByWorkerResponse,
)
from ...models.dolsis_v1.be.fgov.kszbcss.types.common.v3 import OpenPeriodType
from ...models.dolsis_v1.be.fgov.kszbcss.types.dolsis.v1 import (
    ActionType,
    EmployerType,
    EmploymentType,
    FindEmployersByWorkerResultType,
    ScopeType,
)
from .._population import Person
from .._registry import SimContext, SimRequest, SimulatedBusinessError, handler
from ._social import EMPLOYERS, add_years, person_for, rng_for, status, today, xml_date

__all__ = ["FAMILY_COMPOSITION_ERROR_DATE", "Job", "find_employers_by_worker", "jobs_of"]

#: A period starting on this day makes the simulated Dolsis fail with DOLS0009.
FAMILY_COMPOSITION_ERROR_DATE = dt.date(1900, 1, 1)
#: Longest ``mutations`` period answered in full (beyond: DOLS0005, partial).
MAX_MUTATION_YEARS = 10

_JOINT_COMMITTEES = ("100", "118", "124", "200", "302", "322.01", "330")
_WORKER_TYPES = ("OTH", "STU", "FLX")


@attrs.frozen
class Job:
    """One simulated employment: employer index, dates, joint committee, worker type."""

    employer: int
    start: dt.date
    end: dt.date | None
    joint_committee: str
    worker_type: str

    def overlaps(self, begin: dt.date, finish: dt.date) -> bool:
        return self.start <= finish and (self.end is None or self.end >= begin)


def jobs_of(person: Person, on: dt.date) -> tuple[Job, ...]:
    """The employments of *person* as known on *on*: from 18 to 65, nothing after death."""
    rng = rng_for("Dolsis", person.ssin)
    adult = add_years(person.birth_date, 18)
    retired = add_years(person.birth_date, 65)
    stop = person.deceased or on
    closed = person.deceased is not None or retired < stop
    last_day = min(stop, retired)
    if adult >= last_day - dt.timedelta(days=60):
        return ()
    count = rng.choice((0, 1, 1, 2, 2, 3))
    earliest = max(adult, dt.date(2005, 1, 1))
    span = max((last_day - earliest).days - 30, 1)
    jobs = []
    for _ in range(count):
        start = earliest + dt.timedelta(days=rng.randrange(span))
        end: dt.date | None = None
        if rng.random() < 0.5 or closed:
            end = start + dt.timedelta(days=rng.randrange(60, 2000))
            if end >= last_day:
                end = last_day if closed else None
        jobs.append(
            Job(
                employer=rng.randrange(len(EMPLOYERS)),
                start=start,
                end=end,
                joint_committee=rng.choice(_JOINT_COMMITTEES),
                worker_type=rng.choice(_WORKER_TYPES),
            )
        )
    return tuple(sorted(jobs, key=lambda job: job.start))


def _employment(
    job: Job, action: ActionType | None = None, action_date: dt.date | None = None
) -> EmploymentType:
    employer = EMPLOYERS[job.employer]
    return EmploymentType(
        employer=EmployerType(
            nsso_registration_number=employer.nsso_number,
            enterprise_number=employer.enterprise_number,
            name=employer.name,
        ),
        period=OpenPeriodType(
            begin_date=xml_date(job.start),
            end_date=xml_date(job.end) if job.end is not None else None,
        ),
        joint_commission=job.joint_committee,
        worker_type=job.worker_type,
        action=action,
        action_date=xml_date(action_date) if action_date is not None else None,
    )


def _mutations(jobs: tuple[Job, ...], begin: dt.date, finish: dt.date) -> list[EmploymentType]:
    events: list[tuple[dt.date, int, EmploymentType]] = []
    for index, job in enumerate(jobs):
        if begin <= job.start <= finish:
            events.append((job.start, index, _employment(job, ActionType.IN, job.start)))
        if job.end is not None and begin <= job.end <= finish:
            events.append((job.end, index, _employment(job, ActionType.OUT, job.end)))
    return [employment for _, _, employment in sorted(events, key=lambda e: (e[0], e[1]))]


@handler("Dolsis", "findEmployersByWorker")
def find_employers_by_worker(ctx: SimContext, request: SimRequest) -> object:
    model = request.model
    assert isinstance(model, FindEmployersByWorkerRequest)
    person = person_for(ctx, request)
    criteria = model.criteria
    now = today(ctx)
    period = criteria.period
    begin = period.begin_date.to_date() if period is not None else now
    finish = period.end_date.to_date() if period is not None else now
    if period is not None and begin == FAMILY_COMPOSITION_ERROR_DATE:
        raise SimulatedBusinessError(
            "DOLS0009", "Error detected during the family composition process."
        )
    jobs = jobs_of(person, now)
    if criteria.scope is ScopeType.MUTATIONS:
        if add_years(begin, MAX_MUTATION_YEARS) < finish:
            return ctx.soa_response(
                FindEmployersByWorkerResponse,
                status=status(
                    FindEmployersByWorkerResponse,
                    "NO_DATA_FOUND",
                    "DOLS0005",
                    "Partial result, no data from authentic source CBSS (too many results).",
                ),
            )
        found = _mutations(jobs, begin, finish)
    else:
        found = [_employment(job) for job in jobs if job.overlaps(begin, finish)]
    if not found:
        return ctx.soa_response(
            FindEmployersByWorkerResponse,
            status=status(
                FindEmployersByWorkerResponse,
                "NO_DATA_FOUND",
                "DOLS0000",
                "No match in the National Register nor at CBSS.",
            ),
        )
    return ctx.soa_response(
        FindEmployersByWorkerResponse,
        status=status(FindEmployersByWorkerResponse, "DATA_FOUND", "MSG00000", "Data found."),
        result=FindEmployersByWorkerResultType(employment=found),
    )
