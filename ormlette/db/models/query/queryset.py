"""QuerySet: lazy, chainable; each method is a clone plus one state change.

Here: construction, the Python protocol, get()/count()/aggregate(), filtering, ordering, combinators and the
cloning/fetching core. The other methods come from mixins beside: QuerySetReads (``query_reads``),
QuerySetShape (``query_shape``) and QuerySetWrites (``query_writes``).
"""
from __future__ import annotations

import copy
import gc
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, overload

from typing_extensions import TypeVar

from ormlette.conf import settings
from ormlette.db import DEFAULT_DB_ALIAS, connections, router
from ormlette.db.async_bridge import run_sync
from ormlette.db.errors import NotSupportedError
from ormlette.db.models import fetch_modes as _fm
from ormlette.db.models.expressions.aggregates import Count
from ormlette.db.models.fast.get_shortcut import MISS, fast_get
from ormlette.db.models.query.iterables import (
    FlatValuesListIterable, ModelIterable, NamedValuesListIterable, ValuesIterable, ValuesListIterable,
)
from ormlette.db.models.query.reads import QuerySetReads
from ormlette.db.models.query.shape import QuerySetShape
from ormlette.db.models.query_utils import Q
from ormlette.db.models.query.writes import QuerySetWrites
from ormlette.db.models.fast.recipe_aggregates import aggregate_values
from ormlette.db.models.fast.recipes import (
    build_query, record_copy, record_filter, record_order_by, record_slice, remember_filter, remember_order_by,
    remember_slice, root as recipe_root,
)
from ormlette.db.models.sql.query import Query
from ormlette.db.models.fast.gc_pause import promote_young_objects

if TYPE_CHECKING:
    from typing_extensions import Self

_M = TypeVar("_M", default=Any)

REPR_OUTPUT_SIZE = 20
MAX_GET_RESULTS = 21
PROHIBITED_FILTER_KWARGS = frozenset(["_connector", "_negated"])
# Importable from here, as from Django's ``query`` (query_shape uses them).
_ITERABLES = (FlatValuesListIterable, NamedValuesListIterable, ValuesListIterable)


