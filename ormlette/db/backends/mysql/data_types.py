"""MariaDB column types: microsecond datetimes and times, native JSON, LONGTEXT and LONGBLOB."""
from sqlalchemy.dialects import mysql as sa_mysql

from ormlette.db.backends.base.data_types import DATA_TYPES as BASE_DATA_TYPES

DATA_TYPES = {
    **BASE_DATA_TYPES,
    "DateTimeField": lambda field: sa_mysql.DATETIME(fsp=6),
    "TimeField": lambda field: sa_mysql.TIME(fsp=6),
    "JSONField": lambda field: sa_mysql.JSON(),
    "TextField": lambda field: sa_mysql.LONGTEXT(collation=field.db_collation),
    "BinaryField": lambda field: sa_mysql.LONGBLOB(),
}
