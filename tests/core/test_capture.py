"""Query capture: CaptureQueriesContext, connection.queries, execute_wrapper, assert_num_queries."""
import pytest

from ormlette.conf import settings
from ormlette.db import connection, reset_queries
from ormlette.test.utils import CaptureQueriesContext, assert_num_queries
from tests.backends import clean_tables, use_models
from tests.core.models import Note

tables = use_models(Note)
cleanup = clean_tables(Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def test_capture_records_sql_and_time():
    with CaptureQueriesContext(connection) as ctx:
        Note.objects.create(text="a")
        list(Note.objects.filter(text="a"))
    assert len(ctx) == 2
    assert ctx.captured_queries[1]["sql"].startswith("SELECT")
    assert "'a'" in ctx.captured_queries[1]["sql"]
    assert float(ctx[0]["time"]) >= 0


def test_connection_queries_when_debug():
    settings.DEBUG = True
    try:
        reset_queries()
        Note.objects.count()
        assert len(connection.queries) == 1
        assert "COUNT" in connection.queries[0]["sql"].upper()
    finally:
        settings.DEBUG = False
    reset_queries()
    Note.objects.count()
    assert connection.queries == []


def test_execute_wrapper_sees_every_statement_and_can_block():
    seen = []

    def spy(execute, sql, params, many, context):
        seen.append((sql, many, context["connection"] is not None))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        Note.objects.create(text="x")
        Note.objects.filter(text="x").update(n=2)
        Note.objects.all().delete()
    assert [s[0].split()[0] for s in seen] == ["INSERT", "UPDATE", "DELETE"]

    def blocker(execute, sql, params, many, context):
        raise RuntimeError("no database access allowed")

    with connection.execute_wrapper(blocker):
        with pytest.raises(RuntimeError, match="no database access"):
            Note.objects.count()


def test_assert_num_queries_passes_and_fails():
    with assert_num_queries(1):
        Note.objects.count()
    with pytest.raises(AssertionError, match="2 != 1 : 2 queries executed, 1 expected"):
        with assert_num_queries(1):
            Note.objects.count()
            Note.objects.count()


def test_pytest_fixture(assert_num_queries):
    with assert_num_queries(0):
        Note.objects.none().count()


def test_cursor_statements_are_captured():
    with CaptureQueriesContext(connection) as ctx:
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s + %s", [1, 2])
            assert cursor.fetchone()[0] == 3
    assert len(ctx) == 1
