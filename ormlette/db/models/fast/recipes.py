"""Recorded querysets: a repeated filter/order_by/slice chain reuses a memoised template query.

A queryset that starts from a manager's pristine queryset and goes on with ``filter(**plain values)``,
``order_by(names)`` and one slice has a *recipe*: the chain's shape (op names, filter names and
value types). The first time a shape is seen it is built by the normal methods, and a clone of
the result becomes the shape's template. Afterwards the same chain only records: each filter
value becomes a new lookup built the way the template's was (so bad values still fail at
``filter()`` time), and the Query is made when first needed by cloning the template and putting
the new lookups in the template's places. Compiling it reuses the template's statement: each new
lookup's structural key must equal the template lookup's key, and its parameters take the template
lookup's positions. Anything else (other methods, other value types, a failed check) takes the
normal path.
"""
import datetime
import decimal
import uuid

from ormlette.core.exceptions import EmptyResultSet, FullResultSet
from ormlette.db.models.lookups.base import Exact, Lookup
from ormlette.db.models.sql.cache import statement_cache
from ormlette.db.models.sql.compiler import (
    compile_with_key_params, same_value, select_item_key, set_recorded_compiler,
)
from ormlette.db.models.sql.context import KeyContext
from ormlette.db.models.sql.plan import prepare as prepare_query
from ormlette.db.models.sql.query import Query
from ormlette.db.models.sql.where import WhereNode

PLAIN_TYPES = frozenset({int, str, float, bool, decimal.Decimal, datetime.date, datetime.datetime,
                         datetime.time, datetime.timedelta, uuid.UUID})
MAX_STEPS = 256  # learned next steps per template (a bound for code that builds filter names)
MAX_DEPTH = 12  # recorded calls per chain: longer chains (filters added in a loop) take the normal path
_roots = {}  # model -> the Template of its pristine queryset


class Template:
    """A built, never-executed query for one recipe, and where its value-holding lookups sit.

    ``steps`` maps the next recorded call's signature to (child Template, value order), or to
    False when that call cannot be templated. The root of a model has no query.
    """

    __slots__ = ("query", "paths", "leaves", "compiled", "steps", "depth", "aggregations")

    def __init__(self, query, paths, leaves, depth=0):
        self.query = query
        self.paths = paths
        self.leaves = leaves
        self.depth = depth
        self.compiled = {}  # statement cache -> CompiledShape or False
        self.steps = {}
        self.aggregations = {}  # aggregate signature -> the Template of its aggregation query, or False

    def __deepcopy__(self, memo):
        return self  # immutable once made; querysets copied with deepcopy may share it


def root(model):
    """The template of ``model``'s pristine queryset."""
    template = _roots.get(model)
    if template is None:
        template = _roots.setdefault(model, Template(None, (), ()))
    return template


class CompiledShape:
    """The template's statement on one backend and the parameters around its lookups."""

    __slots__ = ("entry", "before", "after", "leaf_keys", "plain")

    def __init__(self, entry, before, after, leaves, leaf_keys, leaf_param_counts):
        self.entry = entry
        self.before = before
        self.after = after
        self.leaf_keys = leaf_keys
        self.plain = tuple(PlainValue(leaf) if count == 1 and _has_plain_key(key) else None
                           for leaf, key, count in zip(leaves, leaf_keys, leaf_param_counts))


class PlainValue:
    """How a template lookup with a plain key turns its value into its one parameter.

    ``prepare`` is the field method ``Lookup.db_rhs`` ends in (None: the value is the parameter); it
    applies to lookups of the template lookup's class on the template lookup's lhs.
    """

    __slots__ = ("cls", "lhs", "prepare")

    def __init__(self, leaf):
        from ormlette.db.models.lookups.base import db_prep_of_prepared

        self.cls, self.lhs = type(leaf), leaf.lhs
        field = getattr(leaf.lhs, "output_field", None)
        self.prepare = None
        if type(leaf).db_rhs is not Lookup.db_rhs:
            self.cls = None  # a lookup with its own db_rhs: always ask it
        elif leaf.prepare_rhs and field is not None and getattr(leaf, "uses_db_prep", True):
            self.prepare = db_prep_of_prepared(field)


