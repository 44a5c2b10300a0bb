"""MySQL / MariaDB backend on mysqlclient (MySQLdb) or PyMySQL (see driver.py)."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects import mysql as sa_mysql
from sqlalchemy.ext.compiler import compiles

from ormlette.conf import settings
from ormlette.db.backends.base.base import BaseDatabaseWrapper
from ormlette.db.backends.mysql.creation import DatabaseCreation
from ormlette.db.backends.base.features import BaseDatabaseFeatures
from ormlette.db.backends.base.operations import BaseDatabaseOperations, sql_string
from ormlette.db.backends.base.schema import BaseDatabaseSchemaEditor

from ormlette.db.backends.mysql import driver as _driver
from ormlette.db.backends.mysql.data_types import DATA_TYPES

_UTC = datetime.timezone.utc


class DatabaseFeatures(BaseDatabaseFeatures):
    """MariaDB / MySQL capabilities."""

    update_can_self_select = False
    can_return_columns_from_insert = True   # MariaDB 10.5+
    can_rollback_ddl = False  # every DDL statement commits
    creates_foreign_key_indexes = True
    supports_comments = True
    can_return_rows_from_bulk_insert = True
    has_native_boolean_field = False
    has_select_for_update = True
    has_select_for_update_nowait = True
    has_select_for_update_skip_locked = True
    supports_order_by_nulls_modifier = False
    has_case_insensitive_like = True
    supports_update_conflicts_with_target = False
    supports_slicing_ordering_in_compound = True
    supports_select_intersection = True
    supports_select_difference = True
    supports_partial_indexes = False
    supports_expression_indexes = False
    supports_frame_range_fixed_distance = True
    supports_virtual_generated_columns = True
    supported_explain_formats = frozenset({"JSON", "TEXT", "TRADITIONAL"})
    supported_explain_options = frozenset({"ANALYZE"})
    max_query_params = 65535
    allows_group_by_selected_pks = True
    supports_logical_xor = True
    supports_bulk_update_from_rows = True


def _has_zoneinfo_database(features):
    """Whether the server has time zone tables (CONVERT_TZ with named zones returns NULL otherwise)."""
    cached = features.__dict__.get("_zoneinfo")
    if cached is None:
        # A capability probe, not a user query: run it on the driver cursor (not logged or counted).
        cursor = features.connection.new_cursor()
        try:
            cursor.execute("SELECT 1 FROM mysql.time_zone LIMIT 1")
            cached = features.__dict__["_zoneinfo"] = cursor.fetchone() is not None
        finally:
            cursor.close()
    return cached


DatabaseFeatures.has_zoneinfo_database = property(_has_zoneinfo_database)


def _format_safe(identifier):
    """A quoted identifier that passes through the driver's %-formatting unchanged."""
    return identifier.replace("%", "%%")


