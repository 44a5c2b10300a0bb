"""SQLite backend: the embedded default."""
import datetime
import sqlite3

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sa_sqlite

from ormlette.conf import settings
from ormlette.db.backends.base.base import BaseDatabaseWrapper
from ormlette.db.backends.sqlite3.creation import DatabaseCreation
from ormlette.db.backends.base.features import BaseDatabaseFeatures
from ormlette.db.backends.base.operations import BaseDatabaseOperations, sql_string
from ormlette.db.backends.base.schema import BaseDatabaseSchemaEditor
from ormlette.db.backends.sqlite3 import converters, functions
from ormlette.db.backends.sqlite3.data_types import DATA_TYPES

_UTC = datetime.timezone.utc
_SIMPLE_CONVERTERS = {"DateField": converters.date_value, "TimeField": converters.time_value,
                      "BooleanField": converters.bool_value, "UUIDField": converters.uuid_value}


class DatabaseFeatures(BaseDatabaseFeatures):
    """SQLite capabilities."""

    has_fast_executemany = True
    can_alter_table_add_constraint = False
    alters_by_table_rebuild = True
    can_rename_index = False

    supports_negative_round_precision = False
    supports_slicing_ordering_in_compound = False
    can_defer_constraint_checks = True

    can_return_columns_from_insert = sqlite3.sqlite_version_info >= (3, 35)
    can_return_rows_from_bulk_insert = sqlite3.sqlite_version_info >= (3, 35)
    supports_partial_indexes = True
    supports_frame_range_fixed_distance = True
    supports_frame_exclusion = True  # SQLite 3.28+
    supports_aggregate_filter_clause = sqlite3.sqlite_version_info >= (3, 30, 1)
    supports_update_conflicts_with_target = True
    supports_json_field_contains = False
    has_native_boolean_field = False
    supports_select_for_update_with_limit = True
    max_query_params = 999
    has_consecutive_bulk_insert_pks = True

    def __init__(self, connection):
        super().__init__(connection)


