"""prefetch_related() helpers for relation managers and descriptors: key readers, grouping, cached querysets."""
from ormlette.core.exceptions import FieldError
from ormlette.db import connections
from ormlette.db.models.query import queryset as query_module
from ormlette.db.models.query.iterables import ModelIterable, grouped_children


def attribute_reader(attname):
    """``getattr(instance, attname)``, reading the instance dict first (loaded values skip the descriptor)."""
    def read(instance):
        data = instance.__dict__
        return data[attname] if attname in data else getattr(instance, attname)

    read.attname = attname  # lets a loop over many instances read the attribute inline
    return read


def attribute_values(instances, attname):
    """``[getattr(instance, attname) for instance in instances]``, reading each instance dict first."""
    return [data[attname] if attname in (data := inst.__dict__) else getattr(inst, attname) for inst in instances]


def related_in_filter(field, instances):
    """The filter() keywords selecting the rows whose ``field`` points at one of ``instances``."""
    targets = field.foreign_related_fields
    if len(targets) != 1:
        return {"%s__in" % field.name: instances}
    read = attribute_reader(targets[0].attname)
    values = list(dict.fromkeys(read(inst) for inst in instances))
    if None in values if targets[0].primary_key else any(inst.pk is None for inst in instances):
        # Unsaved instances: the lookup itself raises Django's error for them.
        return {"%s__in" % field.name: instances}
    if targets[0].primary_key:
        # ``<fk>__<pk>__in`` compiles to the same "<fk column> IN (...)" without preparing each value twice.
        return {"%s__%s__in" % (field.name, targets[0].name): values}
    return {"%s__in" % field.name: values}


def attach_parents(field, fetched, instances, rel_obj_attr, instance_attr):
    """Point each fetched object's forward cache at its parent instead of querying again."""
    parents = {instance_attr(inst): inst for inst in instances}
    cache_name = field.cache_name
    for rel_obj in fetched:
        cache = rel_obj._state.fields_cache
        if cache_name not in cache:
            # What ``rel_obj.<fk> = parent`` would do: the key columns already hold the parent's values.
            cache[cache_name] = parents[rel_obj_attr(rel_obj)]


def fetch_grouped(queryset, field, instances):
    """(objects, {key: objects}, key of an instance): ``queryset`` evaluated, each object caching its parent.

    A plain model queryset is hydrated, grouped and linked to the parents in one generated pass (priming
    ``instances.then``, the next prefetch level, when prefetch_related_objects passes one); anything else
    is iterated as usual and grouped afterwards.
    """
    if len(field.local_related_fields) == 1 and _plain_model_queryset(queryset):
        instance_key = attribute_reader(field.foreign_related_fields[0].attname)
        parents = {instance_key(inst): inst for inst in instances}
        then = getattr(instances, "then", None)  # the next level, when prefetch_related_objects passes one
        fetched, groups = grouped_children(queryset, field.local_related_fields[0].attname, field.cache_name, parents,
                                           then)
        queryset._result_cache = fetched
        if groups is not None:
            return fetched, groups, instance_key
    else:
        fetched = list(queryset)
    groups, instance_key = group_with_parents(field, fetched, instances)
    return fetched, groups, instance_key


def _plain_model_queryset(queryset):
    """Whether evaluating ``queryset`` is just hydrating its rows: a model queryset with nothing to add to them."""
    queryset_class = type(queryset)
    base = query_module.QuerySet
    return (queryset._iterable_class is ModelIterable and queryset._result_cache is None
            and not queryset._prefetch_related_lookups and not queryset._known_related_objects
            and queryset_class.__iter__ is base.__iter__ and queryset_class._fetch_all is base._fetch_all)


def group_with_parents(field, fetched, instances):
    """({key: objects pointing at that key}, key of an instance), attaching each object's parent in the same pass."""
    if len(field.local_related_fields) == 1:
        attname = field.local_related_fields[0].attname
        rel_key = None
        instance_key = attribute_reader(field.foreign_related_fields[0].attname)
    else:
        attname = None
        rel_key, instance_key = field.local_value_getter, field.foreign_value_getter
    parents = {instance_key(inst): inst for inst in instances}
    cache_name = field.cache_name
    groups = {}
    for rel_obj in fetched:
        data = rel_obj.__dict__
        # The key read inline: this loop runs once per prefetched object.
        if rel_key is not None:
            key = rel_key(rel_obj)
        elif attname in data:
            key = data[attname]
        else:
            key = getattr(rel_obj, attname)
        group = groups.get(key)
        if group is None:
            groups[key] = [rel_obj]
        else:
            group.append(rel_obj)
        cache = rel_obj._state.fields_cache
        if cache_name not in cache:
            cache[cache_name] = parents[key]
    return groups, instance_key


def group_by(objects, key):
    """{key(obj): [objects with that key]} in one pass."""
    groups = {}
    for obj in objects:
        value = key(obj)
        group = groups.get(value)
        if group is None:
            groups[value] = [obj]
        else:
            group.append(obj)
    return groups


def prefetched_queryset_filler(base, field, instances):
    """fill(instances, groups, instance_key, cache_name) -> the instances it left to the general path.

    fill() caches on each instance the evaluated queryset of its related objects that
    ``_apply_rel_filters(base)`` would return, without its per-instance query clone: every queryset shares
    ``base``'s query and copies it, then applies its filter, only when it is used (QuerySet.query).
    Instances without a key value are left to the general path; the filler is None for a sticky base.
    """
    if base._sticky_filter:
        return None
    state = base._clone().__dict__
    state["_query_shared"] = True
    state["_prefetch_done"] = True
    one_key = _one_column_key(field)
    if one_key is None:
        return _general_filler(state, type(base), field, instances)
    return _one_key_filler(state, type(base), field, instances, *one_key)


