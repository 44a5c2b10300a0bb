"""Python functions registered on every SQLite connection (date parts, truncation, regex)."""
import datetime
import functools
import math
import random
import re
import statistics
import zoneinfo
import hashlib

from ormlette.utils.dateparse import parse_date, parse_datetime, parse_time


def _to_datetime(value, tzname, conn_tzname=None):
    if value is None:
        return None
    try:
        dt = parse_datetime(value) if isinstance(value, str) else value
    except ValueError:
        return None
    if dt is None:
        date = parse_date(value) if isinstance(value, str) else None
        if date is None:
            return None
        dt = datetime.datetime(date.year, date.month, date.day)
    if tzname is not None:
        dt = dt.replace(tzinfo=datetime.timezone.utc).astimezone(zoneinfo.ZoneInfo(tzname))
    return dt


def _quarter(dt):
    return (dt.month - 1) // 3 + 1


def extract_part(kind, dt):
    """The value of one date part of a datetime/date."""
    if kind == "week_day":
        return (dt.isoweekday() % 7) + 1
    if kind == "iso_week_day":
        return dt.isoweekday()
    if kind == "week":
        return dt.isocalendar()[1]
    if kind == "iso_year":
        return dt.isocalendar()[0]
    if kind == "quarter":
        return _quarter(dt)
    return getattr(dt, kind)


def date_extract(kind, value):
    """Extract a part of a date or datetime stored as text."""
    dt = _to_datetime(value, None)
    return None if dt is None else extract_part(kind, dt)


def datetime_extract(kind, value, tzname):
    """Extract a part of a UTC datetime seen in ``tzname``."""
    dt = _to_datetime(value, tzname)
    return None if dt is None else extract_part(kind, dt)


def datetime_cast_date(value, tzname):
    """The date of a UTC datetime in ``tzname``."""
    dt = _to_datetime(value, tzname)
    return None if dt is None else dt.date().isoformat()


def datetime_cast_time(value, tzname):
    """The time of a UTC datetime in ``tzname``."""
    dt = _to_datetime(value, tzname)
    return None if dt is None else dt.time().isoformat()


