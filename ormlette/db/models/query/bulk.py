"""QuerySet.bulk_create() and bulk_update(): few statements, all-or-nothing, no signals."""
from contextlib import nullcontext
from operator import attrgetter

from ormlette.db import connections, transaction
from ormlette.db.errors import NotSupportedError
from ormlette.db.models.base import SAVED_ON_KEY
from ormlette.db.models.fast.bulk_values import passthrough_type, row_values_function
from ormlette.db.models.expressions.base import Case, Value, When
from ormlette.db.models.fast.gc_pause import gc_paused

IGNORE, UPDATE = "ignore", "update"


# -- bulk_create -------------------------------------------------------------------------------------
def bulk_create(queryset, objs, batch_size, ignore_conflicts, update_conflicts, update_fields, unique_fields):
    """Insert ``objs`` in multi-row INSERTs inside one transaction; set returned pks and db defaults."""
    _check_batch_size(batch_size)
    model = queryset.model
    opts = model._meta
    if any(parent._meta.concrete_model is not opts.concrete_model for parent in _parents(opts)):
        raise ValueError("Can't bulk create a multi-table inherited model")
    if not objs:
        return objs
    if unique_fields:
        unique_fields = [opts.get_field(opts.pk.name if name == "pk" else name) for name in unique_fields]
    if update_fields:
        update_fields = [opts.get_field(name) for name in update_fields]
    on_conflict = _check_conflict_options(queryset, ignore_conflicts, update_conflicts, update_fields,
                                          unique_fields)
    queryset._for_write = True
    using = queryset.db
    connection = connections[using]
    objs = list(objs)
    with gc_paused() if len(objs) >= GC_PAUSE_MIN_OBJECTS else nullcontext():
        _insert_objs(connection, queryset.model, objs, batch_size, (on_conflict, update_fields or (),
                                                                     unique_fields or ()), using)
    return objs


# Below this many objects the collector's work during bulk_create is too small to be worth a pause.
GC_PAUSE_MIN_OBJECTS = 1000


def _insert_objs(connection, model, objs, batch_size, conflicts, using):
    """Prepare ``objs``, INSERT them (those with a pk, then those without) and mark them saved."""
    opts = model._meta
    with_pk, without_pk = _prepare_and_split(objs, opts)
    fields = [f for f in opts.concrete_fields if not getattr(f, "generated", False)]
    returning = []
    if connection.features.can_return_rows_from_bulk_insert and conflicts[0] != IGNORE:
        returning = _returning_fields(opts)
    with connection.ops.bulk_insert_context(len(objs)), transaction.atomic(using=using, savepoint=False):
        if with_pk:
            # Their pks are known: ask only for what the database fills in.
            wanted = [f for f in returning if not f.primary_key]
            rows = _batched_insert(connection, model, with_pk, fields, batch_size, conflicts, wanted)
            _set_saved(with_pk, rows, wanted, connection, using)
        if without_pk:
            auto_fields = [f for f in fields if f is not opts.auto_field]
            rows = _batched_insert(connection, model, without_pk, auto_fields, batch_size, conflicts, returning)
            _set_saved(without_pk, rows, returning, connection, using)


def _parents(opts):
    parents = getattr(opts, "parents", None) or {}
    return list(parents)


def _check_batch_size(batch_size):
    if batch_size is not None and batch_size <= 0:
        raise ValueError("Batch size must be a positive integer.")


