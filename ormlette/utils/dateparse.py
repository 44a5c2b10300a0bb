"""Parse date, time, datetime and duration strings."""
import datetime
import re

from ormlette.utils.timezone import get_fixed_timezone

# Fractional seconds: up to 6 digits kept, up to 6 more accepted and ignored.
_FRACTION = r"(?:[.,](?P<microsecond>\d{1,6})\d{0,6})?"
_DATE = r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})" + _FRACTION + ")?"

date_re = re.compile(_DATE + "$")
time_re = re.compile(_TIME + "$")
datetime_re = re.compile(
    _DATE + "[T ]" + _TIME + r"\s*(?P<tzinfo>Z|[+-]\d{2}(?::?\d{2})?)?$"
)

# Django's own format, '[DD [day[s], ]][[HH:]MM:]SS[.uuuuuu]'.
standard_duration_re = re.compile(
    r"^(?:(?P<days>-?\d+) (days?, )?)?"
    r"(?P<sign>-?)"
    r"((?:(?P<hours>\d+):)(?=\d+:\d+))?"
    r"(?:(?P<minutes>\d+):)?"
    r"(?P<seconds>\d+)"
    r"(?:[.,](?P<microseconds>\d{1,6})\d{0,6})?$"
)

# The part of ISO 8601 durations that maps onto a timedelta (no years or months).
_ISO_NUMBER = r"\d+([.,]\d+)?"
iso8601_duration_re = re.compile(
    r"^(?P<sign>[-+]?)P"
    r"(?:(?P<days>" + _ISO_NUMBER + ")D)?"
    r"(?:T"
    r"(?:(?P<hours>" + _ISO_NUMBER + ")H)?"
    r"(?:(?P<minutes>" + _ISO_NUMBER + ")M)?"
    r"(?:(?P<seconds>" + _ISO_NUMBER + ")S)?"
    r")?$"
)

# PostgreSQL's day-time interval output, e.g. "3 days 04:05:06".
postgres_interval_re = re.compile(
    r"^(?:(?P<days>-?\d+) (days? ?))?"
    r"(?:(?P<sign>[-+])?(?P<hours>\d+):(?P<minutes>\d\d):(?P<seconds>\d\d)"
    r"(?:\.(?P<microseconds>\d{1,6}))?)?$"
)


def _int_fields(groups):
    """The matched groups as ints, microseconds right-padded to six digits."""
    if groups.get("microsecond"):
        groups["microsecond"] = groups["microsecond"].ljust(6, "0")
    return {key: int(text) for key, text in groups.items() if text is not None}


def parse_date(value):
    """Return the date in value, None if malformed (ValueError if impossible)."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        match = date_re.match(value)
        if match:
            return datetime.date(**_int_fields(match.groupdict()))
    return None


def parse_time(value):
    """Return the (naive) time in value, None if it is not formatted as one."""
    try:
        # Aware times are meaningless here, so any offset is dropped.
        return datetime.time.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        match = time_re.match(value)
        if match:
            return datetime.time(**_int_fields(match.groupdict()))
    return None


def _parse_offset(text):
    """The tzinfo for a 'Z', '+HH', '+HHMM' or '+HH:MM' suffix (None if absent)."""
    if text is None:
        return None
    if text == "Z":
        return datetime.timezone.utc
    minutes = 60 * int(text[1:3]) + (int(text[-2:]) if len(text) > 3 else 0)
    return get_fixed_timezone(-minutes if text[0] == "-" else minutes)


def parse_datetime(value):
    """Return the datetime in value (aware if it has an offset), None if malformed."""
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        match = datetime_re.match(value)
        if match:
            groups = match.groupdict()
            tzinfo = _parse_offset(groups.pop("tzinfo"))
            return datetime.datetime(**_int_fields(groups), tzinfo=tzinfo)
    return None


def parse_duration(value):
    """Return the timedelta in value: Django's format, ISO 8601 or PostgreSQL's."""
    for pattern in (standard_duration_re, iso8601_duration_re, postgres_interval_re):
        match = pattern.match(value)
        if match:
            return _duration_from_match(match)
    return None


def _duration_from_match(match):
    """Build the timedelta from a duration regex match."""
    groups = match.groupdict()
    sign = -1 if groups.pop("sign") == "-" else 1
    if groups.get("microseconds"):
        groups["microseconds"] = groups["microseconds"].ljust(6, "0")
    parts = {k: float(v.replace(",", ".")) for k, v in groups.items() if v is not None}
    days = datetime.timedelta(parts.pop("days", 0.0))
    # Only in ISO 8601 does the leading sign cover the days too.
    if match.re is iso8601_duration_re:
        days *= sign
    return days + sign * datetime.timedelta(**parts)
