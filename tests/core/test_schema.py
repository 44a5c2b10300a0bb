"""Schema editor: tables, indexes and constraints from the models' SQLAlchemy MetaData."""
import decimal

import pytest

import ormlette
from ormlette.db import IntegrityError, connection, models, transaction
from tests.backends import clean_tables, use_models
from tests.core.models import Item, Note

tables = use_models(Item, Note)
cleanup = clean_tables(Item, Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


INDEX_CATALOG = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
    "postgresql": "SELECT indexname FROM pg_indexes WHERE tablename = %s",
    "mysql": "SELECT DISTINCT index_name FROM information_schema.statistics "
             "WHERE table_schema = DATABASE() AND table_name = %s",
}


def index_names(table):
    with connection.cursor() as cursor:
        cursor.execute(INDEX_CATALOG[connection.vendor], [table])
        names = {row[0] for row in cursor.fetchall()}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
            ddl = cursor.fetchone()[0]
        names |= {name for name in ("core_item_title_kind_uniq",) if name in ddl}
    return names


def test_declared_indexes_and_unique_constraints_exist():
    names = index_names("core_item")
    assert "core_item_price_title" in names
    assert "core_item_title_kind_uniq" in names
    assert any("title" in (n or "") for n in names)


def test_unique_constraint_violation_raises_integrity_error():
    Item.objects.create(title="same", kind="bk")
    with pytest.raises(IntegrityError) as info:
        with transaction.atomic():
            Item.objects.create(title="same", kind="bk")
    assert info.value.__cause__ is not None


def test_check_constraint_violation_raises_integrity_error():
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Item.objects.create(title="neg", price=decimal.Decimal("-1"))


def test_positive_integer_check():
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Item.objects.create(title="p", pages=-5)


def test_field_unique_and_unique_together():
    Item.objects.create(title="a", slug="s")
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Item.objects.create(title="b", slug="s")
    Note.objects.create(text="x", n=1)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Note.objects.create(text="x", n=1)


def test_not_null_violation():
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Note.objects.create(text="x", n=None)


def test_create_and_drop_tables_helpers():
    class Temp(models.Model):
        name = models.CharField(max_length=5, unique=True)

        class Meta:
            app_label = "core"

    ormlette.create_tables(Temp)
    Temp.objects.create(name="x")
    assert Temp.objects.count() == 1
    ormlette.drop_tables(Temp)
    import sqlalchemy as sa

    assert "core_temp" not in sa.inspect(connection.engine).get_table_names()


def test_schema_editor_collects_sql():
    with connection.schema_editor(collect_sql=True) as editor:
        editor.create_model(Note)
    sql = "\n".join(editor.collected_sql)
    assert "CREATE TABLE" in sql and "core_note" in sql

