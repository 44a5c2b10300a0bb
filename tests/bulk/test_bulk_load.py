"""bulk_create's generated row values (same values as the field-by-field path) and PostgreSQL's COPY path."""
import decimal

import pytest

from ormlette.core.exceptions import ValidationError
from ormlette.db import IntegrityError, connection, models, transaction
from ormlette.db.models import Value
from ormlette.db.models.fast.bulk_values import generic_row, passthrough_type, row_values_function
from ormlette.db.models.sql.query import Query
from ormlette.db.models.sql.write import COPY_MIN_ROWS, LASTROWID_MIN_ROWS
from ormlette.test.utils import CaptureQueriesContext
from tests.backends import clean_tables, use_models
from tests.bulk.models import Book, Tag

tables = use_models(Book, Tag)
cleanup = clean_tables(Book, Tag, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")
needs_copy = pytest.mark.skipif(not connection.features.supports_copy_from, reason="needs COPY FROM (PostgreSQL)")


def insert_fields(model):
    opts = model._meta
    return [f for f in opts.concrete_fields if f is not opts.auto_field]


def reference_rows(model, objs):
    fields = insert_fields(model)
    query = Query(model)
    return [generic_row(fields, [f.pre_save(obj, True) for f in fields], connection, query) for obj in objs]


def test_generated_rows_equal_the_field_by_field_rows():
    books = [Book(title="plain", price=decimal.Decimal("12.30"), sales_count=3),
             Book(title="rounded", price=decimal.Decimal("1.005")),
             Book(title=5, price=2.5, sales_count="7"),
             Book(title="int price", price=4, sales_count=True)]
    rows, plain = row_values_function(Book, insert_fields(Book), connection, Query(Book))(books)
    assert not plain  # db_default fields hold DatabaseDefault until inserted
    assert [row[:3] for row in rows] == [row[:3] for row in reference_rows(Book, books)]
    assert rows[2][0] == "5" and rows[2][2] == 7 and rows[3][2] == 1
    tags = [Tag(name="a", uses=1, note="n"), Tag(name=3, uses="4"), Tag(name="c", uses=2.0)]
    rows, plain = row_values_function(Tag, insert_fields(Tag), connection, Query(Tag))(tags)
    assert plain and rows == reference_rows(Tag, tags) == [("a", 1, "n"), ("3", 4, ""), ("c", 2, "")]


def test_generated_rows_report_expressions():
    books = [Book(title="a"), Book(title="b", sales_count=Value(4))]
    rows, plain = row_values_function(Book, insert_fields(Book), connection, Query(Book))(books)
    assert not plain
    assert hasattr(rows[1][2], "as_sa") and rows[0] == reference_rows(Book, books[:1])[0]


def test_generated_rows_refuse_what_the_field_refuses():
    with pytest.raises(ValidationError):
        row_values_function(Book, insert_fields(Book), connection, Query(Book))([Book(title="x",
                                                                                      price=decimal.Decimal("NaN"))])


def test_passthrough_types():
    opts = Book._meta
    assert passthrough_type(opts.get_field("title")) is str
    assert passthrough_type(opts.get_field("sales_count")) is int
    assert passthrough_type(opts.get_field("price")) is None  # quantized and adapted per backend
    assert passthrough_type(opts.get_field("published")) is None


def test_mixed_values_round_trip():
    Book.objects.bulk_create([Book(title="a", price=decimal.Decimal("1.005"), sales_count="2"),
                              Book(title=7, sales_count=Value(9)), Book(title="c", price=3)])
    rows = sorted(Book.objects.values_list("title", "price", "sales_count"))
    # The database rounds 1.005 to the column's two places, as with Django: SQLite stores the float 1.00499...
    rounded = decimal.Decimal("1.00") if connection.vendor == "sqlite" else decimal.Decimal("1.01")
    assert rows == [("7", decimal.Decimal("0"), 9), ("a", rounded, 2), ("c", decimal.Decimal("3"), 0)]


# -- COPY (PostgreSQL) ---------------------------------------------------------------------------------
def copy_statements(queries):
    return [q["sql"] for q in queries if q["sql"].upper().startswith("COPY")]


@needs_copy
def test_copy_sets_pks_in_row_order():
    tags = [Tag(name="t%05d" % i, uses=i) for i in range(COPY_MIN_ROWS + 500)]
    with CaptureQueriesContext(connection) as ctx:
        Tag.objects.bulk_create(tags)
    assert len(copy_statements(ctx.captured_queries)) == 1
    assert not [q for q in ctx.captured_queries if q["sql"].upper().startswith("INSERT")]
    pks = [t.pk for t in tags]
    assert pks == sorted(pks) and len(set(pks)) == len(tags)
    assert dict(Tag.objects.values_list("pk", "name")) == {t.pk: t.name for t in tags}
    assert all(not t._state.adding and t._state.db == "default" for t in tags)


@needs_copy
def test_copy_leaves_the_sequence_after_the_reserved_keys():
    tags = Tag.objects.bulk_create([Tag(name="a%d" % i) for i in range(COPY_MIN_ROWS)])
    after = Tag.objects.create(name="after")
    assert after.pk > max(t.pk for t in tags)
    more = Tag.objects.bulk_create([Tag(name="b%d" % i) for i in range(COPY_MIN_ROWS)])
    assert min(t.pk for t in more) > after.pk
    assert Tag.objects.count() == 2 * COPY_MIN_ROWS + 1


@needs_copy
def test_copy_of_a_bad_row_leaves_nothing():
    tags = [Tag(name="n%d" % i) for i in range(COPY_MIN_ROWS + 10)]
    tags[-3].name = "n0"  # unique violation near the end
    with pytest.raises(IntegrityError):
        Tag.objects.bulk_create(tags)
    assert Tag.objects.count() == 0
    tags[-3].name = "fixed"
    for tag in tags:
        tag.pk = None
    Tag.objects.bulk_create(tags)
    assert Tag.objects.count() == len(tags)


@needs_copy
def test_copy_rolls_back_with_an_outer_transaction():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            Tag.objects.bulk_create([Tag(name="o%d" % i) for i in range(COPY_MIN_ROWS)])
            raise RuntimeError
    assert Tag.objects.count() == 0


@needs_copy
def test_copy_with_and_without_pks():
    tags = [Tag(name="m%d" % i, pk=(1_000_000 + i if i % 2 else None)) for i in range(2 * COPY_MIN_ROWS)]
    with CaptureQueriesContext(connection) as ctx:
        Tag.objects.bulk_create(tags)
    assert len(copy_statements(ctx.captured_queries)) == 2
    assert dict(Tag.objects.values_list("pk", "name")) == {t.pk: t.name for t in tags}


@needs_copy
def test_copy_not_used_where_it_cannot_do_the_job():
    def copies(func):
        with CaptureQueriesContext(connection) as ctx:
            func()
        return copy_statements(ctx.captured_queries)

    assert not copies(lambda: Tag.objects.bulk_create([Tag(name="s%d" % i) for i in range(COPY_MIN_ROWS - 1)]))
    assert not copies(lambda: Tag.objects.bulk_create([Tag(name="i%d" % i) for i in range(COPY_MIN_ROWS)],
                                                      ignore_conflicts=True))
    books = [Book(title="b%d" % i) for i in range(COPY_MIN_ROWS)]
    assert not copies(lambda: Book.objects.bulk_create(books))  # db defaults must come back: RETURNING
    assert {b.rank for b in books} == {1}
    assert Tag.objects.count() == 2 * COPY_MIN_ROWS - 1


@needs_copy
def test_reserved_keys_that_are_not_consecutive():
    from ormlette.db.backends.postgresql.bulk_load import reserve_pks

    with connection.cursor() as cursor:
        cursor.execute("DROP SEQUENCE IF EXISTS ormlette_bulk_seq")
        cursor.execute("CREATE SEQUENCE ormlette_bulk_seq INCREMENT BY 3")
    try:
        assert list(reserve_pks(connection, "ormlette_bulk_seq", 4)) == [1, 4, 7, 10]
        assert isinstance(reserve_pks(connection, "ormlette_bulk_seq", 1), range)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP SEQUENCE ormlette_bulk_seq")


def test_objects_with_pks_ask_back_only_database_values():
    with CaptureQueriesContext(connection) as ctx:
        Tag.objects.bulk_create([Tag(pk=10 + i, name="k%d" % i) for i in range(3)])
        books = Book.objects.bulk_create([Book(pk=20, title="with pk")])
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].upper().startswith("INSERT")]
    assert len(inserts) == 2 and "RETURNING" not in inserts[0].upper()
    if connection.features.can_return_rows_from_bulk_insert:
        returned = inserts[1].upper().split("RETURNING")[1]
        assert "RANK" in returned and "ID" not in returned.replace("PUBLISHED", "")
        assert books[0].rank == 1 and books[0].pk == 20
    assert sorted(Tag.objects.values_list("pk", flat=True)) == [10, 11, 12]


