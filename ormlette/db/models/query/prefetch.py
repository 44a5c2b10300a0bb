"""prefetch_related(): one query per relation level, stitched onto the instances in one dict pass."""
import copy
import gc

from ormlette.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from ormlette.db import connections
from ormlette.db.models.fetch_modes import adopt_children
from ormlette.db.models.fields.related_prefetch import group_by
from ormlette.db.models.query.prefetch_forward import ForwardLevel, forward_level
from ormlette.db.models.query_utils import LOOKUP_SEP
from ormlette.utils.functional import cached_property
from ormlette.db.models.fast.gc_pause import promote_young_objects

# Parameters kept free for the prefetch queryset's own filters when an IN list is chunked.
RESERVED_PARAMS = 64


class Prefetch:
    """A prefetch lookup with an optional custom queryset and ``to_attr``."""

    def __init__(self, lookup, queryset=None, to_attr=None):
        self.prefetch_through = lookup
        self.prefetch_to = lookup
        if queryset is not None and not _is_model_queryset(queryset):
            raise ValueError("Prefetch querysets cannot use raw(), values(), and values_list().")
        if to_attr:
            self.prefetch_to = LOOKUP_SEP.join(lookup.split(LOOKUP_SEP)[:-1] + [to_attr])
        self.queryset = queryset
        self.to_attr = to_attr

    def __getstate__(self):
        state = self.__dict__.copy()
        if self.queryset is not None:
            queryset = self.queryset._chain()
            queryset._result_cache = []
            queryset._prefetch_done = True
            state["queryset"] = queryset
        return state

    def add_prefix(self, prefix):
        """Nest this lookup under ``prefix``."""
        self.prefetch_through = prefix + LOOKUP_SEP + self.prefetch_through
        self.prefetch_to = prefix + LOOKUP_SEP + self.prefetch_to

    def get_current_prefetch_to(self, level):
        """The path up to ``level``."""
        return LOOKUP_SEP.join(self.prefetch_to.split(LOOKUP_SEP)[:level + 1])

    def get_current_to_attr(self, level):
        """(attribute name at ``level``, whether it is the to_attr)."""
        parts = self.prefetch_to.split(LOOKUP_SEP)
        return parts[level], bool(self.to_attr) and level == len(parts) - 1

    def get_current_querysets(self, level):
        """[queryset] at the leaf level, else None."""
        if self.get_current_prefetch_to(level) == self.prefetch_to and self.queryset is not None:
            return [self.queryset]
        return None

    def __eq__(self, other):
        if not isinstance(other, Prefetch):
            return NotImplemented
        return self.prefetch_to == other.prefetch_to

    def __hash__(self):
        return hash((self.__class__, self.prefetch_to))

    def __repr__(self):
        return "<Prefetch: %s>" % self.prefetch_to


def _is_model_queryset(queryset):
    from ormlette.db.models.query.iterables import ModelIterable

    iterable = getattr(queryset, "_iterable_class", None)
    return iterable is not None and issubclass(iterable, ModelIterable)


def normalize_prefetch_lookups(lookups, prefix=None):
    """Prefetch objects for strings, prefixed when nested."""
    result = []
    for lookup in lookups:
        if not isinstance(lookup, Prefetch):
            lookup = Prefetch(lookup)
        if prefix:
            lookup.add_prefix(prefix)
        result.append(lookup)
    return result


def prefetch_related_objects(model_instances, *related_lookups):
    """Populate the prefetch caches of ``model_instances`` for each lookup."""
    if not model_instances:
        return
    # Everything built here (related objects, caches, querysets) stays alive with the instances: a
    # cyclic GC pass triggered by these allocations would only rescan them, so pause it meanwhile.
    # Without the pause they also reach the oldest generation and bring on full collections (measured:
    # one 100+ ms full pass every other W6 run in a process that does not collect between runs).
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        _prefetch_lookups(model_instances, related_lookups)
    finally:
        if collecting:
            promote_young_objects()
            gc.enable()


