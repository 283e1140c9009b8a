"""Reading ``xsd:dateTime`` values CBSS sends (tickets' timestamps, fault details).

One parser for every place that reads CBSS times, so that a value without a
zone means the same thing everywhere: Belgian local time, CBSS's own clock.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta, timezone, tzinfo

__all__ = ["parse_xml_datetime"]


_DATETIME = re.compile(
    r"(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?\Z",
    re.ASCII,
)


@functools.cache
def _belgian_zone() -> tzinfo:
    """Europe/Brussels when the time zone database is present, else UTC."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Brussels")
    except Exception:  # no tz database on this machine
        return timezone.utc


def parse_xml_datetime(text: str | None) -> datetime | None:
    """An ``xsd:dateTime`` as an aware datetime; ``None`` when it is not one.

    A value without a zone is read as Belgian local time (CBSS's own clock).
    """
    if not text:
        return None
    found = _DATETIME.match(text.strip())
    if found is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    try:
        micros = int((fraction or "0")[:6].ljust(6, "0"))
        extra = timedelta()
        if hour == "24" and minute == "00" and second == "00" and not int(fraction or "0"):
            hour, extra = "00", timedelta(days=1)
        if zone is None:
            tz: tzinfo = _belgian_zone()
        elif zone == "Z":
            tz = timezone.utc
        else:
            sign = -1 if zone[0] == "-" else 1
            offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
            tz = timezone(sign * offset)
        value = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micros, tz
        )
        return value + extra
    except (ValueError, OverflowError):
        return None