class DatabaseOperations(BaseDatabaseOperations):
    """MariaDB value handling and SQL."""

    current_schema_sql = "DATABASE()"

    def column_unique_name(self, table, column):
        """MariaDB names a column's inline UNIQUE index after the column."""
        return column

    def rename_index_sql(self, table, old_name, new_name):
        """ALTER TABLE ... RENAME INDEX ... TO ...."""
        return "ALTER TABLE %s RENAME INDEX %s TO %s" % (self.quote_name(table), self.quote_name(old_name),
                                                         self.quote_name(new_name))

    cast_char_field_without_max_length = "char"

    def quote_name(self, name):
        """Backtick quoting."""
        if name.startswith("`") and name.endswith("`"):
            return name
        return "`%s`" % name.replace("`", "``")

    def insert_sa(self, table, on_conflict=None, update_columns=(), unique_columns=()):
        """INSERT IGNORE / INSERT ... ON DUPLICATE KEY UPDATE col = VALUES(col)."""
        if on_conflict == "ignore":
            return sa.insert(table).prefix_with("IGNORE")
        stmt = sa_mysql.insert(table)
        if on_conflict == "update":
            stmt = stmt.on_duplicate_key_update({col: stmt.inserted[col] for col in update_columns})
        return stmt

    def bulk_batch_size(self, fields_per_row, rows):
        """The driver binds on the client: one INSERT for all rows."""
        return max(1, rows)

    def bulk_update_from_rows_sql(self, table, pk_column, columns, row_count):
        """``UPDATE t JOIN (WITH r (pk, c0, ...) AS (VALUES (%s, ...), ...) SELECT ...) ON t.pk = r.pk SET ...``.

        A MariaDB table value constructor: each row is found through the primary key once, where a
        CASE WHEN per column compares every row with every branch. Its column types are aggregated
        over all rows, as a CASE's are (a NULL first row does not decide the type).
        """
        quote = self.quote_name
        table, pk_column = _format_safe(quote(table)), _format_safe(quote(pk_column))
        names = ["ormlette_c%d" % index for index in range(len(columns))]
        row = "(%s)" % ", ".join(["%s"] * (1 + len(columns)))
        rows_cte = "WITH ormlette_r (ormlette_pk, %s) AS (VALUES %s) SELECT * FROM ormlette_r" % (
            ", ".join(names), ", ".join([row] * row_count))
        assignments = ", ".join("%s.%s = ormlette_v.%s" % (table, _format_safe(quote(column)), name)
                                for column, name in zip(columns, names))
        return "UPDATE %s JOIN (%s) AS ormlette_v ON %s.%s = ormlette_v.ormlette_pk SET %s" % (
            table, rows_cte, table, pk_column, assignments)

    def dbapi_errors(self):
        """The base errors of the installed drivers (aiomysql raises PyMySQL's)."""
        return _driver.ERRORS

    # NOT NULL, out of range and CHECK violations arrive as OperationalError from the server.
    integrity_error_codes = frozenset({1048, 1690, 3819, 4025})

    def error_class_for(self, exc):
        """Constraint violations are IntegrityError, as in Django."""
        from ormlette.db.errors import IntegrityError

        code = exc.args[0] if exc.args else None
        return IntegrityError if code in self.integrity_error_codes else None

    def is_disconnect(self, exc):
        """Lost-connection error codes."""
        code = exc.args[0] if exc.args else None
        return isinstance(exc, _driver.OPERATIONAL_ERRORS) and code in _driver.DISCONNECT_CODES

    def last_executed_query(self, cursor, sql, params):
        """Both drivers keep the exact statement they sent (bytes in mysqlclient)."""
        executed = getattr(cursor, "_executed", None)
        if executed:
            return executed.decode(errors="replace") if isinstance(executed, bytes) else executed
        return super().last_executed_query(cursor, sql, params)

    def adapt_datetimefield_value(self, value):
        """Naive UTC datetime (MariaDB has no time zone support in DATETIME)."""
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if value.tzinfo is not None:
            if not settings.USE_TZ:
                raise ValueError("MySQL backend does not support timezone-aware datetimes when USE_TZ is False.")
            value = value.astimezone(_UTC).replace(tzinfo=None)
        return value

    def adapt_timefield_value(self, value):
        """Aware times are rejected as in Django."""
        if value is not None and value.tzinfo is not None:
            raise ValueError("MySQL backend does not support timezone-aware times.")
        return value

    def get_db_converters(self, field):
        """tinyint to bool, naive to aware UTC, TIME from timedelta, UUIDs from hex."""
        kind = field.get_internal_type()
        if kind == "BooleanField":
            return (_bool_converter,)
        if kind == "DateTimeField":
            return (_aware_utc,) if settings.USE_TZ else ()
        if kind == "TimeField":
            return (_time_from_timedelta,)
        if kind == "UUIDField":
            return (_uuid_converter,)
        if kind == "DecimalField":
            return ()
        return ()

    def lookup_sql(self, lookup_name, lhs, rhs):
        """LIKE BINARY for case-sensitive matches; REGEXP [BINARY]."""
        if lookup_name in ("contains", "startswith", "endswith"):
            return lhs.op("LIKE BINARY")(rhs)
        if lookup_name in ("icontains", "istartswith", "iendswith", "iexact"):
            return lhs.op("LIKE")(rhs)
        if lookup_name == "regex":
            return lhs.op("REGEXP BINARY")(rhs)
        if lookup_name == "iregex":
            return lhs.op("REGEXP")(rhs)
        return super().lookup_sql(lookup_name, lhs, rhs)

    def date_extract_sql(self, lookup_type, expr, tzname=None):
        """EXTRACT / DAYOFWEEK / WEEKDAY / YEARWEEK per kind."""
        if lookup_type == "week_day":
            return sa.func.dayofweek(expr)
        if lookup_type == "iso_week_day":
            return sa.func.weekday(expr) + 1
        if lookup_type == "week":
            return sa.func.week(expr, 3)
        if lookup_type == "iso_year":
            return sa.func.truncate(sa.func.yearweek(expr, 3), -2) / 100
        return sa.func.extract(lookup_type, expr)

    def _at_zone(self, expr, tzname):
        if tzname is None or tzname == "UTC":
            return expr
        return sa.func.convert_tz(expr, sql_string("UTC"), sql_string(tzname))

    def datetime_extract_sql(self, lookup_type, expr, tzname):
        """Date part in ``tzname``."""
        return self.date_extract_sql(lookup_type, self._at_zone(expr, tzname))

    def datetime_cast_date_sql(self, expr, tzname):
        """DATE(CONVERT_TZ(...))."""
        return sa.func.date(self._at_zone(expr, tzname))

    def datetime_cast_time_sql(self, expr, tzname):
        """TIME(CONVERT_TZ(...))."""
        return sa.func.time(self._at_zone(expr, tzname))

    def date_trunc_sql(self, lookup_type, expr, tzname=None):
        """Truncate a date with DATE_FORMAT / MAKEDATE."""
        return sa.func.date(_trunc_datetime(lookup_type, expr))

    def datetime_trunc_sql(self, lookup_type, expr, tzname):
        """Truncate a datetime in ``tzname``."""
        return _trunc_datetime(lookup_type, self._at_zone(expr, tzname))

    def time_trunc_sql(self, lookup_type, expr, tzname=None):
        """Truncate a time."""
        fmt = {"hour": "%H:00:00", "minute": "%H:%i:00", "second": "%H:%i:%s"}[lookup_type]
        return sa.func.time(sa.func.date_format(expr, sa.literal_column("'%s'" % fmt)))

    def now_sql(self):
        """CURRENT_TIMESTAMP(6)."""
        return sa.func.current_timestamp(sa.literal_column("6"))

    def concat_sa(self, *parts):
        """CONCAT(...)."""
        return sa.func.concat(*parts)

    def concat_null_safe_sa(self, *parts):
        """CONCAT_WS('', ...) skips NULLs."""
        return sa.func.concat_ws(sa.literal_column("''"), *parts)

    def bitwise_xor_sa(self, lhs, rhs):
        """``^``."""
        return lhs.op("^")(rhs)

    def combine_expression(self, connector, lhs, rhs, expression=None):
        """POW for ^ and MOD for %."""
        if connector == "^":
            return sa.func.pow(lhs, rhs)
        return super().combine_expression(connector, lhs, rhs, expression)

    def format_for_duration_arithmetic(self, expr):
        """``INTERVAL expr MICROSECOND`` (durations are stored as microseconds)."""
        return _Interval(expr)

    def subtract_temporals(self, internal_type, lhs, rhs):
        """Microseconds between two values."""
        if internal_type == "TimeField":
            def micro(e):
                return sa.func.TIME_TO_SEC(e) * sa.literal_column("1000000") + sa.func.MICROSECOND(e)
            return micro(lhs).op("-")(micro(rhs))
        return sa.func.TIMESTAMPDIFF(sa.literal_column("MICROSECOND"), rhs, lhs)

    def random_float_sa(self):
        """RAND()."""
        return sa.func.rand()

    def random_function_sql(self):
        """RAND()."""
        return sa.func.rand()

    def explain_sql(self, format=None, **options):
        """EXPLAIN [FORMAT=x] / ANALYZE."""
        if options.get("analyze"):
            return "ANALYZE"
        return "EXPLAIN FORMAT=%s" % format.upper() if format and format.upper() != "TEXT" else "EXPLAIN"