def _check_conflict_options(queryset, ignore_conflicts, update_conflicts, update_fields, unique_fields):
    """Django's validation of the conflict arguments; returns None, IGNORE or UPDATE."""
    if ignore_conflicts and update_conflicts:
        raise ValueError("ignore_conflicts and update_conflicts are mutually exclusive.")
    features = connections[queryset.db].features
    if ignore_conflicts:
        if not features.supports_ignore_conflicts:
            raise NotSupportedError("This database backend does not support ignoring conflicts.")
        return IGNORE
    if not update_conflicts:
        return None
    if not features.supports_update_conflicts:
        raise NotSupportedError("This database backend does not support updating conflicts.")
    if not update_fields:
        raise ValueError("Fields that will be updated when a row insertion fails on conflicts must be provided.")
    if unique_fields and not features.supports_update_conflicts_with_target:
        raise NotSupportedError("This database backend does not support updating conflicts with specifying "
                                "unique fields that can trigger the upsert.")
    if not unique_fields and features.supports_update_conflicts_with_target:
        raise ValueError("Unique fields that can trigger the upsert must be provided.")
    if any(not f.concrete or f.many_to_many for f in update_fields):
        raise ValueError("bulk_create() can only be used with concrete fields in update_fields.")
    if any(f.primary_key for f in update_fields):
        raise ValueError("bulk_create() cannot be used with primary keys in update_fields.")
    if unique_fields and any(not f.concrete or f.many_to_many for f in unique_fields):
        raise ValueError("bulk_create() can only be used with concrete fields in unique_fields.")
    return UPDATE


def _prepare_and_split(objs, opts):
    """Default pks and related objects' pks copied into foreign keys, as save() would; then
    (objects with a pk, objects without), each in the given order."""
    from ormlette.db.models.persistence import prepare_related_fields_for_save

    pk = opts.pk
    pk_of = attrgetter(pk.attname)
    default_pk = pk.has_default()
    with_pk, without_pk = [], []
    for obj in objs:
        if default_pk and pk_of(obj) is None:
            obj.pk = pk.get_default()
        # Only cached related objects need preparing; the state and its cache are created on first use.
        state = obj.__dict__.get("_state")
        if state is not None and state.__dict__.get("fields_cache"):
            prepare_related_fields_for_save(obj, operation_name="bulk_create")
        (without_pk if pk_of(obj) is None else with_pk).append(obj)
    return with_pk, without_pk


def _batched_insert(connection, model, objs, fields, batch_size, conflicts, returning):
    """INSERT ``objs`` in ``batch_size`` batches (COPY where it can, else INSERTs within the parameter limit)."""
    from ormlette.db.models.sql.query import Query
    from ormlette.db.models.sql.write import copy_insert

    rows, plain = row_values_function(model, fields, connection, Query(model))(objs)
    batch = batch_size or len(rows)
    returned = []
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        copied = copy_insert(connection, model, fields, chunk, returning) if plain and conflicts[0] is None else None
        if copied is None:
            copied = _insert_chunk(connection, model, fields, chunk, conflicts, returning, plain)
        returned.extend(copied)
    return returned if returning else []


def _insert_chunk(connection, model, fields, rows, conflicts, returning, plain):
    """INSERT ``rows`` in statements that fit the backend's parameter limit; the RETURNING rows."""
    from ormlette.db.models.sql.write import insert_rows

    on_conflict, update_fields, unique_fields = conflicts
    # A row of nothing but defaults cannot share a VALUES list.
    batch = connection.ops.bulk_batch_size(len(fields), len(rows)) if fields else 1
    returned = []
    for start in range(0, len(rows), batch):
        returned.extend(insert_rows(connection, model, fields, rows[start:start + batch], returning, on_conflict,
                                    update_fields, unique_fields, plain=plain))
    return returned


def _returning_fields(opts):
    return list(opts.db_returning_fields) + [f for f in opts.concrete_fields if getattr(f, "generated", False)]


def _set_saved(objs, rows, returning, connection, using):
    """Set the ``returning`` values from ``rows`` (converted for Python) and mark ``objs`` saved on ``using``."""
    if rows:
        _set_returned(objs, rows, returning, connection)
    for obj in objs:
        data = obj.__dict__
        state = data.get("_state")
        if state is None:
            data[SAVED_ON_KEY] = using  # never read yet: built as saved on ``using`` when it is
        else:
            state.adding = False
            state.db = using


