"""A shortcut for ``Model.objects.get(<field>=value)`` on an untouched queryset.

The first call of each (model, field, database) shape runs the general path and keeps its
compiled statement and row layout; later calls only prepare the value (with the same field
methods the general path uses), execute, and hydrate. Anything unusual falls back.
"""
from ormlette.db import connections

MISS = object()
_FAST_VALUE_TYPES = (int, str)
_entries = {}


def _pristine(queryset):
    query = queryset.query
    return (queryset._result_cache is None and not queryset._prefetch_related_lookups
            and not queryset._known_related_objects and queryset._deferred_filter is None
            and not query.where.children and not query.annotations and query.default_cols
            and not query.select_related and not query.deferred_loading[0] and not query.extra
            and not query.is_sliced and not query.distinct and not query.combinator
            and not query.select_for_update and query.group_by is None and not query.extra_tables
            and len(query.alias_map) <= 1 and query.standard_ordering)


def _target_field(model, name):
    if name.endswith("__exact"):
        name = name[:-7]
    if "__" in name:
        return None
    opts = model._meta
    field = opts.pk if name == "pk" else opts._forward_fields_map.get(name)
    if field is None or field.is_relation or not field.concrete:
        return None
    return field


def fast_get(queryset, kwargs):
    """The object for ``get(**kwargs)`` with one plain-field lookup, or MISS to use the general path."""
    if _deps is None:
        _bind()
    if queryset._iterable_class is not _deps["ModelIterable"] or type(queryset).get is not _deps["get"]:
        return MISS
    ((name, value),) = kwargs.items()
    if type(value) not in _FAST_VALUE_TYPES:
        return MISS
    model = queryset.model
    field = _target_field(model, name)
    if field is None or not _pristine(queryset):
        return MISS
    low_high = getattr(field, "integer_range", None)
    if low_high is not None and isinstance(value, int) and not (low_high[0] <= value <= low_high[1]):
        return MISS
    connection = connections[queryset.db]
    key = (model, field.attname, queryset.db, connection.vendor, type(queryset))
    cached = _entries.get(key)
    if cached is False:
        return MISS
    db_value = field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)
    if cached is None:
        return _learn(queryset, key, name, value, db_value, connection)
    entry, layout, limit = cached
    cursor = _deps["execute_compiled"](connection, entry, entry.arrange([db_value, limit]))
    try:
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return _single(queryset, layout, layout.convert(rows), limit)


def _learn(queryset, key, name, value, db_value, connection):
    """Run the general path once and remember its statement for this shape (or that it has none)."""
    from ormlette.db.models.iterables import _layout
    from ormlette.db.models.query import MAX_GET_RESULTS
    from ormlette.db.models.sql.compiler import compile_query

    clone = queryset.filter(**{name: value}).order_by()
    clone.query.set_limits(high=MAX_GET_RESULTS)
    entry, params = compile_query(clone.query, connection)
    if entry is None:
        return MISS
    if list(entry.arrange([db_value, MAX_GET_RESULTS])) != list(params):
        _entries[key] = False  # the statement's parameters are not (value, limit): never take the shortcut
        return MISS
    layout = _layout(entry, clone.query, connection)
    _entries[key] = (entry, layout, MAX_GET_RESULTS)
    return _single(queryset, layout, list(clone._iterable_class(clone)), MAX_GET_RESULTS, hydrated=True)


def _single(queryset, layout, rows, limit, hydrated=False):
    model = queryset.model
    objs = rows if hydrated else list(_deps["model_instances"](model, queryset.db, layout, rows))
    if len(objs) == 1:
        return objs[0]
    if not objs:
        raise model.DoesNotExist("%s matching query does not exist." % model._meta.object_name)
    num = len(objs)
    raise model.MultipleObjectsReturned("get() returned more than one %s -- it returned %s!" % (
        model._meta.object_name, num if num < limit else "more than %s" % (limit - 1)))


_deps = None


def _bind():
    """Import the collaborators once (they import this module's callers)."""
    global _deps
    from ormlette.db.models.iterables import ModelIterable, model_instances
    from ormlette.db.models.query import QuerySet
    from ormlette.db.models.sql.compiler import execute_compiled

    _deps = {"ModelIterable": ModelIterable, "get": QuerySet.get, "execute_compiled": execute_compiled,
             "model_instances": model_instances}