def _prefetch_lookups(model_instances, related_lookups):
    done_queries = {}
    auto_lookups = set()
    followed_descriptors = set()
    pending = normalize_prefetch_lookups(reversed(related_lookups))
    while pending:
        lookup = pending.pop()
        if lookup.prefetch_to in done_queries:
            if lookup.queryset is not None:
                raise ValueError("'%s' lookup was already seen with a different queryset. You may need to adjust "
                                 "the ordering of your lookups." % lookup.prefetch_to)
            continue
        _follow_lookup(model_instances, lookup, done_queries, auto_lookups, followed_descriptors, pending)


def _follow_lookup(model_instances, lookup, done_queries, auto_lookups, followed_descriptors, pending):
    obj_list = model_instances
    through_attrs = lookup.prefetch_through.split(LOOKUP_SEP)
    primed = None
    for level, through_attr in enumerate(through_attrs):
        if not obj_list:
            return
        prefetch_to = lookup.get_current_prefetch_to(level)
        if prefetch_to in done_queries:
            obj_list = done_queries[prefetch_to]
            continue
        found = _unfetched(obj_list, lookup, level, through_attr, level == len(through_attrs) - 1, primed)
        if found is None:
            return
        prefetcher, descriptor, to_fetch = found
        primed = None
        if to_fetch:
            primed = _next_forward_level(prefetcher, lookup, level, through_attrs, done_queries)
            obj_list, additional = prefetch_one_level(to_fetch, prefetcher, lookup, level, primed)
            if not (prefetch_to in done_queries and lookup in auto_lookups and descriptor in followed_descriptors):
                done_queries[prefetch_to] = obj_list
                new_lookups = normalize_prefetch_lookups(reversed(additional), prefetch_to)
                auto_lookups.update(new_lookups)
                pending.extend(new_lookups)
            followed_descriptors.add(descriptor)
        else:
            obj_list = _already_fetched(obj_list, through_attr)


def _next_forward_level(prefetcher, lookup, level, through_attrs, done_queries):
    """The ForwardLevel to prime while this level builds its objects: the next level, through their foreign key.

    Only a reverse foreign key's manager builds children that can prime it. None when there is no next
    level to run on them, or it is not a plain foreign key, or it is the key to their parents (cached as
    they are built).
    """
    if level + 1 == len(through_attrs) or lookup.get_current_prefetch_to(level + 1) in done_queries:
        return None
    field = getattr(prefetcher, "field", None)
    if field is None or not field.many_to_one or getattr(prefetcher, "model", None) is not field.model:
        return None
    then = forward_level(field.model, through_attrs[level + 1], lookup, level + 1)
    if then is None or then.field is field:
        return None
    return then


def _unfetched(obj_list, lookup, level, through_attr, leaf, primed=None):
    """(prefetcher, descriptor, objects to fetch or None) of one level; None when the objects take no caches.

    ``primed`` is this level's ForwardLevel when the previous level primed it.
    """
    forward = primed if primed is not None else forward_level(type(obj_list[0]), through_attr, lookup, level)
    if forward is not None:
        to_fetch = forward.unfetched(obj_list)
        if to_fetch is not None:
            return forward, forward.descriptor, to_fetch
    if not _ensure_caches(obj_list):
        return None
    first_obj = obj_list[0]
    to_attr = lookup.get_current_to_attr(level)[0]
    prefetcher, descriptor, attr_found, is_fetched = get_prefetcher(first_obj, through_attr, to_attr)
    if not attr_found:
        raise AttributeError("Cannot find '%s' on %s object, '%s' is an invalid parameter to prefetch_related()"
                             % (through_attr, first_obj.__class__.__name__, lookup.prefetch_through))
    if leaf and prefetcher is None:
        raise ValueError("'%s' does not resolve to an item that supports prefetching - this is an invalid "
                         "parameter to prefetch_related()." % lookup.prefetch_through)
    to_fetch = [obj for obj in obj_list if not is_fetched(obj)] if prefetcher is not None else None
    return prefetcher, descriptor, to_fetch


