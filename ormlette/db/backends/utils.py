"""The user-facing cursor: ``connection.cursor()`` with ``%s`` parameters on every backend; DDL names."""
import hashlib


class CursorWrapper:
    """DB-API cursor whose ``execute`` calls go through the connection's execution point."""

    def __init__(self, cursor, db):
        self.cursor = cursor
        self.db = db

    def __getattr__(self, name):
        return getattr(self.cursor, name)

    def __iter__(self):
        return iter(self.cursor)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        try:
            self.close()
        except self.db.ops.dbapi_errors():
            pass

    def execute(self, sql, params=None):
        """Execute ``sql`` with ``%s`` placeholders and a sequence (or mapping) of params."""
        sql, params = self.db.ops.convert_placeholders(sql, params)
        self.db.execute_sql(self.cursor, sql, params)
        return self

    def executemany(self, sql, param_list):
        """Execute ``sql`` once per parameter sequence."""
        param_list = list(param_list)
        if not param_list:
            return self
        sql, _ = self.db.ops.convert_placeholders(sql, param_list[0])
        self.db.execute_sql(self.cursor, sql, param_list, many=True)
        return self

    def callproc(self, procname, params=None):
        """Call a stored procedure."""
        return self.cursor.callproc(procname, params or ())

    def fetchone(self):
        """Fetch the next row."""
        return self.cursor.fetchone()

    def fetchmany(self, size=None):
        """Fetch up to ``size`` rows."""
        return self.cursor.fetchmany(size) if size is not None else self.cursor.fetchmany()

    def fetchall(self):
        """Fetch the remaining rows."""
        return self.cursor.fetchall()


def short_name(table, columns, suffix):
    """A stable generated name for an index or constraint (Django's shape: table, columns, hash, suffix)."""
    digest = hashlib.md5(("%s%s" % (table, "_".join(columns))).encode(), usedforsecurity=False).hexdigest()[:8]
    return "%s_%s_%s_%s" % (table[:20], "_".join(columns)[:20], digest, suffix)
