"""SQLite column types: only ``INTEGER PRIMARY KEY`` auto-increments (the rowid alias)."""
import sqlalchemy as sa

from ormlette.db.backends.base.data_types import DATA_TYPES as BASE_DATA_TYPES

DATA_TYPES = {
    **BASE_DATA_TYPES,
    "BigAutoField": lambda field: sa.Integer(),
    "SmallAutoField": lambda field: sa.Integer(),
    "FloatField": lambda field: sa.Float(),
    "DecimalField": lambda field: sa.DECIMAL(asdecimal=True),  # Django's plain "decimal"
}
