"""Organization and SsdnUser: who is calling."""

from __future__ import annotations

import pytest

from cbss_sdk import ConfigurationError, Organization, SsdnUser


def test_cbe_is_normalised() -> None:
    org = Organization(cbe_number="0212.344.876")
    assert org.cbe_number == "0212344876"
    assert org.label == "cbe:0212344876"
    assert (org.matrix_id, org.matrix_sub_id) == (17, 1)


def test_sector_and_institution() -> None:
    org = Organization(sector=17, institution=1)
    assert org.label == "sector:17/institution:1"


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"sector": 17}, {"cbe_number": "0212344877"}, {"sector": 1000, "institution": 1}],
)
def test_invalid_organizations(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        Organization(**kwargs)  # type: ignore[arg-type]


def test_ssdn_user_pads_and_checks() -> None:
    user = SsdnUser(user_id="901234567", email="it@cpas.example")
    assert user.user_id == "00901234567"
    with pytest.raises(ConfigurationError):
        SsdnUser(user_id="abc", email="it@cpas.example")
    with pytest.raises(ConfigurationError):
        SsdnUser(user_id="00901234567", email="nobody")
