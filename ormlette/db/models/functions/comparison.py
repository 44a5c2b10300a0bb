"""Comparison and conversion functions."""
import sqlalchemy as sa

from ormlette.db.models.expressions import Func, Value
from ormlette.db.models.fields import Field


class Coalesce(Func):
    """The first non-null argument."""

    function = "COALESCE"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Coalesce must take at least two expressions")
        super().__init__(*expressions, **extra)

    @property
    def empty_result_set_value(self):
        for expression in self.get_source_expressions():
            result = expression.empty_result_set_value
            if result is NotImplemented or result is not None:
                return result
        return None


class Cast(Func):
    """CAST(expression AS type)."""

    function = "CAST"

    def __init__(self, expression, output_field):
        super().__init__(expression, output_field=output_field)

    def _key_extra(self):
        return (self.output_key(), type(self.output_field).__name__, getattr(self.output_field, "max_length", None))

    def as_sa(self, c):
        return c.connection.ops.cast_sa(self.source_expressions[0].as_sa(c), self.output_field)


class Greatest(Func):
    """The largest argument."""

    function = "GREATEST"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Greatest must take at least two expressions")
        super().__init__(*expressions, **extra)

    def as_sqlite_sa(self, c):
        return self.as_generic_sa(c, function="MAX")


class Least(Func):
    """The smallest argument."""

    function = "LEAST"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Least must take at least two expressions")
        super().__init__(*expressions, **extra)

    def as_sqlite_sa(self, c):
        return self.as_generic_sa(c, function="MIN")


class NullIf(Func):
    """NULL when both arguments are equal."""

    function = "NULLIF"
    arity = 2


_ = (sa, Value, Field)