def _one_key_filler(state, queryset_class, field, instances, read, key_is_pk):
    """The filler of a one-column relation: one loop with the key read and the queryset built inline."""
    attname = field.foreign_related_fields[0].attname
    hints = state["_hints"]
    lookups = state["_prefetch_related_lookups"]
    name = field.name
    shared = _shared_known_objects(field, instances, read)
    default_known = state["_known_related_objects"]
    many_to_one = field.many_to_one
    known_key = {field: None}
    new = queryset_class.__new__
    copy_state = state.copy  # a combined dict's copy clones its table: cheaper than {**state, ...}

    def fill(instances, groups, instance_key, cache_name):
        left = []
        group_of = groups.get
        for instance in instances:
            data = instance.__dict__
            value = data[attname] if attname in data else getattr(instance, attname)
            if value is None or (value == "" and _empty_is_null(instance)) or (not key_is_pk and instance.pk is None):
                left.append(instance)
                continue
            if shared is not None:
                known = shared
            elif many_to_one:
                # dict.fromkeys() of a one-key dict reuses the field's stored hash (Field.__hash__ is Python code).
                known = dict.fromkeys(known_key, {value: instance})
            else:
                known = default_known
            queryset = new(queryset_class)
            queryset.__dict__ = attrs = copy_state()
            attrs["_hints"] = {**hints, "instance": instance}
            attrs["_prefetch_related_lookups"] = lookups[:]
            attrs["_deferred_filter"] = (False, (), {name: instance})
            attrs["_result_cache"] = group_of(value, [])
            attrs["_known_related_objects"] = known
            instance._prefetched_objects_cache[cache_name] = queryset
        return left

    return fill


def many_to_many_queryset_filler(base, source_field, query_field_name):
    """The fill() of a many-to-many manager (see prefetched_queryset_filler), for ``source_field`` of the through model.

    Each queryset is the one ``_apply_rel_filters(base)`` returns: a sticky filter on the instance's key
    values (a later filter() reuses the relation's join), sharing one query until it is used.
    """
    state = base._next_is_sticky()._chain().__dict__
    state["_query_shared"] = True
    state["_prefetch_done"] = True
    filters = [("%s__%s" % (query_field_name, rh_field.name), rh_field.attname)
               for _, rh_field in source_field.related_fields]
    hints = state["_hints"]
    lookups = state["_prefetch_related_lookups"]
    queryset_class = type(base)
    new = queryset_class.__new__

    def fill(instances, groups, instance_key, cache_name):
        left = []
        group_of = groups.get
        for instance in instances:
            values = {name: getattr(instance, attname) for name, attname in filters}
            if None in values.values() or instance.pk is None:
                left.append(instance)  # the manager raises Django's error for it
                continue
            queryset = new(queryset_class)
            queryset.__dict__ = {
                **state, "_hints": {**hints, "instance": instance}, "_prefetch_related_lookups": lookups[:],
                "_deferred_filter": (False, (), values), "_result_cache": group_of(instance_key(instance), []),
            }
            instance._prefetched_objects_cache[cache_name] = queryset
        return left

    return fill


def _general_filler(state, queryset_class, field, instances):
    """The filler of a relation over several columns (or to a non-target field)."""
    hints = state["_hints"]
    lookups = state["_prefetch_related_lookups"]
    name = field.name
    known_objects = _general_known_objects_getter(field, state["_known_related_objects"])

    def fill(instances, groups, instance_key, cache_name):
        left = []
        for instance in instances:
            known = known_objects(instance)
            if known is None:
                left.append(instance)
                continue
            queryset = queryset_class.__new__(queryset_class)
            queryset.__dict__ = {
                **state, "_hints": {**hints, "instance": instance}, "_prefetch_related_lookups": lookups[:],
                "_deferred_filter": (False, (), {name: instance}), "_result_cache": groups.get(instance_key(instance), []),
                "_known_related_objects": known,
            }
            instance._prefetched_objects_cache[cache_name] = queryset
        return left

    return fill


def _general_known_objects_getter(field, default):
    key_value = field.foreign_value_getter
    known_id = _known_id_getter(field) if field.many_to_one else None

    def known_objects(instance):
        values = key_value(instance)
        if None in values or instance.pk is None or ("" in values and _empty_is_null(instance)):
            return None
        return default if known_id is None else {field: {known_id(instance): instance}}

    return known_objects


def _shared_known_objects(field, instances, read):
    """One {field: {key: parent}} for all the querysets of a chunk, or None (not many-to-one, or repeated keys).

    A re-filtered prefetched queryset only meets rows of its own parent, so it finds the same object there
    as in a map of its own parent alone.
    """
    if not field.many_to_one:
        return None
    keyed = [(value, inst) for inst in instances if (value := read(inst)) is not None]
    parents = dict(keyed)
    return {field: parents} if len(parents) == len(keyed) else None


def _one_column_key(field):
    """(reader of the instance's key value, whether that value is the pk) for a one-column relation, else None."""
    targets = field.foreign_related_fields
    if len(targets) != 1:
        return None
    try:
        if field.target_field is not targets[0]:
            return None
    except FieldError:
        return None
    target = targets[0]
    return attribute_reader(target.attname), target.primary_key and target.model._meta.pk is target


def _empty_is_null(instance):
    return connections[instance._state.db or "default"].features.interprets_empty_strings_as_nulls


def _known_id_getter(field):
    try:
        attname = field.target_field.attname
    except FieldError:
        attnames = [f.attname for f in field.foreign_related_fields]
        return lambda instance: tuple(getattr(instance, a) for a in attnames)
    return lambda instance: getattr(instance, attname)