@needs_copy
def test_copy_batches_follow_batch_size_only():
    n = 2 * COPY_MIN_ROWS + 100
    tags = [Tag(name="z%d" % i, uses=i) for i in range(n)]
    with CaptureQueriesContext(connection) as ctx:
        Tag.objects.bulk_create(tags, batch_size=COPY_MIN_ROWS)
    inserts = [q for q in ctx.captured_queries if q["sql"].upper().startswith("INSERT")]
    assert len(copy_statements(ctx.captured_queries)) == 2 and len(inserts) == 1  # the last 100 rows: INSERT
    assert dict(Tag.objects.values_list("pk", "uses")) == {t.pk: t.uses for t in tags}


# -- keys from lastrowid (SQLite) ----------------------------------------------------------------------
needs_lastrowid = pytest.mark.skipif(not connection.features.has_consecutive_bulk_insert_pks,
                                     reason="needs consecutive bulk insert keys (SQLite)")


def insert_statements(queries):
    return [q["sql"] for q in queries if q["sql"].upper().startswith("INSERT")]


@needs_lastrowid
def test_keys_from_lastrowid_without_returning():
    Tag.objects.create(name="before")
    tags = [Tag(name="r%d" % i, uses=i) for i in range(LASTROWID_MIN_ROWS + 50)]
    with CaptureQueriesContext(connection) as ctx:
        Tag.objects.bulk_create(tags)
    inserts = insert_statements(ctx.captured_queries)
    assert len(inserts) == 1 and "RETURNING" not in inserts[0].upper()
    assert len(ctx.captured_queries) == 1  # the catalog check is not logged: the query count is Django's
    pks = [t.pk for t in tags]
    assert pks == list(range(pks[0], pks[0] + len(tags)))
    assert dict(Tag.objects.values_list("pk", "name")) == {pks[0] - 1: "before", **{t.pk: t.name for t in tags}}


