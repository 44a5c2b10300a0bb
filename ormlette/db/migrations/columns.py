"""Column changes in place (ADD/ALTER COLUMN through Alembic) for backends with a full ALTER TABLE."""
import sqlalchemy as sa

from ormlette.db.migrations.rebuild import effective_default
from ormlette.db.models import schema


def _column(editor, model, field):
    table = editor.table(model)
    return table, table.c[field.column]


def _literal(connection, value):
    return connection.ops.quote_default(value)


def add_column(editor, model, field):
    """ADD COLUMN with the default existing rows get (dropped again unless it is a db_default)."""
    connection = editor.connection
    table, column = _column(editor, model, field)
    default = None if field.has_db_default() else effective_default(field, connection)
    server_default = sa.text(_literal(connection, default)) if default is not None else column.server_default
    # The bare column: its CHECK, UNIQUE, indexes and foreign key follow as statements of their own.
    computed = [column.computed._copy()] if column.computed is not None else []
    new = sa.Column(column.name, column.type, *computed, nullable=column.nullable, comment=column.comment,
                    server_default=server_default)
    editor.op.add_column(table.name, new)
    if default is not None:
        editor.op.alter_column(table.name, field.column, server_default=None, existing_type=column.type,
                               existing_nullable=column.nullable)
    _add_column_extras(editor, model, field, table, column)


def _add_column_extras(editor, model, field, table, column):
    """The column's CHECK, UNIQUE, extra indexes and foreign key (ADD COLUMN renders the bare column)."""
    connection = editor.connection
    check = connection.ops.column_check_sql(field)
    if check and connection.features.supports_table_check_constraints:
        editor.op.create_check_constraint(schema.short_name(table.name, [field.column], "check"), table.name,
                                          sa.text(check))
    if field.unique and not field.primary_key:
        editor.op.create_unique_constraint(connection.ops.column_unique_name(table.name, field.column),
                                           table.name, [field.column])
    for index in sorted(table.indexes, key=lambda i: i.name or ""):
        if [c.name for c in index.columns] == [field.column] and len(index.expressions) == 1:
            editor.execute(sa.schema.CreateIndex(index))
    for constraint in schema.foreign_key_constraints(table):
        if list(constraint.column_keys) == [field.column]:
            editor.execute(sa.schema.AddConstraint(constraint))


def _drop_column_extras(editor, model, field, table, column, keep_fk=False):
    if field.is_relation and field.many_to_one and getattr(field, "db_constraint", False) and not keep_fk:
        editor.op.drop_constraint(schema.foreign_key_name(field), table.name, type_="foreignkey")
    for index in sorted(table.indexes, key=lambda i: i.name or ""):
        if [c.name for c in index.columns] == [field.column] and len(index.expressions) == 1:
            editor.op.drop_index(index.name, table_name=table.name)
    if field.unique and not field.primary_key:
        editor.op.drop_constraint(editor.connection.ops.column_unique_name(table.name, field.column), table.name,
                                  type_="unique")


def alter_column(editor, from_model, old_field, new_field, to_model):
    """Rename, retype, change null/default/unique/index/foreign key of one column."""
    connection = editor.connection
    to_model = to_model or from_model
    old_table, old_column = _column(editor, from_model, old_field)
    new_table, new_column = _column(editor, to_model, new_field)
    same_fk = _fk_target(old_field) == _fk_target(new_field) and _fk_target(old_field) is not None
    extras_change = _extras(connection, old_field, old_table) != _extras(connection, new_field, new_table)
    if extras_change:
        _drop_column_extras(editor, from_model, old_field, old_table, old_column)
    if old_field.column != new_field.column:
        editor.op.alter_column(old_table.name, old_field.column, new_column_name=new_field.column,
                               existing_type=old_column.type, existing_nullable=old_column.nullable,
                               existing_server_default=old_column.server_default)
    old_type = editor.compile_type(old_column.type)
    new_type = editor.compile_type(new_column.type)
    kwargs = {"existing_type": old_column.type, "existing_nullable": old_column.nullable,
              "existing_server_default": old_column.server_default}
    changes = {}
    if old_type != new_type:
        changes["type_"] = new_column.type
        changes["postgresql_using"] = "%s::%s" % (connection.ops.quote_name(new_field.column), new_type)
    if old_column.nullable != new_column.nullable:
        changes["nullable"] = new_column.nullable
        if not new_column.nullable:
            _fill_nulls(editor, new_table.name, new_field)
    if _default_text(old_column) != _default_text(new_column):
        changes["server_default"] = new_column.server_default if new_column.server_default is not None else None
    if changes:
        if "type_" not in changes:
            kwargs["existing_type"] = new_column.type
        editor.op.alter_column(new_table.name, new_field.column, **kwargs, **changes)
    if extras_change:
        _add_column_extras(editor, to_model, new_field, new_table, new_column)
    del same_fk


def _fk_target(field):
    if not (field.is_relation and field.many_to_one and getattr(field, "db_constraint", False)):
        return None
    return field.remote_field.model._meta.db_table, field.target_field.column


def _extras(connection, field, table):
    indexes = sorted(ix.name for ix in table.indexes
                     if [c.name for c in ix.columns] == [field.column] and len(ix.expressions) == 1)
    return (_fk_target(field), bool(field.unique and not field.primary_key), tuple(indexes),
            connection.ops.column_check_sql(field), field.column)


def _default_text(column):
    default = column.server_default
    return None if default is None else str(getattr(default, "arg", default))


def _fill_nulls(editor, table, field):
    value = effective_default(field, editor.connection)
    if value is None:
        return
    column = editor.quote_name(field.column)
    editor.execute("UPDATE %s SET %s = %s WHERE %s IS NULL" % (
        editor.quote_name(table), column, _literal(editor.connection, value), column))


def alter_many_to_many(editor, model, old_field, new_field, to_model):
    """A renamed many-to-many table follows its field (other many-to-many changes are state only)."""
    old_through = old_field.remote_field.through
    new_through = new_field.remote_field.through
    if not (old_through._meta.auto_created and new_through._meta.auto_created):
        return
    if old_through._meta.db_table != new_through._meta.db_table:
        editor.alter_db_table(new_through, old_through._meta.db_table, new_through._meta.db_table)
    old_fk, new_fk = _target_fk(old_field), _target_fk(new_field)
    if old_fk is not None and new_fk is not None and old_fk.column != new_fk.column:
        editor.alter_field(old_through, old_fk, new_fk, to_model=new_through)


def _target_fk(field):
    """The foreign key of an auto-created through table that points at the many-to-many's target."""
    through = field.remote_field.through
    target = field.remote_field.model
    links = [f for f in through._meta.local_fields if f.is_relation and f.remote_field.model is target]
    return links[-1] if links and target is not field.model else None
