"""Manager.raw(), connection.cursor() and QuerySet.extra()."""
import datetime
import decimal

import pytest

from ormlette.core.exceptions import FieldDoesNotExist
from ormlette.db import IntegrityError, ProgrammingError, OperationalError, DatabaseError, connection
from ormlette.db.models.query.raw import RawQuerySet
from ormlette.test.utils import CaptureQueriesContext
from tests.backends import clean_tables, use_models
from tests.raw.models import Person, Post

tables = use_models(Person, Post)
cleanup = clean_tables(Person, Post, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")
q = connection.ops.quote_name


@pytest.fixture
def people():
    return [
        Person.objects.create(first_name="Ada", last_name="Lovelace", born=datetime.date(1815, 12, 10),
                              score=decimal.Decimal("9.50")),
        Person.objects.create(first_name="Alan", last_name="Turing", born=datetime.date(1912, 6, 23),
                              active=False),
    ]


def test_raw_maps_rows_to_models(people):
    with CaptureQueriesContext(connection) as ctx:
        rows = list(Person.objects.raw("SELECT * FROM raw_person ORDER BY id"))
    assert len(ctx.captured_queries) == 1
    assert [p.first_name for p in rows] == ["Ada", "Alan"]
    ada = rows[0]
    assert isinstance(ada, Person) and ada.pk == people[0].pk
    assert ada.last_name == "Lovelace" and ada.born == datetime.date(1815, 12, 10)
    assert ada.score == decimal.Decimal("9.50") and ada.active is True and rows[1].active is False
    assert ada._state.adding is False and ada._state.db == "default"


def test_raw_params_and_safe_quoting(people):
    hostile = "'; DROP TABLE raw_person; --"
    assert list(Person.objects.raw("SELECT * FROM raw_person WHERE first_name = %s", [hostile])) == []
    found = Person.objects.raw("SELECT * FROM raw_person WHERE first_name = %s", ["Ada"])
    assert [p.pk for p in found] == [people[0].pk]
    assert Person.objects.count() == 2


def test_raw_deferred_fields_and_translations(people):
    rows = list(Person.objects.raw("SELECT id, first_name AS given FROM raw_person ORDER BY id",
                                   translations={"given": "first_name"}))
    assert rows[0].first_name == "Ada"
    assert rows[0].get_deferred_fields() == {"last_name", "born", "score", "active"}
    with CaptureQueriesContext(connection) as ctx:
        assert rows[0].last_name == "Lovelace"  # loaded on access
    assert len(ctx.captured_queries) == 1


def test_raw_extra_columns_become_attributes(people):
    rows = list(Person.objects.raw("SELECT id, first_name, 2 * id AS doubled FROM raw_person ORDER BY id"))
    assert rows[0].doubled == 2 * people[0].pk


def test_raw_requires_pk(people):
    with pytest.raises(FieldDoesNotExist, match="Raw query must include the primary key"):
        list(Person.objects.raw("SELECT first_name FROM raw_person"))


def test_raw_queryset_api(people):
    rs = Person.objects.raw("SELECT * FROM raw_person WHERE first_name = %s", ["Ada"])
    assert isinstance(rs, RawQuerySet)
    assert repr(rs) == "<RawQuerySet: SELECT * FROM raw_person WHERE first_name = Ada>"
    assert len(rs) == 1 and rs[0].first_name == "Ada" and bool(rs)
    assert "surname" in rs.columns
    assert rs.model_fields["surname"].name == "last_name"
    assert [p.first_name for p in rs.iterator()] == ["Ada"]


def test_cursor_context_manager_execute_and_fetch(people):
    pid = people[0].pk
    with connection.cursor() as cur:
        cur.execute("UPDATE raw_person SET first_name = %s WHERE id = %s", ["Augusta", pid])
        assert cur.rowcount == 1
        cur.execute("SELECT first_name FROM raw_person WHERE id = %s", [pid])
        assert cur.fetchone() == ("Augusta",)
        cur.execute("SELECT id FROM raw_person ORDER BY id")
        assert [tuple(r) for r in cur.fetchmany(1)] == [(people[0].pk,)]
        assert [tuple(r) for r in cur.fetchall()] == [(people[1].pk,)]
        cur.execute("SELECT COUNT(*) FROM raw_person WHERE first_name LIKE %s", ["A%"])
        assert cur.fetchone()[0] == 2


def test_cursor_seed_update_counter():
    post = Post.objects.create(title="hello")
    with connection.cursor() as cur:
        cur.execute("UPDATE raw_post SET view_count = view_count + 1 WHERE id = %s", [post.pk])
    post.refresh_from_db()
    assert post.view_count == 1


def test_cursor_executemany_and_percent_literal():
    with connection.cursor() as cur:
        cur.executemany("INSERT INTO raw_post (title, view_count) VALUES (%s, %s)",
                        [("a", 1), ("b", 2), ("c", 3)])
        cur.execute("SELECT title FROM raw_post WHERE title LIKE %s ORDER BY title", ["%"])
        assert [r[0] for r in cur.fetchall()] == ["a", "b", "c"]
        cur.execute("SELECT COUNT(*) FROM raw_post WHERE title LIKE 'a%%'")
        assert cur.fetchone()[0] == 1


def test_cursor_errors_are_ormlette_errors():
    Post.objects.create(title="x")
    with pytest.raises(DatabaseError) as info:
        with connection.cursor() as cur:
            cur.execute("SELECT nope FROM raw_post")
    assert isinstance(info.value, (ProgrammingError, OperationalError)) and info.value.__cause__ is not None
    post = Post.objects.get()
    with pytest.raises(IntegrityError):
        with connection.cursor() as cur:
            cur.execute("INSERT INTO raw_post (id, title, view_count) VALUES (%s, %s, %s)", [post.pk, "dup", 0])


def test_cursor_statements_are_logged():
    with CaptureQueriesContext(connection) as ctx:
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM raw_post WHERE id > %s", [0])
    assert len(ctx.captured_queries) == 1 and "raw_post" in ctx.captured_queries[0]["sql"]


def test_extra_select_seed_example():
    Post.objects.create(title="a", view_count=10)
    Post.objects.create(title="b", view_count=20)
    rows = Post.objects.extra(select={"discounted": "view_count * 0.9"}).order_by("title")
    assert [float(p.discounted) for p in rows] == [9.0, 18.0]
    values = Post.objects.extra(select={"double": "view_count * %s"}, select_params=[2]).values("title", "double")
    assert sorted((v["title"], v["double"]) for v in values) == [("a", 20), ("b", 40)]


def test_extra_where_params_are_safe(people):
    user_input = "Ada' OR '1'='1"
    assert list(Person.objects.extra(where=["first_name = %s"], params=[user_input])) == []
    found = Person.objects.extra(where=["first_name = %s", "surname LIKE %s"], params=["Ada", "Love%"])
    assert [p.pk for p in found] == [people[0].pk]
    assert Person.objects.extra(where=["first_name = %s"], params=["Alan"]).count() == 1


def test_extra_order_by_and_tables(people):
    Post.objects.create(title="p")
    ordered = Person.objects.extra(select={"neg": "0 - id"}, order_by=["neg"])
    assert [p.first_name for p in ordered] == ["Alan", "Ada"]
    ordered = Person.objects.extra(order_by=["-raw_person.first_name"])
    assert [p.first_name for p in ordered] == ["Alan", "Ada"]
    joined = Person.objects.extra(tables=["raw_post"], where=["raw_post.title = %s"], params=["p"])
    assert joined.count() == 2