class DatabaseOperations(BaseDatabaseOperations):
    """SQLite value handling and SQL."""

    def table_names_sql(self, include_views=False):
        """sqlite_master's tables (and views), without SQLite's own."""
        kinds = "'table', 'view'" if include_views else "'table'"
        return "SELECT name FROM sqlite_master WHERE type IN (%s) AND name NOT LIKE 'sqlite!_%%' ESCAPE '!'" % kinds

    data_type_check_constraints = {"JSONField": "(JSON_VALID(%(column)s) OR %(column)s IS NULL)"}

    def table_kwargs(self, auto_pk):
        """AUTOINCREMENT, as Django: a deleted row's key is never handed out again."""
        return {"sqlite_autoincrement": True}

    def quote_name(self, name):
        """Quote an identifier with double quotes."""
        if name.startswith('"') and name.endswith('"'):
            return name
        return '"%s"' % name.replace('"', '""')

    def convert_placeholders(self, sql, params):
        """Turn ``%s`` / ``%(name)s`` placeholders into sqlite3's ``?`` / ``:name``."""
        if params is None:
            return sql, params
        if isinstance(params, dict):
            return sql % {k: ":%s" % k for k in params}, params
        return sql % tuple("?" * len(params)), params

    def has_consecutive_pks(self, table, column, count):
        """Whether a plain INSERT of ``count`` rows gives ``column`` consecutive keys (see bulk_insert)."""
        from ormlette.db.backends.sqlite3.bulk_insert import has_consecutive_pks

        return has_consecutive_pks(self.connection, table, column, count)

    def bulk_insert_context(self, row_count):
        """A page cache large enough for the INSERTs of a big bulk_create (see bulk_insert)."""
        from ormlette.db.backends.sqlite3.bulk_insert import roomy_page_cache

        return roomy_page_cache(self.connection, row_count)

    def insert_sa(self, table, on_conflict=None, update_columns=(), unique_columns=()):
        """INSERT OR IGNORE / INSERT ... ON CONFLICT (cols) DO UPDATE SET col = excluded.col."""
        if on_conflict == "ignore":
            return sa.insert(table).prefix_with("OR IGNORE")
        stmt = sa_sqlite.insert(table)
        if on_conflict == "update":
            stmt = stmt.on_conflict_do_update(
                index_elements=list(unique_columns),
                set_={col: stmt.excluded[col] for col in update_columns})
        return stmt

    def dbapi_errors(self):
        """sqlite3's base error."""
        return sqlite3.Error

    def begin_sql(self):
        """Start a deferred transaction."""
        return "BEGIN"

    def adapt_datetimefield_value(self, value):
        """Naive UTC text, as Django stores it."""
        if value is None:
            return None
        if hasattr(value, "resolve_expression"):
            return value
        if value.tzinfo is not None:
            if not settings.USE_TZ:
                raise ValueError("SQLite backend does not support timezone-aware datetimes when USE_TZ is False.")
            value = value.astimezone(_UTC).replace(tzinfo=None)
        return str(value)

    def adapt_datefield_value(self, value):
        """ISO date text."""
        return None if value is None else str(value)

    def adapt_timefield_value(self, value):
        """ISO time text; aware times are rejected as in Django."""
        if value is None:
            return None
        if value.tzinfo is not None:
            raise ValueError("SQLite backend does not support timezone-aware times.")
        return str(value)

    def adapt_decimalfield_value(self, value, max_digits=None, decimal_places=None):
        """Decimals go in as text so no precision is lost on the way in."""
        return None if value is None else str(value)

    def get_db_converters(self, field):
        """Text to date/time types, ints to bools and UUIDs from hex."""
        kind = field.get_internal_type()
        if kind == "DateTimeField":
            return (self._datetime_converter(),)
        if kind == "DecimalField":
            return (converters.decimal_field_converter(field),)
        simple = _SIMPLE_CONVERTERS.get(kind)
        return (simple,) if simple is not None else ()

    def get_expression_converters(self, field):
        """Converters for a computed value: decimals keep SQLite's 15 significant digits, unquantized."""
        if field.get_internal_type() == "DecimalField":
            return (converters.float_decimal,)
        return tuple(field.get_db_converters(self.connection))

    def _datetime_converter(self):
        return converters.aware_datetime if settings.USE_TZ else converters.parse_stored_datetime

    def max_query_params(self):
        """Read the compiled-in variable limit from the live connection."""
        limit = getattr(self.connection, "_variable_limit", None)
        if limit is None:
            self.connection.ensure_connection()
            try:
                limit = self.connection.dbapi.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            except AttributeError:
                limit = 999
            self.connection._variable_limit = limit
        return limit

    def lookup_sql(self, lookup_name, lhs, rhs):
        """LIKE with an explicit backslash escape; REGEXP through a Python function."""
        if lookup_name in ("contains", "startswith", "endswith", "icontains", "istartswith",
                           "iendswith", "iexact"):
            return lhs.like(rhs, escape="\\")
        if lookup_name == "regex":
            return sa.func.regexp(rhs, lhs)
        if lookup_name == "iregex":
            return sa.func.regexp(sa.literal_column("'(?i)'").op("||")(rhs), lhs)
        return super().lookup_sql(lookup_name, lhs, rhs)

    def date_extract_sql(self, lookup_type, expr, tzname=None):
        """Date part of a date (or of a datetime when no time zone applies)."""
        return sa.func.ormlette_date_extract(sql_string(lookup_type), expr)

    def datetime_extract_sql(self, lookup_type, expr, tzname):
        """Date part of a UTC datetime seen in ``tzname``."""
        return sa.func.ormlette_datetime_extract(
            sql_string(lookup_type), expr, sql_string(tzname))

    def datetime_cast_date_sql(self, expr, tzname):
        """Date of a datetime in ``tzname``."""
        return sa.func.ormlette_datetime_cast_date(expr, sql_string(tzname))

    def datetime_cast_time_sql(self, expr, tzname):
        """Time of a datetime in ``tzname``."""
        return sa.func.ormlette_datetime_cast_time(expr, sql_string(tzname))

    def date_trunc_sql(self, lookup_type, expr, tzname=None):
        """Truncate a date."""
        return sa.func.ormlette_date_trunc(sql_string(lookup_type), expr)

    def datetime_trunc_sql(self, lookup_type, expr, tzname):
        """Truncate a datetime in ``tzname``."""
        return sa.func.ormlette_datetime_trunc(
            sql_string(lookup_type), expr, sql_string(tzname))

    def time_trunc_sql(self, lookup_type, expr, tzname=None):
        """Truncate a time."""
        return sa.func.ormlette_time_trunc(sql_string(lookup_type), expr)

    def time_extract_sql(self, lookup_type, expr):
        """Hour/minute/second of a time stored as text."""
        return sa.func.ormlette_time_extract(sql_string(lookup_type), expr)

    def now_sql(self):
        """Text in the stored datetime format."""
        return sa.func.strftime(sa.literal_column("'%Y-%m-%d %H:%M:%f'"), sa.literal_column("'now'"))

    def combine_expression(self, connector, lhs, rhs, expression=None):
        """MOD/POWER are Python functions on SQLite; % is native."""
        if connector == "^":
            return sa.func.POWER(lhs, rhs)
        return super().combine_expression(connector, lhs, rhs, expression)

    def decimal_expression_sa(self, expr):
        """CAST(... AS NUMERIC): decimals are bound as text on SQLite."""
        return sa.cast(expr, sa.Numeric())

    def random_float_sa(self):
        """RAND() (a Python function: SQLite's RANDOM() is an integer)."""
        return sa.func.RAND()

    def cast_sa(self, expr, field):
        """Dates and times keep their text form (Django uses date()/strftime())."""
        kind = field.get_internal_type()
        if kind == "DateField":
            return sa.func.date(expr)
        if kind in ("DateTimeField", "TimeField"):
            fmt = "%H:%M:%f" if kind == "TimeField" else "%Y-%m-%d %H:%M:%f"
            return sa.func.strftime(sa.literal_column("'%s'" % fmt), expr)
        return super().cast_sa(expr, field)

    def bitwise_xor_sa(self, lhs, rhs):
        """BITXOR() (a Python function on SQLite)."""
        return sa.func.BITXOR(lhs, rhs)

    def combine_duration_expression(self, connector, lhs, rhs):
        """Date/duration arithmetic in Python (durations are stored as microseconds)."""
        from ormlette.db.utils import DatabaseError

        if connector not in ("+", "-", "*", "/"):
            raise DatabaseError("Invalid connector for timedelta: %s." % connector)
        return sa.func.ormlette_format_dtdelta(sa.literal_column("'%s'" % connector), lhs, rhs)

    def subtract_temporals(self, internal_type, lhs, rhs):
        """Microseconds between two dates, datetimes or times."""
        return sa.func.ormlette_timestamp_diff(lhs, rhs)

    def explain_sql(self, format=None, **options):
        """SQLite only has EXPLAIN QUERY PLAN."""
        return "EXPLAIN QUERY PLAN"


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """SQLite DDL (SQLAlchemy renders it)."""


