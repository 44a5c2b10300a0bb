"""The MySQL backend's driver adapter: mysqlclient and PyMySQL give ormlette the same behaviour.

Each installed driver runs the same checks on its own wrapper (``OPTIONS["driver"]``): value round
trips, matched-row counts (FOUND_ROWS), lastrowid, executemany, error translation, disconnects and
the logged statement.
"""
import datetime
import decimal
import os
import sys

import pytest

from tests.backends import TEST_DB, VENDOR

pytestmark = pytest.mark.skipif(VENDOR != "mysql", reason="MySQL/MariaDB driver adapter")

if VENDOR == "mysql":
    from ormlette.db.backends.mysql import driver as mysql_driver
    from ormlette.db.backends.mysql.base import DatabaseWrapper

    DRIVERS = mysql_driver.available()
else:
    DRIVERS = []

TABLE = "ormlette_driver_probe"


def test_mysqlclient_is_preferred(monkeypatch):
    from ormlette.db import connections

    default = connections["default"]
    assert default.driver is mysql_driver.get_driver()  # ORMLETTE_MYSQL_DRIVER, if set, included
    assert default.sa_dialect.driver == {"mysqlclient": "mysqldb", "pymysql": "pymysql"}[default.driver.name]
    monkeypatch.delenv("ORMLETTE_MYSQL_DRIVER", raising=False)
    assert mysql_driver.get_driver().name == DRIVERS[0]


@pytest.mark.skipif(os.environ.get("CI") not in ("true", "1"), reason="CI only")
def test_ci_runs_on_mysqlclient():
    from ormlette.db import connections

    assert connections["default"].driver.name == "mysqlclient"


def test_unknown_driver_name_is_refused():
    with pytest.raises(ValueError):
        mysql_driver.get_driver("oursql")


@pytest.fixture(params=DRIVERS)
def db(request):
    if request.param == "mysqlclient" and sys.modules.get("MySQLdb") is not mysql_driver.MySQLdb:
        pytest.skip("PyMySQL stands in for MySQLdb in this process (Django's reference runs on PyMySQL)")
    engines = {}

    def engine_source(wrapper):
        if wrapper.alias not in engines:
            engines[wrapper.alias] = wrapper.create_engine()
        return engines[wrapper.alias]

    settings = dict(TEST_DB, OPTIONS={"driver": request.param}, TIME_ZONE=None, CONN_MAX_AGE=0,
                    ATOMIC_REQUESTS=False, AUTOCOMMIT=True, TEST={})
    wrapper = DatabaseWrapper(settings, "driver_" + request.param, engine_source)
    assert wrapper.driver.name == request.param
    with wrapper.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS %s" % TABLE)
        cursor.execute(
            "CREATE TABLE %s (id integer AUTO_INCREMENT PRIMARY KEY, dt datetime(6), d date, t time(6), "
            "num decimal(12, 4), doc json, flag bit(1), yes bool, blob_ longblob, txt longtext, "
            "n integer)" % TABLE)
    yield wrapper
    with wrapper.cursor() as cursor:
        cursor.execute("DROP TABLE %s" % TABLE)
    wrapper.close()
    for engine in engines.values():
        engine.dispose()


def fetch(db, sql, params=None):
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_values_round_trip(db):
    values = (datetime.datetime(2024, 2, 29, 23, 59, 58, 123456), datetime.date(1999, 12, 31),
              datetime.time(13, 14, 15, 16), decimal.Decimal("-12345678.0625"), '{"a": [1, "é"]}', 1, True,
              b"\x00\x80\xff'%s", "héllo 🎉 100% 'q' \\ %s", 7)
    with db.cursor() as cursor:
        cursor.execute("INSERT INTO %s (dt, d, t, num, doc, flag, yes, blob_, txt, n) "
                       "VALUES (%%s, %%s, %%s, %%s, %%s, %%s, %%s, %%s, %%s, %%s)" % TABLE, values)
        pk = cursor.lastrowid
    assert pk == 1
    (row,) = fetch(db, "SELECT dt, d, t, num, doc, flag, yes, blob_, txt, n FROM %s WHERE id = %%s" % TABLE, (pk,))
    assert row == (values[0], values[1], datetime.timedelta(hours=13, minutes=14, seconds=15, microseconds=16),
                   values[3], values[4], b"\x01", 1, values[7], values[8], 7)
    assert [type(v) for v in row[3:5]] == [decimal.Decimal, str]