def _set_returned(objs, rows, returning, connection):
    targets = [(index, field.attname, field.get_db_converters(connection)) for index, field in enumerate(returning)]
    if len(targets) == 1 and not targets[0][2]:
        attname = targets[0][1]
        for obj, (value,) in zip(objs, rows):
            setattr(obj, attname, value)
        return
    for obj, row in zip(objs, rows):
        for index, attname, converters in targets:
            value = row[index]
            for converter in converters:
                value = converter(value)
            setattr(obj, attname, value)


# -- bulk_update -------------------------------------------------------------------------------------
def bulk_update(queryset, objs, fields, batch_size):
    """UPDATE ``fields`` of ``objs``, one statement per batch; return the matched rows."""
    _check_batch_size(batch_size)
    if not fields:
        raise ValueError("Field names must be given to bulk_update().")
    objs = tuple(objs)
    opts = queryset.model._meta
    pk_of = attrgetter(opts.pk.attname)
    if not all(pk_of(obj) is not None for obj in objs):
        raise ValueError("All bulk_update() objects must have a primary key set.")
    fields = [opts.get_field(name) for name in fields]
    if any(not f.concrete or f.many_to_many for f in fields):
        raise ValueError("bulk_update() can only be used with concrete fields.")
    if any(f.primary_key for f in fields):
        raise ValueError("bulk_update() cannot be used with primary key fields.")
    if not objs:
        return 0
    from ormlette.db.models.persistence import prepare_related_fields_for_save

    if any(f.is_relation for f in fields):  # it has nothing to do for other fields
        for obj in objs:
            prepare_related_fields_for_save(obj, operation_name="bulk_update", fields=fields)
    queryset._for_write = True
    using = queryset.db
    connection = connections[using]
    batch = connection.ops.bulk_batch_size(1 + 2 * len(fields), len(objs))
    batch = min(batch_size, batch) if batch_size else batch
    batches = [objs[i:i + batch] for i in range(0, len(objs), batch)]
    if _can_update_row_by_row(queryset, objs, fields, connection):
        with transaction.atomic(using=using, savepoint=False):
            return _update_rows_executemany(queryset.model, batches, fields, connection)
    from_rows = _can_update_from_rows(queryset, connection)
    target = queryset.using(using)
    updated = 0
    with transaction.atomic(using=using, savepoint=False):
        for chunk in batches:
            rows = _plain_update_rows(chunk, fields, connection) if from_rows else None
            if rows is not None:
                updated += _update_from_rows(queryset.model, fields, rows, connection)
            else:
                pks, values = _update_batch(chunk, fields, connection)
                updated += target.filter(pk__in=pks).update(**values)
    return updated


# Primary keys compared as integers both in Python (to drop repeated objects) and in the join.
_INTEGER_PK_TYPES = frozenset({"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                               "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
                               "PositiveSmallIntegerField"})


def _can_update_from_rows(queryset, connection):
    """An unfiltered queryset with an integer pk on a backend that joins the UPDATE to its new rows."""
    pk = queryset.model._meta.pk
    pk = pk.target_field if pk.is_relation else pk
    return (connection.features.supports_bulk_update_from_rows and not queryset.query.where.children
            and pk.get_internal_type() in _INTEGER_PK_TYPES)


def _plain_update_rows(objs, fields, connection):
    """``[pk, value, ...]`` driver values per distinct pk, or None when a value is an expression (the
    CASE form renders those)."""
    if _has_expression(objs, fields):
        return None
    return [[pk] + values for pk, values in _values_by_pk(objs, fields, connection)]


