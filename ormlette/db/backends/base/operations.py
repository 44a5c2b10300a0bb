"""Vendor hooks for values and SQL fragments; one subclass per vendor overrides them."""
import contextlib
import datetime
import decimal
import importlib
import json
import re
import uuid

import sqlalchemy as sa

_SAFE_STRING = re.compile(r"^[A-Za-z0-9_/+\-: ]*$")


def sql_string(value):
    """A quoted SQL string literal for allow-listed words (kinds, time zone names) only."""
    if value is None:
        return sa.null()
    if not isinstance(value, str) or not _SAFE_STRING.match(value):
        raise ValueError("Unsafe SQL string literal: %r" % (value,))
    return sa.literal_column("'%s'" % value)


class BaseDatabaseOperations:
    """Value adaptation, converters and vendor SQL for one backend."""

    compiler_module = None
    explain_prefix = "EXPLAIN"
    cast_char_field_without_max_length = "TEXT"

    def __init__(self, connection):
        self.connection = connection

    @property
    def json_ops(self):
        """JSONField SQL: ``JSONOperations`` from the ``json_ops`` module next to this backend's ``base``."""
        ops = self.__dict__.get("_json_ops")
        if ops is None:
            package = type(self).__module__.rpartition(".")[0]
            ops = self._json_ops = importlib.import_module(package + ".json_ops").JSONOperations(self.connection)
        return ops

    # -- DDL hooks (db/models/schema.py asks these) -----------------------------------------------
    # CHECKs a column type implies, by internal type (Django's data_type_check_constraints).
    data_type_check_constraints = {}

    def column_check_sql(self, field):
        """The CHECK condition a column gets for its type (positive integers, JSON), or None."""
        template = self.data_type_check_constraints.get(field.get_internal_type())
        if template is not None:
            return template % {"column": self.quote_name(field.column)}
        return field.db_check_sql(self.connection)

    def table_kwargs(self, auto_pk):
        """Dialect options of a CREATE TABLE whose primary key is an AutoField."""
        return {}

    def auto_pk_column_args(self):
        """Extra SQLAlchemy column arguments of an AutoField primary key (an Identity, say)."""
        return []

    def column_extra_indexes(self, field, table):
        """Indexes a column needs beyond its own (PostgreSQL's ``_like`` pattern index)."""
        return []

    def table_names_sql(self, include_views=False):
        """A query listing the tables (and views) of the current database or schema."""
        kinds = "'BASE TABLE', 'VIEW'" if include_views else "'BASE TABLE'"
        return ("SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type IN (%s)"
                % (self.current_schema_sql, kinds))

    current_schema_sql = "current_schema()"

    def column_unique_name(self, table, column):
        """The name the server gives a column's inline UNIQUE (used to add and drop it by name)."""
        return "%s_%s_key" % (table, column)

    def rename_index_sql(self, table, old_name, new_name):
        """ALTER INDEX ... RENAME TO ... (PostgreSQL's form)."""
        return "ALTER INDEX %s RENAME TO %s" % (self.quote_name(old_name), self.quote_name(new_name))

    def quote_default(self, value):
        """A prepared db_default value as a DEFAULT literal."""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, (int, float)):
            return str(value)
        return "'%s'" % str(value).replace("'", "''")

    # -- identifiers and raw SQL ---------------------------------------------------------------
    def quote_name(self, name):
        """Quote a table or column name for this backend."""
        return self.connection.sa_dialect.identifier_preparer.quote_identifier(name)

    def convert_placeholders(self, sql, params):
        """Turn user ``%s`` SQL into the driver's paramstyle (format drivers need nothing)."""
        return sql, params

    def dbapi_errors(self):
        """The driver's base Error class."""
        return Exception

    def error_class_for(self, exc):
        """The ormlette error class for a driver error when PEP 249's class is misleading (else None)."""
        return None

    def is_disconnect(self, exc):
        """Whether a driver error means the connection is gone."""
        return False

    def last_executed_query(self, cursor, sql, params):
        """The SQL with parameters interpolated, for logs (not for execution)."""
        if not params:
            return sql
        try:
            if isinstance(params, dict):
                return sql % {k: self.quote_value(v) for k, v in params.items()}
            return self._interpolate(sql, params)
        except Exception:  # noqa: BLE001 - a log line must never break execution
            return "%s -- params %r" % (sql, params)

    def _interpolate(self, sql, params):
        values = iter(params)
        marker = "?" if self.connection.sa_dialect.paramstyle == "qmark" else "%s"
        parts = sql.split(marker)
        out = [parts[0]]
        for part in parts[1:]:
            out.append(self.quote_value(next(values)))
            out.append(part)
        text = "".join(out)
        return text.replace("%%", "%") if marker == "%s" else text

    def quote_value(self, value):
        """Render a value as an SQL literal, for display only."""
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, (int, float, decimal.Decimal)):
            return str(value)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return "X'%s'" % bytes(value).hex()
        return "'%s'" % str(value).replace("'", "''")

    # -- transactions ---------------------------------------------------------------------------
    def begin_sql(self):
        """SQL that starts a transaction."""
        return "BEGIN"

    def commit_sql(self):
        """SQL that commits."""
        return "COMMIT"

    def rollback_sql(self):
        """SQL that rolls back."""
        return "ROLLBACK"

    def savepoint_create_sql(self, sid):
        """SQL that creates a savepoint."""
        return "SAVEPOINT %s" % self.quote_name(sid)

    def savepoint_rollback_sql(self, sid):
        """SQL that rolls back to a savepoint."""
        return "ROLLBACK TO SAVEPOINT %s" % self.quote_name(sid)

    def savepoint_commit_sql(self, sid):
        """SQL that releases a savepoint."""
        return "RELEASE SAVEPOINT %s" % self.quote_name(sid)

    # -- values to the database -----------------------------------------------------------------
    def adapt_datetimefield_value(self, value):
        """Prepare a datetime for the driver."""
        return value

    def adapt_datefield_value(self, value):
        """Prepare a date for the driver."""
        return value

    def adapt_timefield_value(self, value):
        """Prepare a time for the driver."""
        return value

    def adapt_decimalfield_value(self, value, max_digits=None, decimal_places=None):
        """Prepare a Decimal for the driver."""
        return value

    def adapt_uuid_value(self, value):
        """Prepare a UUID for the driver."""
        return value.hex

    def adapt_json_value(self, value, encoder):
        """Prepare a JSON document for the driver."""
        return json.dumps(value, cls=encoder)

    def adapt_duration_value(self, value):
        """Prepare a timedelta for the driver (microseconds unless native)."""
        return value.days * 86400000000 + value.seconds * 1000000 + value.microseconds

    def adapt_boolean_value(self, value):
        """Prepare a bool for the driver."""
        return value

    def adapt_ipaddress_value(self, value):
        """Prepare an IP address for the driver."""
        return value or None

    # -- values from the database -----------------------------------------------------------------
    def get_db_converters(self, internal_type):
        """Converters (value -> value) this backend needs for a field's internal type."""
        return ()

    def max_in_list_size(self):
        """Largest number of items in one IN list (None: no limit)."""
        return None

    def max_query_params(self):
        """Largest number of parameters in one statement."""
        return self.connection.features.max_query_params or 65535

    # -- lookups -----------------------------------------------------------------------------------
    def lookup_sql(self, lookup_name, lhs, rhs):
        """SQL for a pattern or regex lookup on prepared operands."""
        if lookup_name in ("contains", "startswith", "endswith"):
            return lhs.like(rhs)
        if lookup_name in ("icontains", "istartswith", "iendswith", "iexact"):
            return sa.func.upper(lhs).like(sa.func.upper(rhs))
        if lookup_name == "regex":
            return lhs.op("REGEXP")(rhs)
        if lookup_name == "iregex":
            return lhs.op("REGEXP")(sa.literal_column("'(?i)'").op("||")(rhs))
        raise NotImplementedError(lookup_name)

    def pattern_escape(self, value):
        """Escape LIKE wildcards in a user value."""
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    def date_extract_sql(self, lookup_type, expr, tzname=None):
        """Extract a date part from a date/datetime expression."""
        raise NotImplementedError

    def datetime_cast_date_sql(self, expr, tzname):
        """Cast a datetime expression to a date in a time zone."""
        raise NotImplementedError

    def datetime_cast_time_sql(self, expr, tzname):
        """Cast a datetime expression to a time in a time zone."""
        raise NotImplementedError

    def date_trunc_sql(self, lookup_type, expr, tzname=None):
        """Truncate a date/datetime expression."""
        raise NotImplementedError

    def time_trunc_sql(self, lookup_type, expr, tzname=None):
        """Truncate a time expression."""
        raise NotImplementedError

    def time_extract_sql(self, lookup_type, expr):
        """Extract hour/minute/second from a time."""
        return self.date_extract_sql(lookup_type, expr)

    def duration_extract_sql(self, lookup_type, expr):
        """Extract from an interval (PostgreSQL only)."""
        from ormlette.db.errors import NotSupportedError

        raise NotSupportedError("This backend does not support extracting from durations.")

    def now_sql(self):
        """The current timestamp."""
        return sa.func.current_timestamp()

    def concat_sa(self, *parts):
        """String concatenation of SQLAlchemy operands."""
        result = parts[0]
        for part in parts[1:]:
            result = result.op("||")(part)
        return result

    def concat_null_safe_sa(self, *parts):
        """Concatenation where NULL parts count as '' (Django's Concat)."""
        return self.concat_sa(*[sa.func.coalesce(p, sa.literal_column("''")) for p in parts])

    def pattern_concat(self, rhs, prefix, suffix):
        """``prefix || rhs || suffix`` for a pattern lookup with an expression rhs."""
        parts = []
        if prefix:
            parts.append(sa.literal_column("'%s'" % prefix))
        parts.append(rhs)
        if suffix:
            parts.append(sa.literal_column("'%s'" % suffix))
        return self.concat_sa(*parts) if len(parts) > 1 else rhs

    def escape_pattern_sa(self, rhs):
        """Escape wildcards inside an expression used as a pattern."""
        return rhs

    def combine_expression(self, connector, lhs, rhs, expression=None):
        """``lhs <connector> rhs`` in this backend's SQL."""
        if connector in ("+", "-", "*", "/"):
            # Plain operators: SQLAlchemy's typed arithmetic (e.g. true division) is not Django's SQL.
            return lhs.op(connector)(rhs)
        if connector == "%%":
            return lhs.op("%")(rhs)
        if connector == "^":
            return sa.func.power(lhs, rhs)
        if connector in ("&", "|", "<<", ">>"):
            return lhs.op(connector)(rhs)
        if connector == "#":
            return self.bitwise_xor_sa(lhs, rhs)
        raise ValueError("Unknown connector %r" % connector)

    def format_for_duration_arithmetic(self, expr):
        """A duration operand of date arithmetic on backends without an interval type."""
        return expr

    def combine_duration_expression(self, connector, lhs, rhs):
        """``lhs <connector> rhs`` where exactly one side is a duration."""
        return self.combine_expression(connector, lhs, rhs)

    def subtract_temporals(self, internal_type, lhs, rhs):
        """The duration between two dates, datetimes or times."""
        return self.combine_expression("-", lhs, rhs)

    def bitwise_xor_sa(self, lhs, rhs):
        """Bitwise XOR."""
        from ormlette.db.errors import NotSupportedError

        raise NotSupportedError("Bitwise XOR is not supported in %s." % self.connection.display_name)

    def order_by_sa(self, expr, descending, nulls_first, nulls_last):
        """ORDER BY terms (a list) for one ordering expression."""
        term = expr.desc() if descending else expr.asc()
        if nulls_first or nulls_last:
            if self.connection.features.supports_order_by_nulls_modifier:
                term = term.nulls_first() if nulls_first else term.nulls_last()
            else:
                null_flag = expr.is_(None)
                return [null_flag.desc() if nulls_first else null_flag.asc(), term]
        return [term]

    json_object_function = "JSON_OBJECT"
    json_array_function = "JSON_ARRAY"

    def decimal_expression_sa(self, expr):
        """A decimal-valued parameter or expression as the database should compare it."""
        return expr

    def cast_sa(self, expr, field):
        """CAST(expr AS <field's column type>)."""
        return sa.cast(expr, field.sa_type(self.connection))

    def in_array_type(self, field, values):
        """The element type an ``IN`` list bound as one array parameter is cast to (hashable), or None.

        Part of the statement's shape key: only backends with ``supports_in_list_array`` are asked.
        """
        return None

    def in_array_sa(self, lhs, parameter, element_type):
        """``lhs = ANY(parameter)`` for an ``IN`` list bound as one array, cast per ``in_array_type``."""
        return lhs == sa.any_(parameter)

    def random_float_sa(self):
        """A random float in [0, 1) (Random())."""
        return sa.func.random()

    def random_function_sql(self):
        """SQL for a random number, used by order_by('?')."""
        return sa.func.random()

    def explain_sql(self, format=None, **options):
        """The EXPLAIN prefix for a query."""
        return self.explain_prefix

    def bulk_batch_size(self, fields_per_row, rows):
        """How many rows fit in one multi-row INSERT."""
        return max(1, min(rows, self.max_query_params() // max(1, fields_per_row)))

    def bulk_insert_context(self, row_count):
        """A context manager around the INSERTs of a bulk_create of ``row_count`` rows (tuning only)."""
        return contextlib.nullcontext()

    def insert_sa(self, table, on_conflict=None, update_columns=(), unique_columns=()):
        """An INSERT construct, with the backend's conflict clause ("ignore" or "update")."""
        if on_conflict is not None:
            from ormlette.db.errors import NotSupportedError

            raise NotSupportedError("This database backend does not support %s conflicts."
                                    % ("ignoring" if on_conflict == "ignore" else "updating"))
        return sa.insert(table)

    @staticmethod
    def new_uuid():
        """A fresh uuid4 (helper for defaults)."""
        return uuid.uuid4()

    @staticmethod
    def _utc_naive(value):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value
