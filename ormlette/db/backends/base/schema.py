"""Schema editor: runs the DDL that ``db/models/schema.py`` builds from the models' SQLAlchemy MetaData."""


class _Builder:
    # The models layer (db/models/schema.py) installs itself here when it is imported: the editor
    # runs what it builds without importing upwards.
    module = None


def _schema():
    if _Builder.module is None:
        raise RuntimeError("ormlette.db.models.schema is not loaded: import ormlette.db.models first.")
    return _Builder.module


class BaseDatabaseSchemaEditor:
    """Creates and drops tables (with indexes and constraints) for models; runs or collects DDL."""

    sql_delete_table = "DROP TABLE IF EXISTS %(table)s"

    def __init__(self, connection, collect_sql=False, atomic=True):
        self.connection = connection
        self.collect_sql = collect_sql
        self.collected_sql = []
        self.atomic_migration = atomic and connection.features.can_rollback_ddl
        self.deferred_sql = []

    def __enter__(self):
        from ormlette.db import transaction

        self.deferred_sql = []
        if self.atomic_migration:
            self.atomic = transaction.atomic(self.connection.alias)
            self.atomic.__enter__()
        else:
            self.atomic = None
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is None:
            try:
                for sql in self.deferred_sql:
                    self.execute(sql)
            except BaseException as exc:
                self.deferred_sql = []
                if self.atomic is not None:
                    self.atomic.__exit__(type(exc), exc, exc.__traceback__)
                raise
        self.deferred_sql = []
        if self.atomic is not None:
            self.atomic.__exit__(exc_type, exc_value, traceback)

    def compile(self, statement):
        """SQL text of a DDL element (strings pass through)."""
        if isinstance(statement, str):
            return statement
        return str(statement.compile(dialect=self.connection.sa_dialect)).strip()

    def execute(self, sql, params=()):
        """Run (or collect) one DDL statement (text or a SQLAlchemy DDL element)."""
        sql = self.compile(sql)
        if self.collect_sql:
            self.collected_sql.append(sql.rstrip() + ";")
            return
        with self.connection.cursor() as cursor:
            self.connection.execute_sql(cursor.cursor, sql, list(params) if params else None)

    def quote_name(self, name):
        """Quote an identifier."""
        return self.connection.ops.quote_name(name)

    def table_for(self, model, metadata=None):
        """The SQLAlchemy Table for a model (columns, keys, indexes and constraints)."""
        return _schema().table_for(model, self.connection, metadata)

    # -- operations --------------------------------------------------------------------------------------------
    def create_model(self, model, if_not_exists=False):
        """CREATE TABLE with its indexes (and many-to-many tables); foreign keys once every table exists.

        ``if_not_exists`` skips the tables that exist already (their indexes and foreign keys too).
        """
        schema = _schema()
        if if_not_exists and model._meta.db_table in self.connection.introspection.table_names():
            for through in schema.auto_created_through(model):
                self.create_model(through, if_not_exists=True)
            return
        statements, deferred = schema.create_statements(model, self.connection)
        for statement in statements:
            self.execute(statement)
        self.deferred_sql.extend(self.compile(statement) for statement in deferred)
        for through in schema.auto_created_through(model):
            self.create_model(through, if_not_exists=if_not_exists)

    def delete_model(self, model):
        """DROP TABLE (and auto-created many-to-many tables)."""
        for through in _schema().auto_created_through(model):
            self.delete_model(through)
        self.execute(self.sql_delete_table % {"table": self.quote_name(model._meta.db_table)})

    def create_sql(self, model):
        """The DDL statements create_model would run (foreign keys last)."""
        statements, deferred = _schema().create_statements(model, self.connection)
        return [self.compile(statement) for statement in (*statements, *deferred)]


__all__ = ["BaseDatabaseSchemaEditor", "install_builder"]


def install_builder(module):
    """Called by db/models/schema.py: the module that turns models into SQLAlchemy tables."""
    _Builder.module = module
