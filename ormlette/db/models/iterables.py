"""Rows -> model instances, dicts or tuples, through per-shape row layouts."""
import gc
from collections import namedtuple

from ormlette.db import connections
from ormlette.db.models.sql.compiler import compile_query, execute_compiled
from ormlette.db.models.sql.plan import prepare

GET_ITERATOR_CHUNK_SIZE = 100


class RowLayout:
    """How one query shape's rows map to objects: column ranges and converters."""

    __slots__ = ("model_attnames", "model_width", "converters", "names", "annotation_slots", "related")

    def __init__(self, prepared, connection):
        self.converters = []
        self.names = []
        self.model_attnames = ()
        self.model_width = 0
        self.annotation_slots = []
        self.related = []
        index = 0
        for item in prepared.select:
            if item.kind == "hidden":
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
                self.related.append((item, start, index))
            else:
                self._add_converters(index, item.expr.get_db_converters(connection))
                self.names.append(item.name)
                if item.kind in ("annotation", "extra"):
                    self.annotation_slots.append((item.name, index))
                index += 1

    def _add_converters(self, index, converters):
        if converters:
            self.converters.append((index, tuple(converters)))

    def convert(self, rows):
        """Rows with converters applied (rows are returned as they are when nothing converts)."""
        if not self.converters:
            return rows
        converter = self.__dict__.get("_batch") if hasattr(self, "__dict__") else None
        if converter is None:
            converter = _BATCH_CONVERTERS.get(id(self))
            if converter is None or converter[0] is not self:
                converter = (self, _compile_batch_converter(self.converters))
                _BATCH_CONVERTERS[id(self)] = converter
            converter = converter[1]
        if len(rows) < GC_PAUSE_ROWS or not gc.isenabled():
            return converter(rows)
        gc.disable()  # every converted row is kept: collections here would only scan live data
        try:
            return converter(rows)
        finally:
            gc.enable()


# Per-layout generated converters: {id(layout): (layout, function)}; layouts live as long as cache entries.
_BATCH_CONVERTERS = {}


def _compile_batch_converter(converters):
    """Generate ``lambda rows: [(r[0], c1(r[1]), ...) for r in rows]`` for one row shape.

    One list comprehension with the converter calls inlined is several times faster than a generic
    per-row, per-column loop.
    """
    width = max(index for index, _ in converters) + 1
    by_index = dict(converters)
    namespace = {}
    cells = []
    for index in range(width):
        expression = "r[%d]" % index
        for position, func in enumerate(by_index.get(index, ())):
            name = "c%d_%d" % (index, position)
            namespace[name] = func
            expression = "%s(%s)" % (name, expression)
        cells.append(expression)
    source = "def convert(rows):\n    return [(%s,) + tuple(r[%d:]) for r in rows]\n" % (", ".join(cells), width)
    exec(compile(source, "<ormlette row converter>", "exec"), namespace)  # noqa: S102 - generated from indexes only
    return namespace["convert"]


def _layout(entry, query, connection):
    layout = entry.layout
    if layout is None:
        layout = entry.layout = RowLayout(prepare(query), connection)
    return layout


def _rows(queryset, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE):
    """Yield (layout, converted row batch) for a queryset's query."""
    connection = connections[queryset.db]
    query = queryset.query
    entry, params = compile_query(query, connection)
    if entry is None:
        return
    cursor = execute_compiled(connection, entry, params)
    layout = _layout(entry, query, connection)
    try:
        if not chunked_fetch:
            yield layout, layout.convert(cursor.fetchall())
            return
        while True:
            batch = cursor.fetchmany(chunk_size)
            if not batch:
                break
            yield layout, layout.convert(batch)
    finally:
        cursor.close()


class BaseIterable:
    """Iterates a queryset's results in one shape."""

    def __init__(self, queryset, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE):
        self.queryset = queryset
        self.chunked_fetch = chunked_fetch
        self.chunk_size = chunk_size