def _trunc(kind, dt):
    if kind == "year":
        return dt.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if kind == "quarter":
        return dt.replace(month=(_quarter(dt) - 1) * 3 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if kind == "month":
        return dt.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if kind == "week":
        start = dt - datetime.timedelta(days=dt.weekday())
        return start.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "day":
        return dt.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "hour":
        return dt.replace(minute=0, second=0, microsecond=0)
    if kind == "minute":
        return dt.replace(second=0, microsecond=0)
    if kind == "second":
        return dt.replace(microsecond=0)
    raise ValueError("Unsupported truncation kind %r" % kind)


def date_trunc(kind, value):
    """Truncate a date stored as text; returns an ISO date."""
    dt = _to_datetime(value, None)
    return None if dt is None else _trunc(kind, dt).date().isoformat()


def datetime_trunc(kind, value, tzname):
    """Truncate a UTC datetime in ``tzname``; returns naive local text (converted back by the field)."""
    dt = _to_datetime(value, tzname)
    if dt is None:
        return None
    truncated = _trunc(kind, dt.replace(tzinfo=None))
    return truncated.isoformat(" ")


def time_trunc(kind, value):
    """Truncate a time stored as text."""
    if value is None:
        return None
    t = parse_time(value) if isinstance(value, str) else value
    if t is None:
        return None
    dt = _trunc(kind, datetime.datetime.combine(datetime.date(2000, 1, 1), t))
    return dt.time().isoformat()


def time_extract(kind, value):
    """Hour/minute/second of a time (or datetime) stored as text."""
    if value is None:
        return None
    t = parse_time(value) if isinstance(value, str) else value
    if t is None:
        dt = _to_datetime(value, None)
        return None if dt is None else getattr(dt, kind)
    return getattr(t, kind)


@functools.lru_cache(maxsize=256)
def _compile(pattern):
    return re.compile(pattern)


def regexp(pattern, value):
    """SQL ``value REGEXP pattern`` (Python ``re.search``)."""
    if pattern is None or value is None:
        return None
    return bool(_compile(pattern).search(str(value)))


def _rounded(func, value):
    """ceil/floor keeping SQLite's types: integers stay, reals come back as reals; NaN/inf unchanged."""
    if isinstance(value, int):
        return value
    try:
        return float(func(float(value)))
    except (ValueError, OverflowError):
        return value


def _null_safe(func):
    @functools.wraps(func)
    def wrapper(*args):
        if any(a is None for a in args):
            return None
        return func(*args)

    return wrapper


def _hasher(name):
    return _null_safe(lambda text: hashlib.new(name, str(text).encode()).hexdigest())


class _StdDev:
    def __init__(self, sample):
        self.values = []
        self.sample = sample

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        if len(self.values) < (2 if self.sample else 1):
            return None
        return (statistics.stdev if self.sample else statistics.pstdev)(self.values)


class _Variance(_StdDev):
    def finalize(self):
        if len(self.values) < (2 if self.sample else 1):
            return None
        return (statistics.variance if self.sample else statistics.pvariance)(self.values)


def _aggregate(cls, sample):
    return type(cls.__name__ + ("Samp" if sample else "Pop"), (cls,), {"__init__": lambda self: cls.__init__(self, sample)})


def _temporal(value):
    if isinstance(value, int):
        return datetime.timedelta(microseconds=value)
    dt = parse_datetime(value)
    if dt is None:
        date = parse_date(value)
        if date is not None:
            return datetime.datetime(date.year, date.month, date.day)
        time = parse_time(value)
        return None if time is None else datetime.datetime.combine(datetime.date(1900, 1, 1), time)
    return dt


def format_dtdelta(connector, lhs, rhs):
    """``lhs connector rhs`` where one side is a duration in microseconds; text or microseconds."""
    if connector is None or lhs is None or rhs is None:
        return None
    if connector in ("*", "/"):
        return lhs * rhs if connector == "*" else lhs / rhs
    try:
        left, right = _temporal(lhs), _temporal(rhs)
        result = left + right if connector == "+" else left - right
    except (TypeError, ValueError):
        return None
    if isinstance(result, datetime.timedelta):
        return result // datetime.timedelta(microseconds=1)
    return str(result)


def timestamp_diff(lhs, rhs):
    """Microseconds from ``rhs`` to ``lhs`` (dates, datetimes or times as text)."""
    left, right = _temporal(lhs) if lhs is not None else None, _temporal(rhs) if rhs is not None else None
    if left is None or right is None:
        return None
    return (left.replace(tzinfo=None) - right.replace(tzinfo=None)) // datetime.timedelta(microseconds=1)


SCALARS = {
    "ormlette_format_dtdelta": (3, format_dtdelta),
    "ormlette_timestamp_diff": (2, timestamp_diff),
    "BITXOR": (2, _null_safe(lambda a, b: a ^ b)),
    "RAND": (0, random.random),
    "ormlette_date_extract": (2, date_extract),
    "ormlette_datetime_extract": (3, datetime_extract),
    "ormlette_datetime_cast_date": (2, datetime_cast_date),
    "ormlette_datetime_cast_time": (2, datetime_cast_time),
    "ormlette_date_trunc": (2, date_trunc),
    "ormlette_datetime_trunc": (3, datetime_trunc),
    "ormlette_time_trunc": (2, time_trunc),
    "ormlette_time_extract": (2, time_extract),
    "regexp": (2, regexp),
    "ACOS": (1, _null_safe(math.acos)), "ASIN": (1, _null_safe(math.asin)),
    "ATAN": (1, _null_safe(math.atan)), "ATAN2": (2, _null_safe(math.atan2)),
    "COS": (1, _null_safe(math.cos)), "COT": (1, _null_safe(lambda x: 1 / math.tan(x))),
    "DEGREES": (1, _null_safe(math.degrees)), "EXP": (1, _null_safe(math.exp)),
    "LN": (1, _null_safe(math.log)), "LOG": (2, _null_safe(lambda b, x: math.log(x, b))),
    "MOD": (2, _null_safe(math.fmod)), "PI": (0, lambda: math.pi),
    "POWER": (2, _null_safe(lambda x, y: x ** y)), "RADIANS": (1, _null_safe(math.radians)),
    "SIN": (1, _null_safe(math.sin)), "SQRT": (1, _null_safe(math.sqrt)), "TAN": (1, _null_safe(math.tan)),
    "SIGN": (1, _null_safe(lambda x: (x > 0) - (x < 0))),
    "CEILING": (1, _null_safe(lambda x: _rounded(math.ceil, x))),
    "FLOOR": (1, _null_safe(lambda x: _rounded(math.floor, x))),
    "MD5": (1, _hasher("md5")), "SHA1": (1, _hasher("sha1")), "SHA224": (1, _hasher("sha224")),
    "SHA256": (1, _hasher("sha256")), "SHA384": (1, _hasher("sha384")), "SHA512": (1, _hasher("sha512")),
    "REPEAT": (2, _null_safe(lambda s, n: s * int(n))),
    "REVERSE": (1, _null_safe(lambda s: s[::-1])),
    "LPAD": (3, _null_safe(lambda s, n, f: (f * n + s)[-n:] if len(s) < n else s[:n])),
    "RPAD": (3, _null_safe(lambda s, n, f: (s + f * n)[:n])),
}

AGGREGATES = {
    "STDDEV_POP": _aggregate(_StdDev, False), "STDDEV_SAMP": _aggregate(_StdDev, True),
    "VAR_POP": _aggregate(_Variance, False), "VAR_SAMP": _aggregate(_Variance, True),
}


def register(connection):
    """Install every function on a new sqlite3 connection."""
    for name, (nargs, func) in SCALARS.items():
        connection.create_function(name, nargs, func, deterministic=name not in ("PI", "RAND"))
    for name, cls in AGGREGATES.items():
        connection.create_aggregate(name, 1, cls)
