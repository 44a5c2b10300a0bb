"""PostgreSQL backend on psycopg 3."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as sa_postgresql
from sqlalchemy.ext.compiler import compiles

from ormlette.db.backends.base.base import BaseDatabaseWrapper
from ormlette.db.backends.postgresql.creation import DatabaseCreation
from ormlette.db.backends.base.features import BaseDatabaseFeatures
from ormlette.db.backends.base.operations import BaseDatabaseOperations, sql_string
from ormlette.db.backends.base.schema import BaseDatabaseSchemaEditor
from ormlette.db.errors import Error

try:
    import psycopg
    from psycopg.types.string import TextLoader

    from ormlette.db.backends.postgresql import binding
except ImportError:  # pragma: no cover - reported when the backend is used
    psycopg = None


class DatabaseFeatures(BaseDatabaseFeatures):
    """PostgreSQL capabilities."""

    has_fast_executemany = True
    supports_unnest_insert = True
    supports_copy_from = True
    supports_in_list_array = True

    can_return_columns_from_insert = True
    can_return_rows_from_bulk_insert = True
    has_native_uuid_field = True
    has_native_json_field = True
    has_native_duration_field = True
    has_native_boolean_field = True
    supports_timezones = True
    has_select_for_update = True
    has_select_for_update_nowait = True
    has_select_for_update_skip_locked = True
    has_select_for_update_of = True
    has_select_for_no_key_update = True
    supports_distinct_on_fields = True
    supports_frame_range_fixed_distance = False  # PostgreSQL could; Django 5.2 rejects it, and so do we
    nulls_order_largest = True
    supports_covering_indexes = True
    supports_deferrable_unique_constraints = True
    can_defer_constraint_checks = True
    supports_nulls_distinct_unique_constraints = True
    supports_virtual_generated_columns = False
    supports_aggregate_filter_clause = True
    supported_explain_formats = frozenset({"JSON", "TEXT", "XML", "YAML"})
    supported_explain_options = frozenset({"ANALYZE", "BUFFERS", "COSTS", "GENERIC_PLAN", "MEMORY", "SETTINGS", "SUMMARY",
                                           "TIMING", "VERBOSE", "WAL"})
    requires_casted_case_in_updates = True
    max_query_params = 65535


class DatabaseOperations(BaseDatabaseOperations):
    """PostgreSQL value handling and SQL."""

    def insert_sa(self, table, on_conflict=None, update_columns=(), unique_columns=()):
        """INSERT with ON CONFLICT DO NOTHING / DO UPDATE SET col = EXCLUDED.col."""
        return _on_conflict_insert(sa_postgresql.insert(table), on_conflict, update_columns, unique_columns)

    def bulk_batch_size(self, fields_per_row, rows):
        """Server-side binding allows 65535 parameters per statement; client-side has no limit."""
        if self.connection.server_side_binding:
            return super().bulk_batch_size(fields_per_row, rows)
        return max(1, rows)

    def copy_rows(self, table, columns, rows, db_types=None):
        """COPY driver-value rows into ``table`` (see bulk_load)."""
        from ormlette.db.backends.postgresql.bulk_load import copy_rows

        return copy_rows(self.connection, table, columns, rows, db_types)

    def copy_rows_with_pks(self, table, pk, columns, rows, db_types=None):
        """COPY rows with reserved primary keys; the keys in row order, or None (see bulk_load)."""
        from ormlette.db.backends.postgresql.bulk_load import copy_rows_with_pks

        return copy_rows_with_pks(self.connection, table, pk, columns, rows, db_types)

    def dbapi_errors(self):
        """psycopg's base error."""
        return psycopg.Error

    def is_disconnect(self, exc):
        """Connection-level failures."""
        return isinstance(exc, psycopg.OperationalError) and self.connection.dbapi is not None and \
            self.connection.dbapi.closed

    def last_executed_query(self, cursor, sql, params):
        """The statement with its values rendered in, as client-side binding would send it."""
        if params is None:
            return sql
        try:
            return binding.literal_sql(self.connection.dbapi, sql, params)
        except Exception:  # noqa: BLE001 - a statement the driver rejected is shown as written
            return super().last_executed_query(cursor, sql, params)

    def adapt_uuid_value(self, value):
        """Native uuid."""
        return value

    def adapt_duration_value(self, value):
        """Native interval."""
        return value

    def adapt_json_value(self, value, encoder):
        """jsonb through psycopg's Jsonb wrapper."""
        from psycopg.types.json import Jsonb

        from ormlette.db.backends.postgresql.json_ops import json_dumps_for

        return Jsonb(value, dumps=json_dumps_for(encoder) if encoder else None)

    def get_db_converters(self, field):
        """psycopg already returns the right Python types."""
        return ()

    def streaming_cursor(self):
        """A server-side cursor for ``iterator()`` (a client one with ``DISABLE_SERVER_SIDE_CURSORS``)."""
        from ormlette.db.backends.postgresql.streaming import streaming_cursor

        connection = self.connection
        if connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
            return connection.dbapi.cursor()
        return streaming_cursor(connection.dbapi)

    def lookup_sql(self, lookup_name, lhs, rhs):
        """LIKE / UPPER() LIKE and the ``~`` regex operators, casting non-text columns."""
        text_lhs = lhs
        if lookup_name in ("contains", "startswith", "endswith"):
            return _as_text(text_lhs).like(rhs)
        if lookup_name in ("icontains", "istartswith", "iendswith"):
            return sa.func.upper(_as_text(text_lhs)).like(sa.func.upper(rhs))
        if lookup_name == "iexact":
            return sa.func.upper(_as_text(text_lhs)).like(sa.func.upper(rhs))
        if lookup_name == "regex":
            return _as_text(text_lhs).op("~")(rhs)
        if lookup_name == "iregex":
            return _as_text(text_lhs).op("~*")(rhs)
        return super().lookup_sql(lookup_name, lhs, rhs)

    def date_extract_sql(self, lookup_type, expr, tzname=None):
        """EXTRACT with Django's kinds mapped to PostgreSQL fields."""
        if lookup_type == "week_day":
            return sa.func.extract("dow", expr) + 1
        if lookup_type == "iso_week_day":
            return sa.func.extract("isodow", expr)
        if lookup_type == "iso_year":
            return sa.func.extract("isoyear", expr)
        if lookup_type == "second":
            return sa.func.floor(sa.func.extract("second", expr))
        return sa.func.extract(lookup_type, expr)

    def _at_zone(self, expr, tzname):
        if tzname is None:
            return expr
        return _AtTimeZone(expr, tzname)

    def datetime_extract_sql(self, lookup_type, expr, tzname):
        """EXTRACT from the datetime seen in ``tzname``."""
        return self.date_extract_sql(lookup_type, self._at_zone(expr, tzname))

    def datetime_cast_date_sql(self, expr, tzname):
        """(expr AT TIME ZONE tz)::date."""
        return sa.cast(self._at_zone(expr, tzname), sa.Date)

    def datetime_cast_time_sql(self, expr, tzname):
        """(expr AT TIME ZONE tz)::time."""
        return sa.cast(self._at_zone(expr, tzname), sa.Time)

    def date_trunc_sql(self, lookup_type, expr, tzname=None):
        """DATE_TRUNC on a date."""
        return sa.cast(sa.func.date_trunc(sql_string(lookup_type), expr), sa.Date)

    def datetime_trunc_sql(self, lookup_type, expr, tzname):
        """DATE_TRUNC in ``tzname``."""
        return sa.func.date_trunc(sql_string(lookup_type), self._at_zone(expr, tzname))

    def time_trunc_sql(self, lookup_type, expr, tzname=None):
        """DATE_TRUNC on a time."""
        return sa.cast(sa.func.date_trunc(sql_string(lookup_type), expr), sa.Time)

    def unnest_insert_sql(self, table, columns, types, returning):
        """``INSERT INTO t (a, b) SELECT * FROM UNNEST(%s::type[], %s::type[]) [RETURNING ...]``."""
        casts = ", ".join("%%s::%s[]" % column_type for column_type in types)
        sql = "INSERT INTO %s (%s) SELECT * FROM UNNEST(%s)" % (
            self.quote_name(table), ", ".join(self.quote_name(c) for c in columns), casts)
        if returning:
            sql += " RETURNING %s" % ", ".join(self.quote_name(c) for c in returning)
        return sql

    def concat_null_safe_sa(self, *parts):
        """``||`` needs text operands on PostgreSQL: cast each part, as Django does."""
        return self.concat_sa(*[sa.func.coalesce(sa.cast(p, sa.Text), sa.literal_column("''")) for p in parts])

    def now_sql(self):
        """STATEMENT_TIMESTAMP(), as Django."""
        return sa.func.statement_timestamp()

    json_object_function = "JSONB_BUILD_OBJECT"

    def bitwise_xor_sa(self, lhs, rhs):
        """``#``."""
        return lhs.op("#")(rhs)

    def duration_extract_sql(self, lookup_type, expr):
        """EXTRACT from an interval."""
        return self.date_extract_sql(lookup_type, expr)

    def explain_sql(self, format=None, **options):
        """EXPLAIN (FORMAT x, ANALYZE true, ...)."""
        parts = []
        if format:
            parts.append("FORMAT %s" % format.upper())
        for name, value in sorted(options.items()):
            parts.append("%s %s" % (name.upper(), "true" if value else "false"))
        return "EXPLAIN (%s)" % ", ".join(parts) if parts else "EXPLAIN"


