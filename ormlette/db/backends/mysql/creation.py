"""MariaDB/MySQL test databases: CREATE/DROP DATABASE on the server."""
from ormlette.db.backends.base.creation import BaseDatabaseCreation


class DatabaseCreation(BaseDatabaseCreation):
    """MariaDB/MySQL: DELETE (or TRUNCATE to reset AUTO_INCREMENT) with foreign key checks off."""

    def _database_exists(self, name):
        return bool(self._run_admin("", "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name]))

    def _create_database(self, name):
        self._run_admin("", "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                        % self.connection.ops.quote_name(name))

    def _drop_database(self, name):
        self._run_admin("", "DROP DATABASE IF EXISTS %s" % self.connection.ops.quote_name(name))

    def table_names_sql(self):
        """Base tables of the current database."""
        return ("SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'")

    def flush_sql(self, tables, reset_sequences=False):
        """DELETE FROM (TRUNCATE when sequences restart) each table between FOREIGN_KEY_CHECKS off and on."""
        quote = self.connection.ops.quote_name
        verb = "TRUNCATE TABLE %s" if reset_sequences else "DELETE FROM %s"
        return ["SET FOREIGN_KEY_CHECKS = 0"] + [verb % quote(t) for t in tables] + ["SET FOREIGN_KEY_CHECKS = 1"]