class _Interval(sa.sql.expression.ColumnElement):
    """``INTERVAL <expr> MICROSECOND``."""

    inherit_cache = False

    def __init__(self, expr):
        self.expr = expr
        self.type = sa.types.NullType()


@compiles(_Interval)
def _render_interval(element, compiler, **kw):
    return "INTERVAL %s MICROSECOND" % compiler.process(element.expr, **kw)


def _trunc_datetime(kind, expr):
    if kind == "quarter":
        return sa.func.timestamp(sa.func.timestampadd(
            sa.literal_column("QUARTER"), sa.func.quarter(expr) - 1, sa.func.makedate(sa.func.year(expr), 1)))
    if kind == "week":
        return sa.func.timestamp(sa.func.timestampadd(
            sa.literal_column("DAY"), -sa.func.weekday(expr), sa.func.date(expr)))
    formats = {"year": "%Y-01-01 00:00:00", "month": "%Y-%m-01 00:00:00", "day": "%Y-%m-%d 00:00:00",
               "hour": "%Y-%m-%d %H:00:00", "minute": "%Y-%m-%d %H:%i:00", "second": "%Y-%m-%d %H:%i:%s"}
    return sa.func.timestamp(sa.func.date_format(expr, sa.literal_column("'%s'" % formats[kind])))