def _has_plain_key(key):
    """Whether a lookup class keys as Lookup does: (class, lhs key, "?") with one value parameter."""
    cls = key[0]
    return (len(key) == 3 and key[2] == "?" and cls.key in _PLAIN_KEY_METHODS and cls.rhs_key is Lookup.rhs_key
            and cls.rhs_is_direct_value is Lookup.rhs_is_direct_value)


_PLAIN_KEY_METHODS = (Lookup.key, Exact.key)  # Exact adds the value only for a boolean rhs (excluded below)
PLAIN_KEY_TYPES = PLAIN_TYPES - {bool}


# -- recording (QuerySet methods call these first) -------------------------------------------------
def record_filter(qs, kwargs):
    """A recorded ``qs.filter(**kwargs)``, or None when the normal path must run."""
    if not kwargs or not can_extend(qs):
        return None
    values = tuple(kwargs.values())
    step = qs._recipe.steps.get(("filter", tuple(kwargs), tuple(map(type, values))))
    if not step:
        return None
    template, order, makers, _ = step
    fresh = tuple([make(values[i]) for make, i in zip(makers, order)])
    return _derive(qs, template, qs._recipe_leaves + fresh, None)


def record_order_by(qs, field_names):
    """A recorded ``qs.order_by(*field_names)``, or None."""
    if not can_extend(qs):
        return None
    step = qs._recipe.steps.get(("order_by", field_names))
    return _derive(qs, step[0], qs._recipe_leaves, None) if step else None


def record_call(qs, signature):
    """A recorded structural call (``values()``, ``values_list()``, ``annotate()``, ``alias()``), or None."""
    if signature is None or not can_extend(qs):
        return None
    step = qs._recipe.steps.get(signature)
    if not step:
        return None
    clone = _derive(qs, step[0], qs._recipe_leaves, None)
    clone.__dict__.update(step[3])
    return clone


def record_copy(qs):
    """A recorded copy of ``qs`` (``all()``, ``using()``), or None."""
    if qs._recipe is None or qs._defer_next_filter or qs._sticky_filter:
        return None
    return _derive(qs, qs._recipe, qs._recipe_leaves, qs._recipe_limits)


def record_slice(qs, start, stop):
    """A recorded ``qs[start:stop]``, or None."""
    signature = _slice_signature(qs, start, stop)
    step = qs._recipe.steps.get(signature) if signature else None
    return _derive(qs, step[0], qs._recipe_leaves, (start, stop)) if step else None


# -- learning (after the normal path built a query) -------------------------------------------------
def remember_filter(parent, child, kwargs):
    """Give ``child`` (``parent.filter(**kwargs)`` built normally) a recipe, learning its template."""
    if not kwargs or not can_extend(parent):
        return
    names, values = tuple(kwargs), tuple(kwargs.values())
    types = tuple(map(type, values))
    if any(t not in PLAIN_TYPES for t in types) or "_connector" in kwargs or "_negated" in kwargs:
        return
    order = tuple(sorted(range(len(names)), key=names.__getitem__))  # Q sorts keyword filters
    _remember(parent, child, ("filter", names, types), [values[i] for i in order], order, None,
              [types[i] for i in order])


def remember_order_by(parent, child, field_names):
    """Give ``child`` (``parent.order_by(...)`` built normally) a recipe."""
    if can_extend(parent) and all(type(name) is str for name in field_names):
        _remember(parent, child, ("order_by", field_names), [], (), None)


def remember_slice(parent, child, start, stop):
    """Give ``child`` (``parent[start:stop]`` built normally) a recipe."""
    signature = _slice_signature(parent, start, stop)
    if signature:
        _remember(parent, child, signature, [], (), (start, stop))


def remember_call(parent, child, signature):
    """Give ``child`` (a structural call on ``parent``, built normally) a recipe."""
    if signature is not None and can_extend(parent):
        _remember(parent, child, signature, [], (), None, changes=_state_changes(parent, child))


def _remember(parent, child, signature, new_values, order, limits, new_types=(), changes=()):
    steps = parent._recipe.steps
    step = steps.get(signature)
    if step is None:
        known = len(parent._recipe_leaves)
        template = changes is not None and _learn(child.query, parent._recipe_leaves, new_values,
                                                  parent._recipe.depth + 1)
        if len(steps) >= MAX_STEPS:
            steps.clear()
        makers = template and _twin_makers(template.leaves[known:], new_types)
        step = steps[signature] = (template, order, makers, changes) if template else False
    if not step:
        return
    leaves = _leaves_at(child.query.where, step[0])
    if leaves is not None:
        child._recipe, child._recipe_leaves, child._recipe_limits = step[0], leaves, limits


