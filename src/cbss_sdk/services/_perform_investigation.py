"""PerformInvestigation (OCMWCPASPerformInvestigation 20080604): the social investigation bundle.

In one call: the household (family composition, with each member's data
when asked), the person's National Register data, their address history
and their waiting-register (refugee) data — the four data groups a CPAS
social inquiry starts from.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..models.perform_investigation_20080604.be.fgov.ksz_bcss.xsd.ssdn.ocmw_cpas.perform_investigation import (
    PerformInvestigationReply,
    PerformInvestigationRequest,
    RequestDataGroupsType,
)
from ..ssdn import SsdnResultParts, prepare_ssdn_call
from ._args import coerce_enum, ssin_argument
from ._facade import C, Facade, operation
from ._ssdn_results import SsdnResult

__all__ = ["DataGroup", "PerformInvestigation", "PerformInvestigationResult"]

_SERVICE = catalog.service("PerformInvestigation")
_INVESTIGATE = _SERVICE.operation("investigate")


class DataGroup(str, Enum):
    """The data groups a PerformInvestigation request can select."""

    FAMILY_COMPOSITION = "family_composition"
    CITIZEN = "citizen"
    ADDRESS_HISTORY = "address_history"
    WAIT_REGISTER = "wait_register"


@attrs.frozen
class PerformInvestigationResult(SsdnResult[PerformInvestigationReply]):
    """PerformInvestigation result; ``reply.data_groups`` holds the groups CBSS returned."""

    @property
    def family_members(self) -> tuple[object, ...]:
        groups = self.reply.data_groups if self.reply is not None else None
        group = groups.family_composition_group if groups is not None else None
        if group is None:
            return ()
        return tuple(group.family_composition.family_member)

    @property
    def citizens(self) -> tuple[object, ...]:
        groups = self.reply.data_groups if self.reply is not None else None
        group = groups.citizen_group if groups is not None else None
        return tuple(group.citizen) if group is not None else ()


def _build(parts: SsdnResultParts[PerformInvestigationReply]) -> PerformInvestigationResult:
    return PerformInvestigationResult(
        meta=parts.meta, warnings=parts.warnings, reply=parts.response, no_data=parts.no_data
    )


class PerformInvestigation(Facade[C]):
    """CBSS ``OCMWCPASPerformInvestigation`` 20080604 (SSDN)."""

    service_key = "PerformInvestigation"

    @operation
    def investigate(
        self,
        ssin: str,
        *,
        groups: Iterable[DataGroup | str] | None = None,
    ) -> PreparedCall[PerformInvestigationResult]:
        """The selected data *groups* about *ssin* (all four when ``groups`` is ``None``).

        Selecting the family composition also returns the other selected
        groups for each household member.
        """
        number = ssin_argument(ssin)
        data_groups = None
        if groups is not None:
            chosen = {coerce_enum(DataGroup, g, field="groups") for g in groups}
            if not chosen:
                raise RequestValidationError(
                    "groups must name at least one data group (or be None for all)", field="groups"
                )
            data_groups = RequestDataGroupsType(
                family_composition_group=DataGroup.FAMILY_COMPOSITION in chosen,
                citizen_group=DataGroup.CITIZEN in chosen,
                address_history_group=DataGroup.ADDRESS_HISTORY in chosen,
                wait_register_group=DataGroup.WAIT_REGISTER in chosen,
            )
        request = PerformInvestigationRequest(social_security_user=number, data_groups=data_groups)
        return prepare_ssdn_call(
            self._client,
            _SERVICE,
            _INVESTIGATE,
            request,
            reply_type=PerformInvestigationReply,
            build=_build,
            subject=number,
        )
