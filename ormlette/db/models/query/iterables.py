"""Rows -> model instances, dicts or tuples, through per-shape row layouts."""
import gc
from collections import namedtuple

from ormlette.conf import settings as _settings
from ormlette.db import connections
from ormlette.db.models.fetch_modes import FETCH_ONE, adopt, resolve
from ormlette.db.models.fast.row_builders import (
    child_builder, dict_builder, instance_builder, tuple_builder, value_builder,
)
from ormlette.db.models.sql.aggregation import aggregation_query
from ormlette.db.models.sql.compiler import compile_query, execute_compiled
from ormlette.db.models.sql.plan import prepare

GET_ITERATOR_CHUNK_SIZE = 100


class RowLayout:
    """How one query shape's rows map to objects: column ranges, converters and generated builders."""

    __slots__ = ("model_attnames", "model_width", "converters", "names", "annotation_slots", "related",
                 "width", "has_hidden", "_builders")

    def __init__(self, prepared, connection):
        self.converters = {}
        self.names = []
        self.model_attnames = ()
        self.model_width = 0
        self.annotation_slots = []
        self.related = []
        self.has_hidden = False
        self._builders = {}
        index = 0
        for item in prepared.select:
            if item.kind == "hidden":
                self.has_hidden = True
                break  # ordering columns a DISTINCT query selects only to sort; never returned
            if item.kind == "model":
                self.model_attnames = tuple(f.attname for f in item.fields)
                self.model_width = len(item.fields)
                for field in item.fields:
                    self._add_converters(index, field.get_db_converters(connection))
                    index += 1
            elif item.kind == "related":
                start = index
                for field in item.fields:
                    self._add_converters(index, field.get_db_converters(connection))
                    index += 1
                if _base_from_db is None:
                    _bind()
                custom_from_db = item.model.from_db.__func__ is not _base_from_db
                self.related.append((item.related, start, index, custom_from_db))
            else:
                self._add_converters(index, item.expr.get_db_converters(connection))
                self.names.append(item.name)
                if item.kind in ("annotation", "extra"):
                    self.annotation_slots.append((item.name, index))
                index += 1
        self.width = index

    def _add_converters(self, index, converters):
        if converters:
            self.converters[index] = tuple(converters)

    def _builder(self, key, make):
        """The generated function for ``key``, made on first use (the GIL makes a racing remake harmless)."""
        builder = self._builders.get(key)
        if builder is None:
            builder = self._builders[key] = make()
        return builder

    def convert(self, rows):
        """Rows cut to the returned columns with converters applied (as they are when nothing converts)."""
        if not self.converters:
            return rows
        return self.tuples(rows)

    def tuples(self, rows, order=None):
        """Converted tuples of the returned columns, or of the columns at ``order`` (values_list())."""
        if order is None:
            if not self.converters and not self.has_hidden:
                return rows if isinstance(rows, list) else list(rows)
            order = tuple(range(self.width))
        return self._builder(("tuples", order), lambda: tuple_builder(order, self.converters))(rows)

    def dicts(self, rows):
        """``values()`` dicts keyed by the select names."""
        return self._builder("dicts", lambda: dict_builder(self.names, self.converters))(rows)

    def first_values(self, rows):
        """The first column's converted values (``values_list(flat=True)``)."""
        if not self.converters:
            return [row[0] for row in rows]
        return self._builder("values", lambda: value_builder(self.converters))(rows)

    def instances(self, model, db, rows, converted=False):
        """Plain model instances from the model columns of ``rows`` (converted unless ``converted``)."""
        return self.instance_builder(model, converted)(rows, db)

    def instance_builder(self, model, converted=False):
        """The generated ``(rows, db) -> instances`` function of ``model`` for this shape."""
        builder = self._builders.get((model, converted))
        if builder is None:
            from ormlette.db.models.base import ModelState

            converters = {} if converted else self.converters
            builder = self._builders[(model, converted)] = instance_builder(
                model, self.model_attnames, converters, ModelState)
        return builder

    def child_builder(self, model, key_attname, cache_name, then_attname=None):
        """The generated ``(rows, db, parents[, caches, keys]) -> (instances, groups)`` function, or None.

        Only for rows that are the model's columns alone (no annotations or select_related objects) and
        that load ``key_attname`` (and ``then_attname``, a loaded key of the next prefetch level to prime).
        """
        attnames = self.model_attnames
        if self.annotation_slots or self.related or key_attname not in attnames:
            return None
        key = ("children", model, key_attname, cache_name, then_attname)
        builder = self._builders.get(key)
        if builder is None:
            from ormlette.db.models.base import ModelState

            then_index = None if then_attname is None else attnames.index(then_attname)
            builder = self._builders[key] = child_builder(
                model, attnames, self.converters, ModelState, attnames.index(key_attname), cache_name, then_index)
        return builder