@pytest.mark.parametrize("value", [bytearray(b"\x80ab"), memoryview(b"\x80ab")])
def test_binary_buffers_are_sent_as_bytes(db, value):
    assert fetch(db, "SELECT %s", (value,)) == ((b"\x80ab",),)


def test_negative_time_and_null(db):
    assert fetch(db, "SELECT TIME('-01:00:00'), %s", (None,)) == ((datetime.timedelta(hours=-1), None),)


def test_update_counts_matched_rows(db):
    with db.cursor() as cursor:
        cursor.executemany("INSERT INTO %s (n) VALUES (%%s)" % TABLE, [(1,), (1,), (2,)])
        assert cursor.rowcount == 3
        cursor.execute("UPDATE %s SET n = 1 WHERE n = 1" % TABLE)
        assert cursor.rowcount == 2  # FOUND_ROWS: matched, though nothing changed
        cursor.executemany("UPDATE %s SET n = %%s WHERE n = %%s" % TABLE, [(3, 1), (4, 2)])
        assert cursor.rowcount == 3


def test_insert_returning(db):
    assert fetch(db, "INSERT INTO %s (n) VALUES (%%s), (%%s) RETURNING id, n" % TABLE, (5, 6)) == ((1, 5), (2, 6))


def test_errors_are_translated(db):
    from ormlette.db import IntegrityError, OperationalError, ProgrammingError

    fetch(db, "INSERT INTO %s (id, n) VALUES (1, 1)" % TABLE)
    with pytest.raises(IntegrityError) as info:
        fetch(db, "INSERT INTO %s (id, n) VALUES (1, 1)" % TABLE)
    assert info.value.args[0] == 1062
    with pytest.raises(ProgrammingError) as info:
        fetch(db, "SELEC 1")
    assert info.value.args[0] == 1064
    with pytest.raises(IntegrityError) as info:  # NOT NULL: an OperationalError code made IntegrityError
        fetch(db, "CREATE TEMPORARY TABLE ormlette_nn (a integer NOT NULL)")
        fetch(db, "INSERT INTO ormlette_nn (a) VALUES (NULL)")
    assert info.value.args[0] == 1048
    with pytest.raises(OperationalError) as info:
        fetch(db, "SELECT nope FROM %s" % TABLE)
    assert info.value.args[0] == 1054


def test_killed_connection_is_discarded_and_replaced(db):
    from ormlette.db import OperationalError

    (thread_id,), = fetch(db, "SELECT CONNECTION_ID()")
    db.ensure_connection()
    killer = db.driver.connect({"host": db.settings_dict["HOST"], "port": int(db.settings_dict["PORT"]),
                                "user": db.settings_dict["USER"], "password": db.settings_dict["PASSWORD"],
                                "autocommit": True})
    try:
        cursor = killer.cursor()
        cursor.execute("KILL %d" % thread_id)
        cursor.close()
    finally:
        killer.close()
    with pytest.raises(OperationalError) as info:
        fetch(db, "SELECT 1")
    assert info.value.args[0] in mysql_driver.DISCONNECT_CODES
    assert db.connection is None  # invalidated, not handed out again
    assert fetch(db, "SELECT 1") == ((1,),)
    assert fetch(db, "SELECT CONNECTION_ID()")[0][0] != thread_id


