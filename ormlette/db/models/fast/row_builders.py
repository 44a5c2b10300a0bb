"""Generated per-shape row code: converted tuples, dicts, single values and model instances.

Each builder is one loop (or list comprehension) with the column indexes and converter calls
written out, generated once per row layout and kept on it. That is several times faster than a
generic per-row, per-column loop, and it converts and builds in the same pass (no intermediate
converted tuples). The generated source only ever contains integer indexes, ``repr()`` of
attribute/column names and local names bound in the function's own namespace.
"""
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
    """``(rows, db) -> [instances]``: objects built without ``__init__``, one dict update each.

    The same result as ``Model.from_db()`` for rows without deferred markers: the instance dict
    gets the loaded attribute values and a ``ModelState(db, adding=False)``.
    """
    namespace = {"new": model.__new__, "model": model, "ModelState": state_class}
    items = "".join("            %r: %s,\n" % (name, _cell(index, converters, namespace))
                    for index, name in enumerate(attnames))
    source = (
        "def build_instances(rows, db):\n"
        "    objs = []\n"
        "    append = objs.append\n"
        "    for r in rows:\n"
        "        obj = new(model)\n"
        "%s"
        "        obj.__dict__.update({\n"
        "%s"
        "            '_state': state,\n"
        "        })\n"
        "        append(obj)\n"
        "    return objs\n" % (_loaded_state(state_class, namespace), items)
    )
    return compile_function(source, namespace, "build_instances")


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
    items = "".join("            %r: %s,\n" % (name, cells[index]) for index, name in enumerate(attnames))
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
        "        obj.__dict__ = {\n"
        "%s"
        "            '_state': state,\n"
        + ("            '_prefetched_objects_cache': {},\n" if then else "") +
        "        }\n"
        "        append(obj)\n"
        "        group.append(obj)\n"
        + ("        cache_append(fields)\n        key_append(%s)\n" % cells[then_index] if then else "") +
        "    return objs, groups\n"
    ) % (_cell(key_index, converters, namespace), _loaded_state(state_class, namespace), cache_name, items)
    return compile_function(source, namespace, "build_children")


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
