"""Comparison lookups on integer columns: out-of-range values match nothing or everything, floats round."""
import math

from ormlette.core.exceptions import EmptyResultSet, FullResultSet
from ormlette.db.models.lookups.base import Exact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual


class IntegerFieldOverflow:
    """Values outside the column's range match nothing (or everything), without a query error."""

    underflow_exception = EmptyResultSet
    overflow_exception = EmptyResultSet

    def _check_range(self, field, value):
        if not isinstance(value, int) or isinstance(value, bool):
            return
        low, high = getattr(field, "integer_range", (None, None))
        if low is None:
            return
        if value > high:
            raise self.overflow_exception
        if value < low:
            raise self.underflow_exception

    def rhs_key(self, k):
        if self.rhs_is_direct_value():
            self._check_range(self.lhs.output_field, self.rhs)
        return super().rhs_key(k)

    def rhs_sa(self, c):
        if self.rhs_is_direct_value():
            self._check_range(self.lhs.output_field, self.rhs)
        return super().rhs_sa(c)


class IntegerFieldFloatRounding:
    """Round a float rhs up for gte / lt on integer columns (as Django)."""

    def get_prep_lookup(self):
        if isinstance(self.rhs, float):
            self.rhs = math.ceil(self.rhs)
        return super().get_prep_lookup()


class IntegerExact(IntegerFieldOverflow, Exact):
    """Exact on an integer column."""


class IntegerGreaterThan(IntegerFieldOverflow, GreaterThan):
    """gt on an integer column."""

    underflow_exception = FullResultSet


class IntegerGreaterThanOrEqual(IntegerFieldOverflow, IntegerFieldFloatRounding, GreaterThanOrEqual):
    """gte on an integer column."""

    underflow_exception = FullResultSet


class IntegerLessThan(IntegerFieldOverflow, IntegerFieldFloatRounding, LessThan):
    """lt on an integer column."""

    overflow_exception = FullResultSet


class IntegerLessThanOrEqual(IntegerFieldOverflow, LessThanOrEqual):
    """lte on an integer column."""

    overflow_exception = FullResultSet
