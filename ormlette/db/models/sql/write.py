"""INSERT, UPDATE and DELETE statements, cached by shape like SELECTs."""
import os
from itertools import chain

import sqlalchemy as sa

from ormlette.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from ormlette.db.models.sql.cache import CompiledStatement, compile_statement, statement_cache
from ormlette.db.models.sql.compiler import check_walks_agree, columns_of, sa_table
from ormlette.db.models.sql.context import CompileContext, KeyContext


def run_write(connection, key, params, builder):
    """Execute a write statement from the cache (built by ``builder`` on a miss); the open cursor."""
    cache = statement_cache(connection)
    entry = cache.get(key)
    if entry is None:
        c = CompileContext(connection)
        stmt = builder(c)
        check_walks_agree(params, c.values)
        entry = compile_statement(stmt, connection, len(c.values))
        cache.put(key, entry)
    cursor = connection.new_cursor()
    connection.execute_sql(cursor, entry.sql, entry.arrange(params))
    return cursor


# -- INSERT ------------------------------------------------------------------------------------------
def insert_rows(connection, model, fields, rows, returning_fields=(), on_conflict=None, update_fields=(),
                unique_fields=(), plain=False):
    """INSERT one or more rows; returns the RETURNING rows (or [] ).

    ``plain=True`` promises that no value is an expression: the rows are then not walked value by value.
    Two choices, each one small function: how generated values come back (``_result_reader``) and
    how the statement is made (``_statement_strategy``).
    """
    opts = model._meta
    if plain:
        shape, params = len(rows), list(chain.from_iterable(rows))
    else:
        k = KeyContext(connection)
        shape = _insert_shape(rows, k)
        params = k.params
    read = _result_reader(connection, opts, returning_fields, rows, plain, on_conflict)
    # List comprehensions, not generators: one save() builds these four tuples.
    returning = tuple([f.column for f in returning_fields]) if read is _read_returning else ()
    update_columns = tuple([f.column for f in update_fields]) if update_fields else ()
    unique_columns = tuple([f.column for f in unique_fields]) if unique_fields else ()
    key = ("insert", opts.db_table, tuple([f.column for f in fields]), shape, returning, on_conflict, update_columns,
           unique_columns)
    build = _values_builder(connection, opts, fields, rows, on_conflict, update_columns, unique_columns, returning)
    strategy = _statement_strategy(connection, shape, fields, on_conflict, key)
    if strategy == "unnest":
        return _insert_unnest(connection, opts, fields, rows, returning, params)
    if strategy == "replicated":
        replicated = _replicated_insert(connection, key, shape, len(fields), build)
        if replicated is not None:
            statement_cache(connection).put(key, replicated)
    cursor = run_write(connection, key, params, build)
    try:
        return read(cursor, rows)
    finally:
        cursor.close()


def _statement_strategy(connection, shape, fields, on_conflict, key):
    """How the INSERT is made: one UNNEST of typed arrays, a multi-row VALUES replicated from a one-row
    template (first use of a large shape), or the statement built (or found in the cache) as is."""
    many = isinstance(shape, int) and fields
    if many and shape > 1 and on_conflict is None and connection.features.supports_unnest_insert and \
            _unnest_types(fields, connection) is not None:
        return "unnest"
    if many and shape > 3 and statement_cache(connection).get(key) is None:
        return "replicated"
    return "values"


def _result_reader(connection, opts, returning_fields, rows, plain, on_conflict):
    """How the generated values come back: RETURNING, consecutive keys ending at lastrowid, one
    lastrowid, or nothing."""
    if returning_fields and connection.features.can_return_columns_from_insert:
        if plain and _pks_from_lastrowid(connection, opts, returning_fields, rows, on_conflict):
            return _read_consecutive_pks
        return _read_returning
    if returning_fields and opts.auto_field is not None and len(rows) == 1:
        return _read_lastrowid
    return _read_nothing


def _read_returning(cursor, rows):
    return cursor.fetchall()


