"""Clock handling for WS-Security timestamps: aware UTC only, millisecond text.

A ``wsu:Timestamp`` is compared across machines, so every instant here is an
aware UTC :class:`~datetime.datetime`; a naive value is refused instead of
being guessed.  Written timestamps carry milliseconds and a ``Z``
(``2024-05-01T09:30:00.123Z``), the form every WS-Security stack parses.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

from ..errors import ConfigurationError

_XS_DATETIME = re.compile(
    r"^\s*(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}:\d{2})(?:\.(?P<frac>\d+))?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})\s*$"
)


def resolve_now(now: datetime | None, *, name: str = "now") -> datetime:
    """Return *now* converted to UTC, or the current UTC time when it is ``None``.

    Raises :class:`~cbss_sdk.errors.ConfigurationError` for a naive datetime.
    """
    if now is None:
        return datetime.now(timezone.utc)
    if now.tzinfo is None or now.tzinfo.utcoffset(now) is None:
        raise ConfigurationError(
            f"{name} must be a timezone-aware datetime (e.g. datetime.now(timezone.utc)), "
            "not a naive one"
        )
    return now.astimezone(timezone.utc)


def format_timestamp(instant: datetime) -> str:
    """``2024-05-01T09:30:00.123Z`` for an aware UTC instant (milliseconds, truncated)."""
    i = instant
    return (
        f"{i.year:04d}-{i.month:02d}-{i.day:02d}T{i.hour:02d}:{i.minute:02d}:{i.second:02d}"
        f".{i.microsecond // 1000:03d}Z"
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ONE_MICROSECOND = timedelta(microseconds=1)


def epoch_micros(now: datetime | None, *, name: str = "now") -> int:
    """Microseconds since 1970-01-01 UTC of *now* (the current time when ``None``).

    Raises :class:`~cbss_sdk.errors.ConfigurationError` for a naive datetime,
    like :func:`resolve_now`.
    """
    if now is None:
        return time.time_ns() // 1000
    return (resolve_now(now, name=name) - _EPOCH) // _ONE_MICROSECOND


def format_epoch_micros(micros: int) -> str:
    """:func:`format_timestamp` of the instant *micros* microseconds after the epoch."""
    return format_timestamp(_EPOCH + timedelta(microseconds=micros))


def parse_timestamp(text: str | None) -> datetime | None:
    """Parse an ``xs:dateTime`` that carries a time zone; ``None`` when unparseable.

    Fractions beyond microseconds are truncated; a missing zone is refused
    (a WS-Security timestamp without zone cannot be compared safely).
    """
    if text is None:
        return None
    match = _XS_DATETIME.match(text)
    if match is None:
        return None
    frac = (match["frac"] or "")[:6].ljust(6, "0")
    tz = match["tz"]
    try:
        base = datetime.strptime(f"{match['date']}T{match['time']}", "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    if tz == "Z":
        offset = timezone.utc
    else:
        sign = 1 if tz[0] == "+" else -1
        hours, minutes = int(tz[1:3]), int(tz[4:6])
        if hours > 14 or minutes > 59:
            return None
        offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return base.replace(microsecond=int(frac), tzinfo=offset).astimezone(timezone.utc)