class QuerySet(QuerySetReads[_M], QuerySetShape[_M], QuerySetWrites[_M]):
    """A lazy database lookup for a set of objects."""

    _fetch_mode = None  # set by fetch_mode(); None: settings.DEFAULT_FETCH_MODE, else FETCH_ONE

    if TYPE_CHECKING:
        # The async twins _add_async_twins() installs below, as checkers see them.
        async def aget(self, *args: Any, **kwargs: Any) -> _M: ...
        async def acreate(self, **kwargs: Any) -> _M: ...
        async def acount(self) -> int: ...
        async def aexists(self) -> bool: ...
        async def afirst(self) -> _M | None: ...
        async def alast(self) -> _M | None: ...
        async def aearliest(self, *fields: Any) -> _M: ...
        async def alatest(self, *fields: Any) -> _M: ...
        async def aaggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]: ...
        async def ain_bulk(self, id_list: Any = ..., *, field_name: str = ...) -> dict[Any, _M]: ...
        async def adelete(self) -> tuple[int, dict[str, int]]: ...
        async def aupdate(self, **kwargs: Any) -> int: ...
        async def aget_or_create(self, defaults: Any = ..., **kwargs: Any) -> tuple[_M, bool]: ...
        async def aupdate_or_create(self, defaults: Any = ..., create_defaults: Any = ...,
                                    **kwargs: Any) -> tuple[_M, bool]: ...
        async def abulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[_M]: ...
        async def abulk_update(self, objs: Any, fields: Any, batch_size: int | None = ...) -> int: ...
        async def acontains(self, obj: Any) -> bool: ...
        async def aexplain(self, *, format: str | None = ..., **options: Any) -> str: ...

    def __init__(self, model=None, query=None, using=None, hints=None):
        self.model = model
        self._db = using
        self._hints = hints or {}
        if query is None and model is not None:
            # A pristine queryset: its Query is built on first use, so recorded chains skip it.
            self._query = None
            self._recipe = recipe_root(model)
        else:
            self._query = query or Query(self.model)
            self._recipe = None
        self._recipe_leaves = ()
        self._recipe_limits = None
        self._result_cache = None
        self._sticky_filter = False
        self._for_write = False
        self._prefetch_related_lookups = ()
        self._prefetch_done = False
        self._known_related_objects = {}
        self._iterable_class = ModelIterable
        self._fields = None
        self._defer_next_filter = False
        self._deferred_filter = None
        self._fetch_mode = None

    @property
    def query(self):
        """The underlying Query (applying any deferred filter)."""
        if self._query is None:
            self._query = build_query(self)
        if self._deferred_filter:
            negate, args, kwargs = self._deferred_filter
            if self.__dict__.pop("_query_shared", False):
                # A prefetched queryset shares its base query until it is first used (prefetch.py); the copy
                # keeps a sticky filter (many-to-many managers) that chain() would end.
                shared = self._query
                self._query = shared.chain()
                self._query.filter_is_sticky = getattr(shared, "filter_is_sticky", False)
            self._filter_or_exclude_inplace(negate, args, kwargs)
            self._deferred_filter = None
        return self._query

    @query.setter
    def query(self, value):
        if value.values_select:
            self._iterable_class = ValuesIterable
        self._query = value
        self._recipe = None

    def as_manager(cls) -> Self:
        """A Manager with this QuerySet's methods."""
        from ormlette.db.models.manager import Manager

        manager = Manager.from_queryset(cls)()
        manager._built_with_as_manager = True
        return manager

    as_manager.queryset_only = True
    as_manager = classmethod(as_manager)

    # -- Python protocol --------------------------------------------------------------------------------
    def __deepcopy__(self, memo):
        obj = self.__class__()
        for k, v in self.__dict__.items():
            if k == "_result_cache":
                obj.__dict__[k] = None
            else:
                obj.__dict__[k] = copy.deepcopy(v, memo)
        return obj

    def __getstate__(self):
        self._fetch_all()
        return {**self.__dict__, "_query": self.query.clone(), "_recipe": None}

    def __setstate__(self, state):
        self.__dict__.update(state)

    def __repr__(self):
        data = list(self[:REPR_OUTPUT_SIZE + 1])
        if len(data) > REPR_OUTPUT_SIZE:
            data[-1] = "...(remaining elements truncated)..."
        return "<%s %r>" % (self.__class__.__name__, data)

    def __len__(self) -> int:
        self._fetch_all()
        return len(self._result_cache)

    def __iter__(self) -> Iterator[_M]:
        self._fetch_all()
        return iter(self._result_cache)

    def __aiter__(self) -> AsyncIterator[_M]:
        async def generator():
            await run_sync(self._fetch_all, using=self.db)
            for item in self._result_cache:
                yield item

        return generator()

    def __bool__(self) -> bool:
        self._fetch_all()
        return bool(self._result_cache)

    if TYPE_CHECKING:
        @overload
        def __getitem__(self, k: int) -> _M: ...
        @overload
        def __getitem__(self, k: slice) -> Self: ...

    def __getitem__(self, k):
        if not isinstance(k, (int, slice)):
            raise TypeError("QuerySet indices must be integers or slices, not %s." % type(k).__name__)
        if (isinstance(k, int) and k < 0) or (isinstance(k, slice) and (
                (k.start is not None and k.start < 0) or (k.stop is not None and k.stop < 0))):
            raise ValueError("Negative indexing is not supported.")
        if self._result_cache is not None:
            return self._result_cache[k]
        if isinstance(k, slice):
            start = int(k.start) if k.start is not None else None
            stop = int(k.stop) if k.stop is not None else None
            if not k.step and self._recipe is not None:
                recorded = record_slice(self, start, stop)
                if recorded is not None:
                    return recorded
            qs = self._chain()
            qs.query.set_limits(start, stop)
            if k.step:
                return list(qs)[:: k.step]
            if self._recipe is not None:
                remember_slice(self, qs, start, stop)
            return qs
        qs = self._chain()
        qs.query.set_limits(k, k + 1)
        qs._fetch_all()
        return qs._result_cache[0]

    def __and__(self, other) -> Self:
        self._check_operator_queryset(other, "&")
        self._merge_sanity_check(other)
        if isinstance(other, EmptyQuerySet):
            return other
        if isinstance(self, EmptyQuerySet):
            return self
        combined = self._chain()
        combined._merge_known_related_objects(other)
        combined.query.combine(other.query, "AND")
        return combined

    def __or__(self, other) -> Self:
        return self._combine_filters(other, "|", "OR")

    def __xor__(self, other) -> Self:
        return self._combine_filters(other, "^", "XOR")

    def _combine_filters(self, other, operator_symbol, connector):
        """``qs1 | qs2`` / ``qs1 ^ qs2``: one query whose WHERE joins both (sliced sides become pk IN)."""
        self._check_operator_queryset(other, operator_symbol)
        self._merge_sanity_check(other)
        if isinstance(self, EmptyQuerySet):
            return other
        if isinstance(other, EmptyQuerySet):
            return self
        query = self if self.query.can_filter() else self.model._base_manager.filter(pk__in=self.values("pk"))
        combined = query._chain()
        combined._merge_known_related_objects(other)
        if not other.query.can_filter():
            other = other.model._base_manager.filter(pk__in=other.values("pk"))
        combined.query.combine(other.query, connector)
        return combined

    # -- methods that run queries -----------------------------------------------------------------------
    def aggregate(self, *args, **kwargs) -> dict[str, Any]:
        """Return a dict of aggregate values over the queryset."""
        self._validate_values_are_expressions((*args, *kwargs.values()), method_name="aggregate")
        for arg in args:
            try:
                kwargs[arg.default_alias] = arg
            except (AttributeError, TypeError):
                raise TypeError("Complex aggregates require an alias") from None
        return aggregate_values(self, kwargs) if kwargs else {}

    def count(self) -> int:
        """Number of rows (len() of the cache when already evaluated)."""
        if self._result_cache is not None:
            return len(self._result_cache)
        return aggregate_values(self, {"__count": Count("*")})["__count"]

    def get(self, *args, **kwargs) -> _M:
        """The single object matching the filters."""
        if not args and len(kwargs) == 1:
            found = fast_get(self, kwargs)
            if found is not MISS:
                return found
        if self.query.combinator and (args or kwargs):
            raise NotSupportedError("Calling QuerySet.get(...) with filters after %s() is not supported."
                                    % self.query.combinator)
        clone = self._chain() if self.query.combinator else self.filter(*args, **kwargs)
        if self.query.can_filter() and not self.query.distinct_fields:
            clone = clone.order_by()
        limit = None
        if not clone.query.select_for_update or connections[clone.db].features.supports_select_for_update_with_limit:
            limit = MAX_GET_RESULTS
            clone.query.set_limits(high=limit)
        num = len(clone)
        if num == 1:
            return clone._result_cache[0]
        if not num:
            raise self.model.DoesNotExist("%s matching query does not exist." % self.model._meta.object_name)
        raise self.model.MultipleObjectsReturned("get() returned more than one %s -- it returned %s!" % (
            self.model._meta.object_name, num if not limit or num < limit else "more than %s" % (limit - 1)))

    # -- methods that return querysets ------------------------------------------------------------------
    def none(self) -> Self:
        """An empty queryset that never queries."""
        clone = self._chain()
        clone.query.set_empty()
        return clone

    def all(self) -> Self:
        """A copy of this queryset."""
        clone = record_copy(self)
        return self._chain() if clone is None else clone

    def filter(self, *args, **kwargs) -> Self:
        """Rows matching the lookups (ANDed)."""
        if self._recipe is not None and not args:
            recorded = record_filter(self, kwargs)
            if recorded is not None:
                return recorded
            clone = self._filter_or_exclude(False, args, kwargs)
            remember_filter(self, clone, kwargs)
            return clone
        self._not_support_combined_queries("filter")
        return self._filter_or_exclude(False, args, kwargs)

    def exclude(self, *args, **kwargs) -> Self:
        """Rows not matching the lookups."""
        self._not_support_combined_queries("exclude")
        return self._filter_or_exclude(True, args, kwargs)

    def _filter_or_exclude(self, negate, args, kwargs):
        if (args or kwargs) and self.query.is_sliced:
            raise TypeError("Cannot filter a query once a slice has been taken.")
        clone = self._chain()
        if self._defer_next_filter:
            self._defer_next_filter = False
            clone._deferred_filter = negate, args, kwargs
        else:
            clone._filter_or_exclude_inplace(negate, args, kwargs)
        return clone

    def _filter_or_exclude_inplace(self, negate, args, kwargs):
        if invalid := PROHIBITED_FILTER_KWARGS.intersection(kwargs):
            raise TypeError("The following kwargs are invalid: %s" % ", ".join("'%s'" % k for k in sorted(invalid)))
        if negate:
            self._query.add_q(~Q(*args, **kwargs))
        else:
            self._query.add_q(Q(*args, **kwargs))

    def complex_filter(self, filter_obj) -> Self:
        """filter() with a Q object or a dict."""
        if isinstance(filter_obj, Q):
            clone = self._chain()
            clone.query.add_q(filter_obj)
            return clone
        return self._filter_or_exclude(False, args=(), kwargs=filter_obj)

    def _combinator_query(self, combinator, *other_qs, all=False):
        clone = self._chain()
        clone.query.clear_ordering(force=True)
        clone.query.clear_limits()
        clone.query.combined_queries = (self.query,) + tuple(qs.query for qs in other_qs)
        clone.query.combinator = combinator
        clone.query.combinator_all = all
        return clone

    def union(self, *other_qs, all=False) -> Self:
        """SQL UNION."""
        if isinstance(self, EmptyQuerySet):
            qs = [q for q in other_qs if not isinstance(q, EmptyQuerySet)]
            if not qs:
                return self
            if len(qs) == 1:
                return qs[0]
            return qs[0]._combinator_query("union", *qs[1:], all=all)
        return self._combinator_query("union", *other_qs, all=all)

    def intersection(self, *other_qs) -> Self:
        """SQL INTERSECT."""
        if isinstance(self, EmptyQuerySet):
            return self
        for other in other_qs:
            if isinstance(other, EmptyQuerySet):
                return other
        return self._combinator_query("intersection", *other_qs)

    def difference(self, *other_qs) -> Self:
        """SQL EXCEPT."""
        if isinstance(self, EmptyQuerySet):
            return self
        return self._combinator_query("difference", *other_qs)

    def select_for_update(self, nowait=False, skip_locked=False, of=(), no_key=False) -> Self:
        """Lock the selected rows until the end of the transaction."""
        if nowait and skip_locked:
            raise ValueError("The nowait option cannot be used with skip_locked.")
        obj = self._chain()
        obj._for_write = True
        obj.query.select_for_update = True
        obj.query.select_for_update_nowait = nowait
        obj.query.select_for_update_skip_locked = skip_locked
        obj.query.select_for_update_of = of
        obj.query.select_for_no_key_update = no_key
        return obj

    def order_by(self, *field_names) -> Self:
        """Replace the ordering."""
        if self._recipe is not None:
            recorded = record_order_by(self, field_names)
            if recorded is not None:
                return recorded
        if self.query.is_sliced:
            raise TypeError("Cannot reorder a query once a slice has been taken.")
        obj = self._chain()
        obj.query.clear_ordering(force=True, clear_default=False)
        obj.query.add_ordering(*field_names)
        if self._recipe is not None:
            remember_order_by(self, obj, field_names)
        return obj

    def distinct(self, *field_names) -> Self:
        """SELECT DISTINCT (ON fields on PostgreSQL)."""
        self._not_support_combined_queries("distinct")
        if self.query.is_sliced:
            raise TypeError("Cannot create distinct fields once a slice has been taken.")
        obj = self._chain()
        obj.query.distinct = True
        obj.query.distinct_fields = field_names
        return obj

    def reverse(self) -> Self:
        """Reverse the ordering."""
        if self.query.is_sliced:
            raise TypeError("Cannot reverse a query once a slice has been taken.")
        clone = self._chain()
        clone.query.standard_ordering = not clone.query.standard_ordering
        return clone

    def using(self, alias) -> Self:
        """Run on another database alias."""
        clone = record_copy(self)
        if clone is None:
            clone = self._chain()
        clone._db = alias
        return clone

    def fetch_mode(self, mode) -> Self:
        """Set the fetch mode (FETCH_ONE, FETCH_PEERS, RAISE) of the instances this queryset builds."""
        from ormlette.db.models.fetch_modes import resolve

        mode = resolve(mode)
        clone = record_copy(self)
        if clone is None:
            clone = self._chain()
        clone._fetch_mode = mode
        return clone

    # -- public introspection -------------------------------------------------------------------------
    @property
    def ordered(self) -> bool:
        """Whether the queryset has a defined order."""
        if isinstance(self, EmptyQuerySet):
            return True
        return self.query.ordered

    @property
    def db(self) -> str:
        """The database alias used: ``using()``'s, else the routers' choice for reading or writing."""
        db = self._db
        if db:
            return db
        if not self._hints and not settings.DATABASE_ROUTERS:
            return DEFAULT_DB_ALIAS  # what the routers' fallback gives, without the call
        if self._for_write:
            return router.db_for_write(self.model, **self._hints)
        return router.db_for_read(self.model, **self._hints)

    # -- private --------------------------------------------------------------------------------------
    def _chain(self):
        obj = self._clone()
        if obj._sticky_filter:
            obj.query.filter_is_sticky = True
            obj._sticky_filter = False
        return obj

    def _clone(self):
        c = self.__class__.__new__(self.__class__)
        c.__dict__ = {
            "model": self.model, "_db": self._db, "_hints": self._hints, "_query": self.query.chain(),
            "_result_cache": None, "_sticky_filter": self._sticky_filter, "_for_write": self._for_write,
            "_prefetch_related_lookups": self._prefetch_related_lookups[:], "_prefetch_done": False,
            "_known_related_objects": self._known_related_objects, "_iterable_class": self._iterable_class,
            "_fields": self._fields, "_defer_next_filter": False, "_deferred_filter": None,
            "_recipe": None, "_recipe_leaves": (), "_recipe_limits": None, "_fetch_mode": self._fetch_mode,
        }
        return c

    def _fetch_all(self):
        if self._result_cache is None:
            # Everything built here is kept in the cache, so a cyclic GC pass triggered by these
            # allocations would only scan live objects; pause it while the cache fills.
            collecting = gc.isenabled()
            if collecting:
                gc.disable()
            try:
                iterable = self._iterable_class(self)
                results = getattr(iterable, "results", None)  # ours: no generator step per row
                self._result_cache = results() if results is not None else list(iterable)
            finally:
                if collecting:
                    promote_young_objects()  # all alive: no young pass over them
                    gc.enable()
        if self._prefetch_related_lookups and not self._prefetch_done:
            from ormlette.db.models.query.prefetch import prefetch_related_objects

            prefetch_related_objects(self._result_cache, *self._prefetch_related_lookups)
            self._prefetch_done = True
        if _fm.evaluated is not None:
            _fm.evaluated(self)  # the N+1 detector watches what select/prefetch_related loaded

    def _next_is_sticky(self):
        self._sticky_filter = True
        return self

    def _merge_sanity_check(self, other):
        if self._fields is not None and (set(self.query.values_select) != set(other.query.values_select)
                                         or set(self.query.extra_select) != set(other.query.extra_select)
                                         or set(self.query.annotation_select) != set(other.query.annotation_select)):
            raise TypeError("Merging '%s' classes must involve the same values in each case." % self.__class__.__name__)

    def _merge_known_related_objects(self, other):
        for field, objects in other._known_related_objects.items():
            self._known_related_objects.setdefault(field, {}).update(objects)

    def resolve_expression(self, *args, **kwargs):
        """A queryset used as a subquery."""
        query = self.query.resolve_expression(*args, **kwargs)
        query._db = self._db
        return query

    resolve_expression.queryset_only = True

    def _add_hints(self, **hints):
        self._hints.update(hints)

    def _has_filters(self):
        return self.query.where

    @staticmethod
    def _validate_values_are_expressions(values, method_name):
        invalid_args = sorted(str(arg) for arg in values if not hasattr(arg, "resolve_expression"))
        if invalid_args:
            raise TypeError("QuerySet.%s() received non-expression(s): %s." % (method_name, ", ".join(invalid_args)))

    def _not_support_combined_queries(self, operation_name):
        if self.query.combinator:
            raise NotSupportedError("Calling QuerySet.%s() after %s() is not supported."
                                    % (operation_name, self.query.combinator))

    def _check_operator_queryset(self, other, operator_):
        if self.query.combinator or other.query.combinator:
            raise TypeError("Cannot use %s operator with combined queryset." % operator_)

    def _check_ordering_first_last_queryset_aggregation(self, method):
        if isinstance(self.query.group_by, tuple) and not any(
                col.output_field is self.model._meta.pk for col in self.query.group_by):
            raise TypeError("Cannot use QuerySet.%s() on an unordered queryset performing aggregation. Add an "
                            "ordering with order_by()." % method)


def _add_async_twins(cls):
    """``aget``, ``acount``, ... run the sync method on the same connection state."""
    for name in ("get", "create", "count", "exists", "first", "last", "earliest", "latest", "aggregate",
                 "in_bulk", "delete", "update", "get_or_create", "update_or_create", "bulk_create",
                 "bulk_update", "contains", "explain"):
        def make(method_name):
            async def twin(self, *args, **kwargs):
                return await run_sync(lambda: getattr(self, method_name)(*args, **kwargs), using=self.db)

            twin.__name__ = "a" + method_name
            twin.__doc__ = "Async twin of %s()." % method_name
            return twin

        setattr(cls, "a" + name, make(name))


_add_async_twins(QuerySet)


class InstanceCheckMeta(type):
    def __instancecheck__(self, instance):
        return isinstance(instance, QuerySet) and instance.query.is_empty()


class EmptyQuerySet(metaclass=InstanceCheckMeta):
    """Marker class: ``isinstance(qs.none(), EmptyQuerySet)`` is True."""

    def __init__(self, *args, **kwargs):
        raise TypeError("EmptyQuerySet can't be instantiated")