def _state_changes(parent, child):
    """The queryset attributes a structural call changed, as (name, value) pairs; None if not replayable."""
    changes = []
    for name, value in child.__dict__.items():
        if name in _REBUILT_STATE or value == parent.__dict__.get(name, _MISSING):
            continue
        if name not in _REPLAYED_STATE or not _immutable(value):
            return None
        changes.append((name, value))
    return tuple(changes)


_MISSING = object()
_REBUILT_STATE = frozenset({"_query", "_result_cache", "_prefetch_done", "_recipe", "_recipe_leaves", "_recipe_limits"})
_REPLAYED_STATE = frozenset({"_fields", "_iterable_class"})


def _immutable(value):
    return value is None or isinstance(value, type) or (
        type(value) is tuple and all(type(item) is str for item in value))


def _twin_makers(leaves, value_types):
    from ormlette.db.models.fast.lookup_twins import lookup_twin_maker  # imports fields/related (a cycle at import)

    return tuple(map(lookup_twin_maker, leaves, value_types))


def _learn(query, known_leaves, new_values, depth):
    """A Template from a freshly built query, or None when its lookups cannot be swapped safely."""
    # Annotations only come from recorded calls, whose signatures admit no values (recipe_signatures.py).
    if depth > MAX_DEPTH or query.combinator or query.extra or query.is_empty():
        return None
    paths, leaves = [], []
    if not _collect_leaves(query.where, (), paths, leaves):
        return None
    if len(leaves) != len(known_leaves) + len(new_values):
        return None
    if any(leaf is not known for leaf, known in zip(leaves, known_leaves)):
        return None  # recording appends the new lookups after the parent's, in the parent's order
    for leaf, value in zip(leaves[len(known_leaves):], new_values):
        if not _rebuilds_equal(leaf, value):
            return None
    return Template(query.clone(), tuple(paths), tuple(leaves), depth)


def _collect_leaves(node, path, paths, leaves):
    for index, child in enumerate(node.children):
        if isinstance(child, WhereNode):
            if not _collect_leaves(child, path + (index,), paths, leaves):
                return False
        elif isinstance(child, Lookup) and child.lookup_name != "isnull":
            paths.append(path + (index,))
            leaves.append(child)
        else:
            return False  # isnull's value changes join promotion; other nodes hold no recorded value
    return True


def _rebuilds_equal(leaf, value):
    # The recording path builds lookups as type(leaf)(leaf.lhs, value): check it gives this one back.
    try:
        rebuilt = type(leaf)(leaf.lhs, value)
        return rebuilt.identity == leaf.identity and rebuilt.__dict__.keys() == leaf.__dict__.keys()
    except Exception:  # noqa: BLE001 - any surprise just means: not templatable
        return False


def _leaves_at(where, template):
    leaves = []
    for path, expected in zip(template.paths, template.leaves):
        node = where
        try:
            for index in path:
                node = node.children[index]
        except (AttributeError, IndexError):
            return None
        if type(node) is not type(expected):
            return None
        leaves.append(node)
    return tuple(leaves)


# -- materialising and compiling -------------------------------------------------------------------
def build_query(qs):
    """The Query a recorded queryset stands for: the template's clone with this chain's lookups."""
    template = qs._recipe
    if template.query is None:
        return Query(qs.model)
    return instantiate(template, qs._recipe_leaves, qs._recipe_limits)


def instantiate(template, leaves, limits):
    """A clone of ``template``'s query with ``leaves`` in its lookups' places, tagged for compile_recorded."""
    query = template.query.clone()
    where = query.where
    for path, leaf in zip(template.paths, leaves):
        node = where
        for index in path[:-1]:
            node = node.children[index]
        node.children[path[-1]] = leaf
    if limits is not None:
        # What clear_limits() + set_limits(start, stop) give for the recorded slices (ints, stop > start).
        query.low_mark = limits[0] or 0
        query.high_mark = limits[1]
    hint = query.__dict__["_recipe_hint"] = [template, leaves, None]
    hint[2] = _fingerprint(query)
    return query