class DatabaseWrapper(BaseDatabaseWrapper):
    """A connection to one SQLite database file (or ``:memory:``)."""

    vendor = "sqlite"
    data_types = DATA_TYPES
    display_name = "SQLite"
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
    schema_editor_class = DatabaseSchemaEditor
    creation_class = DatabaseCreation
    sa_url_scheme = "sqlite+pysqlite"
    sa_async_url_scheme = "sqlite+aiosqlite"

    def create_engine(self):
        """The pooled engine; our SQL functions are (re)registered after SQLAlchemy's own."""
        engine = super().create_engine()
        # SQLAlchemy's pysqlite dialect registers a NULL-unsafe ``floor`` on connect; ours must win.
        sa.event.listen(engine, "connect", lambda dbapi_connection, record: functions.register(dbapi_connection))
        return engine

    def engine_options(self):
        """A memory database must be one shared connection; files get a normal pool."""
        if self._is_memory():
            return {"poolclass": sa.pool.StaticPool}
        return {"poolclass": sa.pool.QueuePool, **super().engine_options()}

    def _is_memory(self):
        name = str(self.settings_dict["NAME"])
        return name in ("", ":memory:") or "mode=memory" in name

    def connect_dbapi(self):
        """Open the file in autocommit mode with foreign keys and our functions."""
        options = dict(self.settings_dict.get("OPTIONS") or {})
        init_command = options.pop("init_command", None)
        options.pop("transaction_mode", None)
        name = str(self.settings_dict["NAME"] or ":memory:")
        conn = sqlite3.connect(
            name, isolation_level=None, check_same_thread=False, detect_types=0,
            uri=name.startswith("file:"), timeout=options.pop("timeout", 20), **options,
        )
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA legacy_alter_table = OFF")
        functions.register(conn)
        if init_command:
            for statement in init_command.split(";"):
                if statement.strip():
                    conn.execute(statement)
        return conn

    def is_usable(self):
        """SQLite connections stay usable."""
        return True

    def async_engine_options(self):
        """No pooling: each aiosqlite connection owns a worker thread that must not outlive its call."""
        return {"poolclass": sa.pool.NullPool}

    def disable_constraint_checking(self):
        """PRAGMA foreign_keys = OFF (outside a transaction only, where SQLite honours it)."""
        self.ensure_connection()
        if self.in_atomic_block:
            return False
        self.dbapi.execute("PRAGMA foreign_keys = OFF")
        return True

    def enable_constraint_checking(self):
        """PRAGMA foreign_keys = ON."""
        if self.connection is not None and not self.in_atomic_block:
            self.dbapi.execute("PRAGMA foreign_keys = ON")

    def supports_async_driver(self):
        """aiosqlite is installed and the database is a file (memory databases are per connection)."""
        try:
            import aiosqlite  # noqa: F401
        except ImportError:
            return False
        return not self._is_memory()

    async def connect_async_dbapi(self):
        """An aiosqlite connection set up like the sync one."""
        import aiosqlite

        name = str(self.settings_dict["NAME"])
        options = dict(self.settings_dict.get("OPTIONS") or {})
        conn = await aiosqlite.connect(name, isolation_level=None, check_same_thread=False, detect_types=0,
                                       uri=name.startswith("file:"), timeout=options.get("timeout", 20))
        await conn.execute("PRAGMA foreign_keys = ON")
        # aiosqlite has no create_aggregate; the underlying sqlite3 connection allows use from this
        # thread (check_same_thread=False) and is idle while we register functions on it.
        functions.register(conn._connection)
        return conn