def _values_by_pk(objs, fields, connection):
    """``(pk, [value, ...])`` driver values of one batch, once per pk: the first object's, as the first WHEN
    of a CASE for that pk would give (and its row counts once as matched)."""
    pk_field = objs[0]._meta.pk
    pk_of = attrgetter(pk_field.attname)
    pk_type = passthrough_type(pk_field)
    values_of = attrgetter(*[f.attname for f in fields])
    if len(fields) == 1:
        get_values = values_of
        values_of = lambda obj: (get_values(obj),)  # noqa: E731 - attrgetter of one name returns the bare value
    converters = [(index, passthrough_type(f), f.get_db_prep_save) for index, f in enumerate(fields)]
    rows = {}
    for obj in objs:
        pk = pk_of(obj)
        if pk.__class__ is not pk_type:
            pk = pk_field.get_db_prep_value(pk, connection)
        if pk in rows:
            continue
        values = list(values_of(obj))
        for index, plain_type, prep in converters:
            # get_db_prep_save returns a value of the field's plain type unchanged: skip the call.
            if values[index].__class__ is not plain_type:
                values[index] = prep(values[index], connection)
        rows[pk] = values
    return rows.items()


def _update_from_rows(model, fields, rows, connection):
    """One UPDATE joined to ``rows`` on the primary key; the number of rows matched."""
    opts = model._meta
    sql = connection.ops.bulk_update_from_rows_sql(opts.db_table, opts.pk.column, [f.column for f in fields],
                                                   len(rows))
    params = [value for row in rows for value in row]
    cursor = connection.new_cursor()
    try:
        connection.execute_sql(cursor, sql, params)
        return cursor.rowcount
    finally:
        cursor.close()


def _can_update_row_by_row(queryset, objs, fields, connection):
    """Plain values on an unfiltered queryset, where the driver pipelines executemany cheaply."""
    if not connection.features.has_fast_executemany or queryset.query.where.children:
        return False
    return not _has_expression(objs, fields)


def _has_expression(objs, fields):
    """Whether any of ``fields`` of any object holds an expression (values of a field's plain type do not)."""
    for field in fields:
        plain_type = passthrough_type(field)
        values = map(attrgetter(field.attname), objs)
        if any(hasattr(value, "resolve_expression") for value in values if value.__class__ is not plain_type):
            return True
    return False


def _update_rows_executemany(model, batches, fields, connection):
    """``UPDATE t SET a = %s, ... WHERE pk = %s`` once per distinct pk of each batch, as one executemany.

    Same rows, values and matched-row count as one CASE statement per batch, without its quadratic
    CASE evaluation.
    """
    import sqlalchemy as sa

    from ormlette.db.models.sql.cache import compile_statement, statement_cache
    from ormlette.db.models.sql.compiler import sa_table
    from ormlette.db.models.sql.context import CompileContext

    opts = model._meta
    key = ("bulk_update_rows", opts.db_table, tuple(f.column for f in fields))
    cache = statement_cache(connection)
    entry = cache.get(key)
    if entry is None:
        c = CompileContext(connection)
        table = sa_table(opts.db_table, opts.db_table, [f.column for f in opts.concrete_fields])
        stmt = sa.update(table).values({f.column: c.param(None) for f in fields}).where(
            table.c[opts.pk.column] == c.param(None))
        entry = compile_statement(stmt, connection, len(c.values))
        cache.put(key, entry)
    arrange = None if entry.direct else entry.arrange
    rows = []
    for batch in batches:
        for pk, values in _values_by_pk(batch, fields, connection):
            values.append(pk)
            rows.append(arrange(values) if arrange else values)
    cursor = connection.new_cursor()
    try:
        connection.execute_sql(cursor, entry.sql, rows, many=True)
        return cursor.rowcount
    finally:
        cursor.close()


def _update_batch(objs, fields, connection):
    values = {}
    for field in fields:
        whens = []
        for obj in objs:
            value = getattr(obj, field.attname)
            if not hasattr(value, "resolve_expression"):
                value = Value(value, output_field=field)
            whens.append(When(pk=obj.pk, then=value))
        case = Case(*whens, output_field=field)
        if connection.features.requires_casted_case_in_updates:
            from ormlette.db.models.functions import Cast

            case = Cast(case, output_field=field)
        values[field.attname] = case
    return [obj.pk for obj in objs], values
