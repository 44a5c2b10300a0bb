"""Lookups on a set of values: ``in`` (value lists, array parameters, subqueries) and ``range``."""
import datetime
import decimal
import uuid

import sqlalchemy as sa

from ormlette.core.exceptions import EmptyResultSet
from ormlette.db.models.lookups.base import (
    IN_LIST_BUCKETS, BuiltinLookup, FieldGetDbPrepValueMixin, check_subquery_width, db_prep_of_prepared,
    in_list_bucket,
)


# Types the driver sends as a typed array whose elements compare with the column as the IN list's would.
ARRAY_ELEMENT_TYPES = frozenset({int, str, decimal.Decimal, uuid.UUID, datetime.date, datetime.datetime})


def _binds_as_array(values, connection):
    """Whether an IN list of these driver values binds as one array parameter on this connection."""
    if len(values) <= IN_LIST_BUCKETS[-1] or not connection.features.supports_in_list_array:
        return False
    first_type = type(values[0])
    return first_type in ARRAY_ELEMENT_TYPES and all(type(value) is first_type for value in values)


class ArrayParameter:
    """The rhs of ``col = ANY(%s)``: one bound list."""

    __slots__ = ("parameter",)

    def __init__(self, parameter):
        self.parameter = parameter


# Lists at least this long are checked for the shortcut below (a shorter one costs less than the check).
_UNCHANGED_CHECK_MIN = 16
# Values that are neither None, expressions nor lazy strings, whatever the field.
_PLAIN_TYPES = frozenset({int, str, float})


def _prep_unchanged_types(field):
    """``fields.unchanged.prep_unchanged_types`` (bound late: the fields package imports the lookups)."""
    from ormlette.db.models.fast.unchanged import ANY_VALUE, prep_unchanged_types

    types = prep_unchanged_types(field)
    return _PLAIN_TYPES if types is ANY_VALUE else types


def _unchanged_values(field, values):
    """The IN list's values, deduplicated in order, when preparing each would return it unchanged; else None.

    A long list of ints for an integer key (prefetch's thousands of ids) then skips a
    ``get_prep_value`` call and a membership test per value.
    """
    if type(values) not in (list, tuple) or len(values) < _UNCHANGED_CHECK_MIN:
        return None
    types = _PLAIN_TYPES if field is None else _prep_unchanged_types(field)
    first = type(values[0])
    if first not in types or first not in _PLAIN_TYPES or not all(type(value) is first for value in values):
        return None
    return list(dict.fromkeys(values))


class In(FieldGetDbPrepValueMixin, BuiltinLookup):
    """``IN (values)`` or ``IN (subquery)``."""

    lookup_name = "in"

    def get_prep_lookup(self):
        from ormlette.db.models.sql.query import Query

        if isinstance(self.rhs, Query):
            self.rhs.clear_ordering(clear_default=True)
            if not self.rhs.has_select_fields:
                self.rhs.clear_select_clause()
                self.rhs.add_fields(["pk"])
            check_subquery_width(self.rhs, "the 'in' lookup")
            return self.rhs
        if self.rhs_is_direct_value():
            try:
                iter(self.rhs)
            except TypeError:
                raise TypeError("'%s' object is not iterable" % type(self.rhs).__name__) from None
            if isinstance(self.rhs, str):
                pass
            field = getattr(self.lhs, "output_field", None)
            prep = field.get_prep_value if self.prepare_rhs and hasattr(field, "get_prep_value") else None
            plain = _unchanged_values(field if prep is not None else None, self.rhs)
            if plain is not None:
                return plain
            prepared = []
            seen = set()
            for value in self.rhs:
                if value is None:
                    continue
                if hasattr(value, "resolve_expression"):
                    prepared.append(value)
                    continue
                if prep is not None:
                    value = prep(value)
                try:
                    if value in seen:
                        continue
                    seen.add(value)
                except TypeError:
                    pass
                prepared.append(value)
            return prepared
        return super().get_prep_lookup()

    def _db_values(self, connection):
        db_prep = db_prep_of_prepared(getattr(self.lhs, "output_field", None))
        if db_prep is None:
            return list(self.rhs)
        return [value if hasattr(value, "resolve_expression") else db_prep(value, connection, prepared=True)
                for value in self.rhs]

    def rhs_key(self, k):
        if not self.rhs_is_direct_value():
            return super().rhs_key(k)
        if not self.rhs:
            raise EmptyResultSet
        if any(hasattr(v, "resolve_expression") for v in self.rhs):
            return ("exprs", tuple(k.expression_key(v) if hasattr(v, "resolve_expression") else k.param(v) or "?"
                                   for v in self._db_values(k.connection)))
        values = self._db_values(k.connection)
        if _binds_as_array(values, k.connection):
            k.param(values)
            return ("in-array",)
        size = in_list_bucket(len(values))
        for value in values:
            k.param(value)
        for _ in range(size - len(values)):
            k.param(values[-1])
        return ("in", size)

    def rhs_sa(self, c):
        if not self.rhs_is_direct_value():
            return super().rhs_sa(c)
        if not self.rhs:
            raise EmptyResultSet
        values = self._db_values(c.connection)
        if any(hasattr(v, "resolve_expression") for v in self.rhs):
            return [c.expression(v) if hasattr(v, "resolve_expression") else c.param(v) for v in values]
        if _binds_as_array(values, c.connection):
            return ArrayParameter(c.param(values))
        size = in_list_bucket(len(values))
        params = [c.param(v) for v in values]
        params.extend(c.param(values[-1]) for _ in range(size - len(values)))
        return params

    def compare(self, lhs, rhs, c):
        if isinstance(rhs, ArrayParameter):
            return lhs == sa.any_(rhs.parameter)
        if isinstance(rhs, list):
            return lhs.in_(rhs) if len(rhs) != 1 else lhs.in_(rhs)
        if isinstance(rhs, sa.sql.expression.ColumnElement) and not isinstance(rhs, sa.sql.expression.BindParameter):
            # A parenthesized SQL expression such as RawSQL: ``lhs IN (raw)``.
            return lhs.op("IN")(rhs)
        return lhs.in_(rhs)


class Range(FieldGetDbPrepValueMixin, BuiltinLookup):
    """``BETWEEN a AND b``."""

    lookup_name = "range"

    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression"):
            return self.rhs
        values = list(self.rhs)
        if len(values) != 2:
            raise ValueError("The range lookup requires exactly two values, got %d." % len(values))
        field = getattr(self.lhs, "output_field", None)
        if field is not None and hasattr(field, "get_prep_value"):
            return tuple(v if hasattr(v, "resolve_expression") else field.get_prep_value(v) for v in values)
        return tuple(values)

    def _operands(self, connection):
        field = getattr(self.lhs, "output_field", None)
        return [v if hasattr(v, "resolve_expression") or field is None
                else field.get_db_prep_value(v, connection, prepared=True) for v in self.rhs]

    def rhs_key(self, k):
        parts = []
        for v in self._operands(k.connection):
            if hasattr(v, "resolve_expression"):
                parts.append(k.expression_key(v))
            else:
                k.param(v)
                parts.append("?")
        return ("range", tuple(parts))

    def rhs_sa(self, c):
        return [c.expression(v) if hasattr(v, "resolve_expression") else c.param(v)
                for v in self._operands(c.connection)]

    def compare(self, lhs, rhs, c):
        return lhs.between(rhs[0], rhs[1])
