"""Large INSERTs repeat SQLAlchemy's row group instead of rendering every row: same text, same rows."""
import decimal

import pytest

from ormlette.db import connection
from ormlette.db.models.sql import write
from ormlette.db.models.sql.cache import compile_statement
from ormlette.db.models.sql.context import CompileContext
from tests.backends import clean_tables, use_models
from tests.bulk.models import Book, Tag

tables = use_models(Book, Tag)
cleanup = clean_tables(Book, Tag, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


@pytest.mark.skipif(connection.features.supports_unnest_insert, reason="this backend inserts many rows with UNNEST")
def test_replicated_text_equals_sqlalchemy_rendering(monkeypatch):
    captured = {}
    real = write._replicated_insert

    def spy(conn, key, n_rows, width, build):
        entry = real(conn, key, n_rows, width, build)
        c = CompileContext(conn)
        captured["direct"] = compile_statement(build(c, rows=[[None] * width] * n_rows), conn, len(c.values))
        captured["replicated"] = entry
        return entry

    monkeypatch.setattr(write, "_replicated_insert", spy)
    Tag.objects.bulk_create([Tag(name="t%d" % i, uses=i) for i in range(7)])
    assert captured["replicated"] is not None
    assert captured["replicated"].sql == captured["direct"].sql
    assert captured["replicated"].order == captured["direct"].order


def test_large_bulk_create_round_trips_every_row():
    tags = Tag.objects.bulk_create([Tag(name="b%05d" % i, uses=i, note="n%d" % (i % 7)) for i in range(3000)])
    assert Tag.objects.count() == 3000
    if connection.features.can_return_rows_from_bulk_insert:
        assert len({t.pk for t in tags}) == 3000
        assert Tag.objects.get(pk=tags[-1].pk).name == "b02999"
    rows = list(Tag.objects.order_by("name").values_list("name", "uses", "note")[2995:])
    assert rows == [("b%05d" % i, i, "n%d" % (i % 7)) for i in range(2995, 3000)]


def test_large_bulk_create_with_decimals_and_db_defaults():
    Book.objects.bulk_create([Book(title="b%04d" % i, price=decimal.Decimal(i) / 100) for i in range(500)])
    assert Book.objects.count() == 500
    assert Book.objects.get(title="b0499").price == decimal.Decimal("4.99")


@pytest.mark.skipif(not connection.features.supports_unnest_insert, reason="needs UNNEST inserts (PostgreSQL)")
def test_unnest_insert_is_one_statement_whatever_the_row_count():
    from ormlette.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        Tag.objects.bulk_create([Tag(name="s%d" % i, note="it's, \"quoted\"") for i in range(5)])
    with CaptureQueriesContext(connection) as large:
        tags = Tag.objects.bulk_create([Tag(name="l%d" % i, uses=i) for i in range(700)])
    assert len(small) == 1 and len(large) == 1
    assert "UNNEST(" in large[0]["sql"]
    assert [t.name for t in tags[:3]] == ["l0", "l1", "l2"] and all(t.pk for t in tags)
    assert Tag.objects.get(pk=tags[2].pk).uses == 2
    assert Tag.objects.filter(name="s3").values_list("note", flat=True).get() == "it's, \"quoted\""
