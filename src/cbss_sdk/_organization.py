"""Who is calling: the CBSS customer identification of the organisation.

CBSS identifies the caller of a new-generation (SOA) service by a CBE number
*or* by a sector + institution pair (CommonV3 ``customerIdentification`` is a
choice), and the caller of a legacy SSDN service by the ``AuthorizedUser``
block (user id, e-mail, organisational unit, matrix id and sub-id).  CPAS are
sector 17, institution 1.
"""

from __future__ import annotations

import attrs

from .errors import ConfigurationError, InvalidIdentifier
from .ids import normalize_cbe

__all__ = ["CPAS_INSTITUTION", "CPAS_SECTOR", "Organization", "SsdnUser"]

CPAS_SECTOR = 17
CPAS_INSTITUTION = 1


def _check_code(name: str, value: int | None) -> None:
    if value is not None and not (0 <= value <= 999):
        raise ConfigurationError(f"{name} must be between 0 and 999")


@attrs.frozen
class Organization:
    """The calling organisation.

    ``cbe_number`` (10 digits, the CPAS's enterprise number) identifies it for
    SOA services.  ``sector``/``institution`` are used instead when no CBE
    number is given, and always for the SSDN ``MatrixID``/``MatrixSubID``
    (defaults: 17 / 1, the CPAS sector).
    """

    cbe_number: str | None = None
    sector: int | None = None
    institution: int | None = None
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.cbe_number is not None:
            try:
                object.__setattr__(self, "cbe_number", normalize_cbe(self.cbe_number))
            except InvalidIdentifier as exc:
                raise ConfigurationError(f"Organization.cbe_number: {exc.message}") from None
        _check_code("sector", self.sector)
        _check_code("institution", self.institution)
        if self.cbe_number is None and (self.sector is None or self.institution is None):
            raise ConfigurationError(
                "Organization needs a cbe_number, or both sector and institution"
            )

    @property
    def matrix_id(self) -> int:
        """SSDN MatrixID: the sector (17 for CPAS when not given)."""
        return self.sector if self.sector is not None else CPAS_SECTOR

    @property
    def matrix_sub_id(self) -> int:
        """SSDN MatrixSubID: the institution (1 for CPAS when not given)."""
        return self.institution if self.institution is not None else CPAS_INSTITUTION

    @property
    def label(self) -> str:
        """A short, non-personal label for logs and the audit journal."""
        if self.cbe_number is not None:
            return f"cbe:{self.cbe_number}"
        return f"sector:{self.sector}/institution:{self.institution}"


@attrs.frozen
class SsdnUser:
    """The ``AuthorizedUser`` of legacy SSDN requests.

    ``user_id`` is the 11-digit SSDN user id CBSS assigned (``UserID``);
    ``email`` the contact address (``Email``); ``org_unit`` defaults to the
    organisation's CBE number.  ``user_id`` is treated as personal data: it is
    never logged.
    """

    user_id: str
    email: str
    org_unit: str | None = None

    def __attrs_post_init__(self) -> None:
        digits = self.user_id.strip()
        if not (digits.isdigit() and len(digits) <= 11):
            raise ConfigurationError("SsdnUser.user_id must be at most 11 digits")
        object.__setattr__(self, "user_id", digits.rjust(11, "0"))
        if "@" not in self.email or len(self.email) > 100:
            raise ConfigurationError(
                "SsdnUser.email must be an e-mail address of at most 100 characters"
            )
