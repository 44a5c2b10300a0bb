"""A table rebuilt from the project state: how SQLite alters what its ALTER TABLE cannot (Django's remake).

The new table comes from the historical model after the change (``db/models/schema.py``), so
unnamed CHECKs, ``JSON_VALID`` and ``AUTOINCREMENT`` survive, and nothing is read back from
the database: ``sqlmigrate`` renders the same statements offline.
"""
import sqlalchemy as sa

from ormlette.db.models import schema


def rebuild_table(editor, from_model, to_model, defaults, renames, fill_nulls=None):
    """CREATE new__table, copy every row (renamed and new columns mapped), DROP the old, RENAME, indexes."""
    connection = editor.connection
    old_name = from_model._meta.db_table
    name = to_model._meta.db_table
    temp = "new__%s" % name
    table = schema.table_for(to_model, connection, sa.MetaData())
    create = editor.compile(sa.schema.CreateTable(table))
    quoted, quoted_temp = connection.ops.quote_name(name), connection.ops.quote_name(temp)
    header = "CREATE TABLE %s " % quoted
    if not create.startswith(header):
        header = "CREATE TABLE %s " % name
    editor.execute("CREATE TABLE %s %s" % (quoted_temp, create[len(header):]))
    old_columns = {f.column for f in from_model._meta.local_concrete_fields}
    reverse_renames = {new: old for old, new in renames.items()}
    targets, sources = [], []
    for field in to_model._meta.local_concrete_fields:
        if getattr(field, "generated", False):
            continue
        source = reverse_renames.get(field.column, field.column)
        if source in old_columns:
            targets.append(field.column)
            column = sa.literal_column(connection.ops.quote_name(source))
            fill = effective_default(field, connection) if field.column in (fill_nulls or ()) else None
            sources.append(column if fill is None else sa.func.coalesce(column, sa.literal(fill)))
        elif field.column in defaults:
            value = effective_default(defaults[field.column], connection)
            if value is not None:
                targets.append(field.column)
                sources.append(sa.literal(value))
    if targets:
        insert = sa.insert(sa.table(temp, *[sa.column(c) for c in targets])).from_select(
            targets, sa.select(*sources).select_from(sa.table(old_name)))
        editor.execute(str(insert.compile(dialect=connection.sa_dialect, compile_kwargs={"literal_binds": True})))
    editor.execute("DROP TABLE %s" % connection.ops.quote_name(old_name))
    editor.execute("ALTER TABLE %s RENAME TO %s" % (quoted_temp, quoted))
    for index in sorted(table.indexes, key=lambda i: i.name or ""):
        editor.execute(sa.schema.CreateIndex(index))


def effective_default(field, connection):
    """The value existing rows get for a new column (Django's effective_default), prepared for the database."""
    if getattr(field, "generated", False):
        return None
    if field.has_default():
        value = field.get_default()
    elif not field.null and field.blank and field.empty_strings_allowed:
        value = b"" if field.get_internal_type() == "BinaryField" else ""
    elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = field.pre_save_default() if hasattr(field, "pre_save_default") else _now_for(field)
    else:
        return None
    return field.get_db_prep_save(value, connection)


def _now_for(field):
    from ormlette.utils import timezone

    now = timezone.now()
    internal = field.get_internal_type()
    if internal == "DateField":
        return now.date()
    if internal == "TimeField":
        return now.time()
    return now
