"""A shortcut for ``Model.objects.get(<field>=value)`` on an untouched queryset.

The first call of each (model, lookup name, database) shape runs the general path and keeps its
compiled statement and row layout; later calls only prepare the value (with the same field
methods the general path uses), execute, and hydrate. A stock manager's get() (``manager_get``)
does the same without building its QuerySet. Anything unusual falls back.
"""
from ormlette.conf import settings as _settings
from ormlette.db import DEFAULT_DB_ALIAS, connections

MISS = object()
_FAST_VALUE_TYPES = (int, str)
_shapes = {}  # (model, name, alias, vendor, queryset class) -> _Shape, or False: never take the shortcut

# Collaborators bound on first use (they import this module's caller).
_ModelIterable = _QuerySet_get = _QuerySet_init = _BaseManager = _Manager_get_queryset = None
_model_instances = _root_recipe = _base_from_db = _pre_init = _post_init = None
MAX_GET_RESULTS = 21


class _Shape:
    """What a learned ``get(<field>=value)`` shape runs: the field, its statement, row layout and builder."""

    __slots__ = ("field", "int_range", "int_as_is", "sql", "params", "value_index", "layout", "build")

    def __init__(self, field, entry, layout, model):
        self.field = field
        self.int_range = getattr(field, "integer_range", None)
        self.int_as_is = _prepares_ints_as_is(field)
        self.sql = entry.sql
        # The statement's parameters with a placeholder where the looked-up value goes.
        self.params = list(entry.arrange([_VALUE, MAX_GET_RESULTS]))
        self.value_index = self.params.index(_VALUE)
        self.layout = layout
        self.build = layout.instance_builder(model)


_VALUE = object()


def _prepares_ints_as_is(field):
    """Whether the field's stock integer preparation returns an exact ``int`` unchanged."""
    from ormlette.db.models.fields import Field, IntegerField
    from ormlette.db.models.fields.numeric import AutoFieldMixin

    cls = type(field)
    return (cls.get_prep_value is IntegerField.get_prep_value
            and cls.get_db_prep_value in (Field.get_db_prep_value, AutoFieldMixin.get_db_prep_value))


def fast_get(queryset, kwargs):
    """The object for ``get(**kwargs)`` with one plain-field lookup, or MISS to use the general path."""
    if _ModelIterable is None:
        _bind()
    if queryset._iterable_class is not _ModelIterable or type(queryset).get is not _QuerySet_get:
        return MISS
    if queryset._fetch_mode is not None or _settings.DEFAULT_FETCH_MODE is not None:
        return MISS  # the general path gives the instance its fetch mode
    ((name, value),) = kwargs.items()
    if type(value) not in _FAST_VALUE_TYPES or not _pristine(queryset):
        return MISS
    return _get_by_shape(queryset.model, queryset.db, type(queryset), name, value, queryset)


def manager_get(manager, kwargs):
    """``manager.get(**kwargs)`` without building a QuerySet when the manager is stock, else MISS."""
    if _ModelIterable is None:
        _bind()
    # The manager's queryset would be pristine: stock get_queryset() (not replaced on the instance
    # either), a queryset class with the stock __init__ and get(), and no router or hint choosing the database.
    queryset_class = manager._queryset_class
    if (type(manager).get_queryset is not _Manager_get_queryset or "get_queryset" in manager.__dict__
            or queryset_class.__init__ is not _QuerySet_init or queryset_class.get is not _QuerySet_get
            or _settings.DATABASE_ROUTERS or manager._hints or _settings.DEFAULT_FETCH_MODE is not None):
        return MISS
    ((name, value),) = kwargs.items()
    if type(value) not in _FAST_VALUE_TYPES:
        return MISS
    return _get_by_shape(manager.model, manager._db or DEFAULT_DB_ALIAS, queryset_class, name, value, manager)


