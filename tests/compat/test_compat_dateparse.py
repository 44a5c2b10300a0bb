"""Differential tests: ormlette.utils.dateparse/duration against Django's."""
import datetime
import random

import pytest

from tests.compat.django_reference import configure_django

configure_django()

import django.utils.dateparse as dj  # noqa: E402
import django.utils.duration as dj_duration  # noqa: E402

import ormlette.utils.dateparse as orm  # noqa: E402
import ormlette.utils.duration as orm_duration  # noqa: E402


def normalise(result):
    """A comparable form that also distinguishes time zone offsets and names."""
    if isinstance(result, (datetime.datetime, datetime.time)):
        return (type(result).__name__, result.isoformat(), result.tzname(), repr(result.tzinfo))
    return (type(result).__name__, result)


def outcome(func, value):
    """The result of func(value), or the kind of exception it raised."""
    try:
        return ("ok", normalise(func(value)))
    except Exception as exc:  # noqa: BLE001 - both libraries' errors are compared
        return ("raised", type(exc).__name__)


def assert_same(name, values):
    """ormlette's and Django's `name` agree on every value."""
    ours, theirs = getattr(orm, name), getattr(dj, name)
    for value in values:
        assert outcome(ours, value) == outcome(theirs, value), (name, value)


DATES = ["2012-04-23", "2012-4-9", "2012-02-30", "20120423", "2012-W17-1", "2012-001",
         "2012-04-23T10:00", "12-04-23", "2012/04/23", "", "2012-04-23\n", "٢٠١٢-٠٤-٢٣",
         "0000-01-01", "9999-12-31", "2012-4-09 ", "2012-13-01", None, 20120423]
TIMES = ["09:15:00", "10:10", "10:20:30.400", "10:20:30,400", "4:8:16", "00:05:23+04:00",
         "10:20:30.1234567", "10:20:30.123456789012", "10:20:30.1234567890123", "25:00",
         "10:61", "T10:20", "102030", "10:20:30Z", "", "10:20:30.", "1:2:3.4", "10:20\n",
         "10:20:30.400+01", None, "24:00"]
DATETIMES = [
    "2012-04-23T09:15:00", "2012-4-9 4:8:16", "2012-04-23T09:15:00Z", "2012-4-9 4:8:16-0320",
    "2012-04-23T10:20:30.400+02:30", "2012-04-23T10:20:30.400+02", "2012-04-23T10:20:30.400-02",
    "2012-04-23T10:20:30,400-02", "2012-04-23T10:20:30.400 +0230", "2012-04-23T10:20:30.400 +02:30",
    "2012-04-23T10:20:30.400 +02", "2012-04-23T10:20:30.400 -02", "2012-04-23T10:20:30.400 -0230",
    "2012-04-23T10:20:30.400 +23:59", "2012-04-56T09:15:90", "2012-04-23T09:15:00+24:00",
    "2012-04-23", "2012-04-23 09:15", "2012-04-23 9:15", "2012-04-23T09:15:00.123456789+01",
    "2012-04-23 09:15:00\n", "20120423T091500", "2012-04-23T09:15:00 Z", "", None,
    "2012-04-23T09:15:00+0", "2012-04-23X09:15:00",
]
DURATIONS = [
    "30", "15:30", "10:15:30", "4 15:30", "4 10:15:30", "1 day 0:00:01", "4 days 0:15:30.1",
    "4 days 0:15:30.0001", "-4 days -15:00:30", "-172800", "-15:30", "-1:15:30", "-30.1",
    "-1 day", "1 day, 0:00:00", "2 days, 1:02:03", "10:15:30.5", "15:30.1", "15:30.01",
    "15:30.0001", "30.1", "30.01", "15:30,1", "1 15:30.1234567", "4 days", "1 day 00:00:00",
    "3 days 04:05:06", "-3 days -04:05:06", "3 days -04:05:06", "3 days +04:05:06",
    "-3 days", "1 days 00:00:01.123456", "00:00:00.5", "P4Y", "P4M", "P4W", "P4D", "P0.5D",
    "P0,5D", "PT5H", "PT5M", "PT5S", "PT0.000005S", "PT0,000005S", "-P4D", "-P-4D", "+P4D",
    "P4DT5H6M7S", "-PT1H", "PT", "P", "", "abc", "1 2 3", "12:34:56:78", "-", "1:2",
    "1 day 1:2:3", "4 15:30 ", "1\n", "٣٠", None,
]


def test_parse_date():
    assert_same("parse_date", DATES)


def test_parse_time():
    assert_same("parse_time", TIMES)


def test_parse_datetime():
    assert_same("parse_datetime", DATETIMES)


def test_parse_duration():
    assert_same("parse_duration", DURATIONS)


def random_strings(alphabet, count, seed):
    """Random short strings over alphabet, for fuzzing the regular expressions."""
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 28))) for _ in range(count)]


@pytest.mark.parametrize("name", ["parse_date", "parse_time", "parse_datetime", "parse_duration"])
def test_fuzz(name):
    values = random_strings("0123456789:-+., TZPDHMSdays", 4000, seed=name)
    # Structured fuzz: plausible shapes with random digits hit the success paths too.
    rng = random.Random(1)
    templates = ["%d-%d-%d", "%d:%d", "%d:%d:%d.%d", "%d-%02d-%02d %d:%d:%d%s", "%d %d:%02d:%02d",
                 "P%dDT%dH%dM%dS", "-%d days %d:%02d:%02d"]
    for _ in range(3000):
        template = rng.choice(templates)
        nums = [rng.choice([0, 1, 9, 12, 23, 24, 59, 60, 99, 2012, 123456, 1234567])
                for _ in range(template.count("%") - template.count("%s"))]
        if "%s" in template:
            nums.append(rng.choice(["", "Z", "+01", "-0230", "+05:30", " +1", "+99:99"]))
        values.append(template % tuple(nums))
    assert_same(name, values)


TIMEDELTAS = [
    datetime.timedelta(0), datetime.timedelta(days=4, minutes=15, seconds=30),
    datetime.timedelta(days=-1, seconds=1), datetime.timedelta(microseconds=-1),
    datetime.timedelta(hours=1, microseconds=5), datetime.timedelta(days=-4, hours=2),
    datetime.timedelta(days=999999999, hours=23, minutes=59, seconds=59, microseconds=999999),
    datetime.timedelta(days=-999999999), datetime.timedelta(seconds=86399),
    datetime.timedelta(minutes=-90, microseconds=10),
]


@pytest.mark.parametrize("name", ["duration_string", "duration_iso_string", "duration_microseconds"])
def test_duration_formatting(name):
    ours, theirs = getattr(orm_duration, name), getattr(dj_duration, name)
    rng = random.Random(3)
    values = TIMEDELTAS + [
        datetime.timedelta(days=rng.randint(-9999, 9999), seconds=rng.randint(0, 86399),
                           microseconds=rng.choice([0, rng.randint(0, 999999)]))
        for _ in range(2000)
    ]
    for value in values:
        assert outcome(ours, value) == outcome(theirs, value), value


def test_duration_round_trips():
    for value in TIMEDELTAS[:-4]:
        assert orm.parse_duration(orm_duration.duration_string(value)) == value
        assert orm.parse_duration(orm_duration.duration_iso_string(value)) == value
