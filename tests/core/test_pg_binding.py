"""PostgreSQL parameter binding: server-side and prepared by default, client-side where the server cannot type a parameter."""
import pytest

from ormlette.db import IntegrityError, connection, connections, transaction
from ormlette.db.models import Count, IntegerField, Value
from ormlette.db.models.functions import Substr, Upper
from tests.backends import VENDOR, clean_tables, use_models
from tests.core.models import Note

pytestmark = [pytest.mark.skipif(VENDOR != "postgresql", reason="psycopg parameter binding"),
              pytest.mark.usefixtures("tables")]
tables = use_models(Note)
cleanup = clean_tables(Note, autouse=True)


def binding():
    from ormlette.db.backends.postgresql import binding

    return binding


def prepared_statements():
    """The statements psycopg prepared on this session."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_repeated_query_is_prepared_by_the_server():
    note = Note.objects.create(text="a")
    for _ in range(6):
        assert Note.objects.get(pk=note.pk).text == "a"
    assert any("core_note" in sql and "$1" in sql for sql in prepared_statements())


def test_untyped_parameter_falls_back_to_client_binding():
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s IS NULL, %s IS NULL", [None, "x"])
        assert cursor.fetchone() == (True, False)
        cursor.execute("SELECT %s IS NULL, %s IS NULL", [None, "x"])  # remembered: client-side straight away
        assert cursor.fetchone() == (True, False)


def test_statements_that_take_no_parameters_server_side():
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = %s", [0])
        with transaction.atomic():
            cursor.execute("CREATE TEMPORARY TABLE binding_ddl (a int DEFAULT %s)", [7])
            cursor.execute("INSERT INTO binding_ddl DEFAULT VALUES")
            cursor.execute("SELECT a FROM binding_ddl WHERE a = %s", [7])
            assert cursor.fetchone() == (7,)
        cursor.execute("DROP TABLE binding_ddl")


def test_group_by_repeating_a_parameterized_expression():
    for text in ("ab", "ac", "b"):
        Note.objects.create(text=text)
    rows = list(Note.objects.annotate(v=Substr(Upper("text"), 1, 1)).values("v").annotate(n=Count("id"))
                .order_by("v"))
    assert rows == [{"v": "A", "n": 2}, {"v": "B", "n": 1}]


def test_fallback_inside_atomic_keeps_the_transaction_usable():
    with transaction.atomic():
        Note.objects.create(text="in")
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s IS NULL AND %s IS NOT NULL", [None, "in-atomic"])
            assert cursor.fetchone() == (True,)
        assert Note.objects.filter(text="in").count() == 1
    assert Note.objects.filter(text="in").count() == 1


def test_error_on_first_run_inside_atomic_aborts_the_transaction_as_client_binding_would():
    Note.objects.create(text="dup", n=1)
    with pytest.raises(Exception) as info:  # noqa: PT011 - the second statement's error is PostgreSQL's
        with transaction.atomic():
            with pytest.raises(IntegrityError):
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO core_note (text, n, \"when\") VALUES (%s, %s, now()) "
                                   "/* first run in this transaction */", ["dup", 1])
            Note.objects.count()
    assert "aborted" in str(info.value)


def test_small_ints_are_typed_like_literals():
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s + %s, pg_typeof(%s)::text, pg_typeof(%s)::text", [30000, 30000, 1, 2 ** 40])
        assert cursor.fetchone() == (60000, "integer", "bigint")
        cursor.execute("SELECT SUBSTRING('abcdef' FROM %s FOR %s)", [2, 3])
        assert cursor.fetchone() == ("bcd",)


def test_value_annotation_and_executemany_fallback_rowcount():
    Note.objects.create(text="v")
    assert Note.objects.annotate(x=Value(7, output_field=IntegerField())).get().x == 7
    with connection.cursor() as cursor:
        cursor.executemany("UPDATE core_note SET n = n + 1 WHERE text = %s OR %s IS NULL", [["v", "z"], ["v", "z"]])
        assert cursor.rowcount == 2
    assert Note.objects.get().n == 2
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany("UPDATE core_note SET n = n + 1 WHERE text = %s OR %s IS NULL /* in atomic */",
                           [["v", "z"], ["v", "z"]])
        assert cursor.rowcount == 2
    assert Note.objects.get().n == 4


def test_queries_log_shows_values_inline():
    from ormlette.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        list(Note.objects.filter(text="it's"))
    assert "'it''s'" in ctx.captured_queries[0]["sql"]


def test_option_turns_server_side_binding_off():
    import psycopg

    from ormlette.db.backends.postgresql.base import DatabaseWrapper

    settings = dict(connections["default"].settings_dict, OPTIONS={"server_side_binding": False})
    wrapper = DatabaseWrapper(settings, "client_bound", lambda w: None)
    assert wrapper.server_side_binding is False
    dbapi = wrapper.connect_dbapi()
    try:
        assert dbapi.cursor_factory is psycopg.ClientCursor
    finally:
        dbapi.close()
    assert binding().uses_server_binding(psycopg.ClientCursor(dbapi), [1]) is False