def _read_consecutive_pks(cursor, rows):
    last = cursor.lastrowid
    return [(pk,) for pk in range(last - len(rows) + 1, last + 1)]


def _read_lastrowid(cursor, rows):
    return [(cursor.lastrowid,)]


def _read_nothing(cursor, rows):
    return []


def _values_builder(connection, opts, fields, rows, on_conflict, update_columns, unique_columns, returning):
    """The build function (cache misses only) of an INSERT ... VALUES of ``rows``."""
    def build(c, rows=rows):
        table = sa_table(opts.db_table, opts.db_table, [f.column for f in opts.concrete_fields])
        values = []
        for row in rows:
            values.append({f.column: (v.as_sa(c) if hasattr(v, "resolve_expression") else c.param(v))
                           for f, v in zip(fields, row)})
        stmt = connection.ops.insert_sa(table, on_conflict, update_columns, unique_columns)
        if not fields:
            stmt = stmt.values({}) if len(rows) == 1 else stmt
        elif len(values) == 1:
            stmt = stmt.values(values[0])
        else:
            stmt = stmt.values(values)
        if returning:
            stmt = stmt.returning(*[table.c[col] for col in returning])
        return stmt

    return build


# Below this many rows the extra round trips of COPY (sequence lookup, key reservation) cost more than they save.
COPY_MIN_ROWS = 1000


def copy_insert(connection, model, fields, rows, returning_fields):
    """Load plain-valued ``rows`` with the backend's COPY; the RETURNING-shaped rows, or None if COPY cannot do it.

    COPY can hand back nothing but the primary keys it was given, so it is used only when nothing
    else must come back: no returned fields, or just the auto primary key (reserved beforehand).
    """
    opts = model._meta
    if not (connection.features.supports_copy_from and len(rows) >= COPY_MIN_ROWS and fields):
        return None
    db_types = _unnest_types(fields, connection)
    if db_types is None:
        return None
    columns = [f.column for f in fields]
    if not [f for f in returning_fields if f not in fields]:
        connection.ops.copy_rows(opts.db_table, columns, rows, db_types)
        return []
    pk = opts.auto_field
    if list(returning_fields) != [pk]:
        return None
    pks = connection.ops.copy_rows_with_pks(opts.db_table, (pk.column, pk.db_type(connection)), columns, rows,
                                            db_types)
    return None if pks is None else [(value,) for value in pks]


# Below this many rows RETURNING costs less than the catalog check that allows reading the keys otherwise.
LASTROWID_MIN_ROWS = 200


def _pks_from_lastrowid(connection, opts, returning_fields, rows, on_conflict):
    """Whether the keys of this plain INSERT can be read as the consecutive run ending at ``lastrowid``.

    Only the auto primary key may be wanted back, and every row must be inserted (no conflict clause).
    """
    return (on_conflict is None and len(rows) >= LASTROWID_MIN_ROWS
            and connection.features.has_consecutive_bulk_insert_pks
            and list(returning_fields) == [opts.auto_field]
            and connection.ops.has_consecutive_pks(opts.db_table, opts.auto_field.column, len(rows)))


# Column types whose values travel safely as one typed array per column.
UNNEST_TYPES = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "FloatField", "DecimalField",
    "BooleanField", "CharField", "TextField", "EmailField", "SlugField", "URLField", "UUIDField", "DateField",
    "DateTimeField", "TimeField", "DurationField",
})


def _unnest_types(fields, connection):
    """The SQL column type of each field (foreign keys: their target's), or None if any is unsuitable."""
    types = []
    for field in fields:
        target = field.target_field if field.is_relation and hasattr(field, "target_field") else field
        if target.get_internal_type() not in UNNEST_TYPES:
            return None
        types.append(target.db_type(connection))
    return types