def _as_text(expr):
    return expr if isinstance(getattr(expr, "type", None), (sa.String, sa.Text)) else sa.cast(expr, sa.Text)


class _AtTimeZone(sa.sql.expression.ColumnElement):
    """``expr AT TIME ZONE 'zone'`` with an allow-listed zone name."""

    inherit_cache = False

    def __init__(self, expr, tzname):
        self.expr = expr
        self.tzname = tzname
        self.type = sa.DateTime()


@compiles(_AtTimeZone)
def _render_at_time_zone(element, compiler, **kw):
    return "(%s AT TIME ZONE %s)" % (compiler.process(element.expr, **kw),
                                      compiler.process(sql_string(element.tzname), **kw))


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """PostgreSQL DDL."""


class DatabaseWrapper(BaseDatabaseWrapper):
    """A psycopg 3 connection; parameters are bound as described in ``postgresql/binding.py``."""

    vendor = "postgresql"
    display_name = "PostgreSQL"
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
    schema_editor_class = DatabaseSchemaEditor
    creation_class = DatabaseCreation
    sa_url_scheme = "postgresql+psycopg"
    sa_async_url_scheme = "postgresql+psycopg_async"

    def engine_options(self):
        """Positional ``%s`` parameters everywhere."""
        return {"paramstyle": "format", "pool_size": 10, "max_overflow": 50}

    def connect_dbapi(self):
        """Open an autocommit psycopg connection."""
        if psycopg is None:
            raise ImportError("The PostgreSQL backend needs psycopg 3: pip install 'psycopg[binary]'")
        params = self._connect_params()
        if not self.server_side_binding:
            params["cursor_factory"] = psycopg.ClientCursor
        conn = psycopg.connect(**params)
        for type_name in ("jsonb", "json", "inet", "cidr"):
            conn.adapters.register_loader(type_name, TextLoader)
        binding.configure(conn)
        conn.execute("SELECT set_config('TimeZone', %s, false)", [self._session_time_zone()])
        return conn

    @property
    def server_side_binding(self):
        """Whether statements are bound server-side first (the default; ``OPTIONS`` can turn it off)."""
        return (self.settings_dict.get("OPTIONS") or {}).get("server_side_binding") is not False

    def _execute_on(self, cursor, sql, params, many):
        """The driver call, with server-side binding and its client-side fallback."""
        if not binding.uses_server_binding(cursor, params):
            return super()._execute_on(cursor, sql, params, many)
        if many:
            params = binding.executemany_params(params)
        try:
            return binding.execute(cursor, sql, params, many)
        except Error:
            raise
        except Exception as exc:
            self._on_error(exc)

    def _connect_params(self):
        s = self.settings_dict
        options = dict(s.get("OPTIONS") or {})
        options.pop("server_side_binding", None)
        options.pop("isolation_level", None)
        params = {"dbname": s["NAME"] or "postgres", "autocommit": True}
        for key, setting in (("user", "USER"), ("password", "PASSWORD"), ("host", "HOST"), ("port", "PORT")):
            if s.get(setting):
                params[key] = s[setting]
        params.update(options)
        return params

    def ensure_timezone(self):
        """SET the session TimeZone again (USE_TZ / TIME_ZONE were overridden)."""
        if self.dbapi is not None and self.async_connection is None:
            self.dbapi.execute("SELECT set_config('TimeZone', %s, false)", [self._session_time_zone()])

    def _session_time_zone(self):
        from ormlette.conf import settings

        return "UTC" if settings.USE_TZ else (self.settings_dict.get("TIME_ZONE") or settings.TIME_ZONE)

    def supports_async_driver(self):
        """psycopg 3 has a native async connection."""
        return psycopg is not None

    async def connect_async_dbapi(self):
        """An autocommit psycopg AsyncConnection with client-side binding, like the sync one."""
        conn = await psycopg.AsyncConnection.connect(cursor_factory=psycopg.AsyncClientCursor,
                                                     **self._connect_params())
        for type_name in ("jsonb", "json", "inet", "cidr"):
            conn.adapters.register_loader(type_name, TextLoader)
        await conn.execute("SELECT set_config('TimeZone', %s, false)", [self._session_time_zone()])
        return conn

    def prepare_checked_out(self, dbapi_connection):
        """Pooled connections are always handed out in autocommit mode."""
        if not dbapi_connection.autocommit:
            dbapi_connection.autocommit = True



def _on_conflict_insert(stmt, on_conflict, update_columns, unique_columns):
    if on_conflict == "ignore":
        return stmt.on_conflict_do_nothing()
    if on_conflict == "update":
        return stmt.on_conflict_do_update(index_elements=list(unique_columns),
                                          set_={col: stmt.excluded[col] for col in update_columns})
    return stmt
