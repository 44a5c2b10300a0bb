"""QuerySet's reading methods besides get()/count()/aggregate(): chunked iteration, first/last/earliest/latest,
in_bulk, exists, contains, explain and raw."""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from typing_extensions import TypeVar

from ormlette.db import connections
from ormlette.db.async_bridge import run_sync
from ormlette.utils.typing_support import GenericBase

if TYPE_CHECKING:
    from typing_extensions import Self

    from ormlette.db.models.query.raw import RawQuerySet

_M = TypeVar("_M", default=Any)


class QuerySetReads(GenericBase[_M]):
    """The methods of QuerySet that run a query for objects or facts (mixed into QuerySet)."""

    def _iterator(self, use_chunked_fetch, chunk_size):
        iterable = self._iterable_class(self, chunked_fetch=use_chunked_fetch, chunk_size=chunk_size or 2000)
        if not self._prefetch_related_lookups or chunk_size is None:
            yield from iterable
            return
        iterator = iter(iterable)
        while results := list(islice(iterator, chunk_size)):
            from ormlette.db.models.query.prefetch import prefetch_related_objects

            prefetch_related_objects(results, *self._prefetch_related_lookups)
            yield from results

    def iterator(self, chunk_size=None) -> Iterator[_M]:
        """Stream results without filling the result cache."""
        if chunk_size is None:
            if self._prefetch_related_lookups:
                raise ValueError("chunk_size must be provided when using QuerySet.iterator() after "
                                 "prefetch_related().")
        elif chunk_size <= 0:
            raise ValueError("Chunk size must be strictly positive.")
        return self._iterator(True, chunk_size)

    async def aiterator(self, chunk_size=2000) -> AsyncIterator[_M]:
        """Async iteration in chunks."""
        if chunk_size <= 0:
            raise ValueError("Chunk size must be strictly positive.")
        items = await run_sync(lambda: list(self._iterator(True, chunk_size)), using=self.db)
        for item in items:
            yield item

    def _earliest(self, *fields):
        if fields:
            order_by = fields
        else:
            order_by = getattr(self.model._meta, "get_latest_by")
            if order_by and not isinstance(order_by, (tuple, list)):
                order_by = (order_by,)
        if order_by is None:
            raise ValueError("earliest() and latest() require either fields as positional arguments or "
                             "'get_latest_by' in the model's Meta.")
        obj = self._chain()
        obj.query.set_limits(high=1)
        obj.query.clear_ordering(force=True)
        obj.query.add_ordering(*order_by)
        return obj.get()

    def earliest(self, *fields) -> _M:
        """The first object by the given fields (or Meta.get_latest_by)."""
        if self.query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        return self._earliest(*fields)

    def latest(self, *fields) -> _M:
        """The last object by the given fields (or Meta.get_latest_by)."""
        if self.query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        return self.reverse()._earliest(*fields)

    def first(self) -> _M | None:
        """The first object (by pk if unordered), or None."""
        if self.ordered:
            queryset = self
        else:
            self._check_ordering_first_last_queryset_aggregation(method="first")
            queryset = self.order_by("pk")
        for obj in queryset[:1]:
            return obj
        return None

    def last(self) -> _M | None:
        """The last object (by pk if unordered), or None."""
        if self.ordered:
            queryset = self.reverse()
        else:
            self._check_ordering_first_last_queryset_aggregation(method="last")
            queryset = self.order_by("-pk")
        for obj in queryset[:1]:
            return obj
        return None

    def in_bulk(self, id_list=None, *, field_name="pk") -> dict[Any, _M]:
        """{value: object} for the given values of a unique field."""
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with in_bulk().")
        opts = self.model._meta
        unique_fields = [c.fields[0] for c in opts.total_unique_constraints if len(c.fields) == 1]
        if field_name != "pk" and not opts.get_field(field_name).unique and field_name not in unique_fields \
                and self.query.distinct_fields != (field_name,):
            raise ValueError("in_bulk()'s field_name must be a unique field but %r isn't." % field_name)
        if id_list is not None:
            if not id_list:
                return {}
            filter_key = "{}__in".format(field_name)
            batch_size = connections[self.db].ops.max_query_params()
            id_list = tuple(id_list)
            if batch_size and batch_size < len(id_list):
                qs = ()
                for offset in range(0, len(id_list), batch_size):
                    batch = id_list[offset:offset + batch_size]
                    qs += tuple(self.filter(**{filter_key: batch}))
            else:
                qs = self.filter(**{filter_key: id_list})
        else:
            qs = self._chain()
        attname = opts.pk.attname if field_name == "pk" else opts.get_field(field_name).attname
        return {getattr(obj, attname): obj for obj in qs}

    def exists(self) -> bool:
        """Whether any row matches."""
        if self._result_cache is None:
            from ormlette.db.models.sql.aggregation import has_results

            return has_results(self.query, self.db)
        return bool(self._result_cache)

    def contains(self, obj) -> bool:
        """Whether ``obj`` is in the queryset (one EXISTS query)."""
        self._not_support_combined_queries("contains")
        if self._fields is not None:
            raise TypeError("Cannot call QuerySet.contains() after .values() or .values_list().")
        try:
            if obj._meta.concrete_model != self.model._meta.concrete_model:
                return False
        except AttributeError:
            raise TypeError("'obj' must be a model instance.") from None
        if obj.pk is None:
            raise ValueError("QuerySet.contains() cannot be used on unsaved objects.")
        if self._result_cache is not None:
            return obj in self._result_cache
        return self.filter(pk=obj.pk).exists()

    def explain(self, *, format=None, **options) -> str:
        """The database's query plan as text."""
        from ormlette.db.models.sql.explain import explain

        return explain(self.query, connections[self.db], format, options)

    def raw(self, raw_query, params=(), translations=None, using=None) -> RawQuerySet:
        """A RawQuerySet mapping rows of ``raw_query`` to this model."""
        from ormlette.db.models.query.raw import RawQuerySet

        return RawQuerySet(raw_query, model=self.model, params=params, translations=translations,
                           using=using or self.db)
