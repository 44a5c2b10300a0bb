"""Column types: for each stock field class, the SQLAlchemy type its column is declared with.

A backend's ``DatabaseWrapper.data_types`` is this table with the vendor's own entries laid over it
(``<vendor>/data_types.py``); a field finds its entry by its class's ``data_type_key`` (custom
subclasses inherit their stock parent's). Each entry takes the field (for lengths, digits, collation).
"""
import sqlalchemy as sa

DATA_TYPES = {
    "AutoField": lambda field: sa.Integer(),
    "BigAutoField": lambda field: sa.BigInteger(),
    "SmallAutoField": lambda field: sa.SmallInteger(),
    "IntegerField": lambda field: sa.Integer(),
    "BigIntegerField": lambda field: sa.BigInteger(),
    "SmallIntegerField": lambda field: sa.SmallInteger(),
    "FloatField": lambda field: sa.Double(),
    "DecimalField": lambda field: sa.Numeric(field.max_digits, field.decimal_places, asdecimal=True),
    "BooleanField": lambda field: sa.Boolean(create_constraint=False),
    "CharField": lambda field: sa.String(field.max_length, collation=field.db_collation),
    "TextField": lambda field: sa.Text(collation=field.db_collation),
    "DateField": lambda field: sa.Date(),
    "DateTimeField": lambda field: sa.DateTime(timezone=True),
    "TimeField": lambda field: sa.Time(),
    "DurationField": lambda field: sa.BigInteger(),  # microseconds
    "UUIDField": lambda field: sa.CHAR(32),
    "JSONField": lambda field: sa.Text(),
    "BinaryField": lambda field: sa.LargeBinary(),
    "GenericIPAddressField": lambda field: sa.CHAR(39),
}
