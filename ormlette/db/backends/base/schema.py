"""Schema editor: DDL from the SQLAlchemy MetaData built from models."""
import hashlib

import sqlalchemy as sa

from ormlette.db.models.sql.context import CompileContext


def _short_name(table, columns, suffix):
    digest = hashlib.md5(("%s%s" % (table, "_".join(columns))).encode(), usedforsecurity=False).hexdigest()[:8]
    return "%s_%s_%s_%s" % (table[:20], "_".join(columns)[:20], digest, suffix)


class BaseDatabaseSchemaEditor:
    """Creates and drops tables (with indexes and constraints) for models."""

    def __init__(self, connection, collect_sql=False, atomic=True):
        self.connection = connection
        self.collect_sql = collect_sql
        self.collected_sql = []
        self.atomic_migration = atomic and connection.features.supports_transactions
        self.deferred_sql = []

    def __enter__(self):
        from ormlette.db import transaction

        self.deferred_sql = []
        if self.atomic_migration and self.connection.vendor != "mysql":
            self.atomic = transaction.atomic(self.connection.alias)
            self.atomic.__enter__()
        else:
            self.atomic = None
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is None:
            for sql in self.deferred_sql:
                self.execute(sql)
        if self.atomic is not None:
            self.atomic.__exit__(exc_type, exc_value, traceback)

    def execute(self, sql, params=()):
        """Run (or collect) one DDL statement."""
        if not isinstance(sql, str):
            sql = str(sql.compile(dialect=self.connection.sa_dialect))
        if self.collect_sql:
            self.collected_sql.append(sql.rstrip() + ";")
            return
        with self.connection.cursor() as cursor:
            self.connection.execute_sql(cursor.cursor, sql, list(params) if params else None)

    def quote_name(self, name):
        """Quote an identifier."""
        return self.connection.ops.quote_name(name)

    # -- MetaData ------------------------------------------------------------------------------------------
    def table_for(self, model, metadata=None):
        """The SQLAlchemy Table for a model (columns, keys, indexes and constraints)."""
        metadata = metadata if metadata is not None else sa.MetaData()
        opts = model._meta
        columns = [self._column(field, metadata) for field in opts.local_concrete_fields]
        table = sa.Table(opts.db_table, metadata, *columns, comment=opts.db_table_comment or None)
        for field in opts.local_concrete_fields:
            check = field.db_check_sql(self.connection)
            if check and self.connection.features.supports_table_check_constraints:
                table.append_constraint(sa.CheckConstraint(
                    check, name=_short_name(opts.db_table, [field.column], "check")))
        for fields in opts.unique_together:
            cols = [opts.get_field(name).column for name in fields]
            table.append_constraint(sa.UniqueConstraint(*cols, name=_short_name(opts.db_table, cols, "uniq")))
        for constraint in opts.constraints:
            self._add_constraint(table, model, constraint)
        for index in opts.indexes:
            self._add_index(table, model, index)
        return table

    def _column(self, field, metadata):
        kwargs = {
            "primary_key": field.primary_key,
            # MariaDB rejects NOT NULL on generated columns; the expression decides nullability anyway.
            "nullable": (field.null or getattr(field, "generated", False)) and not field.primary_key,
            "comment": field.db_comment,
        }
        if field.primary_key and field.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
            kwargs["autoincrement"] = True
        elif field.primary_key:
            kwargs["autoincrement"] = False
        if field.unique and not field.primary_key:
            kwargs["unique"] = True
        elif field.db_index and not field.primary_key:
            kwargs["index"] = True
        if field.has_db_default():
            kwargs["server_default"] = self._server_default(field)
        args = []
        remote = getattr(field, "remote_field", None)
        if remote is not None and getattr(field, "db_constraint", False) and field.many_to_one is not None \
                and not field.many_to_many:
            target = remote.model._meta
            target_field = field.target_field
            if target.db_table == field.model._meta.db_table:
                pass  # self-reference: the table being built provides the target column
            elif target.db_table not in metadata.tables:
                sa.Table(target.db_table, metadata, sa.Column(target_field.column, target_field.sa_type(self.connection)))
            args.append(sa.ForeignKey("%s.%s" % (target.db_table, target_field.column),
                                      name=_short_name(field.model._meta.db_table, [field.column], "fk"),
                                      deferrable=self.connection.features.supports_deferrable_unique_constraints
                                      or None, initially="DEFERRED"
                                      if self.connection.features.supports_deferrable_unique_constraints else None))
        if getattr(field, "generated", False):
            args.append(sa.Computed(self._literal_sql(field.model, field.expression), persisted=field.db_persist))
        column_type = field.sa_type(self.connection) if not (remote is not None and hasattr(field, "target_field")) \
            else field.rel_sa_type(self.connection)
        return sa.Column(field.column, column_type, *args, **kwargs)

    def _server_default(self, field):
        value = field.db_default
        if hasattr(value, "resolve_expression"):
            return sa.text(self._literal_sql(field.model, value))
        prepared = field.get_db_prep_save(value, self.connection)
        return sa.text(self._quote_default(prepared))

    def _quote_default(self, value):
        if isinstance(value, bool):
            return "1" if value else "0" if self.connection.vendor != "postgresql" else ("true" if value else "false")
        if isinstance(value, (int, float)):
            return str(value)
        return "'%s'" % str(value).replace("'", "''")

    def _literal_sql(self, model, expression):
        """Render an expression or Q with inline literals (DDL cannot take parameters)."""
        from ormlette.db.models.sql.query import Query

        query = Query(model, alias_cols=False)
        if hasattr(expression, "children") and not hasattr(expression, "key"):
            node = query.build_where(expression)
        else:
            node = expression.resolve_expression(query, allow_joins=False)
        c = LiteralCompileContext(self.connection, model)
        clause = node.as_sa(c)
        return str(clause.compile(dialect=self.connection.sa_dialect, compile_kwargs={"literal_binds": True}))

    def _add_constraint(self, table, model, constraint):
        from ormlette.db.models.constraints import CheckConstraint, UniqueConstraint

        if isinstance(constraint, CheckConstraint):
            if self.connection.features.supports_table_check_constraints:
                table.append_constraint(sa.CheckConstraint(self._literal_sql(model, constraint.condition),
                                                           name=constraint.name))
        elif isinstance(constraint, UniqueConstraint):
            self._add_unique(table, model, constraint)

    def _add_unique(self, table, model, constraint):
        features = self.connection.features
        opts = model._meta
        if constraint.condition is not None or constraint.expressions or constraint.include or \
                constraint.nulls_distinct is not None:
            if constraint.condition is not None and not features.supports_partial_indexes:
                return
            if constraint.expressions and not features.supports_expression_indexes:
                return
            if constraint.nulls_distinct is not None and not features.supports_nulls_distinct_unique_constraints:
                return
            elements = self._index_elements(model, constraint.fields, constraint.expressions)
            kwargs = self._where_kwargs(model, constraint.condition)
            if constraint.include and features.supports_covering_indexes:
                kwargs["postgresql_include"] = [opts.get_field(n).column for n in constraint.include]
            if constraint.nulls_distinct is not None:
                kwargs["postgresql_nulls_not_distinct"] = not constraint.nulls_distinct
            sa.Index(constraint.name, *elements, unique=True, _table=table, **kwargs)
            return
        cols = [opts.get_field(name).column for name in constraint.fields]
        kwargs = {}
        if constraint.deferrable is not None and features.supports_deferrable_unique_constraints:
            kwargs = {"deferrable": True, "initially": constraint.deferrable.value.upper()}
        table.append_constraint(sa.UniqueConstraint(*cols, name=constraint.name, **kwargs))

    def _where_kwargs(self, model, condition):
        if condition is None:
            return {}
        where = sa.text(self._literal_sql(model, condition))
        return {"postgresql_where": where, "sqlite_where": where}

    def _index_elements(self, model, fields, expressions, table=None):
        opts = model._meta
        if fields:
            elements = []
            for name in fields:
                column = opts.get_field(name.removeprefix("-")).column
                # Real Column objects let dialect options (postgresql_ops) find their column.
                element = table.c[column] if table is not None else sa.literal_column(self.quote_name(column))
                elements.append(element.desc() if name.startswith("-") else element)
            return elements
        return [sa.text("(%s)" % self._literal_sql(model, expr)) for expr in expressions]

    def _add_index(self, table, model, index):
        features = self.connection.features
        if index.condition is not None and not features.supports_partial_indexes:
            return
        if index.expressions and not features.supports_expression_indexes:
            return
        elements = self._index_elements(model, index.fields, index.expressions, table)
        kwargs = self._where_kwargs(model, index.condition)
        if index.include and features.supports_covering_indexes:
            kwargs["postgresql_include"] = [model._meta.get_field(n).column for n in index.include]
        if index.opclasses and self.connection.vendor == "postgresql":
            kwargs["postgresql_ops"] = {model._meta.get_field(f.removeprefix("-")).column: op
                                        for f, op in zip(index.fields, index.opclasses)}
        sa.Index(index.name, *elements, _table=table, **kwargs)

    # -- operations --------------------------------------------------------------------------------------------
    def create_model(self, model, if_not_exists=False):
        """CREATE TABLE with its indexes (and many-to-many tables); ``if_not_exists`` skips existing ones."""
        metadata = sa.MetaData()
        table = self.table_for(model, metadata)
        self.execute(sa.schema.CreateTable(table, if_not_exists=if_not_exists))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            self.execute(sa.schema.CreateIndex(index, if_not_exists=if_not_exists))
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                self.create_model(through, if_not_exists=if_not_exists)

    def delete_model(self, model):
        """DROP TABLE (and auto-created many-to-many tables)."""
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                self.delete_model(through)
        self.execute("DROP TABLE %s%s" % ("IF EXISTS " if True else "", self.quote_name(model._meta.db_table))
                     + (" CASCADE" if self.connection.vendor == "postgresql" else ""))

    def create_sql(self, model):
        """The DDL statements create_model would run."""
        metadata = sa.MetaData()
        table = self.table_for(model, metadata)
        dialect = self.connection.sa_dialect
        statements = [str(sa.schema.CreateTable(table).compile(dialect=dialect)).strip()]
        statements += [str(sa.schema.CreateIndex(i).compile(dialect=dialect)).strip() for i in table.indexes]
        return statements


class LiteralCompileContext(CompileContext):
    """Compiles values as literals (for DDL) against an unaliased table."""

    def __init__(self, connection, model):
        super().__init__(connection)
        self.model = model
        self.table = sa.table(model._meta.db_table, *[sa.column(f.column) for f in model._meta.concrete_fields])

    def param(self, value):
        self.values.append(value)
        return sa.literal(value)

    def column(self, alias, column):
        return sa.literal_column(self.connection.ops.quote_name(column))
