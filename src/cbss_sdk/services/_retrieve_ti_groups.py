"""RetrieveTIGroups v2 (TX25): the National Register file of a person.

The reply carries the complete National Register information-type model
(``rn25Schema`` 25.2019.1.0, generated as typed dataclasses): names,
addresses, nationalities, civil states, family members, identity documents…
with their history when asked for.
"""

from __future__ import annotations

from typing import Literal

import attrs

from .. import catalog
from .._prepared import PreparedCall
from .._results import CallMeta, Status
from ..errors import ProtocolError, RequestValidationError
from ..models.retrieve_ti_groups_v2.be.fgov.kszbcss.intf.retrieve_tigroups_service.v2 import (
    RetrieveTIGroupsRequest,
    RetrieveTIGroupsResponse,
)
from ..models.retrieve_ti_groups_v2.be.fgov.kszbcss.types.retrieve_tigroups.v2 import (
    LanguageType,
    SearchInformationType,
)
from ..models.retrieve_ti_groups_v2.be.fgov.rrn.ibz.xsd.xm25.rn25_schema import FileInfoType
from ..soa import SoaReply, prepare_soa_call
from ._args import coerce_enum, ssin_argument
from ._facade import C, Facade, operation

__all__ = ["RetrieveTIGroups", "Tx25Result"]

_SERVICE = catalog.service("RetrieveTIGroups")
_RETRIEVE = _SERVICE.operation("retrieveTI")

Language = Literal["nl", "fr", "de"]


@attrs.frozen
class Tx25Result:
    """A TX25 reply.

    ``file`` is the National Register file (``None`` when CBSS found no data:
    ``status.value == "NO_DATA_FOUND"``); ``response`` the whole bound reply.
    """

    meta: CallMeta
    status: Status
    file: FileInfoType | None = attrs.field(repr=False)
    response: RetrieveTIGroupsResponse = attrs.field(repr=False)

    @property
    def data_found(self) -> bool:
        return self.status.data_found and self.file is not None


class RetrieveTIGroups(Facade[C]):
    """CBSS ``RetrieveTIGroupsService`` v2 (SOA), legal context ``PCSA:SOCIAL_INQUIRY`` by default."""

    service_key = "RetrieveTIGroups"

    @operation
    def retrieve(
        self,
        ssin: str,
        *,
        language: Language = "fr",
        history: bool = False,
        legal_context: str | None = None,
    ) -> PreparedCall[Tx25Result]:
        """CBSS operation ``retrieveTI``: the National Register file of *ssin*.

        Args:
            ssin: national number (or BIS number) of the person.
            language: language of the code labels (``nl``, ``fr``, ``de``).
            history: also return past values of each information type.
            legal_context: overrides the default ``PCSA:SOCIAL_INQUIRY``.

        Raises:
            SsinUnknown, SsinReplaced, NotIntegrated, LegalContextRefused: CBSS business outcomes.
        """
        number = ssin_argument(ssin)
        lang = coerce_enum(LanguageType, language, field="language")
        if not isinstance(history, bool):
            raise RequestValidationError("history must be True or False", field="history")
        search = SearchInformationType(ssin=number, language=lang, history=history)

        def build(reply: SoaReply[RetrieveTIGroupsResponse]) -> Tx25Result:
            if reply.status is None:
                raise ProtocolError("retrieveTI reply without status")
            return Tx25Result(
                meta=reply.meta,
                status=reply.status,
                file=reply.response.rrn_it_implicit,
                response=reply.response,
            )

        return prepare_soa_call(
            self._client,
            _SERVICE,
            _RETRIEVE,
            RetrieveTIGroupsRequest,
            {"search_information": search},
            response_type=RetrieveTIGroupsResponse,
            build=build,
            legal_context=legal_context,
            subject=number,
        )
