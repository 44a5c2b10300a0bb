"""Test databases (``connection.creation``, as Django's): names, create/destroy, table lists, flushing."""
import sys


class BaseDatabaseCreation:
    """Creates and destroys the test database of one alias; empties its tables between tests."""

    def __init__(self, connection):
        self.connection = connection

    # -- names ------------------------------------------------------------------------------------------
    def test_db_name(self, suffix=None):
        """``TEST["NAME"]`` or ``test_<NAME>``, with ``_<suffix>`` for a parallel worker (``test_db_gw0``)."""
        settings_dict = self.connection.settings_dict
        name = (settings_dict.get("TEST") or {}).get("NAME") or "test_" + str(settings_dict["NAME"])
        return "%s_%s" % (name, suffix) if suffix else name

    def test_db_signature(self):
        """What identifies the database server and name (aliases with equal signatures are mirrors)."""
        s = self.connection.settings_dict
        return (s.get("HOST"), s.get("PORT"), s["ENGINE"], self.test_db_name())

    # -- create / destroy -------------------------------------------------------------------------------
    def create_test_db(self, keepdb=False, suffix=None, verbosity=0):
        """Create (or with ``keepdb`` reuse) the test database and return its name; NAME then points at it."""
        name = self.test_db_name(suffix)
        existed = self._database_exists(name)
        if verbosity:
            action = "Using existing" if keepdb and existed else "Creating"
            sys.stderr.write("%s test database for alias %r (%s)...\n" % (action, self.connection.alias, name))
        if existed and not keepdb:
            self._drop_database(name)
        if not (existed and keepdb):
            self._create_database(name)
        return name

    def destroy_test_db(self, name, keepdb=False, verbosity=0):
        """Drop the test database ``name`` unless ``keepdb``."""
        if keepdb:
            return
        if verbosity:
            sys.stderr.write("Destroying test database for alias %r (%s)...\n" % (self.connection.alias, name))
        self._drop_database(name)

    def _database_exists(self, name):
        raise NotImplementedError

    def _create_database(self, name):
        raise NotImplementedError

    def _drop_database(self, name):
        raise NotImplementedError

    def _admin_connection(self, database):
        """A raw autocommit DB-API connection to ``database`` on the same server (closed by the caller)."""
        settings_dict = dict(self.connection.settings_dict, NAME=database)
        admin = type(self.connection)(settings_dict, self.connection.alias, None)
        return admin.connect_dbapi()

    def _run_admin(self, database, sql, params=None):
        """Run one statement on an admin connection; return its rows (or None)."""
        conn = self._admin_connection(database)
        try:
            cursor = conn.cursor()
            cursor.execute(sql, params) if params is not None else cursor.execute(sql)
            rows = cursor.fetchall() if cursor.description else None
            cursor.close()
            return rows
        finally:
            conn.close()

    # -- tables -----------------------------------------------------------------------------------------
    def table_names_sql(self):
        """SQL listing the base tables of the current database (one name per row)."""
        raise NotImplementedError

    def table_names(self):
        """The names of the tables in the database."""
        with self.connection.cursor() as cursor:
            cursor.execute(self.table_names_sql())
            return {row[0] for row in cursor.fetchall()}

    def flush_sql(self, tables, reset_sequences=False):
        """Statements deleting every row of ``tables`` (and restarting their sequences)."""
        raise NotImplementedError

    def flush(self, tables, reset_sequences=False):
        """Empty ``tables`` (run in autocommit, foreign keys ignored while doing it)."""
        if not tables:
            return
        with self.connection.cursor() as cursor:
            for sql in self.flush_sql(sorted(tables), reset_sequences):
                cursor.execute(sql)
