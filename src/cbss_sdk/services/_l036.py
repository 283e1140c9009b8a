"""L036 (OCMWCPASL036 20060315): the multifunctional attests (A036) of a person, page by page.

A multifunctional attest is what a CPAS declares to the SPP IS when it
grants the integration income or an equivalent aid; other CPAS and
institutions consult them.  CBSS answers a page at a time: each answer
carries a ``NextAnswerReference`` to send back for the following page.
:meth:`L036.attestations` hides that behind a lazy iterator (one call per
page, when the iteration reaches it); :meth:`L036.page` fetches one page
and returns the reference, so a listing can be resumed later with
``page_reference=``.

The payload repeats two parts of the SSDN envelope, as the public client
evidence shows: ``UniqueReference`` (the SSDN ``Message/Reference``) and
``AuthorizedUser`` (user id, e-mail, matrix id and sub-id of the client).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import ConfigurationError, RequestValidationError
from ..models.l036_20060315.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.l036 import (
    A036Type,
    L036PeriodType,
    L036RequestReply,
    L036RequestType,
    L036Type,
)
from ..models.l036_20060315.be.fgov.ksz_bcss.xsd.ssdn.service import AuthorizedUserType
from ..soa._header import new_ticket
from ..ssdn import SsdnResultParts, prepare_ssdn_call
from ._args import check_period, check_text, ssin_argument, xml_date
from ._facade import C, Facade, Page, operation, paged_operation
from ._ssdn_results import SsdnResult

__all__ = ["L036", "A036Attestation", "L036Page"]

_SERVICE = catalog.service("L036")
_CONSULT = _SERVICE.operation("consult")
#: The ``processType`` the client evidence sends (listing).
PROCESS_TYPE = "L"
#: Whether the SSDN layer accepts the Message/Reference from the caller (then UniqueReference
#: and Message/Reference are the same value, as CBSS documents); otherwise they differ.


@attrs.frozen
class A036Attestation:
    """One multifunctional attest (A036).

    ``status`` and ``category_code`` are the codes CBSS sends (their lists
    are not public); ``update_of`` is the attest this one modifies; ``cpas``
    the code of the issuing CPAS; ``recent`` the ``RecentAnswer`` flag as
    sent.  ``reply`` is the generated ``A036Type`` element.
    """

    attestation_id: str
    status: str | None = None
    update_of: str | None = None
    created: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    category_code: int | None = None
    cpas: int | None = None
    recent: str | None = None
    reply: A036Type | None = attrs.field(default=None, repr=False, eq=False)


@attrs.frozen
class L036Page(SsdnResult[L036RequestReply]):
    """One answer page: its ``attestations`` and the ``next_reference`` (``None`` on the last page)."""

    attestations: tuple[A036Attestation, ...] = ()
    next_reference: str | None = None


def _date(value: Any) -> dt.date | None:
    return None if value is None else value.to_date()


def _attestation(item: A036Type) -> A036Attestation:
    identification = item.attestation.attestation_identification
    details = item.attestation.details
    period = details.validity_period if details is not None else None
    return A036Attestation(
        attestation_id=identification.attestation_id,
        status=identification.attestation_status,
        update_of=identification.update_attestation_id or None,
        created=_date(identification.creation_date),
        valid_from=_date(period.begin_date) if period is not None else None,
        valid_to=_date(period.end_date) if period is not None else None,
        category_code=details.category_code if details is not None else None,
        cpas=item.ocmw_cpas,
        recent=item.recent_answer,
        reply=item,
    )


def _read(parts: SsdnResultParts[L036RequestReply]) -> L036Page:
    reply = parts.response
    answer = reply.l036.answer_ok if reply is not None else None
    items = tuple(_attestation(a) for a in answer.a036) if answer is not None else ()
    reference = (answer.next_answer_reference or "").strip() if answer is not None else ""
    return L036Page(
        meta=parts.meta,
        warnings=parts.warnings,
        reply=reply,
        no_data=parts.no_data,
        attestations=items,
        next_reference=reference or None,
    )


def _page(parts: SsdnResultParts[L036RequestReply]) -> Page[A036Attestation]:
    page = _read(parts)
    return Page(page.attestations, page.next_reference)


def _check_date(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RequestValidationError(f"{field} must be a datetime.date", field=field)
    return value


class L036(Facade[C]):
    """CBSS ``OCMWCPASL036`` 20060315 (SSDN): multifunctional attests of a person. No legal context."""

    service_key = "L036"

    def _prepare(
        self,
        ssin: str,
        start: dt.date,
        end: dt.date,
        page_reference: str | None,
        build: Any,
    ) -> PreparedCall[Any]:
        number = ssin_argument(ssin)
        check_period(_check_date(start, "start"), _check_date(end, "end"))
        reference_text = check_text(page_reference, field="page_reference", max_length=256)
        user = getattr(self._client, "ssdn_user", None)
        organization = getattr(self._client, "organization", None)
        if user is None or organization is None:
            raise ConfigurationError(
                "L036 copies the SSDN AuthorizedUser into its payload: the client needs "
                "ssdn_user (SsdnUser) and organization (Organization)"
            )
        reference = new_ticket()
        request = L036RequestReply(
            l036=L036Type(
                process_type=PROCESS_TYPE,
                request=(
                    None
                    if reference_text is None
                    else L036RequestType(next_answer_reference=reference_text)
                ),
            ),
            unique_reference=reference,
            inss=number,
            period=L036PeriodType(
                begin_date=xml_date(start, field="start"), end_date=xml_date(end, field="end")
            ),
            authorized_user=AuthorizedUserType(
                user_id=user.user_id,
                email=user.email,
                matrix_id=organization.matrix_id,
                matrix_sub_id=organization.matrix_sub_id,
            ),
        )
        return prepare_ssdn_call(
            self._client,
            _SERVICE,
            _CONSULT,
            request,
            reply_type=L036RequestReply,
            build=build,
            subject=number,
            reference=reference,
        )

    @paged_operation
    def attestations(
        self,
        ssin: str,
        *,
        start: dt.date,
        end: dt.date,
        page_reference: str | None = None,
    ) -> PreparedCall[Page[A036Attestation]]:
        """Every A036 attest of *ssin* valid in ``start``–``end``: a lazy iterator, one call per page.

        On an ``AsyncCbssClient`` it is an async iterator (``async for``).
        ``page_reference`` (a ``next_reference`` from :meth:`page`) resumes a
        listing at that page.
        """
        return self._prepare(ssin, start, end, page_reference, _page)

    @operation
    def page(
        self,
        ssin: str,
        *,
        start: dt.date,
        end: dt.date,
        page_reference: str | None = None,
    ) -> PreparedCall[L036Page]:
        """One answer page (the first, or the one ``page_reference`` names), with its
        ``next_reference`` and the call metadata."""
        return self._prepare(ssin, start, end, page_reference, _read)
