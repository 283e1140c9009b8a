"""The request side's shortcuts give what the general code gives.

Building a SOA request takes a few shortcuts for speed (issue 5): the
customer ticket formatted from random bytes, the CommonV3 timestamp built
without ``XmlDateTime.from_datetime``, the fast serializer's encoding of
booleans and ``xs:dateTime`` values without xsdata's converter dispatch, the
service error table kept per service.  Each is compared here with the code
it stands for.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from xsdata.formats.converter import Converter, converter
from xsdata.formats.dataclass.context import XmlContext
from xsdata.models.datatype import XmlDate, XmlDateTime, XmlDuration, XmlPeriod, XmlTime

from cbss_sdk import catalog
from cbss_sdk._fastbind import Unsupported
from cbss_sdk._fastwrite import _datetime_text, _encode
from cbss_sdk._organization import Organization
from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.kszbcss.intf.retrieve_tigroups_service.v2 import (
    RetrieveTIGroupsRequest,
)
from cbss_sdk.soa._header import common_header_fields, new_ticket
from cbss_sdk.soa._protocol import _error_table

# -- the customer ticket --------------------------------------------------------------------


def test_tickets_are_random_version_4_uuids_in_canonical_form() -> None:
    tickets = [new_ticket() for _ in range(2000)]
    assert len(set(tickets)) == len(tickets)
    for ticket in tickets:
        parsed = uuid.UUID(ticket)
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == ticket


def test_ticket_bits_other_than_version_and_variant_vary() -> None:
    """122 random bits: every one of them is seen both set and clear."""
    values = [uuid.UUID(new_ticket()).int for _ in range(400)]
    fixed = {127 - 48 - i for i in range(4)} | {127 - 64, 127 - 65}  # version, variant bits
    for bit in set(range(128)) - fixed:
        seen = {(value >> bit) & 1 for value in values}
        assert seen == {0, 1}, bit


# -- the CommonV3 timestamp -----------------------------------------------------------------


@given(
    st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(9998, 12, 31),
        timezones=st.sampled_from(
            [
                timezone.utc,
                timezone(timedelta(hours=2)),
                timezone(timedelta(hours=-9, minutes=-30)),
                ZoneInfo("Europe/Brussels"),
            ]
        ),
    )
)
def test_timestamp_sent_is_xsdata_from_datetime_in_utc(sent: datetime) -> None:
    fields = common_header_fields(
        RetrieveTIGroupsRequest,
        organization=Organization(cbe_number="0212344876"),
        ticket="t",
        sent=sent,
        legal_context=None,
    )
    timestamp = fields["information_customer"].timestamp_sent
    assert type(timestamp) is XmlDateTime
    assert timestamp == XmlDateTime.from_datetime(sent.astimezone(timezone.utc))
    assert str(timestamp).endswith("Z")


# -- the fast serializer's value encoding ---------------------------------------------------

# a field of a generated class, as the serializer hands it to _encode (no format)
VAR = next(
    var
    for var in XmlContext().build(RetrieveTIGroupsRequest).get_element_vars()
    if var.name == "legal_context"
)
assert VAR.format is None


xml_datetimes = st.builds(
    XmlDateTime,
    st.integers(-20_000, 20_000),
    st.integers(1, 12),
    st.integers(1, 31),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.one_of(
        st.just(0),
        st.integers(0, 999_999_999),
        st.integers(0, 999_999).map(lambda micro: micro * 1000),
        st.integers(0, 999).map(lambda milli: milli * 1_000_000),
    ),
    st.one_of(st.none(), st.just(0), st.integers(-14 * 60, 14 * 60)),
)


@given(xml_datetimes)
def test_datetime_text_is_xsdata_text(value: XmlDateTime) -> None:
    assert _datetime_text(value) == str(value)
    assert _encode(value, VAR) == converter.serialize(value)


class Colour(Enum):
    RED = "red"


class Level(Enum):
    HIGH = 3


@pytest.mark.parametrize(
    "value",
    [
        True,
        False,
        XmlDate(2024, 2, 29),
        XmlDate(-44, 3, 15, 60),
        XmlTime(23, 59, 59, 5_000_000, 0),
        XmlDuration("P1Y2M3DT4H5M6.7S"),
        XmlPeriod("--05-01"),
        XmlDateTime(2026, 11, 26, 19, 42, 12, 777_004_000, 0),
        Colour.RED,
        Level.HIGH,
        12,
        "text",
    ],
    ids=repr,
)
def test_encode_is_the_converter(value: Any) -> None:
    assert _encode(value, VAR) == converter.serialize(value)


@pytest.mark.parametrize("value", [None, ["a"], ("a", "b")])
def test_encode_gives_up_on_what_it_does_not_handle(value: Any) -> None:
    with pytest.raises(Unsupported):
        _encode(value, VAR)


class _Shouting(Converter):
    def deserialize(self, value: Any, **kwargs: Any) -> Any:  # pragma: no cover - unused
        return value

    def serialize(self, value: Any, **kwargs: Any) -> str:
        return "YES" if value else "NO"


def test_a_converter_registered_by_the_user_still_decides() -> None:
    original = converter.registry[bool]
    converter.register_converter(bool, _Shouting())
    try:
        assert _encode(True, VAR) == "YES"
    finally:
        converter.register_converter(bool, original)
    assert _encode(True, VAR) == "true"


# -- the service error table ----------------------------------------------------------------


def test_error_table_is_the_catalog_table_kept_read_only() -> None:
    service = catalog.service("RetrieveTIGroups")
    table = _error_table(service)
    assert dict(table) == service.error_table()
    assert _error_table(service) is table
    with pytest.raises(TypeError):
        table["X"] = Exception  # type: ignore[index]


def test_error_table_follows_a_new_catalog_entry_with_the_same_key() -> None:
    service = catalog.service("RetrieveTIGroups")
    _error_table(service)
    stripped = attrs.evolve(service, codes=())
    assert dict(_error_table(stripped)) == {}
    assert dict(_error_table(service)) == service.error_table()
