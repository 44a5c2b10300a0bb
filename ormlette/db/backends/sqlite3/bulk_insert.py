"""Primary keys of a multi-row INSERT without RETURNING, where SQLite makes them consecutive.

A rowid table gives each new row the largest rowid plus one (AUTOINCREMENT: the largest ever used
plus one) until the largest possible rowid is reached; rows of one INSERT are written in VALUES
order and no other writer runs during the statement. So the keys of an INSERT of n rows without
explicit keys, into a table whose primary key is its rowid, are ``last_insert_rowid() - n + 1 ...
last_insert_rowid()``: reading them so skips producing and fetching a RETURNING row per row. A
trigger on the table could insert rows of its own in between, so such tables are excluded.
"""
MAX_ROWID = 2 ** 63 - 1

# One row when ``column`` is the only primary key column and an INTEGER rowid alias, there is no
# trigger on the table, and ``count`` more rowids fit below the largest one.
CONSECUTIVE_SQL = (
    "SELECT 1 FROM sqlite_master AS t WHERE t.type = 'table' AND t.name = ? "
    "AND upper(t.sql) NOT LIKE '%%WITHOUT ROWID%%' "
    "AND (SELECT count(*) FROM pragma_table_info(?) WHERE pk > 0) = 1 "
    "AND EXISTS (SELECT 1 FROM pragma_table_info(?) WHERE name = ? AND pk = 1 AND upper(type) = 'INTEGER') "
    "AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?) "
    "AND (SELECT coalesce(max(rowid), 0) FROM %s) < ?"
)


def has_consecutive_pks(connection, table, column, count):
    """Whether a plain INSERT of ``count`` rows into ``table`` assigns ``column`` consecutive values (see above)."""
    sql = CONSECUTIVE_SQL % connection.ops.quote_name(table)
    connection.ensure_connection()
    cursor = connection.dbapi.cursor()
    try:
        connection.execute_sql(cursor, sql, [table, table, table, column, table, MAX_ROWID - count])
        return cursor.fetchone() is not None
    finally:
        cursor.close()
