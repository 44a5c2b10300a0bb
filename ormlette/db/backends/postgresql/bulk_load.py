"""Large plain-valued bulk inserts through ``COPY ... FROM STDIN``, primary keys reserved beforehand.

COPY cannot return the keys it generates, so the sequence behind the primary key is advanced by
the row count first (one statement) and the keys are written as ordinary values. The sequence then
continues after them, as it would after the INSERT; rollback leaves the gap an INSERT leaves.
"""

# Reserve ``n`` values; send them as (first, last) when they form one run (the usual case), else all.
RESERVE_SQL = (
    "WITH reserved AS (SELECT nextval(%s) AS v FROM generate_series(1, %s)) "
    "SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL "
    "ELSE array_agg(v ORDER BY v) END FROM reserved"
)
# The sequence feeding a column, unless it is GENERATED ALWAYS (COPY cannot override those).
SEQUENCE_SQL = (
    "SELECT pg_get_serial_sequence(%s, %s) FROM pg_attribute "
    "WHERE attrelid = %s::regclass AND attname = %s AND attidentity <> 'a'"
)


class CopyCursor:
    """A cursor whose ``execute(sql)`` streams ``rows`` through COPY.

    Passing it to ``connection.execute_sql`` keeps COPY behind the one execution choke point
    (query log, execute wrappers, error translation).
    """

    def __init__(self, cursor, rows, types=None):
        self.cursor = cursor
        self.rows = rows
        self.types = types

    def execute(self, sql, params=None):
        """Run ``COPY ... FROM STDIN`` writing every row."""
        with self.cursor.copy(sql) as copy:
            if self.types:
                # Fixed per-column dumpers: no dumper lookup per value.
                copy.set_types(self.types)
            write_row = copy.write_row
            for row in self.rows:
                write_row(row)

    def __getattr__(self, name):
        return getattr(self.cursor, name)


def copy_types(dbapi_connection, db_types):
    """psycopg type names for the columns' SQL types (typmods dropped), or None if one is unknown."""
    names = [db_type.split("(")[0].strip().lower() for db_type in db_types]
    registry = dbapi_connection.adapters.types
    return names if all(registry.get(name) is not None for name in names) else None


def copy_sql(connection, table, columns):
    """``COPY "table" ("a", "b") FROM STDIN``."""
    quote = connection.ops.quote_name
    return "COPY %s (%s) FROM STDIN" % (quote(table), ", ".join(quote(column) for column in columns))


def pk_sequence(connection, table, column):
    """The sequence that fills ``table.column`` by default, or None (no sequence, or GENERATED ALWAYS)."""
    quoted = connection.ops.quote_name(table)
    row = _fetch_one(connection, SEQUENCE_SQL, [quoted, column, quoted, column])
    return row[0] if row else None


def reserve_pks(connection, sequence, count):
    """``count`` new values of ``sequence`` in increasing order (a range when they are consecutive)."""
    first, last, values = _fetch_one(connection, RESERVE_SQL, [sequence, count])
    return range(first, last + 1) if values is None else values


def copy_rows(connection, table, columns, rows, db_types=None):
    """COPY ``rows`` (tuples of driver values, in ``columns`` order, of SQL types ``db_types``) into ``table``."""
    cursor = connection.new_cursor()
    types = copy_types(connection.dbapi, db_types) if db_types else None
    try:
        connection.execute_sql(CopyCursor(cursor, rows, types), copy_sql(connection, table, columns), None)
    finally:
        cursor.close()


def copy_rows_with_pks(connection, table, pk, columns, rows, db_types=None):
    """COPY ``rows`` after freshly reserved keys of the ``pk`` (column, SQL type); the keys (None: not possible)."""
    pk_column, pk_type = pk
    sequence = pk_sequence(connection, table, pk_column)
    if sequence is None:
        return None
    pks = reserve_pks(connection, sequence, len(rows))
    copy_rows(connection, table, [pk_column, *columns], ((pk, *row) for pk, row in zip(pks, rows)),
              [pk_type, *db_types] if db_types else None)
    return pks


def _fetch_one(connection, sql, params):
    cursor = connection.new_cursor()
    try:
        connection.execute_sql(cursor, sql, params)
        return cursor.fetchone()
    finally:
        cursor.close()