def _ensure_caches(obj_list):
    for obj in obj_list:
        data = getattr(obj, "__dict__", None)
        if data is not None and "_prefetched_objects_cache" in data:
            continue
        try:
            obj._prefetched_objects_cache = {}
        except (AttributeError, TypeError):
            # Not a model instance (e.g. values()): nothing to prefetch onto.
            return False
    return True


def _already_fetched(obj_list, through_attr):
    new_list = []
    for obj in obj_list:
        cache = getattr(obj, "_prefetched_objects_cache", ())
        if through_attr in cache:
            new_obj = list(cache.get(through_attr))
        else:
            try:
                new_obj = getattr(obj, through_attr)
            except ObjectDoesNotExist:
                continue
        if new_obj is None:
            continue
        if isinstance(new_obj, list):
            new_list.extend(new_obj)
        else:
            new_list.append(new_obj)
    return new_list


def _to_attr_fetched(model, to_attr):
    if isinstance(getattr(model, to_attr, None), cached_property):
        return lambda instance: to_attr in instance.__dict__
    return lambda instance: hasattr(instance, to_attr)


def get_prefetcher(instance, through_attr, to_attr):
    """(prefetcher, descriptor, attribute found, is_fetched(obj)) for ``through_attr`` on ``instance``."""
    prefetcher = None
    is_fetched = _to_attr_fetched(instance.__class__, to_attr)
    descriptor = getattr(instance.__class__, through_attr, None)
    if descriptor is None:
        return None, None, hasattr(instance, through_attr), is_fetched
    if hasattr(descriptor, "get_prefetch_querysets"):
        prefetcher = descriptor
        if through_attr == to_attr:
            is_fetched = descriptor.is_cached
        return prefetcher, descriptor, True, is_fetched
    rel_obj = getattr(instance, through_attr)
    if hasattr(rel_obj, "get_prefetch_querysets"):
        prefetcher = rel_obj
    if through_attr == to_attr:
        def in_prefetched_cache(obj):
            return through_attr in obj._prefetched_objects_cache

        is_fetched = in_prefetched_cache
    return prefetcher, descriptor, True, is_fetched


def _chunk_size(instances):
    """How many instances one prefetch query takes: each IN list stays within the backend's parameter limit."""
    using = instances[0]._state.db or "default"
    limit = connections[using].ops.max_query_params() - RESERVED_PARAMS
    # IN lists are padded to powers of two above 8 values (sql cache buckets): keep the padded size in bounds.
    return 1 << max(limit, 1).bit_length() - 1


def _chunks(instances, prefetcher):
    """Split instances so each IN list stays within the backend's parameter limit."""
    size = _chunk_size(instances)
    if len(instances) <= size:
        return [instances]
    return [instances[i:i + size] for i in range(0, len(instances), size)]


class _Parents(list):
    """A chunk of instances to prefetch for, carrying the next level to prime while their children are built."""

    __slots__ = ("then",)


def prefetch_one_level(instances, prefetcher, lookup, level, then=None):
    """Run the prefetch query for one level; return (fetched objects, nested lookups to follow).

    ``then`` (a ForwardLevel) is the next level: the relation managers that build the children in one
    pass (fields/related_prefetch.py: fetch_grouped) prime it, others leave it alone.
    """
    if isinstance(prefetcher, ForwardLevel):
        fetched = prefetcher.prefetch_level(instances, _chunk_size(instances), lookup, level)
        adopt_children(instances, fetched)
        return fetched, []
    fetched = []
    additional_lookups = []
    for position, chunk in enumerate(_chunks(instances, prefetcher)):
        querysets = lookup.get_current_querysets(level)
        if querysets and position:
            querysets = [querysets[0]._chain()]
        if then is not None:
            chunk = _Parents(chunk)
            chunk.then = then
        objs, more = _prefetch_chunk(chunk, prefetcher, lookup, level, querysets)
        fetched.extend(objs)
        if not position:
            additional_lookups = more
    adopt_children(instances, fetched)  # the parents' fetch mode, the children peers of each other
    return fetched, additional_lookups


