"""Generated per-shape row code: converted tuples, dicts, single values and model instances.

Each builder is one loop (or list comprehension) with the column indexes and converter calls
written out, generated once per row layout and kept on it. That is several times faster than a
generic per-row, per-column loop, and it converts and builds in the same pass (no intermediate
converted tuples). The generated source only ever contains integer indexes, ``repr()`` of
attribute/column names and local names bound in the function's own namespace.
"""
import keyword

from ormlette.utils.codegen import compile_function


def tuple_builder(indexes, converters):
    """``rows -> [(r[i0], c(r[i1]), ...), ...]``: the columns at ``indexes``, converted."""
    namespace = {}
    cells = "".join("%s, " % _cell(index, converters, namespace) for index in indexes)
    source = (
        "def build_tuples(rows):\n"
        "    return [(%s) for r in rows]\n" % cells
    )
    return compile_function(source, namespace, "build_tuples")


def dict_builder(names, converters):
    """``rows -> [{name0: r[0], name1: c(r[1]), ...}, ...]`` (the ``values()`` rows)."""
    namespace = {}
    items = ", ".join("%r: %s" % (name, _cell(index, converters, namespace)) for index, name in enumerate(names))
    source = (
        "def build_dicts(rows):\n"
        "    return [{%s} for r in rows]\n" % items
    )
    return compile_function(source, namespace, "build_dicts")


def value_builder(converters):
    """``rows -> [c(r[0]), ...]`` (the ``values_list(flat=True)`` values)."""
    namespace = {}
    source = (
        "def build_values(rows):\n"
        "    return [%s for r in rows]\n" % _cell(0, converters, namespace)
    )
    return compile_function(source, namespace, "build_values")


def instance_builder(model, attnames, converters, state_class):
    """``(rows, db) -> [instances]``: objects built without ``__init__``, their attributes stored one by one.

    The same result as ``Model.from_db()`` for rows without deferred markers: the instance dict
    gets the loaded attribute values and a ``ModelState(db, adding=False)`` (built on first read).
    """
    namespace = {"new": model.__new__, "model": model, "ModelState": state_class}
    cells = [(name, _cell(index, converters, namespace)) for index, name in enumerate(attnames)]
    source = (
        "def build_instances(rows, db):\n"
        "    objs = []\n"
        "    append = objs.append\n"
        "    for r in rows:\n"
        "        obj = new(model)\n"
        "%s"
        "%s"
        "        append(obj)\n"
        "    return objs\n" % _state_and_stores(model, cells, state_class, namespace)
    )
    return compile_function(source, namespace, "build_instances")


def _state_and_stores(model, cells, state_class, namespace):
    """(state lines, attribute store lines) of a loaded instance.

    With the stock ModelState behind the model's lazy ``_state``, the instance only records the
    database alias under SAVED_ON_KEY (one shared string): ``_state`` is built as
    ``ModelState(db, adding=False)`` on first read, so the instances of a ``list()`` that never read
    it carry no state object (about 100 bytes each).
    """
    from ormlette.db.models.base import SAVED_ON_KEY, LazyModelState, ModelState

    if state_class is ModelState and isinstance(_class_attribute(model, "_state"), LazyModelState):
        return "", _store_lines(model, cells + [(SAVED_ON_KEY, "db")])
    return _loaded_state(state_class, namespace), _store_lines(model, cells + [("_state", "state")])


