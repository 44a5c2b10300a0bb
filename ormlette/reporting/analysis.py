"""What the report says about the statements: duplicates, similar queries, the slowest, their plans."""


def duplicates(statements):
    """[(count, first statement)] for statements run more than once with the same SQL and parameters."""
    groups = {}
    for statement in statements:
        key = (statement.alias, statement.sql, repr(statement.params))
        groups.setdefault(key, []).append(statement)
    return sorted(((len(g), g[0]) for g in groups.values() if len(g) > 1), key=lambda item: -item[0])


def similar(statements):
    """[(count, shape, statements)] for shapes run more than once (with any parameters)."""
    groups = {}
    for statement in statements:
        groups.setdefault((statement.alias, statement.shape), []).append(statement)
    return sorted(((len(g), key[1], g) for key, g in groups.items() if len(g) > 1), key=lambda item: -item[0])


def explain_slowest(statements, count, connections):
    """Run EXPLAIN for the ``count`` slowest SELECT statements; keep each plan on its statement."""
    selects = [s for s in statements if s.sql.lstrip()[:6].upper() == "SELECT" and not s.many and not s.error]
    for statement in sorted(selects, key=lambda s: -s.duration)[:count]:
        connection = connections[statement.alias]
        if not connection.features.supports_explaining_query_execution:
            continue
        sql = "%s %s" % (connection.ops.explain_sql(), statement.sql)
        try:
            cursor = connection.dbapi.cursor() if connection.dbapi is not None else None
            if cursor is None:
                continue
            try:
                connection._execute_on(cursor, sql, statement.params, False)
                rows = cursor.fetchall()
            finally:
                cursor.close()
        except Exception as exc:  # noqa: BLE001 - a plan that cannot be had is shown as the error
            statement.explain = "EXPLAIN failed: %s" % exc
            continue
        statement.explain = "\n".join(" | ".join(str(col) for col in row) for row in rows)