class ModelIterable(BaseIterable):
    """Model instances built without running ``__init__``."""

    def __iter__(self):
        queryset = self.queryset
        for layout, rows in _rows(queryset, self.chunked_fetch, self.chunk_size):
            yield from model_instances(queryset.model, queryset.db, layout, rows, queryset._known_related_objects)


def model_instances(model, db, layout, rows, known_related=None):
    """Instances for converted rows of one shape (hydration without ``__init__``), as a list."""
    from ormlette.db.models import signals
    from ormlette.db.models.base import Model, ModelState

    custom_from_db = model.from_db.__func__ is not Model.from_db.__func__
    # Like Django's from_db() -> __init__(), rows send pre_init/post_init, but only when someone listens.
    init_signals = signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)
    names = layout.model_attnames
    if not (custom_from_db or init_signals or layout.annotation_slots or layout.related or known_related):
        return _plain_instances(model, db, names, rows, ModelState)
    width = layout.model_width
    annotations = layout.annotation_slots
    related = layout.related
    if related:
        from ormlette.db.models.sql.related_select import attach_related
    objs = []
    for row in rows:
        if custom_from_db:
            obj = model.from_db(db, names, row[:width])
        elif init_signals:
            obj = _from_db_with_signals(model, db, names, row[:width])
        else:
            obj = model.__new__(model)
            data = obj.__dict__
            data.update(zip(names, row))
            data["_state"] = ModelState(db, False)
        for name, index in annotations:
            setattr(obj, name, row[index])
        if related:
            attach_related(obj, row, related, db)
        if known_related:
            for field, rel_objs in known_related.items():
                value = obj.__dict__.get(field.attname)
                if value in rel_objs:
                    field.set_cached_value(obj, rel_objs[value])
        objs.append(obj)
    return objs


GC_PAUSE_ROWS = 1000


def _plain_instances(model, db, names, rows, state_class):
    """The common case in one tight loop.

    Large batches pause the cyclic garbage collector: every object built here is kept, so
    collections triggered by these allocations only scan live data (about 40% of the time at 50k rows).
    """
    new = model.__new__
    pause = len(rows) >= GC_PAUSE_ROWS and gc.isenabled()
    if pause:
        gc.disable()
    try:
        objs = []
        append = objs.append
        for row in rows:
            obj = new(model)
            data = obj.__dict__
            data.update(zip(names, row))
            data["_state"] = state_class(db, False)
            append(obj)
        return objs
    finally:
        if pause:
            gc.enable()


def _from_db_with_signals(model, db, names, values):
    from ormlette.db.models import signals
    from ormlette.db.models.base import ModelState

    signals.pre_init.send(sender=model, args=list(values), kwargs={})
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values))
    obj.__dict__["_state"] = ModelState(db, False)
    signals.post_init.send(sender=model, instance=obj)
    return obj


class ValuesIterable(BaseIterable):
    """Dicts keyed by field / annotation name."""

    def __iter__(self):
        for layout, rows in _rows(self.queryset, self.chunked_fetch, self.chunk_size):
            names = layout.names
            for row in rows:
                yield dict(zip(names, row))


class ValuesListIterable(BaseIterable):
    """Tuples in the requested field order."""

    def __iter__(self):
        fields = self.queryset._fields
        if fields:
            # Annotations added after values_list() follow the named fields (as Django).
            fields = [*fields, *(f for f in self.queryset.query.annotation_select if f not in fields)]
        for layout, rows in _rows(self.queryset, self.chunked_fetch, self.chunk_size):
            names = layout.names
            if fields and list(fields) != names:
                order = [names.index(f) for f in fields]
                for row in rows:
                    yield tuple(row[i] for i in order)
            else:
                width = len(names)
                for row in rows:
                    yield tuple(row[:width])


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

    def __iter__(self):
        for _, rows in _rows(self.queryset, self.chunked_fetch, self.chunk_size):
            for row in rows:
                yield row[0]


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