def _class_attribute(model, name):
    for klass in model.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def child_builder(model, attnames, converters, state_class, key_index, cache_name, then_index=None):
    """``(rows, db, parents[, caches, keys]) -> (instances, {key: instances})``: prefetched children grouped by one key.

    The instances are instance_builder's; each one also caches ``parents[key]`` under ``cache_name``
    (what assigning the parent through the foreign key caches), in the same pass. With ``then_index``
    (the next prefetch level goes through the foreign key at that column) each instance also gets the
    prefetch cache that level gives it, and its fields cache and that column's value are appended to
    ``caches`` and ``keys`` (ForwardLevel.prime): the next level needs no walk of its own.
    """
    namespace = {"new": model.__new__, "model": model, "ModelState": state_class}
    cells = {index: "key" if index == key_index else _cell(index, converters, namespace) for index in range(len(attnames))}
    then = then_index is not None
    if then and then_index != key_index:
        cells[then_index], then_cell = "next_key", cells[then_index]
    stores = [(name, cells[index]) for index, name in enumerate(attnames)] + [("_state", "state")]
    if then:
        stores.append(("_prefetched_objects_cache", "{}"))
    source = (
        "def build_children(rows, db, parents, caches=None, keys=None):\n"
        "    objs = []\n"
        "    append = objs.append\n"
        + ("    cache_append = caches.append\n    key_append = keys.append\n" if then else "") +
        "    groups = {}\n"
        "    last = group = parent = None\n"
        "    for r in rows:\n"
        "        key = %s\n"
        # Rows of one parent usually come together: its group and the parent are looked up once per run.
        "        if key != last or group is None:\n"
        "            parent = parents[key]\n"
        "            group = groups.get(key)\n"
        "            if group is None:\n"
        "                group = groups[key] = []\n"
        "            last = key\n"
        + ("        next_key = %s\n" % then_cell if cells.get(then_index) == "next_key" else "") +
        "        obj = new(model)\n"
        "%s"
        # An attribute store, not a __dict__ item: the state keeps its attributes inline (one object less to track).
        "        state.fields_cache = fields = {%r: parent}\n"
        "%s"
        "        append(obj)\n"
        "        group.append(obj)\n"
        + ("        cache_append(fields)\n        key_append(%s)\n" % cells[then_index] if then else "") +
        "    return objs, groups\n"
    ) % (_cell(key_index, converters, namespace), _loaded_state(state_class, namespace), cache_name,
         _store_lines(model, stores))
    return compile_function(source, namespace, "build_children")


def _store_lines(model, stores):
    """Lines giving ``obj`` its attributes, ``stores`` being (name, expression) pairs in field order.

    Attribute stores on a fresh object keep its values in CPython's compact layout, the keys shared
    by every instance of the class (about half the memory of a dict of its own: 150 vs 280 bytes for
    five attributes on 3.11). Where a name has a data descriptor (a foreign key's ``<name>_id``) or
    the class defines ``__setattr__``, an attribute store would run that code: the values then go
    into ``obj.__dict__`` item by item, in the same order, which still shares the class's keys.
    """
    if model.__setattr__ is object.__setattr__ and not any(_has_data_descriptor(model, n) for n, _ in stores):
        return "".join("        obj.%s = %s\n" % (name, value) for name, value in stores)
    return "        data = obj.__dict__\n" + "".join("        data[%r] = %s\n" % (name, value)
                                                  for name, value in stores)


def _has_data_descriptor(model, name):
    """Whether ``obj.<name> = value`` on an instance of ``model`` would call a descriptor (or is not a name)."""
    if not name.isidentifier() or keyword.iskeyword(name):
        return True
    attr = _class_attribute(model, name)
    return hasattr(type(attr), "__set__") or hasattr(type(attr), "__delete__")


def _loaded_state(state_class, namespace):
    """The lines setting ``state`` to ``state_class(db, False)`` (the state of a loaded instance).

    ModelState's constructor only stores its two arguments: for it the stores are written out after a
    bare ``__new__`` (a Python ``__init__`` call costs more than the rest of the instance's state). Any
    other class is called.
    """
    from ormlette.db.models.base import ModelState  # base imports the hydration modules

    if state_class is ModelState:
        namespace["new_state"] = object.__new__
        return "        state = new_state(ModelState)\n        state.db = db\n        state.adding = False\n"
    return "        state = ModelState(db, False)\n"


def _cell(index, converters, namespace):
    """``r[index]`` wrapped in that column's converter calls (bound as ``c<index>_<n>``)."""
    expression = "r[%d]" % index
    for position, func in enumerate(converters.get(index, ())):
        name = "c%d_%d" % (index, position)
        namespace[name] = func
        expression = "%s(%s)" % (name, expression)
    return expression
