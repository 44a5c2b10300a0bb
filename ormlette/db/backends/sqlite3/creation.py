"""SQLite test databases: in memory unless ``TEST["NAME"]`` names a file."""
import os

from ormlette.db.backends.base.creation import BaseDatabaseCreation


class DatabaseCreation(BaseDatabaseCreation):
    """SQLite: a file is removed and recreated; a memory database is new for each process."""

    def test_db_name(self, suffix=None):
        """``TEST["NAME"]`` (a file, suffixed per worker) or ``:memory:`` (Django's default)."""
        name = (self.connection.settings_dict.get("TEST") or {}).get("NAME")
        if not name or self.is_memory_name(name):
            return ":memory:"
        if suffix:
            root, ext = os.path.splitext(str(name))
            return "%s_%s%s" % (root, suffix, ext)
        return str(name)

    @staticmethod
    def is_memory_name(name):
        """Whether ``name`` denotes an in-memory database."""
        name = str(name)
        return name in ("", ":memory:") or "mode=memory" in name

    def _database_exists(self, name):
        return not self.is_memory_name(name) and os.path.exists(name)

    def _create_database(self, name):
        """Files are created on first connection."""

    def _drop_database(self, name):
        if not self.is_memory_name(name) and os.path.exists(name):
            os.remove(name)

    def table_names_sql(self):
        """Tables from sqlite_master, SQLite's own excluded."""
        return "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"

    def flush_sql(self, tables, reset_sequences=False):
        """DELETE FROM each table with foreign keys off; sqlite_sequence rows dropped to reset keys."""
        quote = self.connection.ops.quote_name
        statements = ["PRAGMA foreign_keys = OFF"]
        statements += ["DELETE FROM %s" % quote(table) for table in tables]
        if reset_sequences and self._has_sequence_table():
            names = ", ".join("'%s'" % table.replace("'", "''") for table in tables)
            statements.append("DELETE FROM sqlite_sequence WHERE name IN (%s)" % names)
        statements.append("PRAGMA foreign_keys = ON")
        return statements

    def _has_sequence_table(self):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
            return cursor.fetchone() is not None
