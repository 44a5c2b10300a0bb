"""QuerySet's methods that shape each result: values()/values_list()/dates()/datetimes(), annotate()/alias(),
select_related()/prefetch_related(), extra(), defer()/only()."""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import TypeVar

from ormlette.db.models.expressions.base import F
from ormlette.db.models.query.iterables import (
    FlatValuesListIterable, NamedValuesListIterable, ValuesIterable, ValuesListIterable,
)
from ormlette.db.models.query_utils import LOOKUP_SEP
from ormlette.db.models.fast.recipe_signatures import annotate_signature, values_list_signature, values_signature
from ormlette.db.models.fast.recipes import record_call, remember_call
from ormlette.utils.typing_support import GenericBase

if TYPE_CHECKING:
    from typing_extensions import Self

    from ormlette.db.models.query.queryset import QuerySet

_M = TypeVar("_M", default=Any)


class QuerySetShape(GenericBase[_M]):
    """The methods of QuerySet that change what each result holds (mixed into QuerySet)."""

    def _values(self, *fields, **expressions):
        clone = self._chain()
        if expressions:
            clone = clone.annotate(**expressions)
        clone._fields = fields
        clone.query.set_values(clone._fields)
        return clone

    def values(self, *fields, **expressions) -> QuerySet[dict[str, Any]]:
        """Dicts instead of model instances."""
        signature = values_signature(fields, expressions) if self._recipe is not None else None
        recorded = record_call(self, signature)
        if recorded is not None:
            return recorded
        fields += tuple(expressions)
        clone = self._values(*fields, **expressions)
        clone._iterable_class = ValuesIterable
        remember_call(self, clone, signature)
        return clone

    if TYPE_CHECKING:
        @overload
        def values_list(self, *fields: Any, flat: Literal[True], named: Literal[False] = ...) -> QuerySet[Any]: ...
        @overload
        def values_list(self, *fields: Any, flat: Literal[False] = ..., named: Literal[True]) -> QuerySet[Any]: ...
        @overload
        def values_list(self, *fields: Any, flat: Literal[False] = ...,
                        named: Literal[False] = ...) -> QuerySet[tuple[Any, ...]]: ...

    def values_list(self, *fields, flat=False, named=False):
        """Tuples (or single values with flat=True, namedtuples with named=True)."""
        if flat and named:
            raise TypeError("'flat' and 'named' can't be used together.")
        if flat and len(fields) > 1:
            raise TypeError("'flat' is not valid when values_list is called with more than one field.")
        signature = values_list_signature(fields, flat, named) if self._recipe is not None else None
        recorded = record_call(self, signature)
        if recorded is not None:
            return recorded
        field_names = {f for f in fields if not hasattr(f, "resolve_expression")}
        _fields = []
        expressions = {}
        counter = 1
        for field in fields:
            if hasattr(field, "resolve_expression"):
                field_id_prefix = getattr(field, "default_alias", field.__class__.__name__.lower())
                while True:
                    field_id = field_id_prefix + str(counter)
                    counter += 1
                    if field_id not in field_names:
                        break
                expressions[field_id] = field
                _fields.append(field_id)
            else:
                _fields.append(field)
        clone = self._values(*_fields, **expressions)
        clone._iterable_class = (NamedValuesListIterable if named else FlatValuesListIterable if flat
                                 else ValuesListIterable)
        remember_call(self, clone, signature)
        return clone

    def dates(self, field_name, kind, order="ASC") -> QuerySet[datetime.date]:
        """Distinct dates truncated to ``kind``."""
        if kind not in ("year", "month", "week", "day"):
            raise ValueError("'kind' must be one of 'year', 'month', 'week', or 'day'.")
        if order not in ("ASC", "DESC"):
            raise ValueError("'order' must be either 'ASC' or 'DESC'.")
        from ormlette.db.models.functions import Trunc
        from ormlette.db.models.fields import DateField

        return (self.annotate(datefield=Trunc(field_name, kind, output_field=DateField()),
                              plain_field=F(field_name))
                .values_list("datefield", flat=True).distinct()
                .filter(plain_field__isnull=False)
                .order_by(("-" if order == "DESC" else "") + "datefield"))

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None) -> QuerySet[datetime.datetime]:
        """Distinct datetimes truncated to ``kind``."""
        if kind not in ("year", "month", "week", "day", "hour", "minute", "second"):
            raise ValueError("'kind' must be one of 'year', 'month', 'week', 'day', 'hour', 'minute', or 'second'.")
        if order not in ("ASC", "DESC"):
            raise ValueError("'order' must be either 'ASC' or 'DESC'.")
        from ormlette.conf import settings
        from ormlette.db.models.fields import DateTimeField
        from ormlette.db.models.functions import Trunc
        from ormlette.utils import timezone

        if settings.USE_TZ:
            if tzinfo is None:
                tzinfo = timezone.get_current_timezone()
        else:
            tzinfo = None
        return (self.annotate(datetimefield=Trunc(field_name, kind, output_field=DateTimeField(), tzinfo=tzinfo),
                              plain_field=F(field_name))
                .values_list("datetimefield", flat=True).distinct()
                .filter(plain_field__isnull=False)
                .order_by(("-" if order == "DESC" else "") + "datetimefield"))

    def select_related(self, *fields) -> Self:
        """Follow foreign keys in the same query."""
        self._not_support_combined_queries("select_related")
        if self._fields is not None:
            raise TypeError("Cannot call select_related() after .values() or .values_list()")
        obj = self._chain()
        if fields == (None,):
            obj.query.select_related = False
        elif fields:
            obj.query.add_select_related(fields)
        else:
            obj.query.select_related = True
        return obj

    def prefetch_related(self, *lookups) -> Self:
        """Load related objects in one extra query per relation."""
        self._not_support_combined_queries("prefetch_related")
        clone = self._chain()
        if lookups == (None,):
            clone._prefetch_related_lookups = ()
        else:
            for lookup in lookups:
                lookup_name = getattr(lookup, "prefetch_to", lookup)
                lookup_name = lookup_name.split(LOOKUP_SEP, 1)[0]
                if lookup_name in self.query._filtered_relations:
                    raise ValueError("prefetch_related() is not supported with FilteredRelation.")
            clone._prefetch_related_lookups = clone._prefetch_related_lookups + lookups
        return clone

    def annotate(self, *args, **kwargs) -> Self:
        """Add a computed value to each row."""
        self._not_support_combined_queries("annotate")
        return self._annotate(args, kwargs, select=True)

    def alias(self, *args, **kwargs) -> Self:
        """Define a reusable expression without selecting it."""
        self._not_support_combined_queries("alias")
        return self._annotate(args, kwargs, select=False)

    def _annotate(self, args, kwargs, select=True):
        signature = annotate_signature(args, kwargs, select) if self._recipe is not None else None
        recorded = record_call(self, signature)
        if recorded is not None:
            return recorded
        clone = self._annotate_normally(args, kwargs, select)
        remember_call(self, clone, signature)
        return clone

    def _annotate_normally(self, args, kwargs, select):
        self._validate_values_are_expressions(args + tuple(kwargs.values()), method_name="annotate")
        annotations = {}
        for arg in args:
            try:
                if arg.default_alias in kwargs:
                    raise ValueError("The named annotation '%s' conflicts with the default name for another "
                                     "annotation." % arg.default_alias)
            except (AttributeError, TypeError):
                raise TypeError("Complex annotations require an alias") from None
            annotations[arg.default_alias] = arg
        annotations.update(kwargs)
        clone = self._chain()
        names = self._fields
        if names is None:
            names = set()
            for field in self.model._meta.get_fields():
                names.add(field.name)
                if hasattr(field, "attname"):
                    names.add(field.attname)
        for alias, annotation in annotations.items():
            if alias in names:
                raise ValueError("The annotation '%s' conflicts with a field on the model." % alias)
            if isinstance(annotation, _FilteredRelationType()):
                clone.query.add_filtered_relation(annotation, alias)
            else:
                clone.query.add_annotation(annotation, alias, select=select)
        for alias, annotation in clone.query.annotations.items():
            if alias in annotations and annotation.contains_aggregate:
                if clone._fields is None:
                    clone.query.group_by = True
                else:
                    clone.query.set_group_by()
                break
        return clone

    def extra(self, select=None, where=None, params=None, tables=None, order_by=None, select_params=None) -> Self:
        """Legacy raw SQL fragments (select, where, tables, order_by)."""
        self._not_support_combined_queries("extra")
        if self.query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        clone = self._chain()
        from ormlette.db.models.sql.extra import add_extra

        add_extra(clone.query, select, select_params, where, params, tables, order_by)
        return clone

    def defer(self, *fields) -> Self:
        """Do not load these fields until accessed."""
        self._not_support_combined_queries("defer")
        if self._fields is not None:
            raise TypeError("Cannot call defer() after .values() or .values_list()")
        clone = self._chain()
        if fields == (None,):
            clone.query.clear_deferred_loading()
        else:
            clone.query.add_deferred_loading(fields)
        return clone

    def only(self, *fields) -> Self:
        """Load only these fields (and the pk)."""
        self._not_support_combined_queries("only")
        if self._fields is not None:
            raise TypeError("Cannot call only() after .values() or .values_list()")
        if fields == (None,):
            raise TypeError("Cannot pass None as an argument to only().")
        for field in fields:
            field = field.split(LOOKUP_SEP, 1)[0]
            if field in self.query._filtered_relations:
                raise ValueError("only() is not supported with FilteredRelation.")
        clone = self._chain()
        clone.query.add_immediate_loading(fields)
        return clone


def _FilteredRelationType():
    from ormlette.db.models.query_utils import FilteredRelation

    return FilteredRelation