@needs_lastrowid
def test_keys_come_back_with_returning_where_lastrowid_is_not_enough():
    small = [Tag(name="s%d" % i) for i in range(3)]
    with CaptureQueriesContext(connection) as ctx:
        Tag.objects.bulk_create(small)
    assert "RETURNING" in insert_statements(ctx.captured_queries)[0].upper()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TRIGGER bulk_tag_trigger AFTER INSERT ON bulk_tag BEGIN SELECT 1; END")
    try:
        tags = [Tag(name="t%d" % i) for i in range(LASTROWID_MIN_ROWS)]
        with CaptureQueriesContext(connection) as ctx:
            Tag.objects.bulk_create(tags)
        assert "RETURNING" in insert_statements(ctx.captured_queries)[0].upper()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER bulk_tag_trigger")
    assert dict(Tag.objects.values_list("pk", "name")) == {t.pk: t.name for t in small + tags}


@needs_lastrowid
def test_keys_near_the_largest_rowid_come_back_with_returning():
    # AUTOINCREMENT (as Django's tables): past the largest rowid SQLite refuses the rows (SQLITE_FULL)
    # instead of picking random free keys; the keys are not assumed consecutive there either.
    from ormlette.db import OperationalError

    Tag.objects.create(pk=2 ** 63 - 100, name="high")
    tags = [Tag(name="h%d" % i) for i in range(LASTROWID_MIN_ROWS)]
    with CaptureQueriesContext(connection) as ctx, pytest.raises(OperationalError, match="full"):
        with transaction.atomic():
            Tag.objects.bulk_create(tags)
    assert "RETURNING" in insert_statements(ctx.captured_queries)[0].upper()
    assert list(Tag.objects.values_list("name", flat=True)) == ["high"]


class AlwaysTag(models.Model):
    """A table whose key is GENERATED ALWAYS: COPY could not write reserved keys into it."""

    name = models.CharField(max_length=30)

    class Meta:
        app_label = "bulk"
        db_table = "bulk_always_tag"
        managed = False


@needs_copy
def test_generated_always_identity_is_inserted_without_copy():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bulk_always_tag (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                       "name varchar(30) NOT NULL)")
    try:
        tags = [AlwaysTag(name="g%d" % i) for i in range(COPY_MIN_ROWS)]
        with CaptureQueriesContext(connection) as ctx:
            AlwaysTag.objects.bulk_create(tags)
        assert not copy_statements(ctx.captured_queries)
        assert dict(AlwaysTag.objects.values_list("pk", "name")) == {t.pk: t.name for t in tags}
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bulk_always_tag")
