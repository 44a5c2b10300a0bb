"""Parameter binding on psycopg 3: server-side (prepared after a few runs), client-side when it must be.

The rule: every statement with parameters is first sent with server-side binding on psycopg's
default cursor, so psycopg prepares a statement it has run ``prepare_threshold`` (5) times and
later runs skip PostgreSQL's parse and plan. Server-side binding leaves some parameter types to the
server's inference, which fails for shapes client-side binding accepts (``%s IS NULL``, a parameter
as a function's only typed argument, GROUP BY repeating a parameterized expression, several
statements in one string). Those fail while PostgreSQL analyses the statement, with one of
``ANALYSIS_SQLSTATES``; outside a transaction the failed statement had no effect (its implicit
transaction rolled back), so it is run again with the values rendered into the SQL text by
psycopg (what Django does by default), and its text is remembered so it is always bound
client-side from then on. A statement without parameters is sent as it is.

Inside a transaction (the server's status, not ormlette's bookkeeping) a failed statement would
abort the transaction, so a statement shape (text and parameter types) not yet seen to work
server-side is tried once inside a savepoint: two extra round trips, the first time only. Any
other error is raised as it is, leaving the transaction aborted as client-side binding would.
``OPTIONS={"server_side_binding": False}`` binds everything client-side, as Django's default;
``OPTIONS={"prepare_threshold": None}`` keeps server-side binding but never prepares (for poolers
such as PgBouncer in transaction mode).
"""
import psycopg
from psycopg.types.numeric import IntDumper

from ormlette.utils import learned

# indeterminate_datatype, ambiguous_parameter, grouping_error, undefined_function, ambiguous_function,
# datatype_mismatch, undefined_parameter (DDL takes no parameters), syntax_error (SET/SHOW take
# none either; several statements in one prepared string), invalid_column_reference (DISTINCT ON and
# ORDER BY repeating a parameterized expression, e.g. a JSON key).
ANALYSIS_SQLSTATES = frozenset({"42P18", "42P08", "42803", "42883", "42725", "42804", "42P02", "42601", "42P10"})
_PROBE_SAVEPOINT = "ormlette_binding_probe"
_IDLE = psycopg.pq.TransactionStatus.IDLE
_MEMORY_LIMIT = 4096

# SQL texts that need client-side binding; (SQL, parameter types) seen to work server-side.
_client_bound = {}
_proven = {}


@learned.register
def _forget_binding_rules(model):
    if model is None:  # the rules follow the server, not a model
        _client_bound.clear()
        _proven.clear()


class IntLiteralDumper(IntDumper):
    """Python ints typed as PostgreSQL types an integer literal: integer, else bigint, else numeric.

    psycopg's default picks smallint for small values, so ``%s + %s`` overflows at 32767 where
    the same literals would not; always bigint would not match functions taking ``integer``
    (``SUBSTRING``, ``LEFT``, ``ROUND``...), bigint having no implicit cast to it.
    """

    def upgrade(self, obj, format):
        """integer, bigint or numeric by range, as a literal."""
        if -(2 ** 31) <= obj < 2 ** 31:
            return self._int4_dumper
        return self._int8_dumper if -(2 ** 63) <= obj < 2 ** 63 else self._int_numeric_dumper


def configure(connection):
    """Register the dumpers server-side binding needs on a new psycopg connection."""
    connection.adapters.register_dumper(int, IntLiteralDumper)


def uses_server_binding(cursor, params):
    """Whether a statement on ``cursor`` goes through the server-side rule (parameters, default cursor)."""
    return params is not None and type(cursor) is psycopg.Cursor


def execute(cursor, sql, params, many):
    """Run one statement under the rule above; driver errors are raised untranslated."""
    if sql in _client_bound:
        return execute_client_bound(cursor, sql, params, many)
    if cursor.connection.pgconn.transaction_status != _IDLE:
        return _execute_probed(cursor, sql, params, many)
    try:
        return _execute_server_bound(cursor, sql, params, many)
    except psycopg.Error as exc:
        if exc.sqlstate not in ANALYSIS_SQLSTATES:
            raise
    _remember(_client_bound, sql)
    return execute_client_bound(cursor, sql, params, many)


def _execute_probed(cursor, sql, params, many):
    key = (sql, _param_types(params[0] if many and params else params))
    if key in _proven:
        return _execute_server_bound(cursor, sql, params, many)
    control = cursor.connection.cursor()
    try:
        control.execute("SAVEPOINT " + _PROBE_SAVEPOINT)
        try:
            result = _execute_server_bound(cursor, sql, params, many)
        except psycopg.Error as exc:
            if exc.sqlstate not in ANALYSIS_SQLSTATES:
                raise  # the transaction is aborted, exactly as with client-side binding
            control.execute("ROLLBACK TO SAVEPOINT " + _PROBE_SAVEPOINT)
            control.execute("RELEASE SAVEPOINT " + _PROBE_SAVEPOINT)
            _remember(_client_bound, sql)
            return execute_client_bound(cursor, sql, params, many)
        control.execute("RELEASE SAVEPOINT " + _PROBE_SAVEPOINT)
    finally:
        control.close()
    _remember(_proven, key)
    return result


def _execute_server_bound(cursor, sql, params, many):
    if many:
        return cursor.executemany(sql, params)
    return cursor.execute(sql, params)


def execute_client_bound(cursor, sql, params, many):
    """Send ``sql`` with the values rendered in by psycopg, on ``cursor`` itself."""
    if not many:
        return cursor.execute(literal_sql(cursor.connection, sql, params), prepare=False)
    total = 0
    for row in params:
        cursor.execute(literal_sql(cursor.connection, sql, row), prepare=False)
        total += max(cursor.rowcount, 0)
    cursor._rowcount = total  # executemany's rowcount is the sum over the parameter sets
    return None


def literal_sql(connection, sql, params):
    """The statement with its parameters rendered as SQL literals (psycopg's client-side binding)."""
    return psycopg.ClientCursor(connection).mogrify(sql, params)


def _param_types(params):
    if isinstance(params, dict):
        return tuple(sorted((name, type(value)) for name, value in params.items()))
    return tuple(map(type, params))


def _remember(memory, key):
    if len(memory) >= _MEMORY_LIMIT:
        memory.clear()
    memory[key] = True


def executemany_params(params):
    """executemany's parameter sets as a list (a retry must be able to read them twice)."""
    return params if isinstance(params, (list, tuple)) else list(params)