def row_layout(entry, query, connection):
    """The RowLayout of a compiled statement for ``query``, made once and kept on the entry."""
    layout = entry.layout
    if layout is None:
        layout = entry.layout = RowLayout(prepare(query), connection)
    return layout


def get_aggregation(query, aggregates, using):
    """{alias: value} for aggregate expressions over ``query``."""
    if not aggregates:
        return {}
    return run_aggregation(aggregation_query(query, aggregates), connections[using])


def run_aggregation(outer, connection):
    """Execute an aggregation query; {alias: converted value}."""
    entry, params = compile_query(outer, connection)
    names = list(outer.annotation_select)
    if entry is None:
        return {name: _empty_value(outer.annotation_select[name]) for name in names}
    cursor = execute_compiled(connection, entry, params)
    try:
        row = cursor.fetchone()
    finally:
        cursor.close()
    layout = row_layout(entry, outer, connection)
    row = layout.convert([row])[0] if row is not None else [None] * len(names)
    return dict(zip(names, row))


def _empty_value(expr):
    value = getattr(expr, "empty_result_set_value", None)
    return None if value is NotImplemented else value


SMALL_READ_ROWS = 1000  # slices up to this size run on the connection's kept cursor


def _rows(queryset, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE):
    """Yield (layout, raw row batch) for a queryset's query; the iterables convert as they build."""
    connection = connections[queryset.db]
    query = queryset.query
    entry, params = compile_query(query, connection)
    if entry is None:
        return
    if not chunked_fetch and query.high_mark is not None and query.high_mark - query.low_mark <= SMALL_READ_ROWS:
        # A sliced read is small by construction: run it on the connection's kept cursor (a new psycopg
        # cursor per query costs ~17 us), whose last result stays small while it is kept.
        rows = connection.fetch_small_read(entry.sql, params)
        yield row_layout(entry, query, connection), rows
        return
    cursor = _execute_streaming(connection, entry, params) if chunked_fetch else \
        execute_compiled(connection, entry, params)
    try:
        layout = row_layout(entry, query, connection)
        if not chunked_fetch:
            yield layout, cursor.fetchall()
            return
        while True:
            batch = cursor.fetchmany(chunk_size)
            if not batch:
                break
            yield layout, batch
    finally:
        cursor.close()


def _execute_streaming(connection, entry, params):
    """Run a statement for ``iterator()`` on the backend's streaming cursor (server-side where it has one)."""
    make_cursor = getattr(connection.ops, "streaming_cursor", None)
    if make_cursor is None:
        cursor = connection.new_cursor()
    else:
        connection.ensure_connection()
        cursor = make_cursor()
    try:
        connection.execute_sql(cursor, entry.sql, params)
    except BaseException:
        cursor.close()
        raise
    return cursor


class BaseIterable:
    """Iterates a queryset's results in one shape (subclasses yield lists of results from ``_batches()``)."""

    def __init__(self, queryset, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE):
        self.queryset = queryset
        self.chunked_fetch = chunked_fetch
        self.chunk_size = chunk_size

    def __iter__(self):
        for batch in self._batches():
            yield from batch

    def results(self):
        """Every result, as ``list(self)`` gives them, without resuming a generator for each row."""
        if type(self).__iter__ is not BaseIterable.__iter__:
            return list(self)  # a subclass iterates its own way
        results = None
        for batch in self._batches():
            if results is None:
                results = batch  # batches are new lists, ours to keep
            else:
                results.extend(batch)
        return [] if results is None else results