def _get_by_shape(model, db, queryset_class, name, value, source):
    """The object for a learned shape, or MISS; a new shape is learned from ``source`` (queryset or manager)."""
    # Inlined on purpose: at ~10 us per get(), every extra call layer here shows in the benchmark.
    connection = connections[db]
    shape = _shapes.get((model, name, db, connection.vendor, queryset_class))
    if shape is None:
        queryset = source.get_queryset() if isinstance(source, _BaseManager) else source
        return _learn(queryset, (model, name, db, connection.vendor, queryset_class), name, value, connection)
    if shape is False:
        return MISS
    if type(value) is int and shape.int_as_is:
        int_range = shape.int_range
        if int_range is not None and not int_range[0] <= value <= int_range[1]:
            return MISS  # the general path reports out-of-range values Django's way
        db_value = value
    else:
        field = shape.field
        db_value = field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)
    params = shape.params.copy()
    params[shape.value_index] = db_value
    rows = connection.fetch_small_read(shape.sql, params)
    if model.from_db.__func__ is _base_from_db and not (_pre_init.receivers or _post_init.receivers):
        objs = shape.build(rows, db)
    else:
        objs = _model_instances(model, db, shape.layout, rows)
    return objs[0] if len(objs) == 1 else _single(model, objs)


def _pristine(queryset):
    """Whether the queryset is its manager's, untouched (no filters, ordering changes, slices, ...)."""
    if queryset._deferred_filter is not None or queryset._result_cache is not None:
        return False
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        return False
    state = queryset.__dict__
    if state.get("_query", False) is None and not state.get("_recipe_leaves") and not state.get("_recipe_limits"):
        # A manager's fresh queryset whose Query was never built: nothing recorded, nothing to check.
        model = queryset.model
        root = _roots.get(model)
        if root is None and _root_recipe is not None:
            root = _roots[model] = _root_recipe(model)
        if root is not None and state.get("_recipe") is root:
            return True
    query = queryset.query
    return (not query.where.children and not query.annotations and query.default_cols
            and not query.select_related and not query.deferred_loading[0] and not query.extra
            and not query.is_sliced and not query.distinct and not query.combinator
            and not query.select_for_update and query.group_by is None and not query.extra_tables
            and len(query.alias_map) <= 1 and query.standard_ordering)


_roots = {}  # model -> its recorded-queryset root (stable; a stale one only costs the full check)


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


def _learn(queryset, key, name, value, connection):
    """Run the general path once and remember its statement for this shape (or that it has none)."""
    from ormlette.db.models.query.iterables import row_layout
    from ormlette.db.models.sql.compiler import compile_query

    model = queryset.model
    field = _target_field(model, name)
    if field is None:
        _shapes[key] = False
        return MISS
    int_range = getattr(field, "integer_range", None)
    if int_range is not None and type(value) is int and not int_range[0] <= value <= int_range[1]:
        return MISS
    db_value = field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)
    clone = queryset.filter(**{name: value}).order_by()
    clone.query.set_limits(high=MAX_GET_RESULTS)
    entry, params = compile_query(clone.query, connection)
    if entry is None:
        return MISS
    if list(entry.arrange([db_value, MAX_GET_RESULTS])) != list(params):
        _shapes[key] = False  # the statement's parameters are not (value, limit): never take the shortcut
        return MISS
    _shapes[key] = _Shape(field, entry, row_layout(entry, clone.query, connection), model)
    return _single(model, list(clone._iterable_class(clone)))


def _single(model, objs):
    if len(objs) == 1:
        return objs[0]
    if not objs:
        raise model.DoesNotExist("%s matching query does not exist." % model._meta.object_name)
    num = len(objs)
    raise model.MultipleObjectsReturned("get() returned more than one %s -- it returned %s!" % (
        model._meta.object_name, num if num < MAX_GET_RESULTS else "more than %s" % (MAX_GET_RESULTS - 1)))


def _bind():
    """Import the collaborators once."""
    global _ModelIterable, _QuerySet_get, _QuerySet_init, _BaseManager, _Manager_get_queryset
    global _model_instances, _root_recipe, _base_from_db, _pre_init, _post_init, MAX_GET_RESULTS
    from ormlette.db.models import signals
    from ormlette.db.models.query import queryset as query
    from ormlette.db.models.base import Model
    from ormlette.db.models.manager import BaseManager
    from ormlette.db.models.query.iterables import ModelIterable, model_instances

    try:
        from ormlette.db.models.fast.recipes import root as root_recipe
    except ImportError:  # no recorded querysets: every queryset's Query is checked
        root_recipe = None
    MAX_GET_RESULTS = query.MAX_GET_RESULTS
    _QuerySet_get = query.QuerySet.get
    _QuerySet_init = query.QuerySet.__init__
    _BaseManager = BaseManager
    _Manager_get_queryset = BaseManager.get_queryset
    _model_instances = model_instances
    _root_recipe = root_recipe
    _base_from_db = Model.from_db.__func__
    _pre_init, _post_init = signals.pre_init, signals.post_init
    _ModelIterable = ModelIterable
