"""Column types come from the backend's data_types table: each stock field's DDL type per vendor."""
import pytest

from ormlette.db import connection
from ormlette.db import models

# (field class, SQLite, PostgreSQL, MariaDB): the types the fields declared before the tables moved to the backends.
EXPECTED = [
    ('AutoField', 'INTEGER', 'INTEGER', 'INTEGER'),
    ('BigAutoField', 'INTEGER', 'BIGINT', 'BIGINT'),
    ('SmallAutoField', 'INTEGER', 'SMALLINT', 'SMALLINT'),
    ('IntegerField', 'INTEGER', 'INTEGER', 'INTEGER'),
    ('BigIntegerField', 'BIGINT', 'BIGINT', 'BIGINT'),
    ('SmallIntegerField', 'SMALLINT', 'SMALLINT', 'SMALLINT'),
    ('PositiveIntegerField', 'INTEGER', 'INTEGER', 'INTEGER'),
    ('PositiveSmallIntegerField', 'SMALLINT', 'SMALLINT', 'SMALLINT'),
    ('PositiveBigIntegerField', 'BIGINT', 'BIGINT', 'BIGINT'),
    ('FloatField', 'FLOAT', 'DOUBLE PRECISION', 'DOUBLE'),
    ('BooleanField', 'BOOLEAN', 'BOOLEAN', 'BOOL'),
    ('CharField', 'VARCHAR(20) COLLATE "C"', 'VARCHAR(20) COLLATE "C"', 'VARCHAR(20) COLLATE C'),
    ('TextField', 'TEXT COLLATE "C"', 'TEXT COLLATE "C"', 'LONGTEXT COLLATE utf8mb4_bin'),
    ('EmailField', 'VARCHAR(254)', 'VARCHAR(254)', 'VARCHAR(254)'),
    ('SlugField', 'VARCHAR(50)', 'VARCHAR(50)', 'VARCHAR(50)'),
    ('URLField', 'VARCHAR(200)', 'VARCHAR(200)', 'VARCHAR(200)'),
    ('DateField', 'DATE', 'DATE', 'DATE'),
    ('DateTimeField', 'DATETIME', 'TIMESTAMP WITH TIME ZONE', 'DATETIME(6)'),
    ('TimeField', 'TIME', 'TIME WITHOUT TIME ZONE', 'TIME(6)'),
    ('DurationField', 'BIGINT', 'INTERVAL', 'BIGINT'),
    ('UUIDField', 'CHAR(32)', 'UUID', 'CHAR(32)'),
    ('JSONField', 'TEXT', 'JSONB', 'JSON'),
    ('BinaryField', 'BLOB', 'BYTEA', 'LONGBLOB'),
    ('GenericIPAddressField', 'CHAR(39)', 'INET', 'CHAR(39)'),
    ('DecimalField', 'DECIMAL', 'NUMERIC(7, 2)', 'NUMERIC(7, 2)'),  # SQLite: Django's plain "decimal"
]
OPTIONS = {
    "CharField": {"max_length": 20, "db_collation": "C"},
    "DecimalField": {"max_digits": 7, "decimal_places": 2},
}
COLUMN = {"sqlite": 1, "postgresql": 2, "mysql": 3}


@pytest.mark.parametrize("row", EXPECTED, ids=[row[0] for row in EXPECTED])
def test_stock_field_column_type(row):
    options = dict(OPTIONS.get(row[0], {}))
    if row[0] == "TextField":
        options["db_collation"] = "utf8mb4_bin" if connection.vendor == "mysql" else "C"
    field = getattr(models, row[0])(**options)
    assert field.db_type(connection) == row[COLUMN[connection.vendor]]


def test_custom_subclass_uses_its_stock_parents_entry():
    class Code(models.CharField):
        pass

    assert Code(max_length=5).db_type(connection) == models.CharField(max_length=5).db_type(connection)


def test_a_field_without_a_column_type_says_so():
    with pytest.raises(NotImplementedError, match="Field has no column type"):
        models.Field().sa_type(connection)
