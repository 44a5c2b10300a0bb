"""Time zone helpers: the default and current zones, aware/naive conversions."""
import zoneinfo
from contextlib import ContextDecorator
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone, tzinfo

__all__ = [
    "get_fixed_timezone",
    "get_default_timezone",
    "get_default_timezone_name",
    "get_current_timezone",
    "get_current_timezone_name",
    "activate",
    "deactivate",
    "override",
    "localtime",
    "localdate",
    "now",
    "is_aware",
    "is_naive",
    "make_aware",
    "make_naive",
]

# None means "no zone activated": the default zone from settings applies.
_active = ContextVar("ormlette_active_timezone", default=None)


def _settings():
    # Imported late: settings must not be read (or even imported) at import time.
    from ormlette.conf import settings

    return settings


def get_fixed_timezone(offset):
    """Return a tzinfo with a fixed offset from UTC (minutes or a timedelta)."""
    if isinstance(offset, timedelta):
        offset = offset.total_seconds() // 60
    sign = "-" if offset < 0 else "+"
    name = sign + "%02d%02d" % divmod(abs(offset), 60)
    return timezone(timedelta(minutes=offset), name)


def get_default_timezone():
    """Return the zone named by settings.TIME_ZONE."""
    # ZoneInfo caches instances per key, so this stays cheap and follows setting changes.
    return zoneinfo.ZoneInfo(_settings().TIME_ZONE)


def _timezone_name(zone):
    """The zone's name, or its offset name for fixed-offset zones."""
    return zone.tzname(None) or str(zone)


def get_default_timezone_name():
    """Return the name of the default time zone."""
    return _timezone_name(get_default_timezone())


def get_current_timezone():
    """Return the active time zone, else the default one."""
    zone = _active.get()
    return get_default_timezone() if zone is None else zone


def get_current_timezone_name():
    """Return the name of the active time zone."""
    return _timezone_name(get_current_timezone())


def activate(timezone):
    """Make timezone (a tzinfo or a zone name) current in this context."""
    if isinstance(timezone, tzinfo):
        _active.set(timezone)
    elif isinstance(timezone, str):
        _active.set(zoneinfo.ZoneInfo(timezone))
    else:
        raise ValueError("Invalid timezone: %r" % timezone)


def deactivate():
    """Drop the current zone so the default time zone applies again."""
    _active.set(None)


class override(ContextDecorator):
    """Temporarily activate timezone (None: the default zone); also a decorator."""

    def __init__(self, timezone):
        self.timezone = timezone

    def __enter__(self):
        self.old_timezone = _active.get()
        if self.timezone is None:
            deactivate()
        else:
            activate(self.timezone)

    def __exit__(self, exc_type, exc_value, traceback):
        _active.set(self.old_timezone)


def localtime(value=None, timezone=None):
    """Convert an aware datetime (default: now) to timezone (default: current)."""
    if value is None:
        value = now()
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("localtime() cannot be applied to a naive datetime")
    return value.astimezone(timezone)


def localdate(value=None, timezone=None):
    """The date of localtime(value, timezone)."""
    return localtime(value, timezone).date()


def now():
    """Current time: aware in UTC when settings.USE_TZ, else naive local time."""
    return datetime.now(tz=timezone.utc if _settings().USE_TZ else None)


def is_aware(value):
    """Whether the datetime or time has a UTC offset."""
    return value.utcoffset() is not None


def is_naive(value):
    """Whether the datetime or time has no UTC offset."""
    return value.utcoffset() is None


def make_aware(value, timezone=None):
    """Attach timezone (default: current) to a naive datetime."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_aware(value):
        raise ValueError("make_aware expects a naive datetime, got %s" % value)
    # Wall-clock times are taken as given, even around DST changes.
    return value.replace(tzinfo=timezone)


def make_naive(value, timezone=None):
    """Convert an aware datetime to timezone (default: current) and drop the zone."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("make_naive() cannot be applied to a naive datetime")
    return value.astimezone(timezone).replace(tzinfo=None)


def _datetime_ambiguous_or_imaginary(dt, tz):
    """Whether dt falls in a DST fold or gap of tz."""
    return tz.utcoffset(dt.replace(fold=not dt.fold)) != tz.utcoffset(dt)
