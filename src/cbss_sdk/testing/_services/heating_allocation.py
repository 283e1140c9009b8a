"""Simulated OCMWCPASHeatingAllocation (SSDN): the heating allowance of a delivery.

The simulator's own, simplified rule (inspired by how the Social Heating
Fund works, not its real scale): the price per unit is the invoice amount
divided by the quantity; the allowance per unit is 14 cents below 93 cents
a unit, one cent more per 2.5 cents of price above, at most 20 cents; the
quantity counted is the delivery divided by the dwellings it serves, at most
:data:`MAX_QUANTITY` per dwelling.  Refusals (simulator codes):

* the enterprise number of ``OCMW_CPAS`` is not the caller's → :data:`CPAS_MISMATCH`;
* a delivery dated after the simulator's today → :data:`FUTURE_DELIVERY`;
* a category other than 1, 2 or 3 → :data:`UNKNOWN_CATEGORY`.
"""

from __future__ import annotations

from typing import Any

from ...models.heating_allocation_20090409.be.smals.xsd.ocmw_cpas.heating_allocation_reply import (
    AllocationReply,
    ComputeAllocationResultType,
)
from ...models.heating_allocation_20090409.be.smals.xsd.ocmw_cpas.heating_allocation_request import (
    AllocationRequest,
)
from .._registry import (
    SimContext,
    SimRequest,
    SimulatedBusinessError,
    SimulatedSsdnError,
    SsdnAnswer,
    handler,
)
from ._common import detail, org_unit

__all__ = [
    "CPAS_MISMATCH",
    "FUTURE_DELIVERY",
    "MAX_QUANTITY",
    "UNKNOWN_CATEGORY",
    "allowance_per_unit",
    "build_allocation_reply",
]

#: SSDN reason codes (simulator's own).
FUTURE_DELIVERY = "32040001"
CPAS_MISMATCH = "32040002"
UNKNOWN_CATEGORY = "32040003"
#: Quantity counted per dwelling, at most.
MAX_QUANTITY = 1500


def allowance_per_unit(price_cents_per_unit: float) -> int:
    """The simulator's allowance per unit, in eurocents, for a price per unit in eurocents."""
    if price_cents_per_unit < 93:
        return 14
    steps = int((price_cents_per_unit - 93) // 2.5) + 1
    return min(14 + steps, 20)


def _refuse(code: str, diagnostic: str, field: str, value: str) -> SimulatedSsdnError:
    return SimulatedSsdnError([detail("ERROR", code, diagnostic, ((field, value),))])


def build_allocation_reply(
    ctx: SimContext, request: AllocationRequest, *, organization: str = "unknown"
) -> AllocationReply:
    """The allowance of one request (see the module docstring)."""
    compute = request.compute_allocation
    beneficiary = compute.primary_beneficiary
    invoice = compute.invoice
    if ctx.population.get(beneficiary.ssin) is None:
        raise SimulatedBusinessError("MSG00005", "The SSIN is unknown.")
    caller = org_unit(organization)
    cbe = request.ocmw_cpas.kbo_bce_number
    if organization.startswith("cbe:") and caller.isdigit() and caller.zfill(10) != cbe:
        raise _refuse(
            CPAS_MISMATCH, "The CPAS is not the sending organisation.", "KboBceNumber", cbe
        )
    if beneficiary.category.strip() not in ("1", "2", "3"):
        raise _refuse(
            UNKNOWN_CATEGORY, "The category is not known.", "Category", beneficiary.category[:2]
        )
    delivered = invoice.delivery_date.to_date()
    if delivered > ctx.now.date():
        raise _refuse(
            FUTURE_DELIVERY, "The delivery date is in the future.", "DeliveryDate", str(delivered)
        )
    per_dwelling = invoice.quantity // max(invoice.housing_number, 1)
    accepted = min(per_dwelling, MAX_QUANTITY)
    rate = allowance_per_unit(invoice.amount / invoice.quantity)
    return AllocationReply(
        compute_allocation_result=ComputeAllocationResultType(
            ssin=beneficiary.ssin,
            category=beneficiary.category,
            allocation_amount=rate * accepted,
            accepted_quantity=accepted,
            allowance_per_unit=rate,
        )
    )


@handler("HeatingAllocation", "compute")
def compute(ctx: SimContext, request: SimRequest) -> SsdnAnswer:
    model: Any = request.model
    return SsdnAnswer(build_allocation_reply(ctx, model, organization=request.organization))
