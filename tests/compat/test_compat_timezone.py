"""Differential tests: ormlette.utils.timezone against django.utils.timezone."""
import asyncio
import datetime
import zoneinfo

import pytest

from tests.compat.django_reference import configure_django

configure_django()

import django.utils.timezone as dj  # noqa: E402

import ormlette.utils.timezone as orm  # noqa: E402
from ormlette.conf import settings as orm_settings  # noqa: E402

ZONES = [None, "UTC", "Europe/Paris", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe",
         datetime.timezone(datetime.timedelta(hours=5, minutes=30)), datetime.timezone.utc]

AWARE = [
    datetime.datetime(2024, 3, 31, 0, 30, tzinfo=datetime.timezone.utc),
    datetime.datetime(2024, 3, 31, 1, 30, tzinfo=datetime.timezone.utc),
    datetime.datetime(2024, 11, 3, 5, 30, tzinfo=datetime.timezone.utc),
    datetime.datetime(2000, 1, 1, 23, 59, 59, 999999, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo")),
    datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=-11))),
]
NAIVE = [
    datetime.datetime(2024, 3, 31, 2, 30),
    datetime.datetime(2024, 11, 3, 1, 30),
    datetime.datetime(2024, 11, 3, 1, 30, fold=1),
    datetime.datetime(2000, 6, 15, 12, 0, 0, 1),
]


@pytest.fixture(autouse=True)
def set_setting():
    """Setter for ormlette settings, restored afterwards; starts as UTC with USE_TZ."""
    # Settings keep values in their own mapping, which pytest's monkeypatch cannot undo.
    saved = {name: getattr(orm_settings, name) for name in ("TIME_ZONE", "USE_TZ")}

    def setter(name, value):
        setattr(orm_settings, name, value)

    setter("TIME_ZONE", "UTC")
    setter("USE_TZ", True)
    yield setter
    for name, value in saved.items():
        setattr(orm_settings, name, value)
    orm.deactivate()


def norm(value):
    """Comparable form of a datetime, date, or zone; exceptions by kind."""
    if isinstance(value, datetime.datetime):
        return (value.isoformat(), value.tzname(), value.fold)
    return value


def call(func, *args):
    """func(*args) normalised, or the kind of exception it raised."""
    try:
        return ("ok", norm(func(*args)))
    except Exception as exc:  # noqa: BLE001 - both libraries' errors are compared
        return ("raised", type(exc).__name__, str(exc))


@pytest.mark.parametrize("zone", ZONES, ids=str)
def test_functions_agree_under_override(zone):
    with orm.override(zone), dj.override(zone):
        assert orm.get_current_timezone_name() == dj.get_current_timezone_name()
        assert orm.get_current_timezone() == dj.get_current_timezone()
        for value in AWARE + NAIVE:
            for name in ["localtime", "localdate", "make_aware", "make_naive", "is_aware",
                         "is_naive"]:
                assert call(getattr(orm, name), value) == call(getattr(dj, name), value), (
                    name, value)
            for other in ZONES[1:]:
                tz = zoneinfo.ZoneInfo(other) if isinstance(other, str) else other
                for name in ["localtime", "localdate", "make_aware", "make_naive"]:
                    assert call(getattr(orm, name), value, tz) == call(
                        getattr(dj, name), value, tz), (name, value, other)


def test_default_timezone():
    assert orm.get_default_timezone() == dj.get_default_timezone()
    assert orm.get_default_timezone_name() == dj.get_default_timezone_name() == "UTC"


def test_default_timezone_follows_settings(set_setting):
    set_setting("TIME_ZONE", "Europe/Paris")
    assert orm.get_default_timezone() == zoneinfo.ZoneInfo("Europe/Paris")
    assert orm.get_current_timezone_name() == "Europe/Paris"


@pytest.mark.parametrize("offset", [0, 60, -60, 330, -570, 1439, -1439, 90.0,
                                    datetime.timedelta(hours=-3, minutes=-30),
                                    datetime.timedelta(minutes=45)])
def test_fixed_timezone(offset):
    ours, theirs = orm.get_fixed_timezone(offset), dj.get_fixed_timezone(offset)
    assert ours == theirs
    assert ours.tzname(None) == theirs.tzname(None)


def test_activate_and_nesting():
    orm.activate("Asia/Tokyo")
    dj.activate("Asia/Tokyo")
    try:
        with orm.override("Europe/Paris"), dj.override("Europe/Paris"):
            with orm.override(None), dj.override(None):
                assert orm.get_current_timezone_name() == dj.get_current_timezone_name()
            orm.activate("America/Chicago")
            dj.activate("America/Chicago")
            assert orm.get_current_timezone_name() == dj.get_current_timezone_name()
        assert orm.get_current_timezone_name() == dj.get_current_timezone_name() == "Asia/Tokyo"
        for m in (orm, dj):
            with pytest.raises(ValueError):
                m.activate(5)
            with pytest.raises(zoneinfo.ZoneInfoNotFoundError):
                m.activate("Not/AZone")
    finally:
        dj.deactivate()
        orm.deactivate()
    assert orm.get_current_timezone_name() == dj.get_current_timezone_name() == "UTC"


def test_override_as_decorator():
    @orm.override("Europe/Paris")
    def ours():
        return orm.get_current_timezone_name()

    @dj.override("Europe/Paris")
    def theirs():
        return dj.get_current_timezone_name()

    assert ours() == theirs() == "Europe/Paris"
    assert orm.get_current_timezone_name() == "UTC"


def test_now_follows_use_tz(set_setting):
    aware = orm.now()
    assert aware.tzinfo is datetime.timezone.utc
    assert abs(aware - dj.now()) < datetime.timedelta(seconds=5)
    set_setting("USE_TZ", False)
    naive = orm.now()
    assert naive.tzinfo is None
    assert abs(naive - datetime.datetime.now()) < datetime.timedelta(seconds=5)


def test_localtime_defaults_to_now():
    with orm.override("Asia/Kathmandu"):
        value = orm.localtime()
        assert value.utcoffset() == datetime.timedelta(hours=5, minutes=45)
        assert orm.localdate() == value.date()


def test_current_zone_is_per_context():
    async def in_task(name):
        orm.activate(name)
        await asyncio.sleep(0)
        return orm.get_current_timezone_name()

    async def main():
        return await asyncio.gather(in_task("Europe/Paris"), in_task("Asia/Tokyo"))

    assert asyncio.run(main()) == ["Europe/Paris", "Asia/Tokyo"]
    assert orm.get_current_timezone_name() == "UTC"