def learn_derived(query, template, leaves):
    """A Template for ``query`` derived from one of ``template``'s queries with ``leaves`` (same lookups,
    found at the same places), or None."""
    paths, found = [], []
    if query.combinator or query.extra or query.is_empty() or not _collect_leaves(query.where, (), paths, found):
        return None
    if tuple(paths) != template.paths or len(found) != len(leaves) or any(
            a is not b for a, b in zip(found, leaves)):
        return None
    return Template(query.clone(), template.paths, tuple(found), template.depth)


def _fingerprint(query):
    # Queries are not changed after they are built (QuerySet methods clone); this catches code that does:
    # a new or reassigned attribute (the list compares items by identity first), a filter or join added.
    where = query.where
    return [list(query.__dict__.values()), len(where.children), len(query.alias_map), where.connector,
            where.negated]


def compile_recorded(query, connection, hint):
    """(entry, params) from the template's statement, or None to compile normally."""
    template, leaves, fingerprint = hint
    if fingerprint != _fingerprint(query):
        return None
    compiled = template.compiled
    cache = statement_cache(connection)
    shape = compiled.get(cache)
    if shape is None:
        shape = compiled[cache] = _compile_template(template, connection)
    if not shape:
        return None
    params = list(shape.before)
    for leaf, expected, plain in zip(leaves, shape.leaf_keys, shape.plain):
        if plain and type(leaf.rhs) in PLAIN_KEY_TYPES:
            # Lookup.key is (class, lhs key, "?") with the value as the one parameter: the class and the
            # lhs are the template's, so only the value needs computing.
            if leaf.lhs is plain.lhs and type(leaf) is plain.cls:
                prepare = plain.prepare
                params.append(leaf.rhs if prepare is None else prepare(leaf.rhs, connection, prepared=True))
            else:
                params.append(leaf.db_rhs(connection))
            continue
        k = KeyContext(connection)
        if leaf.key(k) != expected:
            return None
        params.extend(k.params)
    params.extend(shape.after)
    if query.high_mark is not None:
        params.append(query.high_mark - query.low_mark)
    if query.low_mark:
        params.append(query.low_mark)
    return shape.entry, shape.entry.arrange(params)


def _compile_template(template, connection):
    """Locate the template's lookup parameters in its full parameter list (False if not contiguous)."""
    query = template.query.clone()
    try:
        entry, all_params = compile_with_key_params(query, connection)
        prepared = prepare_query(query)
        if entry is None or prepared.qualify is not None or getattr(query, "inner_query", None) is not None:
            return False
        k = KeyContext(connection)
        for item in prepared.select:
            select_item_key(item, k)
        before = len(k.params)
        leaf_keys, leaf_params, counts = [], [], []
        for leaf in template.leaves:
            k = KeyContext(connection)
            leaf_keys.append(leaf.key(k))
            leaf_params.extend(k.params)
            counts.append(len(k.params))
    except (EmptyResultSet, FullResultSet):
        return False
    limit_count = (query.high_mark is not None) + bool(query.low_mark)
    middle = all_params[before:before + len(leaf_params)]
    if len(middle) != len(leaf_params) or not all(same_value(a, b) for a, b in zip(middle, leaf_params)):
        return False
    after = all_params[before + len(leaf_params):len(all_params) - limit_count]
    return CompiledShape(entry, tuple(all_params[:before]), tuple(after), template.leaves, tuple(leaf_keys),
                         counts)


# -- helpers --------------------------------------------------------------------------------------
def can_extend(qs):
    """Whether a recorded call may continue ``qs``'s recipe."""
    if qs._recipe is None or qs._defer_next_filter or qs._sticky_filter or qs._result_cache is not None:
        return False
    return qs._recipe_limits is None


def _slice_signature(qs, start, stop):
    if not can_extend(qs):
        return None
    if (start is not None and type(start) is not int) or (stop is not None and type(stop) is not int):
        return None
    if stop is not None and stop <= (start or 0):
        return None  # an empty slice makes the query empty: a different shape
    return ("slice", bool(start), stop is not None)


def _derive(qs, template, leaves, limits):
    """A lazily built copy of ``qs`` one recorded call further."""
    cls = qs.__class__
    clone = cls.__new__(cls)
    state = qs.__dict__.copy()
    state["_query"] = state["_result_cache"] = None
    state["_prefetch_done"] = False
    state["_recipe"] = template
    state["_recipe_leaves"] = leaves
    state["_recipe_limits"] = limits
    clone.__dict__ = state
    return clone


set_recorded_compiler(compile_recorded)  # the one hand-off from sql/compiler.py to recorded querysets
