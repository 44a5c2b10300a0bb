"""Expressions built from other expressions: ``lhs <op> rhs`` (CombinedExpression, with Django's output-type
table), ExpressionList, ExpressionWrapper and NegatedExpression."""
import sqlalchemy as sa

from ormlette.core.exceptions import FieldError
from ormlette.db.models import fields
from ormlette.db.models.expressions.base import Expression


_NUMERIC = (fields.IntegerField, fields.FloatField, fields.DecimalField)


def _combined_output(lhs, connector, rhs):
    """Output field class for ``lhs connector rhs`` following Django's combination table."""
    lt, rt = type(lhs) if lhs is not None else None, type(rhs) if rhs is not None else None
    if lt is None:
        return rhs
    if rt is None:
        return lhs
    if connector in ("+", "-", "*", "/", "%%", "^"):
        if isinstance(lhs, fields.IntegerField) and isinstance(rhs, fields.IntegerField):
            return fields.IntegerField() if lt is not rt else lhs
        for a, b in ((lhs, rhs), (rhs, lhs)):
            if isinstance(a, fields.IntegerField) and isinstance(b, (fields.FloatField, fields.DecimalField)):
                return b
        if lt is rt and isinstance(lhs, _NUMERIC):
            return lhs
    if connector in ("&", "|", "<<", ">>", "#") and isinstance(lhs, fields.IntegerField) and \
            isinstance(rhs, fields.IntegerField):
        return lhs
    if connector == "+":
        for a, b in ((lhs, rhs), (rhs, lhs)):
            if isinstance(a, (fields.DateField, fields.TimeField)) and isinstance(b, fields.DurationField):
                return fields.DateTimeField() if type(a) is fields.DateField else a
        if isinstance(lhs, fields.DurationField) and isinstance(rhs, fields.DurationField):
            return lhs
    if connector == "-":
        if isinstance(lhs, (fields.DateField, fields.TimeField)) and isinstance(rhs, fields.DurationField):
            return fields.DateTimeField() if type(lhs) is fields.DateField else lhs
        if lt is rt and isinstance(lhs, (fields.DateField, fields.TimeField, fields.DurationField)):
            return fields.DurationField()
    raise FieldError("Cannot infer type of %r expression involving these types: %s, %s. You must set "
                     "output_field." % (connector, lt.__name__, rt.__name__))


class CombinedExpression(Expression):
    """``lhs <connector> rhs``."""

    def __init__(self, lhs, connector, rhs, output_field=None):
        super().__init__(output_field=output_field)
        self.connector = connector
        self.lhs = lhs
        self.rhs = rhs

    def deconstruct(self):
        """(path, args, kwargs) for migration files, as Django writes them."""
        return "ormlette.db.models.expressions.CombinedExpression", (self.lhs, self.connector, self.rhs), {}

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)

    def __str__(self):
        return "%s %s %s" % (self.lhs, self.connector, self.rhs)

    def get_source_expressions(self):
        return [self.lhs, self.rhs]

    def set_source_expressions(self, exprs):
        self.lhs, self.rhs = exprs

    def _resolve_output_field(self):
        return _combined_output(self.lhs._output_field_or_none, self.connector, self.rhs._output_field_or_none)

    def _key_extra(self):
        return self.connector

    def as_sa(self, c):
        lhs_type, rhs_type = _internal_type(self.lhs), _internal_type(self.rhs)
        ops = c.connection.ops
        lhs, rhs = self.lhs.as_sa(c), self.rhs.as_sa(c)
        if "DurationField" in (lhs_type, rhs_type) and lhs_type != rhs_type and \
                not c.connection.features.has_native_duration_field:
            if lhs_type == "DurationField":
                lhs = ops.format_for_duration_arithmetic(lhs)
            if rhs_type == "DurationField":
                rhs = ops.format_for_duration_arithmetic(rhs)
            return ops.combine_duration_expression(self.connector, lhs, rhs)
        if self.connector == "-" and lhs_type in _TEMPORAL_TYPES and lhs_type == rhs_type:
            return ops.subtract_temporals(lhs_type, lhs, rhs)
        return ops.combine_expression(self.connector, lhs, rhs, self)


_TEMPORAL_TYPES = frozenset({"DateField", "DateTimeField", "TimeField"})


def _internal_type(expr):
    try:
        field = expr.output_field
    except (AttributeError, FieldError):
        return None
    return field.get_internal_type() if field is not None else None


class ExpressionList(Expression):
    """A comma-separated list of expressions."""

    def __init__(self, *expressions, **extra):
        if not expressions:
            raise ValueError("%s requires at least one expression." % self.__class__.__name__)
        super().__init__(**extra)
        self.source_expressions = list(expressions)

    def get_source_expressions(self):
        return self.source_expressions

    def set_source_expressions(self, exprs):
        self.source_expressions = exprs

    def as_sa(self, c):
        return [e.as_sa(c) for e in self.source_expressions]

    def get_group_by_cols(self):
        cols = []
        for source in self.source_expressions:
            cols.extend(source.get_group_by_cols())
        return cols


class ExpressionWrapper(Expression):
    """Give an expression an explicit output field."""

    def __init__(self, expression, output_field):
        super().__init__(output_field=output_field)
        self.expression = expression

    def get_source_expressions(self):
        return [self.expression]

    def set_source_expressions(self, exprs):
        self.expression = exprs[0]

    def get_group_by_cols(self):
        if isinstance(self.expression, Expression):
            expression = self.expression.copy()
            expression.output_field = self.output_field
            return expression.get_group_by_cols()
        return super().get_group_by_cols()

    def key(self, k):
        return (ExpressionWrapper, self.output_key(), self.expression.key(k))

    def as_sa(self, c):
        return self.expression.as_sa(c)

    def __repr__(self):
        return "{}({})".format(self.__class__.__name__, self.expression)


class NegatedExpression(ExpressionWrapper):
    """``~expression`` for boolean expressions."""

    def __init__(self, expression):
        super().__init__(expression, output_field=fields.BooleanField())

    def __invert__(self):
        return self.expression.copy()

    def key(self, k):
        return (NegatedExpression, self.expression.key(k))

    def as_sa(self, c):
        return sa.not_(c.condition(self.expression))