def _insert_unnest(connection, opts, fields, rows, returning, values):
    """``INSERT ... SELECT * FROM UNNEST(%s::type[], ...)``: one parameter per column, as Django 5.2 on PostgreSQL.

    The statement does not grow with the row count, so one cache entry serves every batch size.
    """
    width = len(fields)
    columns = [values[i::width] for i in range(width)]
    key = ("insert-unnest", opts.db_table, tuple(f.column for f in fields), returning)
    cache = statement_cache(connection)
    entry = cache.get(key)
    if entry is None:
        sql = connection.ops.unnest_insert_sql(opts.db_table, [f.column for f in fields],
                                               _unnest_types(fields, connection), returning)
        entry = CompiledStatement(sql, tuple(range(width)), [], "format", width)
        cache.put(key, entry)
    cursor = connection.new_cursor()
    try:
        connection.execute_sql(cursor, entry.sql, columns)
        return cursor.fetchall() if returning else []
    finally:
        cursor.close()


def _replicated_insert(connection, key, n_rows, width, build):
    """The N-row INSERT text made from SQLAlchemy's 1- and 2-row renderings (checked against 3 rows).

    Rendering a 50,000-row VALUES list through SQLAlchemy takes seconds; every row group of a
    plain-valued INSERT is the same text, so the group is repeated instead. None means "compile it".
    """
    cache = statement_cache(connection)
    template_key = ("insert-template",) + key[1:3] + key[4:]
    template = cache.get(template_key)
    if template is None:
        template = _insert_template(connection, width, build) or False
        cache.put(template_key, template)
    if template is False:
        return None
    prefix, group, suffix, paramstyle = template
    sql = prefix + group * (n_rows - 1) + suffix
    count = n_rows * width
    return CompiledStatement(sql, tuple(range(count)), [], paramstyle, count)


def _insert_template(connection, width, build):
    rendered = []
    for n in (1, 2, 3):
        c = CompileContext(connection)
        entry = compile_statement(build(c, rows=[[None] * width] * n), connection, len(c.values))
        if not entry.direct or entry.constants:
            return None
        rendered.append(entry)
    one, two, three = (e.sql for e in rendered)
    cut = len(os.path.commonprefix([one, two]))
    prefix, suffix = one[:cut], one[cut:]
    if not two.endswith(suffix):
        return None
    group = two[cut:len(two) - len(suffix)]
    if prefix + group * 2 + suffix != three:
        return None
    return prefix, group, suffix, rendered[0].paramstyle


def _insert_shape(rows, k):
    # Plain values only: the row count is the shape (no per-row tuples to hash).
    shape = []
    plain = True
    for row in rows:
        row_shape = []
        for value in row:
            if hasattr(value, "resolve_expression"):
                row_shape.append(value.key(k))
                plain = False
            else:
                k.param(value)
                row_shape.append("?")
        shape.append(tuple(row_shape))
    return len(rows) if plain else tuple(shape)


# -- UPDATE ------------------------------------------------------------------------------------------
def _resolve_update_values(query, values):
    opts = query.get_meta()
    resolved = []
    for name, value in values.items():
        field = opts.get_field(name)
        direct = not (field.auto_created and not field.concrete) or not field.concrete
        model = field.model._meta.concrete_model if field.model else None
        if not direct or (field.is_relation and field.many_to_many):
            raise FieldError("Cannot update model field %r (only non-relations and foreign keys permitted)." % field)
        if model is not opts.concrete_model:
            raise FieldError("Cannot update model field %r (only non-relations and foreign keys permitted)." % field)
        if hasattr(value, "resolve_expression"):
            value = value.resolve_expression(query, allow_joins=False, for_save=True)
            if getattr(value, "contains_aggregate", False):
                raise FieldError("Aggregate functions are not allowed in this query (%s=%r)." % (field.name, value))
            if getattr(value, "contains_over_clause", False):
                raise FieldError("Window expressions are not allowed in this query (%s=%r)." % (field.name, value))
        elif hasattr(value, "prepare_database_save"):
            if field.remote_field:
                value = value.prepare_database_save(field)
            else:
                raise TypeError("Tried to update field %s with a model instance, %r. Use a value compatible with %s."
                                % (field, value, field.__class__.__name__))
        resolved.append((field, value))
    return resolved


