"""Format timedeltas as strings and microsecond counts."""
import datetime


def _components(duration):
    """(days, hours, minutes, seconds, microseconds) of a timedelta."""
    minutes, seconds = divmod(duration.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return duration.days, hours, minutes, seconds, duration.microseconds


def duration_string(duration):
    """Format as '[D ]HH:MM:SS[.ffffff]' (str(timedelta) without English words)."""
    days, hours, minutes, seconds, microseconds = _components(duration)
    text = "%02d:%02d:%02d" % (hours, minutes, seconds)
    if days:
        text = "%d %s" % (days, text)
    if microseconds:
        text += ".%06d" % microseconds
    return text


def duration_iso_string(duration):
    """Format as an ISO 8601 duration, e.g. '-P1DT02H03M04.000005S'."""
    sign = ""
    if duration < datetime.timedelta(0):
        sign, duration = "-", -duration
    days, hours, minutes, seconds, microseconds = _components(duration)
    fraction = ".%06d" % microseconds if microseconds else ""
    return "%sP%dDT%02dH%02dM%02d%sS" % (sign, days, hours, minutes, seconds, fraction)


def duration_microseconds(delta):
    """The whole timedelta as an integer number of microseconds."""
    return (24 * 60 * 60 * delta.days + delta.seconds) * 1_000_000 + delta.microseconds