def test_logged_statement_is_the_one_sent(db):
    db.force_debug_cursor = True
    try:
        fetch(db, "SELECT %s, %s", ("it's", b"\x01"))
    finally:
        db.force_debug_cursor = False
    sql = db.queries[-1]["sql"]
    assert isinstance(sql, str)
    assert sql in ("SELECT 'it\\'s', _binary'\x01'", "SELECT 'it\\'s', X'01'")  # mysqlclient, PyMySQL


def test_streaming_cursor_reads_unbuffered(db):
    db.ensure_connection()
    cursor = db.driver.streaming_cursor(db.dbapi)
    try:
        cursor.execute("SELECT seq FROM seq_1_to_5000")
        total = 0
        while True:
            rows = cursor.fetchmany(1000)
            if not rows:
                break
            total += sum(r[0] for r in rows)
    finally:
        cursor.close()
    assert total == 5000 * 5001 // 2


def test_django_reference_runs_on_the_same_driver():
    from tests.django_ref import configure_django

    configure_django()
    from django.db import connection

    expected = "pymysql" if mysql_driver.get_driver().name == "pymysql" else "MySQLdb"
    assert connection.Database.__name__ == expected


DATETIME_TEXTS = ["2024-01-02 03:04:05", "2024-01-02 03:04:05.5", "2024-01-02 03:04:05.500", "2024-01-02 03:04:05.123456",
                  "0000-00-00 00:00:00", "2024-00-10 00:00:00", "2024-02-30 00:00:00", "2024-01-02 03:04:05.1234567",
                  "2024-01-02", "2024-01-02T03:04:05", "2024-01-02 03:04:05+01:00", "9999-12-31 23:59:59.999999"]
DATE_TEXTS = ["2024-01-02", "0000-00-00", "2024-13-01", "2024-1-2", "0001-01-01"]


@pytest.mark.skipif("mysqlclient" not in DRIVERS, reason="mysqlclient's converters")
def test_fast_temporal_converters_give_mysqlclients_results():
    from MySQLdb import times

    for text in DATETIME_TEXTS:
        fast, reference = mysql_driver._datetime_or_none(text), times.DateTime_or_None(text)
        assert (fast, type(fast)) == (reference, type(reference)), text
    for text in DATE_TEXTS:
        fast, reference = mysql_driver._date_or_none(text), times.Date_or_None(text)
        assert (fast, type(fast)) == (reference, type(reference)), text


def test_temporal_values_from_the_server(db):
    with db.cursor() as cursor:
        cursor.execute("SET SESSION sql_mode = ''")
    (row,) = fetch(db, "SELECT CAST('2024-01-02 03:04:05.5' AS DATETIME(3)), CAST('2024-01-02' AS DATE), "
                       "CAST('0000-00-00 00:00:00' AS DATETIME), TIMESTAMP('2024-02-03'), "
                       "CAST('2024-01-02 03:04:05' AS DATETIME)")
    zero = None if db.driver.name == "mysqlclient" else "0000-00-00 00:00:00"  # each driver's own reading
    assert row == (datetime.datetime(2024, 1, 2, 3, 4, 5, 500000), datetime.date(2024, 1, 2), zero,
                   datetime.datetime(2024, 2, 3), datetime.datetime(2024, 1, 2, 3, 4, 5))


@pytest.mark.skipif("mysqlclient" not in DRIVERS, reason="mysqlclient's literal()")
def test_int_literals_match_mysqlclients_own(db):
    if db.driver.name != "mysqlclient":
        pytest.skip("mysqlclient only")
    import MySQLdb.connections

    db.ensure_connection()
    raw = db.connection
    raw = getattr(raw, "dbapi_connection", None) or getattr(raw, "driver_connection", None) or raw
    for value in (0, 5, -7, 2 ** 70, True, False, 1.5, "7", None):
        assert raw.literal(value) == MySQLdb.connections.Connection.literal(raw, value), value
    assert fetch(db, "SELECT %s, %s, %s", (2 ** 62, -3, True)) == ((2 ** 62, -3, 1),)