def update_rows(query, values, connection):
    """UPDATE rows matched by ``query``; return the matched row count."""
    if not values:
        return 0
    q = query.chain()
    assignments = _resolve_update_values(q, values)
    return _execute_update(q, assignments, connection)


def _value_key(field, value, k, connection):
    if hasattr(value, "resolve_expression"):
        return value.key(k)
    if value is None:
        return "NULL"
    k.param(field.get_db_prep_save(value, connection))
    return "?"


def _value_sa(field, value, c):
    if hasattr(value, "resolve_expression"):
        return value.as_sa(c)
    if value is None:
        return sa.null()
    return c.param(field.get_db_prep_save(value, c.connection))


def _needs_pk_subquery(query):
    return len([a for a, j in query.alias_map.items() if query.alias_refcount.get(a, 1)]) > 1


def _execute_update(q, assignments, connection):
    opts = q.get_meta()
    base_alias = q.get_initial_alias()
    k = KeyContext(connection)
    set_key = tuple((f.column, _value_key(f, v, k, connection)) for f, v in assignments)
    try:
        pk_query, where_key = _rows_filter_key(q, k)
    except EmptyResultSet:
        return 0
    key = ("update", opts.db_table, set_key, where_key)

    def build(c):
        table = sa_table(opts.db_table, base_alias, [f.column for f in opts.concrete_fields])
        c.tables[base_alias] = table
        c.query = q
        set_values = {f.column: _value_sa(f, v, c) for f, v in assignments}
        return _filter_rows(sa.update(table).values(set_values), table, q, pk_query, where_key, c)

    cursor = run_write(connection, key, k.params, build)
    try:
        return cursor.rowcount
    finally:
        cursor.close()


def _rows_filter_key(q, k):
    """(pk subquery or None, key part) of the rows an UPDATE/DELETE changes; raises EmptyResultSet.

    A query that joins other tables changes ``pk IN (SELECT pk ...)``; otherwise its own WHERE applies
    ("full": no condition at all).
    """
    pk_query = _pk_subquery(q) if _needs_pk_subquery(q) else None
    try:
        return pk_query, (("pk_in", k.subquery_key(pk_query)) if pk_query is not None else q.where.key(k))
    except FullResultSet:
        return pk_query, "full"


def _filter_rows(stmt, table, q, pk_query, where_key, c):
    """``stmt`` restricted to the rows ``_rows_filter_key`` described."""
    if pk_query is not None:
        return stmt.where(table.c[q.get_meta().pk.column].in_(_pk_select(pk_query, c, c.connection)))
    if where_key != "full":
        return stmt.where(q.where.as_sa(c))
    return stmt


def _pk_subquery(q):
    pk_query = q.clone()
    pk_query.clear_ordering(force=True)
    pk_query.clear_select_clause()
    pk_query.add_fields([q.get_meta().pk.name])
    pk_query.select_related = False
    pk_query.subquery = True
    return pk_query


def _pk_select(pk_query, c, connection):
    select = c.subquery(pk_query)
    if not connection.features.update_can_self_select:
        # Read the table being changed through a materialized derived table instead.
        return sa.select(sa.literal_column("*")).select_from(select.subquery("ormlette_pks"))
    return select


# -- DELETE ------------------------------------------------------------------------------------------
def delete_rows(query, connection):
    """DELETE rows matched by ``query``; return the row count."""
    q = query.chain()
    opts = q.get_meta()
    base_alias = q.get_initial_alias()
    k = KeyContext(connection)
    try:
        pk_query, where_key = _rows_filter_key(q, k)
    except EmptyResultSet:
        return 0
    key = ("delete", opts.db_table, where_key)

    def build(c):
        table = sa_table(opts.db_table, base_alias, columns_of(q, opts.db_table))
        c.tables[base_alias] = table
        c.query = q
        return _filter_rows(sa.delete(table), table, q, pk_query, where_key, c)

    cursor = run_write(connection, key, k.params, build)
    try:
        return cursor.rowcount
    finally:
        cursor.close()