class ModelIterable(BaseIterable):
    """Model instances built without running ``__init__``."""

    def _batches(self):
        queryset = self.queryset
        mode = queryset._fetch_mode or _settings.DEFAULT_FETCH_MODE
        for layout, rows in _rows(queryset, self.chunked_fetch, self.chunk_size):
            objs = model_instances(queryset.model, queryset.db, layout, rows, queryset._known_related_objects)
            if mode is not None and mode is not FETCH_ONE:
                adopt(objs, resolve(mode))  # each batch (an iterator() chunk) is one group of peers
            yield objs


GC_PAUSE_ROWS = 1000


def model_instances(model, db, layout, rows, known_related=None):
    """Instances for raw rows of one shape (hydration without ``__init__``), as a list.

    Large batches pause the cyclic garbage collector: every object built here is kept, so
    collections triggered by these allocations would only scan live data.
    """
    pause = len(rows) >= GC_PAUSE_ROWS and gc.isenabled()
    if pause:
        gc.disable()
    try:
        return _instances(model, db, layout, rows, known_related)
    finally:
        if pause:
            gc.enable()


def plain_hydration(model):
    """Whether ``model``'s rows become instances with no ``from_db()`` override or init signals to run."""
    if _signals is None:
        _bind()
    if model.from_db.__func__ is not _base_from_db:
        return False
    # Like Django's from_db() -> __init__(), rows send pre_init/post_init, but only when someone listens.
    pre_init, post_init = _signals.pre_init, _signals.post_init
    return not ((pre_init.receivers or post_init.receivers) and (
        pre_init.has_listeners(model) or post_init.has_listeners(model)))


def grouped_children(queryset, key_attname, cache_name, parents, then=None):
    """Evaluate a plain model queryset as (instances, {key: instances} or None).

    Each instance caches ``parents[<its key_attname value>]`` under ``cache_name``. The groups are None
    when the rows' shape needs the general hydration: the instances are then built as iterating the
    queryset builds them, without their parents. ``then`` (a ForwardLevel, or None) is the next prefetch
    level, primed while the instances are built (see prefetch_forward.ForwardLevel).
    """
    model = queryset.model
    db = queryset.db
    objs, groups = [], None
    for layout, rows in _rows(queryset):
        # A deferred key of the next level leaves it unprimed (it walks the instances itself).
        then_attname = then.attname if then is not None and then.attname in layout.model_attnames else None
        builder = layout.child_builder(model, key_attname, cache_name, then_attname) if plain_hydration(model) \
            else None
        if builder is None:
            objs = model_instances(model, db, layout, rows, queryset._known_related_objects)
        elif then_attname is None:
            objs, groups = builder(rows, db, parents)
        else:
            objs, groups = builder(rows, db, parents, then.caches, then.keys)
            then.primed_objects += len(objs)
    return objs, groups


def _instances(model, db, layout, rows, known_related):
    plain = plain_hydration(model)
    if plain and not (layout.annotation_slots or layout.related or known_related):
        return layout.instances(model, db, rows)
    rows = layout.convert(rows)
    if plain:
        objs = layout.instances(model, db, rows, converted=True)
    else:
        objs = _instances_one_by_one(model, db, layout, rows)
    _attach_extras(objs, rows, layout, db, known_related)
    return objs


def _instances_one_by_one(model, db, layout, rows):
    """Instances through a custom ``from_db()``, or with the init signals someone listens to."""
    names = layout.model_attnames
    width = layout.model_width
    if model.from_db.__func__ is not _base_from_db:
        return [model.from_db(db, names, row[:width]) for row in rows]
    return [_from_db_with_signals(model, db, names, row[:width]) for row in rows]


