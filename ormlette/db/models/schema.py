"""Models -> SQLAlchemy MetaData: tables, columns, CHECKs, indexes, constraints and foreign keys.

The schema editor (``db/backends``) and the migration operations both render DDL from these
tables, so ``create_tables`` and ``migrate`` never disagree. Backends supply only the column
types (``field.sa_type``), the vendor hooks on ``connection.ops`` and ``connection.features``,
and run the statements.
"""
import sys

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from ormlette.db.backends.base.schema import install_builder
from ormlette.db.backends.utils import short_name
from ormlette.db.models.sql.context import CompileContext

AUTO_FIELDS = ("AutoField", "BigAutoField", "SmallAutoField")


def table_for(model, connection, metadata=None):
    """The SQLAlchemy Table of a model: columns, keys, CHECKs, unique_together, constraints, indexes."""
    metadata = metadata if metadata is not None else sa.MetaData()
    opts = model._meta
    fields = opts.local_concrete_fields
    columns = [column_for(field, connection, metadata) for field in fields]
    auto_pk = opts.pk is not None and opts.pk.get_internal_type() in AUTO_FIELDS and opts.pk in fields
    stub = metadata.tables.get(opts.db_table)
    if stub is not None and not stub.info.get("stub"):
        raise ValueError("The table %r is already in this MetaData." % opts.db_table)
    # A stub (the key column a foreign key needed) is replaced column by column.
    table = sa.Table(opts.db_table, metadata, *columns, comment=opts.db_table_comment or None,
                     extend_existing=stub is not None, info={"stub": False},
                     **(connection.ops.table_kwargs(auto_pk) if auto_pk else {}))
    for names in opts.unique_together:
        add_unique_together(table, model, names, connection)
    for field in fields:
        connection.ops.column_extra_indexes(field, table)  # built on the table's columns: attached to it
    for constraint in opts.constraints:
        add_constraint(table, model, constraint, connection)
    for index in opts.indexes:
        add_index(table, model, index, connection)
    return table


def add_unique_together(table, model, names, connection):
    """One unique_together entry: a constraint, or a unique index where constraints cannot be added later."""
    cols = [model._meta.get_field(name).column for name in names]
    name = short_name(model._meta.db_table, cols, "uniq")
    if connection.features.can_alter_table_add_constraint:
        table.append_constraint(sa.UniqueConstraint(*cols, name=name))
        return
    sa.Index(name, *[table.c[col] for col in cols], unique=True, _table=table)


def column_for(field, connection, metadata):
    """One column: type, nullability, default, inline CHECK, identity and its foreign key."""
    internal = field.get_internal_type()
    kwargs = {
        "primary_key": field.primary_key,
        # MariaDB rejects NOT NULL on generated columns; the expression decides nullability anyway.
        "nullable": (field.null or getattr(field, "generated", False)) and not field.primary_key,
        "comment": field.db_comment,
    }
    args = []
    if field.primary_key:
        kwargs["autoincrement"] = internal in AUTO_FIELDS
        if internal in AUTO_FIELDS:
            args.extend(connection.ops.auto_pk_column_args())
    if field.unique and not field.primary_key:
        # Inline ``UNIQUE`` on the column, as Django writes it (see _create_column).
        kwargs["info"] = {"inline_unique": True}
    elif field.db_index and not field.primary_key and not (
            connection.features.creates_foreign_key_indexes and getattr(field, "db_constraint", False)
            and field.many_to_one):
        kwargs["index"] = True
    if field.has_db_default():
        kwargs["server_default"] = server_default(field, connection)
    foreign_key = foreign_key_for(field, connection, metadata)
    if foreign_key is not None:
        args.append(foreign_key)
    if getattr(field, "generated", False):
        args.append(sa.Computed(literal_sql(field.model, field.expression, connection), persisted=field.db_persist))
    check = connection.ops.column_check_sql(field)
    if check and connection.features.supports_table_check_constraints:
        args.append(sa.CheckConstraint(check))
    is_relation = getattr(field, "remote_field", None) is not None and hasattr(field, "target_field")
    column_type = field.rel_sa_type(connection) if is_relation else field.sa_type(connection)
    return sa.Column(field.column, column_type, *args, **kwargs)


def foreign_key_for(field, connection, metadata):
    """The ForeignKey of a many-to-one column with a database constraint (None otherwise)."""
    remote = getattr(field, "remote_field", None)
    if remote is None or not getattr(field, "db_constraint", False) or field.many_to_one is None \
            or field.many_to_many:
        return None
    target = remote.model._meta
    target_field = field.target_field
    if target.db_table != field.model._meta.db_table and target.db_table not in metadata.tables:
        # The referenced table needs only its key column for the constraint to compile.
        sa.Table(target.db_table, metadata, sa.Column(target_field.column, target_field.sa_type(connection)),
                 info={"stub": True})
    deferrable = connection.features.can_defer_constraint_checks
    return sa.ForeignKey("%s.%s" % (target.db_table, target_field.column),
                         name=foreign_key_name(field),
                         deferrable=True if deferrable else None, initially="DEFERRED" if deferrable else None)


def foreign_key_name(field):
    """The constraint name of a foreign key column; it leaves the target's table out, so renaming that
    table (AlterModelTable, RenameModel) keeps the name the migrations drop it by."""
    return short_name(field.model._meta.db_table, [field.column], "fk")[:63]


