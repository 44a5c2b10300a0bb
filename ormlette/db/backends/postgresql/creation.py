"""PostgreSQL test databases: CREATE/DROP DATABASE through the ``postgres`` maintenance database."""
from ormlette.db.backends.base.creation import BaseDatabaseCreation


class DatabaseCreation(BaseDatabaseCreation):
    """PostgreSQL: TRUNCATE for flushing (RESTART IDENTITY resets sequences)."""

    maintenance_db = "postgres"

    def _database_exists(self, name):
        return bool(self._run_admin(self.maintenance_db, "SELECT 1 FROM pg_database WHERE datname = %s", [name]))

    def _create_database(self, name):
        self._run_admin(self.maintenance_db, "CREATE DATABASE %s" % self.connection.ops.quote_name(name))

    def _drop_database(self, name):
        # WITH (FORCE) ends sessions still connected (PostgreSQL 13+).
        self._run_admin(self.maintenance_db,
                        "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.connection.ops.quote_name(name))

    def table_names_sql(self):
        """Tables of the current schema."""
        return "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"

    def flush_sql(self, tables, reset_sequences=False):
        """One TRUNCATE of all tables (foreign keys between them allowed)."""
        quote = self.connection.ops.quote_name
        return ["TRUNCATE %s%s" % (", ".join(quote(t) for t in tables), " RESTART IDENTITY" if reset_sequences else "")]
