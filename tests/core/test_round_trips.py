"""Statements on the wire: one round trip per autocommit query, no hidden BEGIN/COMMIT/ROLLBACK or pings.

Counted below the ORM, with each driver's own hook: SQLite's trace callback, libpq's protocol
trace (one round trip per Sync or simple Query message), MariaDB's ``Questions`` status counter.
"""
import tempfile
from contextlib import contextmanager

import pytest

from ormlette.db import connections, transaction
from tests.backends import VENDOR, clean_tables, use_models
from tests.core.models import Note

tables = use_models(Note)
cleanup = clean_tables(Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")

WARM_UP = 6  # psycopg prepares a statement on its 5th run: one extra round trip, once


@contextmanager
def sqlite_round_trips(dbapi):
    """Statements SQLite runs (each one is a call into the engine)."""
    import sqlite3

    sent = []
    dbapi.set_trace_callback(sent.append)
    try:
        yield sent
    finally:
        try:
            dbapi.set_trace_callback(None)
        except sqlite3.ProgrammingError:  # the pool closed it instead of keeping it: nothing more to trace
            pass


@contextmanager
def postgresql_round_trips(dbapi):
    """Round trips in libpq's protocol trace: each ends with Sync (extended) or is one Query (simple)."""
    sent = []
    with tempfile.TemporaryFile("w+") as trace:
        dbapi.pgconn.trace(trace.fileno())
        try:
            yield sent
        finally:
            dbapi.pgconn.untrace()
            trace.seek(0)
            sent.extend(_frontend_messages(trace.read()))


def _frontend_messages(text):
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) > 3 and parts[1] == "F" and parts[3].split(" ")[0] in ("Sync", "Query"):
            yield parts[3]


@contextmanager
def mysql_round_trips(dbapi):
    """Statements the server received, from its ``Questions`` counter (less the counter reads)."""
    before = _questions(dbapi)
    sent = []
    try:
        yield sent
    finally:
        after = _questions(dbapi)
        read_cost = _questions(dbapi) - after
        sent.extend(["statement"] * (after - before - read_cost))


def _questions(dbapi):
    cursor = dbapi.cursor()
    try:
        cursor.execute("SHOW SESSION STATUS LIKE 'Questions'")
        return int(cursor.fetchone()[1])
    finally:
        cursor.close()


def round_trips():
    """Context manager collecting what the driver sent on the default connection."""
    connection = connections["default"]
    connection.ensure_connection()
    counter = {"sqlite": sqlite_round_trips, "postgresql": postgresql_round_trips, "mysql": mysql_round_trips}
    return counter[VENDOR](connection.dbapi)


def repeat(fn, times):
    for _ in range(times):
        fn()


def test_mysql_counter_counts_one_statement_per_query():
    if VENDOR != "mysql":
        pytest.skip("checks the MariaDB counter itself")
    with round_trips() as sent:
        pass
    assert sent == []


def test_get_by_pk_is_one_round_trip():
    note = Note.objects.create(text="a")
    repeat(lambda: Note.objects.get(pk=note.pk), WARM_UP)
    with round_trips() as sent:
        repeat(lambda: Note.objects.get(pk=note.pk), 10)
    assert len(sent) == 10, sent


def test_filter_order_slice_is_one_round_trip():
    Note.objects.create(text="a", n=1)
    Note.objects.create(text="a", n=2)

    def query():
        return list(Note.objects.filter(text="a", n__lte=5).order_by("-n")[:20])

    repeat(query, WARM_UP)
    with round_trips() as sent:
        repeat(query, 10)
    assert len(sent) == 10, sent
    assert [n.n for n in query()] == [2, 1]


def test_autocommit_create_sends_no_transaction_control():
    for i in range(WARM_UP):
        Note.objects.create(text="warm", n=i)
    with round_trips() as sent:
        for i in range(5):
            Note.objects.create(text="b", n=i)
    assert len(sent) == 5, sent
    assert not any(s.split(" ")[0].strip('"').upper() in ("BEGIN", "COMMIT", "ROLLBACK") for s in sent
                   if not s.startswith("Sync"))


def test_creates_in_atomic_add_only_begin_and_commit():
    def block(tag, count):
        with transaction.atomic():
            for i in range(count):
                Note.objects.create(text=tag, n=i)

    block("warm", WARM_UP)
    with round_trips() as sent:
        block("c", 10)
    assert len(sent) == 12, sent
    assert Note.objects.filter(text="c").count() == 10


def test_returning_an_idle_connection_to_the_pool_sends_nothing():
    if VENDOR == "mysql":
        pytest.skip("PyMySQL's rollback() on check-in always sends ROLLBACK (once per close, not per query)")
    note = Note.objects.create(text="a")
    Note.objects.get(pk=note.pk)
    connection = connections["default"]
    with round_trips() as sent:
        connection.close()
    assert sent == [], sent