def foreign_key_constraints(table):
    """The table's foreign key constraints (created after the tables where the backend can ALTER)."""
    return sorted((c for c in table.constraints if isinstance(c, sa.ForeignKeyConstraint)),
                  key=lambda c: c.name or "")


def server_default(field, connection):
    """The column's DEFAULT clause from ``db_default`` (an expression or a value, as a literal)."""
    value = field.db_default
    if hasattr(value, "resolve_expression"):
        return sa.text(literal_sql(field.model, value, connection))
    prepared = field.get_db_prep_save(value, connection)
    return sa.text(connection.ops.quote_default(prepared))


def literal_sql(model, expression, connection):
    """Render an expression or Q with inline literals (DDL cannot take parameters)."""
    from ormlette.db.models.sql.query import Query

    query = Query(model, alias_cols=False)
    if hasattr(expression, "children") and not hasattr(expression, "key"):
        node = query.build_where(expression)
    else:
        node = expression.resolve_expression(query, allow_joins=False)
    c = LiteralCompileContext(connection, model)
    clause = node.as_sa(c)
    return str(clause.compile(dialect=connection.sa_dialect, compile_kwargs={"literal_binds": True}))


def add_constraint(table, model, constraint, connection):
    """Attach a CheckConstraint or UniqueConstraint (skipped where the backend lacks the feature)."""
    from ormlette.db.models.constraints import CheckConstraint, UniqueConstraint

    if isinstance(constraint, CheckConstraint):
        if connection.features.supports_table_check_constraints:
            table.append_constraint(sa.CheckConstraint(literal_sql(model, constraint.condition, connection),
                                                       name=constraint.name))
    elif isinstance(constraint, UniqueConstraint):
        _add_unique(table, model, constraint, connection)


def _add_unique(table, model, constraint, connection):
    features = connection.features
    opts = model._meta
    if constraint.condition is not None or constraint.expressions or constraint.include or \
            constraint.nulls_distinct is not None:
        if constraint.condition is not None and not features.supports_partial_indexes:
            return
        if constraint.expressions and not features.supports_expression_indexes:
            return
        if constraint.nulls_distinct is not None and not features.supports_nulls_distinct_unique_constraints:
            return
        elements = _index_elements(model, constraint.fields, constraint.expressions, connection)
        kwargs = _where_kwargs(model, constraint.condition, connection)
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


def _where_kwargs(model, condition, connection):
    if condition is None:
        return {}
    where = sa.text(literal_sql(model, condition, connection))
    return {"postgresql_where": where, "sqlite_where": where}


def _index_elements(model, fields, expressions, connection, table=None):
    opts = model._meta
    if fields:
        elements = []
        for name in fields:
            column = opts.get_field(name.removeprefix("-")).column
            # Real Column objects let dialect options (postgresql_ops) find their column.
            element = table.c[column] if table is not None else sa.literal_column(connection.ops.quote_name(column))
            elements.append(element.desc() if name.startswith("-") else element)
        return elements
    return [sa.text("(%s)" % literal_sql(model, expr, connection)) for expr in expressions]


def add_index(table, model, index, connection):
    """Attach a Meta.indexes entry (skipped where the backend lacks partial/expression indexes)."""
    features = connection.features
    if index.condition is not None and not features.supports_partial_indexes:
        return None
    if index.expressions and not features.supports_expression_indexes:
        return None
    elements = _index_elements(model, index.fields, index.expressions, connection, table)
    kwargs = _where_kwargs(model, index.condition, connection)
    if index.include and features.supports_covering_indexes:
        kwargs["postgresql_include"] = [model._meta.get_field(n).column for n in index.include]
    if index.opclasses:
        kwargs["postgresql_ops"] = {model._meta.get_field(f.removeprefix("-")).column: op
                                    for f, op in zip(index.fields, index.opclasses)}
    return sa.Index(index.name, *elements, _table=table, **kwargs)


def create_statements(model, connection, metadata=None):
    """(CREATE TABLE + CREATE INDEX statements, foreign keys to add once every table exists)."""
    table = table_for(model, connection, metadata)
    foreign_keys = foreign_key_constraints(table)
    inline = not connection.features.can_alter_table_add_constraint
    create = sa.schema.CreateTable(table, include_foreign_key_constraints=None if inline else [])
    statements = [create] + [sa.schema.CreateIndex(index) for index in sorted(table.indexes, key=lambda i: i.name or "")]
    deferred = [] if inline else [sa.schema.AddConstraint(fk) for fk in foreign_keys]
    return statements, deferred


def metadata_for(models, connection):
    """One MetaData holding every model's table (auto-created many-to-many tables included)."""
    metadata = sa.MetaData()
    for model in models:
        for each in (model, *auto_created_through(model)):
            table_for(each, connection, metadata)
    return metadata


def auto_created_through(model):
    """The auto-created intermediary models of a model's many-to-many fields."""
    found = []
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if not isinstance(through, str) and through._meta.auto_created:
            found.append(through)
    return found


@compiles(sa.schema.CreateColumn)
def _create_column(element, compiler, **kw):
    text = compiler.visit_create_column(element, **kw)
    if text is not None and element.element.info.get("inline_unique"):
        text += " UNIQUE"
    return text


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


install_builder(sys.modules[__name__])
