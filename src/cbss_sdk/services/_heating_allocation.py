"""HeatingAllocation (OCMWCPASHeatingAllocation 20090409): the heating allowance of a beneficiary.

The Social Heating Fund pays part of the heating-fuel bill of people in
need; the CPAS checks the person's right (their *category*), takes the
delivery invoice and asks CBSS/SPP IS to compute the allowance.  The
request follows a public client's sample (never sent by that client); the
reply is *modeled* (see the schema headers), so the typed accessors read
modeled fields.

Amounts are given and returned in euros (``Decimal``) and sent as whole
eurocents — the SDK's reading; the one public sample amount does not
settle the unit (see the docs).  The call may record the allowance at the
fund, so it is never retried.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import IntEnum

import attrs

from .. import catalog
from .._prepared import PreparedCall
from ..errors import RequestValidationError
from ..ids import normalize_cbe
from ..models.heating_allocation_20090409.be.smals.xsd.ocmw_cpas.heating_allocation_data_types import (
    InvoiceType,
)
from ..models.heating_allocation_20090409.be.smals.xsd.ocmw_cpas.heating_allocation_reply import (
    AllocationReply,
)
from ..models.heating_allocation_20090409.be.smals.xsd.ocmw_cpas.heating_allocation_request import (
    AllocationRequest,
    ComputeAllocationType,
    OcmwCpasType,
    PrimaryBeneficiaryType,
)
from ..ssdn import SsdnResultParts, prepare_ssdn_call
from ._args import coerce_enum, ssin_argument, xml_date
from ._facade import C, Facade, operation
from ._spp_common import check_count, eurocents, euros
from ._ssdn_results import SsdnResult

__all__ = ["HeatingAllocation", "HeatingAllocationResult", "HeatingCategory"]

_SERVICE = catalog.service("HeatingAllocation")
_COMPUTE = _SERVICE.operation("compute")


class HeatingCategory(IntEnum):
    """The Social Heating Fund categories of beneficiaries (sent as the category code)."""

    INCREASED_REIMBURSEMENT = 1
    """Entitled to the increased reimbursement of health care."""
    LOW_INCOME = 2
    """Household income under the fund's ceiling."""
    DEBT_MEDIATION = 3
    """In collective debt settlement or debt mediation, unable to pay the heating bill."""


@attrs.frozen
class HeatingAllocationResult(SsdnResult[AllocationReply]):
    """The computed allowance (``allowance`` in euros), the quantity it covers and the rate."""

    @property
    def allowance(self) -> Decimal | None:
        result = self.reply.compute_allocation_result if self.reply is not None else None
        return euros(result.allocation_amount) if result is not None else None

    @property
    def accepted_quantity(self) -> int | None:
        result = self.reply.compute_allocation_result if self.reply is not None else None
        return result.accepted_quantity if result is not None else None

    @property
    def allowance_per_unit(self) -> Decimal | None:
        result = self.reply.compute_allocation_result if self.reply is not None else None
        return euros(result.allowance_per_unit) if result is not None else None


def _build(parts: SsdnResultParts[AllocationReply]) -> HeatingAllocationResult:
    return HeatingAllocationResult(
        meta=parts.meta, warnings=parts.warnings, reply=parts.response, no_data=parts.no_data
    )


class HeatingAllocation(Facade[C]):
    """CBSS ``OCMWCPASHeatingAllocation`` 20090409 (SSDN). No legal context. Never retried."""

    service_key = "HeatingAllocation"

    @operation
    def compute(
        self,
        ssin: str,
        *,
        category: HeatingCategory | int,
        invoice_amount: Decimal | int | str,
        quantity: int,
        delivery_date: dt.date,
        fuel_unit: int,
        housing_units: int = 1,
        cbe_number: str | None = None,
    ) -> PreparedCall[HeatingAllocationResult]:
        """The heating allowance of *ssin* for one delivery.

        ``invoice_amount`` is what the invoice says, in euros; ``quantity``
        the quantity delivered (in the unit ``fuel_unit`` codes; the code list
        is not public — the public sample uses 3); ``housing_units`` how many
        dwellings the delivery serves (a shared tank).  ``cbe_number`` is the
        CPAS enterprise number (default: the client's organisation).
        """
        number = ssin_argument(ssin)
        code = coerce_enum(HeatingCategory, category, field="category")
        if isinstance(delivery_date, dt.datetime) or not isinstance(delivery_date, dt.date):
            raise RequestValidationError(
                "delivery_date must be a datetime.date", field="delivery_date"
            )
        if cbe_number is None:
            organization = getattr(self._client, "organization", None)
            cbe_number = getattr(organization, "cbe_number", None)
            if cbe_number is None:
                raise RequestValidationError(
                    "cbe_number is needed: the client's Organization has no CBE number",
                    field="cbe_number",
                )
        request = AllocationRequest(
            compute_allocation=ComputeAllocationType(
                primary_beneficiary=PrimaryBeneficiaryType(ssin=number, category=str(code.value)),
                invoice=InvoiceType(
                    amount=eurocents(invoice_amount, field="invoice_amount", max_digits=9),
                    quantity=check_count(quantity, 1, 1_000_000, field="quantity"),
                    housing_number=check_count(housing_units, 1, 9_999, field="housing_units"),
                    delivery_date=xml_date(delivery_date, field="delivery_date"),
                    unit_fuel=check_count(fuel_unit, 0, 99, field="fuel_unit"),
                ),
            ),
            ocmw_cpas=OcmwCpasType(kbo_bce_number=normalize_cbe(cbe_number, field="cbe_number")),
        )
        return prepare_ssdn_call(
            self._client,
            _SERVICE,
            _COMPUTE,
            request,
            reply_type=AllocationReply,
            build=_build,
            subject=number,
        )