def _prefetch_chunk(instances, prefetcher, lookup, level, querysets):
    grouped = getattr(prefetcher, "_prefetch_grouped", None)
    result = grouped(instances, querysets) if grouped is not None else None
    if result is None:
        grouped = None  # the relation has no grouped form (a one-to-one): the general one below
    if grouped is not None:
        rel_qs, by_value, instance_attr, single, cache_name, is_descriptor = result
    else:
        rel_qs, rel_obj_attr, instance_attr, single, cache_name, is_descriptor = \
            prefetcher.get_prefetch_querysets(instances, querysets)
    additional = [copy.copy(item) for item in getattr(rel_qs, "_prefetch_related_lookups", ())]
    if additional:
        # The nested lookups are followed by prefetch_related_objects on the whole result.
        rel_qs._prefetch_related_lookups = ()
    related_objects = list(rel_qs)
    if grouped is None:
        by_value = group_by(related_objects, rel_obj_attr)
    to_attr, as_attr = lookup.get_current_to_attr(level)
    if as_attr and instances:
        _check_to_attr(instances[0].__class__, to_attr)
    if single:
        _store_single(instances, by_value, instance_attr, to_attr, as_attr, is_descriptor, cache_name)
    elif as_attr:
        for obj in instances:
            setattr(obj, to_attr, by_value.get(instance_attr(obj), []))
    else:
        leaf = len(lookup.prefetch_through.split(LOOKUP_SEP)) - 1 == level
        queryset = lookup.queryset if leaf else None
        _store_querysets(instances, by_value, instance_attr, to_attr, cache_name, prefetcher, queryset)
    return related_objects, additional


def _check_to_attr(model, to_attr):
    try:
        model._meta.get_field(to_attr)
    except FieldDoesNotExist:
        return
    raise ValueError("to_attr={} conflicts with a field on the {} model.".format(to_attr, model.__name__))


def _store_single(instances, by_value, instance_attr, to_attr, as_attr, is_descriptor, cache_name):
    if as_attr or is_descriptor:
        name = to_attr if as_attr else cache_name
        for obj in instances:
            vals = by_value.get(instance_attr(obj))
            setattr(obj, name, vals[0] if vals else None)
        return
    attname = getattr(instance_attr, "attname", None)
    if attname is not None:
        _cache_single_by_attname(instances, by_value, attname, cache_name)
        return
    for obj in instances:
        vals = by_value.get(instance_attr(obj))
        obj._state.fields_cache[cache_name] = vals[0] if vals else None


def _cache_single_by_attname(instances, by_value, attname, cache_name):
    """_store_single's fields-cache loop with the key attribute read inline (it runs once per child object)."""
    group_of = by_value.get
    for obj in instances:
        data = obj.__dict__
        vals = group_of(data[attname] if attname in data else getattr(obj, attname))
        obj._state.fields_cache[cache_name] = vals[0] if vals else None


def _store_querysets(instances, by_value, instance_attr, to_attr, cache_name, prefetcher, queryset):
    """Cache on each instance the evaluated queryset its related manager's ``all()`` returns."""
    filler = getattr(prefetcher, "_prefetch_cache_filler", None)
    fill = filler(instances, queryset) if filler is not None else None
    if fill is not None:
        instances = fill(instances, by_value, instance_attr, cache_name)
    for obj in instances:
        vals = by_value.get(instance_attr(obj), [])
        obj._prefetched_objects_cache[cache_name] = _evaluated_queryset(getattr(obj, to_attr), queryset, vals)


def _evaluated_queryset(manager, queryset, vals):
    """The general path: the manager's own queryset, with ``vals`` as its result cache."""
    qs = manager._apply_rel_filters(queryset) if queryset is not None else manager.get_queryset()
    qs._result_cache = vals
    qs._prefetch_done = True
    return qs
