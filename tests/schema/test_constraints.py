"""Indexes and constraints exist in the database and violations raise IntegrityError."""
import decimal

import pytest

from ormlette.db import IntegrityError, connection, transaction
from ormlette.db.models import F
from tests.backends import clean_tables, use_models
from tests.schema.models import Catalog, Seat

tables = use_models(Catalog, Seat)
cleanup = clean_tables(Catalog, Seat, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")
features = connection.features


def make(**kwargs):
    values = {"name": "n", "slug": "s", "title": "t"}
    values.update(kwargs)
    values.setdefault("code", "c-" + values["name"])
    values["slug"] = values["slug"] if "slug" in kwargs else "s-" + values["name"]
    return Catalog.objects.create(**values)


def violates(func):
    with pytest.raises(IntegrityError) as info:
        with transaction.atomic():
            func()
    assert info.value.__cause__ is not None
    return info.value


_INDEX_SQL = {
    "sqlite": "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
    "postgresql": "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
    "mysql": "SELECT INDEX_NAME, CONCAT(COLUMN_NAME, ' ', COALESCE(COLLATION, '')) FROM information_schema.STATISTICS "
             "WHERE TABLE_NAME = %s AND TABLE_SCHEMA = DATABASE()",
}


def index_definitions(table):
    """{index name: definition text} read from the database's catalog."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(_INDEX_SQL[connection.vendor], [table])
        for name, definition in cursor.fetchall():
            found[name] = (found.get(name, "") + " " + (definition or "")).strip()
    return found


def test_indexes_created():
    indexes = index_definitions("schema_catalog")
    for index in Catalog._meta.indexes:
        assert index.name, "Meta.indexes get a generated name"
        supported = (index.condition is None or features.supports_partial_indexes) and (
            not index.expressions or features.supports_expression_indexes)
        assert (index.name in indexes) == supported, index.name
    assert any("title" in d for d in indexes.values())  # db_index=True


def test_descending_index_column():
    name = [i.name for i in Catalog._meta.indexes if i.fields == ["-created_at"]][0]
    definition = index_definitions("schema_catalog")[name]
    assert "DESC" in definition.upper() or definition.endswith(" D")


def test_check_constraints():
    product = make()
    violates(lambda: make(name="x", price=decimal.Decimal("-1")))
    violates(lambda: Catalog.objects.filter(pk=product.pk).update(stock=F("stock") - 1))
    assert Catalog.objects.count() == 1


def test_unique_together_and_db_index():
    make(name="a", shelf=1, bin=1)
    violates(lambda: make(name="b", shelf=1, bin=1))
    make(name="c", shelf=None, bin=1)
    make(name="d", shelf=None, bin=1)
    assert Catalog.objects.count() == 3  # NULLs are distinct in ordinary unique constraints


def test_nulls_distinct_false():
    make(name="a", code=None)
    if features.supports_nulls_distinct_unique_constraints:
        violates(lambda: make(name="b", code=None))
        make(name="c", code="X")
        violates(lambda: make(name="d", code="X"))
    else:
        make(name="b", code=None)  # not supported: the whole constraint is skipped, as Django
        make(name="c", code="X")
        make(name="d", code="X")


def test_expression_unique_constraint():
    make(name="a", slug="Abc")
    if features.supports_expression_indexes:
        violates(lambda: make(name="b", slug="aBC"))
    else:
        make(name="b", slug="aBC")


def test_partial_unique_constraint():
    make(name="same", status="active", slug="s1", code="c1")
    make(name="same", status="archived", slug="s2", code="c2")
    if features.supports_partial_indexes:
        violates(lambda: make(name="same", status="active", slug="s3", code="c3"))


def test_deferrable_unique_constraint():
    a = Seat.objects.create(row=1, number=1)
    b = Seat.objects.create(row=1, number=2)
    if features.supports_deferrable_unique_constraints:
        with transaction.atomic():  # a swap passes because the check runs at COMMIT
            Seat.objects.filter(pk=a.pk).update(number=2)
            Seat.objects.filter(pk=b.pk).update(number=1)
        assert Seat.objects.get(pk=a.pk).number == 2
    else:
        violates(lambda: Seat.objects.filter(pk=a.pk).update(number=2))


def test_create_sql_mentions_constraints():
    with connection.schema_editor(collect_sql=True) as editor:
        statements = editor.create_sql(Catalog)
    ddl = "\n".join(statements)
    assert "catalog_price_non_negative" in ddl and "CHECK" in ddl.upper()
    assert ("catalog_lower_name" in ddl) == features.supports_expression_indexes
    assert ("catalog_active_name " in ddl) == features.supports_partial_indexes
    if connection.vendor == "postgresql":
        assert "INCLUDE" in ddl.upper() and "varchar_pattern_ops" in ddl
        assert "NULLS NOT DISTINCT" in ddl.upper()
