"""prefetch_related() through a plain many-to-one foreign key (``items__product``) in two passes over the objects.

The general path walks the objects of a level four times (prefetch caches, is the relation cached, key values,
storing the fetched objects); with thousands of objects every walk is mostly cache misses. Here one pass gives
each object its prefetch cache and collects the uncached objects with their fields caches and key values, and
one pass stores the fetched objects straight into those caches. When the objects are the children the previous
level builds (``items`` of ``items__product``), the child builder does the first pass's work as it builds them
(the level is *primed*). Queries, caches and results are the general path's.
"""
from ormlette.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from ormlette.db.models.fields.related_prefetch import attribute_reader


def forward_level(model, through_attr, lookup, level):
    """A :class:`ForwardLevel` when ``through_attr`` of ``model`` takes the two-pass path, else None.

    That is a stock many-to-one descriptor over one column, read into its own attribute (no ``to_attr``),
    whose queryset has no nested lookups of its own (those would run when it is evaluated).
    """
    descriptor = getattr(model, through_attr, None)
    if type(descriptor) is not ForwardManyToOneDescriptor:
        return None
    field = descriptor.field
    if len(field.local_related_fields) != 1 or not field.remote_field.multiple:
        return None
    if lookup.get_current_to_attr(level) != (through_attr, False):
        return None
    querysets = lookup.get_current_querysets(level)
    if querysets and querysets[0]._prefetch_related_lookups:
        return None
    return ForwardLevel(descriptor)


class ForwardLevel:
    """The prefetcher of one level through a foreign key: its uncached objects, their fields caches and keys.

    A level whose objects are the children the previous level builds can be *primed*: the child builder
    gives each child its prefetch cache and appends its fields cache and key here (``caches``, ``keys``,
    counting ``primed_objects``), so unfetched() needs no walk over them.
    """

    def __init__(self, descriptor):
        self.descriptor = descriptor
        field = descriptor.field
        self.field = field
        self.cache_name = field.cache_name
        self.attname = field.local_related_fields[0].attname
        self.caches, self.keys = [], []
        self.primed_objects = 0

    def unfetched(self, obj_list):
        """The objects whose relation is not cached yet (giving each object its prefetch cache), or None.

        None leaves the level to the general path: an object of another model, or one whose key column was
        deferred (reading it runs a query, which the general path does at its own time).
        """
        if self.primed_objects and self.primed_objects == len(obj_list) == len(self.keys):
            # Children built for this level: each has its prefetch cache and only its parent cached.
            return obj_list
        model = self.field.model
        # Without a __setattr__ of its own, setting the prefetch cache is storing it in the instance dict.
        plain_setattr = model.__setattr__ is object.__setattr__
        attname = self.attname
        cache_name = self.cache_name
        to_fetch, caches, keys = [], [], []
        for obj in obj_list:
            if type(obj) is model:
                plain = plain_setattr
            elif isinstance(obj, model):
                plain = False
            else:
                return None
            data = obj.__dict__
            if attname not in data:
                return None
            if "_prefetched_objects_cache" not in data:
                if plain:
                    data["_prefetched_objects_cache"] = {}
                else:
                    obj._prefetched_objects_cache = {}
            state = data["_state"] if "_state" in data else obj._state
            cache = state.fields_cache
            if cache_name not in cache:
                to_fetch.append(obj)
                caches.append(cache)
                keys.append(data[attname])
        self.caches, self.keys = caches, keys
        return to_fetch

    def prefetch_level(self, to_fetch, chunk_size, lookup, level):
        """Fetch the related objects of ``to_fetch`` (what unfetched() returned) and cache them; returns them."""
        fetched = []
        querysets = lookup.get_current_querysets(level)
        for start in range(0, len(to_fetch), chunk_size):
            stop = start + chunk_size
            if querysets and start:
                querysets = [querysets[0]._chain()]
            related = self._fetch(to_fetch[start], self.keys[start:stop], querysets)
            self._store(related, self.caches[start:stop], self.keys[start:stop])
            fetched.extend(related)
        return fetched

    def _fetch(self, first, keys, querysets):
        """The evaluated related objects of ``keys`` (ForwardManyToOneDescriptor.get_prefetch_querysets' query)."""
        queryset = querysets[0] if querysets else self.descriptor.get_queryset()
        queryset._add_hints(instance=first)
        target = self.field.foreign_related_fields[0]
        return list(queryset.filter(**{"%s__in" % target.name: set(keys)}))

    def _store(self, related, caches, keys):
        """Cache on each object its related object (the first with its key), or None."""
        read = attribute_reader(self.field.foreign_related_fields[0].attname)
        by_key = {}
        for rel_obj in related:
            by_key.setdefault(read(rel_obj), rel_obj)
        find = by_key.get
        cache_name = self.cache_name
        for cache, key in zip(caches, keys):
            cache[cache_name] = find(key)