def _bool_converter(value):
    return value if value is None else bool(value)


def _aware_utc(value):
    if value is None or not isinstance(value, datetime.datetime) or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=_UTC)


def _time_from_timedelta(value):
    if isinstance(value, datetime.timedelta):
        seconds = int(value.total_seconds())
        return datetime.time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60, value.microseconds)
    return value


def _uuid_converter(value):
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(value)


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """MariaDB DDL."""


class DatabaseWrapper(BaseDatabaseWrapper):
    """A mysqlclient or PyMySQL connection (FOUND_ROWS so UPDATE counts matched rows, as Django)."""

    vendor = "mysql"
    data_types = DATA_TYPES
    display_name = "MySQL"
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
    schema_editor_class = DatabaseSchemaEditor
    creation_class = DatabaseCreation
    sa_async_url_scheme = "mysql+aiomysql"

    @property
    def driver(self):
        """The :class:`~ormlette.db.backends.mysql.driver.Driver` (``OPTIONS["driver"]`` picks one)."""
        driver = self.__dict__.get("_driver")
        if driver is None:
            options = self.settings_dict.get("OPTIONS") or {}
            driver = self.__dict__["_driver"] = _driver.get_driver(options.get("driver"))
        return driver

    @property
    def sa_url_scheme(self):
        """``mysql+mysqldb`` or ``mysql+pymysql``."""
        return self.driver.sa_url_scheme

    def engine_options(self):
        """Positional ``%s`` parameters; the pool from the settings."""
        return {**super().engine_options(), "paramstyle": "format"}

    def _connection_settings(self):
        """(the driver's connect() keyword arguments, the session statements to run on a new connection)."""
        s = self.settings_dict
        options = dict(s.get("OPTIONS") or {})
        options.pop("driver", None)
        isolation = options.pop("isolation_level", "read committed")
        init_command = options.pop("init_command", None)
        params = {"database": s["NAME"], "user": s["USER"] or "root", "password": s["PASSWORD"] or "",
                  "host": s["HOST"] or "localhost", "port": int(s["PORT"] or 3306), "charset": "utf8mb4",
                  "autocommit": True, "client_flag": _driver.FOUND_ROWS}
        params.update(options)
        statements = ["SET SESSION TRANSACTION ISOLATION LEVEL %s" % isolation.upper(), "SET SESSION time_zone = '+00:00'"]
        if init_command:
            statements.append(init_command)
        return params, statements

    def connect_dbapi(self):
        """Open an autocommit utf8mb4 connection."""
        params, statements = self._connection_settings()
        conn = self.driver.connect(params)
        cursor = conn.cursor()
        try:
            for statement in statements:
                cursor.execute(statement)
        finally:
            cursor.close()
        return conn

    def supports_async_driver(self):
        """aiomysql is installed."""
        try:
            import aiomysql  # noqa: F401
        except ImportError:
            return False
        return True

    async def connect_async_dbapi(self):
        """An autocommit aiomysql connection with the same session settings."""
        import aiomysql

        params, statements = self._connection_settings()
        params["db"] = params.pop("database")  # aiomysql's name for it
        conn = await aiomysql.connect(**params)
        async with conn.cursor() as cursor:
            for statement in statements:
                await cursor.execute(statement)
        return conn

    def prepare_checked_out(self, dbapi_connection):
        """Pooled connections are handed out in autocommit mode."""
        if not dbapi_connection.get_autocommit():
            dbapi_connection.autocommit(True)