def _attach_extras(objs, rows, layout, db, known_related):
    """Annotations, select_related objects and known related objects of each instance."""
    annotations = layout.annotation_slots
    related = layout.related
    for obj, row in zip(objs, rows):
        for name, index in annotations:
            setattr(obj, name, row[index])
        if related:
            attach_related(obj, row, related, db)
        if known_related:
            for field, rel_objs in known_related.items():
                value = obj.__dict__.get(field.attname)
                if value in rel_objs:
                    field.set_cached_value(obj, rel_objs[value])


def _build_related(info, custom_from_db, values, db):
    if custom_from_db:
        return info.model.from_db(db, info.attnames, values)
    obj = info.model.__new__(info.model)
    data = obj.__dict__
    data.update(zip(info.attnames, values))
    data["_state"] = _ModelState(db, False)
    return obj


def attach_related(obj, row, related, db):
    """Build the select_related objects of one row and cache them on their parents."""
    built = []
    for info, start, end, custom_from_db in related:
        parent = obj if info.parent is None else built[info.parent]
        if parent is None:
            built.append(None)
            continue
        values = row[start:end]
        rel_obj = None if values[info.pk_index] is None else _build_related(info, custom_from_db, values, db)
        built.append(rel_obj)
        field = info.field
        if info.reverse:
            field.remote_field.set_cached_value(parent, rel_obj)
            if rel_obj is not None:
                field.set_cached_value(rel_obj, parent)
        else:
            field.set_cached_value(parent, rel_obj)
            if rel_obj is not None and not field.remote_field.multiple:
                field.remote_field.set_cached_value(rel_obj, parent)


# Bound on first use (the model layer imports this module); an import statement per call costs microseconds.
_signals = _base_from_db = _ModelState = None


def _bind():
    """Import the model layer once."""
    global _signals, _base_from_db, _ModelState
    from ormlette.db.models import signals
    from ormlette.db.models.base import Model, ModelState

    _base_from_db = Model.from_db.__func__
    _ModelState = ModelState
    _signals = signals


def _from_db_with_signals(model, db, names, values):
    _signals.pre_init.send(sender=model, args=list(values), kwargs={})
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values))
    obj.__dict__["_state"] = _ModelState(db, False)
    _signals.post_init.send(sender=model, instance=obj)
    return obj


class ValuesIterable(BaseIterable):
    """Dicts keyed by field / annotation name."""

    def _batches(self):
        for layout, rows in _rows(self.queryset, self.chunked_fetch, self.chunk_size):
            yield layout.dicts(rows)


class ValuesListIterable(BaseIterable):
    """Tuples in the requested field order."""

    def _batches(self):
        fields = self.queryset._fields
        if fields:
            # Annotations added after values_list() follow the named fields (as Django).
            fields = [*fields, *(f for f in self.queryset.query.annotation_select if f not in fields)]
        for layout, rows in _rows(self.queryset, self.chunked_fetch, self.chunk_size):
            names = layout.names
            order = tuple(names.index(f) for f in fields) if fields and list(fields) != names else None
            yield layout.tuples(rows, order)


class NamedValuesListIterable(ValuesListIterable):
    """namedtuples with the field names."""

    def __iter__(self):
        queryset = self.queryset
        names = list(queryset._fields) if queryset._fields else None
        row_class = None
        for row in super().__iter__():
            if row_class is None:
                if names is None:
                    query = queryset.query
                    names = [*query.extra_select, *query.values_select, *query.annotation_select]
                row_class = create_namedtuple_class(*names)
            yield row_class._make(row)


class FlatValuesListIterable(BaseIterable):
    """Single values (``values_list(flat=True)``)."""

    def _batches(self):
        for layout, rows in _rows(self.queryset, self.chunked_fetch, self.chunk_size):
            yield layout.first_values(rows)


_namedtuple_classes = {}


def create_namedtuple_class(*names):
    """A cached namedtuple class named Row."""
    cls = _namedtuple_classes.get(names)
    if cls is None:
        cls = _namedtuple_classes[names] = namedtuple("Row", names)
        cls.__reduce__ = lambda self: (_unpickle_named_row, (names, tuple(self)))
    return cls


def _unpickle_named_row(names, values):
    return create_namedtuple_class(*names)(*values)
