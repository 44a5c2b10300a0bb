"""Aggregate functions: Count, Sum, Avg, Min, Max, StdDev, Variance (with filter, distinct, default)."""
import sqlalchemy as sa

from ormlette.core.exceptions import FieldError
from ormlette.db.models.expressions.base import Case, Func, Star, Value, When
from ormlette.db.models.fields import FloatField, IntegerField, DecimalField

__all__ = ["Aggregate", "Avg", "Count", "Max", "Min", "StdDev", "Sum", "Variance"]


class Aggregate(Func):
    """Base aggregate: ``name(DISTINCT expr) FILTER (WHERE ...)`` or a CASE emulation."""

    contains_aggregate = True
    name = None
    filter_template = "%s FILTER (WHERE %%(filter)s)"
    window_compatible = True
    allow_distinct = False
    empty_result_set_value = None

    def __init__(self, *expressions, distinct=False, filter=None, default=None, **extra):
        if distinct and not self.allow_distinct:
            raise TypeError("%s does not allow distinct." % self.__class__.__name__)
        if default is not None and self.empty_result_set_value is not None:
            raise TypeError("%s does not allow default." % self.__class__.__name__)
        self.distinct = distinct
        self.filter = filter
        self.default = default
        super().__init__(*expressions, **extra)

    def get_source_fields(self):
        return [e._output_field_or_none for e in super().get_source_expressions()]

    def get_source_expressions(self):
        source_expressions = super().get_source_expressions()
        return [*source_expressions, self.filter]

    def set_source_expressions(self, exprs):
        *exprs, self.filter = exprs
        return super().set_source_expressions(exprs)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        c = super().resolve_expression(query, allow_joins, reuse, summarize)
        if not summarize:
            expressions = super(Aggregate, c).get_source_expressions()
            for index, expr in enumerate(expressions):
                if expr.contains_aggregate:
                    before_resolved = self.get_source_expressions()[index]
                    name = before_resolved.name if hasattr(before_resolved, "name") else repr(before_resolved)
                    raise FieldError("Cannot compute %s('%s'): '%s' is an aggregate" % (c.name, name, name))
        if (default := c.default) is None:
            return c
        if hasattr(default, "resolve_expression"):
            default = default.resolve_expression(query, allow_joins, reuse, summarize)
            if default._output_field_or_none is None:
                default.output_field = c._output_field_or_none
        else:
            default = Value(default, c._output_field_or_none)
        c.default = None
        from ormlette.db.models.functions import Coalesce

        coalesce = Coalesce(c, default, output_field=c._output_field_or_none)
        coalesce.is_summary = c.is_summary
        return coalesce

    @property
    def default_alias(self):
        """``field__name`` for a single field reference."""
        expressions = [e for e in super().get_source_expressions()]
        if len(expressions) == 1 and hasattr(expressions[0], "name"):
            return "%s__%s" % (expressions[0].name, self.name.lower())
        raise TypeError("Complex expressions require an alias")

    def get_group_by_cols(self):
        return []

    def _key_extra(self):
        return (self.function, self.distinct, self.output_key())

    def as_sa(self, c):
        args = [e.as_sa(c) for e in super().get_source_expressions()]
        if self.distinct:
            args = [sa.distinct(args[0])] + args[1:]
        if self.filter is not None:
            if c.connection.features.supports_aggregate_filter_clause:
                condition = c.condition(self.filter)
                return sa.sql.functions.Function(self.function, *args).filter(condition)
            # Emulate FILTER with CASE WHEN condition THEN expr END.
            source = super().get_source_expressions()
            case = Case(When(self.filter, then=source[0]))
            case_sa = case.as_sa(c)
            inner = sa.distinct(case_sa) if self.distinct else case_sa
            return sa.sql.functions.Function(self.function, inner, *args[1:])
        return sa.sql.functions.Function(self.function, *args)

    def key(self, k):
        sources = super().get_source_expressions()
        filter_key = None
        if self.filter is not None:
            if k.connection.features.supports_aggregate_filter_clause:
                filter_key = k.condition_key(self.filter)
                return (type(self), self._key_extra(), tuple(e.key(k) for e in sources), filter_key)
            case = Case(When(self.filter, then=sources[0]))
            return (type(self), self._key_extra(), "case", case.key(k), tuple(e.key(k) for e in sources[1:]))
        return (type(self), self._key_extra(), tuple(e.key(k) for e in sources), None)

    def _get_repr_options(self):
        options = super()._get_repr_options()
        if self.distinct:
            options["distinct"] = self.distinct
        if self.filter:
            options["filter"] = self.filter
        return options


class NumericOutputMixin:
    """Decimal sources give a DecimalField, integer sources a FloatField (as Django)."""

    def _resolve_output_field(self):
        sources = self.get_source_fields()
        if any(isinstance(s, DecimalField) for s in sources):
            return DecimalField()
        if any(isinstance(s, IntegerField) for s in sources):
            return FloatField()
        return super()._resolve_output_field() if sources else FloatField()


class Avg(NumericOutputMixin, Aggregate):
    """Average."""

    function = "AVG"
    name = "Avg"
    allow_distinct = True


def _to_float(value):
    return value if value is None else float(value)


class Count(Aggregate):
    """Number of non-null values (``Count('*')`` counts rows)."""

    function = "COUNT"
    name = "Count"
    output_field = IntegerField()
    allow_distinct = True
    empty_result_set_value = 0

    def __init__(self, expression, filter=None, **extra):
        if expression == "*":
            expression = Star()
        if isinstance(expression, Star) and filter is not None:
            raise ValueError("Star cannot be used with filter. Please specify a field.")
        super().__init__(expression, filter=filter, **extra)

    def get_db_converters(self, connection):
        return [_to_int]

    def as_sa(self, c):
        sources = Func.get_source_expressions(self)
        if self.filter is not None and isinstance(sources[0], Star):
            raise ValueError("Star cannot be used with filter. Please specify a field.")
        return super().as_sa(c)


def _to_int(value):
    return 0 if value is None else int(value)


class Max(Aggregate):
    """Maximum."""

    function = "MAX"
    name = "Max"


class Min(Aggregate):
    """Minimum."""

    function = "MIN"
    name = "Min"


class StdDev(NumericOutputMixin, Aggregate):
    """Standard deviation (population unless sample=True)."""

    name = "StdDev"

    def __init__(self, expression, sample=False, **extra):
        self.function = "STDDEV_SAMP" if sample else "STDDEV_POP"
        super().__init__(expression, **extra)


class Sum(Aggregate):
    """Sum."""

    function = "SUM"
    name = "Sum"
    allow_distinct = True

    def get_db_converters(self, connection):
        converters = super().get_db_converters(connection)
        field = self._output_field_or_none
        if isinstance(field, IntegerField):
            return [_int_or_none] + converters
        return converters


def _int_or_none(value):
    return value if value is None else int(value)


class Variance(NumericOutputMixin, Aggregate):
    """Variance (population unless sample=True)."""

    name = "Variance"

    def __init__(self, expression, sample=False, **extra):
        self.function = "VAR_SAMP" if sample else "VAR_POP"
        super().__init__(expression, **extra)
