"""The migrations' schema editor: DDL rendered by Alembic's Operations (offline) and SQLAlchemy, run on the connection.

Alembic runs in ``as_sql`` mode on a MigrationContext for the connection's dialect: every
statement it renders comes back here as text and runs through the connection's one execution
point (or is collected, for ``sqlmigrate``), inside the executor's transaction. Tables, columns,
indexes and constraints come from ``db/models/schema.py`` applied to the historical models, so
``migrate`` builds what ``create_tables`` builds. Backends that cannot ALTER a column in place
(``features.alters_by_table_rebuild``: SQLite) get the table rebuilt from the project state.
"""
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from ormlette.db.models import schema


class _Statements:
    """The output buffer Alembic writes each rendered statement to."""

    def __init__(self, emit):
        self.emit = emit

    def write(self, text):
        statement = text.strip()
        if statement.endswith(";"):
            statement = statement[:-1].rstrip()
        if statement:
            self.emit(statement)

    def flush(self):
        pass


class MigrationSchemaEditor:
    """Django's schema editor API for migrations: create/delete/alter models, fields, indexes and constraints."""

    def __init__(self, connection, collect_sql=False, atomic=True):
        self.connection = connection
        self.collect_sql = collect_sql
        self.collected_sql = []
        self.atomic_migration = atomic and connection.features.can_rollback_ddl
        self.deferred_sql = []
        self.executed = []
        context = MigrationContext.configure(dialect=connection.sa_dialect,
                                             opts={"as_sql": True, "output_buffer": _Statements(self.execute),
                                                   "literal_binds": True})
        self.op = Operations(context)

    def __enter__(self):
        from ormlette.db import transaction

        self.deferred_sql = []
        self.atomic = transaction.atomic(self.connection.alias) if self.atomic_migration and not self.collect_sql \
            else None
        if self.atomic is not None:
            self.atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is None:
            try:
                self.flush_deferred()
            except BaseException as exc:
                if self.atomic is not None:
                    self.atomic.__exit__(type(exc), exc, exc.__traceback__)
                raise
        if self.atomic is not None:
            self.atomic.__exit__(exc_type, exc_value, traceback)

    def flush_deferred(self):
        """Run the statements kept for the end (foreign keys to tables created later)."""
        while self.deferred_sql:
            self.execute(self.deferred_sql.pop(0))

    # -- running statements ----------------------------------------------------------------------------
    def compile(self, statement):
        """SQL text of a DDL element (strings pass through)."""
        if isinstance(statement, str):
            return statement
        return str(statement.compile(dialect=self.connection.sa_dialect)).strip()

    def execute(self, sql, params=None):
        """Run (or collect) one statement."""
        sql = self.compile(sql)
        if self.collect_sql:
            if params:
                sql = sql % tuple(self._literal(p) for p in params)
            self.collected_sql.append(sql.rstrip() + ";")
            return
        self.executed.append(sql)
        with self.connection.cursor() as cursor:
            self.connection.execute_sql(cursor.cursor, sql, list(params) if params else None)

    def _literal(self, value):
        return str(sa.literal(value).compile(dialect=self.connection.sa_dialect, compile_kwargs={"literal_binds": True}))

    def compile_type(self, type_):
        """A column type as SQL text."""
        return type_.compile(dialect=self.connection.sa_dialect)

    def quote_name(self, name):
        """Quote an identifier."""
        return self.connection.ops.quote_name(name)

    @property
    def rebuilds(self):
        """Whether column changes go through a table rebuild (SQLite)."""
        return self.connection.features.alters_by_table_rebuild

    def table(self, model, metadata=None):
        """The model's SQLAlchemy Table (from the historical model)."""
        return schema.table_for(model, self.connection, metadata)

    # -- models ---------------------------------------------------------------------------------------
    def create_model(self, model):
        """CREATE TABLE, its indexes, its auto-created many-to-many tables; foreign keys at the end."""
        statements, deferred = schema.create_statements(model, self.connection)
        for statement in statements:
            self.execute(statement)
        self.deferred_sql.extend(self.compile(statement) for statement in deferred)
        for through in schema.auto_created_through(model):
            self.create_model(through)

    def delete_model(self, model):
        """DROP TABLE (auto-created many-to-many tables first)."""
        for through in schema.auto_created_through(model):
            self.delete_model(through)
        self._drop_foreign_keys_to(model)
        self.op.drop_table(model._meta.db_table)

    def _drop_foreign_keys_to(self, model):
        # Where constraints exist apart from the tables, the ones pointing at a dropped table go first.
        if not self.connection.features.can_alter_table_add_constraint:
            return
        for related in model._meta.apps.get_models(include_auto_created=True):
            if related is model or related._meta.db_table == model._meta.db_table:
                continue
            for field in related._meta.local_fields:
                if field.is_relation and field.many_to_one and getattr(field, "db_constraint", False) and \
                        field.remote_field.model._meta.db_table == model._meta.db_table:
                    self.op.drop_constraint(schema.foreign_key_name(field), related._meta.db_table,
                                            type_="foreignkey")

    def alter_db_table(self, model, old_db_table, new_db_table):
        """Rename a table."""
        if old_db_table == new_db_table:
            return
        self.op.rename_table(old_db_table, new_db_table)

    def alter_db_table_comment(self, model, old_comment, new_comment):
        """Change the table comment (where the backend keeps comments)."""
        if not self.connection.features.supports_comments:
            return
        if new_comment:
            self.op.create_table_comment(model._meta.db_table, new_comment, existing_comment=old_comment or None)
        else:
            self.op.drop_table_comment(model._meta.db_table, existing_comment=old_comment or None)

    # -- fields ---------------------------------------------------------------------------------------
    def add_field(self, model, field, from_model=None):
        """ADD COLUMN (existing rows get the field's default), or rebuild; many-to-many: its table."""
        if field.many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                self.create_model(through)
            return
        if self.rebuilds:
            self.rebuild_table(from_model, model, defaults={field.column: field})
            return
        from ormlette.db.migrations.columns import add_column

        add_column(self, model, field)

    def remove_field(self, model, field, to_model=None):
        """DROP COLUMN (or rebuild); many-to-many: drop its table."""
        if field.many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                self.delete_model(through)
            return
        if self.rebuilds:
            self.rebuild_table(model, to_model)
            return
        if field.is_relation and field.many_to_one and getattr(field, "db_constraint", False):
            self.op.drop_constraint(schema.foreign_key_name(field), model._meta.db_table, type_="foreignkey")
        self.op.drop_column(model._meta.db_table, field.column)

    def alter_field(self, model, old_field, new_field, to_model=None):
        """Change a column (type, null, default, unique, index, name, foreign key) in place or by rebuild."""
        if old_field.many_to_many and new_field.many_to_many:
            from ormlette.db.migrations.columns import alter_many_to_many

            alter_many_to_many(self, model, old_field, new_field, to_model)
            return
        if self.rebuilds:
            if old_field.column != new_field.column and _same_definition(old_field, new_field):
                self.op.alter_column(model._meta.db_table, old_field.column, new_column_name=new_field.column)
            else:
                fill = [new_field.column] if old_field.null and not new_field.null else []
                self.rebuild_table(model, to_model, renames={old_field.column: new_field.column}, fill_nulls=fill)
            return
        from ormlette.db.migrations.columns import alter_column

        alter_column(self, model, old_field, new_field, to_model)

    # -- indexes and constraints ------------------------------------------------------------------------
    def add_index(self, model, index):
        """CREATE INDEX."""
        table = self.table(model)
        built = schema.add_index(table, model, index, self.connection)
        if built is not None:
            self.execute(sa.schema.CreateIndex(built))

    def remove_index(self, model, index):
        """DROP INDEX."""
        self.op.drop_index(index.name, table_name=model._meta.db_table)

    def rename_index(self, model, old_index, new_index):
        """Rename an index (drop and create where the backend cannot rename)."""
        if self.connection.features.can_rename_index:
            self.execute(self.connection.ops.rename_index_sql(model._meta.db_table, old_index.name, new_index.name))
        else:
            self.remove_index(model, old_index)
            self.add_index(model, new_index)

    def add_constraint(self, model, constraint, from_model=None):
        """ADD CONSTRAINT (a unique index for a conditional/expression unique; a rebuild on SQLite)."""
        if self.rebuilds and not _is_index_backed(constraint):
            self.rebuild_table(from_model, model)
            return
        table = self.table(model)
        fresh = sa.Table(table.name, sa.MetaData(), *[sa.Column(c.name, c.type) for c in table.columns])
        schema.add_constraint(fresh, model, constraint, self.connection)
        for item in (*fresh.constraints, *fresh.indexes):
            if item.name != constraint.name:
                continue
            self.execute(sa.schema.CreateIndex(item) if isinstance(item, sa.Index) else sa.schema.AddConstraint(item))

    def remove_constraint(self, model, constraint, to_model=None):
        """DROP CONSTRAINT (or DROP INDEX, or rebuild)."""
        if _is_index_backed(constraint):
            self.op.drop_index(constraint.name, table_name=model._meta.db_table)
            return
        if self.rebuilds:
            self.rebuild_table(model, to_model)
            return
        kind = "check" if type(constraint).__name__ == "CheckConstraint" else "unique"
        if kind == "check" and not self.connection.features.supports_table_check_constraints:
            return
        self.op.drop_constraint(constraint.name, model._meta.db_table, type_=kind)

    def alter_unique_together(self, model, old_together, new_together, to_model=None):
        """Drop the unique_together entries that went and add the new ones."""
        old = {tuple(t) for t in old_together or ()}
        new = {tuple(t) for t in new_together or ()}
        if old == new:
            return
        for fields in sorted(old - new):
            cols = [model._meta.get_field(name).column for name in fields]
            name = schema.short_name(model._meta.db_table, cols, "uniq")
            if self.connection.features.can_alter_table_add_constraint:
                self.op.drop_constraint(name, model._meta.db_table, type_="unique")
            else:
                self.op.drop_index(name, table_name=model._meta.db_table)
        target = to_model or model
        for fields in sorted(new - old):
            table = self.table(target)
            fresh = sa.Table(table.name, sa.MetaData(), *[sa.Column(c.name, c.type) for c in table.columns])
            schema.add_unique_together(fresh, target, fields, self.connection)
            name = schema.short_name(table.name, [target._meta.get_field(n).column for n in fields], "uniq")
            for item in (*fresh.indexes, *fresh.constraints):
                if item.name != name:
                    continue
                self.execute(sa.schema.CreateIndex(item) if isinstance(item, sa.Index) else sa.schema.AddConstraint(item))

    def rebuild_table(self, from_model, to_model, defaults=None, renames=None, fill_nulls=None):
        """Rebuild a table from the project state (SQLite's way to ALTER), keeping every row."""
        from ormlette.db.migrations.rebuild import rebuild_table

        rebuild_table(self, from_model, to_model, defaults or {}, renames or {}, fill_nulls)


def _same_definition(old_field, new_field):
    def definition(field):
        _, path, args, kwargs = field.deconstruct()
        kwargs.pop("db_column", None)
        return path, args, kwargs

    return definition(old_field) == definition(new_field)


def _is_index_backed(constraint):
    return type(constraint).__name__ == "UniqueConstraint" and (
        constraint.condition is not None or constraint.expressions or constraint.include
        or constraint.nulls_distinct is not None)
