"""Lookups (``field__lookup=value``) and transforms, with Django's semantics.

Here: Lookup, Transform, exact and the comparisons, isnull. The other families live beside and are
importable from here, as in Django's ``lookups``: integer-column comparisons (``lookups_integer``),
``in``/``range`` (``lookups_in``), pattern and regex matches (``lookups_text``), ``__year`` (``lookups_year``).
"""
import sqlalchemy as sa

from ormlette.core.exceptions import EmptyResultSet, FullResultSet
from ormlette.db.models.expressions.base import Expression, Func, Value
from ormlette.db.models.fields import BooleanField, CharField, DateTimeField, Field, FloatField, IntegerField
from ormlette.db.models.query_utils import RegisterLookupMixin
from ormlette.utils.functional import cached_property

IN_LIST_BUCKETS = (1, 2, 3, 4, 5, 6, 7, 8)
_Query = None  # sql.query imports this module: imported on first use


def db_prep_of_prepared(field):
    """``field.get_db_prep_value`` for prepared values, or None where it returns them unchanged."""
    if field is None or not hasattr(field, "get_db_prep_value"):
        return None
    target = field
    while getattr(type(target).get_db_prep_value, "delegates_to_target", False):
        target = target.target_field  # a foreign key prepares values as the field it points at
    if type(target).get_db_prep_value is Field.get_db_prep_value:
        return None  # the base implementation only prepares unprepared values
    return target.get_db_prep_value


def _is_query(value):
    global _Query
    if _Query is None:
        from ormlette.db.models.sql.query import Query as _Query
    return isinstance(value, _Query)


def in_list_bucket(size):
    """Pad IN lists to a few sizes so the SQL cache holds a bounded number of shapes."""
    if size <= IN_LIST_BUCKETS[-1]:
        return size
    return 1 << (size - 1).bit_length()


class Lookup(Expression):
    """A boolean comparison ``lhs <op> rhs``."""

    lookup_name = None
    prepare_rhs = True
    can_use_none_as_rhs = False

    def __init__(self, lhs, rhs):
        self.lhs, self.rhs = lhs, rhs
        self.rhs = self.get_prep_lookup()
        self.lhs = self.get_prep_lhs()
        bilateral = self.lhs.get_bilateral_transforms() if hasattr(self.lhs, "get_bilateral_transforms") else []
        if bilateral:
            from ormlette.db.models.sql.query import Query

            if not isinstance(rhs, Query) and not hasattr(self.rhs, "resolve_expression"):
                self.rhs = _apply_bilateral(bilateral, self.rhs)
        self.bilateral_transforms = bilateral

    def __repr__(self):
        return "%s(%r, %r)" % (self.__class__.__qualname__, self.lhs, self.rhs)

    def __eq__(self, other):
        if not isinstance(other, Lookup):
            return NotImplemented
        return self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    @property
    def identity(self):
        from ormlette.utils.hashable import make_hashable

        rhs = self.rhs.identity if hasattr(self.rhs, "identity") else make_hashable(self.rhs)
        return (self.__class__, self.lhs.identity if hasattr(self.lhs, "identity") else self.lhs, rhs)

    @cached_property
    def output_field(self):
        return BooleanField()

    def get_source_expressions(self):
        if self.rhs_is_direct_value():
            return [self.lhs]
        return [self.lhs, self.rhs]

    def set_source_expressions(self, new_exprs):
        if len(new_exprs) == 1:
            self.lhs = new_exprs[0]
        else:
            self.lhs, self.rhs = new_exprs

    def get_prep_lookup(self):
        """Convert the right-hand side with the field's get_prep_value."""
        if not self.prepare_rhs or hasattr(self.rhs, "resolve_expression"):
            return self.rhs
        if hasattr(self.lhs, "output_field") and hasattr(self.lhs.output_field, "get_prep_value"):
            return self.lhs.output_field.get_prep_value(self.rhs)
        if self.rhs_is_direct_value():
            return Value(self.rhs)
        return self.rhs

    def get_prep_lhs(self):
        """Wrap a plain lhs in Value."""
        if hasattr(self.lhs, "resolve_expression"):
            return self.lhs
        return Value(self.lhs)

    def rhs_is_direct_value(self):
        """Whether the rhs is a plain value (not an expression or query)."""
        return not hasattr(self.rhs, "as_sa") and not hasattr(self.rhs, "resolve_expression")

    def db_rhs(self, connection):
        """The driver-ready right-hand side value."""
        field = getattr(self.lhs, "output_field", None)
        value = self.rhs
        if self.prepare_rhs and field is not None and hasattr(field, "get_db_prep_value") and \
                getattr(self, "uses_db_prep", True):
            return field.get_db_prep_value(value, connection, prepared=True)
        return value

    def relabeled_clone(self, relabels):
        new = self.copy()
        new.lhs = new.lhs.relabeled_clone(relabels)
        if hasattr(new.rhs, "relabeled_clone"):
            new.rhs = new.rhs.relabeled_clone(relabels)
        return new

    def get_group_by_cols(self):
        cols = []
        for source in self.get_source_expressions():
            cols.extend(source.get_group_by_cols())
        return cols

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        c = self.copy()
        c.is_summary = summarize
        c.lhs = self.lhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        if hasattr(self.rhs, "resolve_expression"):
            c.rhs = self.rhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return c

    @property
    def is_summary(self):
        return getattr(self.lhs, "is_summary", False)

    @is_summary.setter
    def is_summary(self, value):
        pass

    # -- the two walks --------------------------------------------------------------------------
    def key(self, k):
        return (type(self), self.lhs.key(k), self.rhs_key(k))

    def rhs_key(self, k):
        """Shape of the right-hand side; registers its values."""
        if self.rhs_is_direct_value():
            k.param(self.db_rhs(k.connection))
            return "?"
        return k.expression_key(self.rhs)

    def rhs_sa(self, c):
        """SQLAlchemy for the right-hand side."""
        if self.rhs_is_direct_value():
            return c.param(self.db_rhs(c.connection))
        return c.expression(self.rhs)

    def as_sa(self, c):
        return self.compare(self.lhs_sa(c), self.rhs_sa(c), c)

    def lhs_sa(self, c):
        """The left side; computed decimals are compared as numbers where the backend needs a cast."""
        lhs = self.lhs.as_sa(c)
        field = getattr(self.lhs, "_output_field_or_none", None)
        if field is not None and field.get_internal_type() == "DecimalField" and \
                getattr(self.lhs, "contains_column_references", True) and not hasattr(self.lhs, "target"):
            lhs = c.connection.ops.decimal_expression_sa(lhs)
        return lhs

    def compare(self, lhs, rhs, c):
        """Combine compiled operands."""
        raise NotImplementedError


def _apply_bilateral(transforms, value):
    value = Value(value)
    for transform in transforms:
        value = transform(value)
    return value


class Transform(RegisterLookupMixin, Func):
    """A one-argument function usable in a lookup chain (``name__lower``)."""

    bilateral = False
    arity = 1

    @property
    def lhs(self):
        return self.get_source_expressions()[0]

    def get_bilateral_transforms(self):
        if hasattr(self.lhs, "get_bilateral_transforms"):
            bilateral_transforms = self.lhs.get_bilateral_transforms()
        else:
            bilateral_transforms = []
        if self.bilateral:
            bilateral_transforms.append(self.__class__)
        return bilateral_transforms


def check_subquery_width(query, lookup_description):
    """A subquery compared with one column must select exactly one column."""
    width = len(query.select) + len(query.annotation_select) + len(query.extra_select)
    if width != 1:
        raise ValueError("The QuerySet value for %s must have 1 selected fields (received %d)"
                         % (lookup_description, width))


class BuiltinLookup(Lookup):
    """A lookup rendered by an operator."""


class FieldGetDbPrepValueMixin:
    """Marks lookups whose right-hand side goes through the field's get_db_prep_value (Django's name)."""


class Exact(FieldGetDbPrepValueMixin, BuiltinLookup):
    """``= value``."""

    lookup_name = "exact"

    def get_prep_lookup(self):
        if _is_query(self.rhs):
            if self.rhs.has_limit_one():
                if not self.rhs.has_select_fields:
                    self.rhs.clear_select_clause()
                    self.rhs.add_fields(["pk"])
            else:
                raise ValueError("The QuerySet value for an exact lookup must be limited to one result using slicing.")
            check_subquery_width(self.rhs, "the exact lookup")
        return super().get_prep_lookup()

    def key(self, k):
        # ``compare`` renders a boolean rhs as ``col`` / ``NOT col``: the value is part of the SQL text.
        if isinstance(self.rhs, bool) and getattr(self.lhs, "conditional", False):
            return super().key(k) + (self.rhs,)
        return super().key(k)

    def compare(self, lhs, rhs, c):
        if isinstance(self.rhs, bool) and getattr(self.lhs, "conditional", False) and \
                c.connection.features.supports_boolean_expr_in_select_clause and not isinstance(lhs, sa.Column):
            return lhs if self.rhs else sa.not_(lhs)
        return lhs == rhs


class IExact(BuiltinLookup):
    """Case-insensitive equality."""

    lookup_name = "iexact"
    prepare_rhs = False

    def db_rhs(self, connection):
        value = self.rhs
        if isinstance(value, str) or value is not None:
            value = connection.ops.pattern_escape(str(value))
        return value

    def compare(self, lhs, rhs, c):
        if not self.rhs_is_direct_value():
            rhs = c.connection.ops.escape_pattern_sa(rhs)
        return c.connection.ops.lookup_sql("iexact", lhs, rhs)


class GreaterThan(FieldGetDbPrepValueMixin, BuiltinLookup):
    """``> value``."""

    lookup_name = "gt"

    def compare(self, lhs, rhs, c):
        return lhs > rhs


class GreaterThanOrEqual(FieldGetDbPrepValueMixin, BuiltinLookup):
    """``>= value``."""

    lookup_name = "gte"

    def compare(self, lhs, rhs, c):
        return lhs >= rhs


class LessThan(FieldGetDbPrepValueMixin, BuiltinLookup):
    """``< value``."""

    lookup_name = "lt"

    def compare(self, lhs, rhs, c):
        return lhs < rhs


class LessThanOrEqual(FieldGetDbPrepValueMixin, BuiltinLookup):
    """``<= value``."""

    lookup_name = "lte"

    def compare(self, lhs, rhs, c):
        return lhs <= rhs


class IsNull(BuiltinLookup):
    """``IS NULL`` / ``IS NOT NULL``."""

    lookup_name = "isnull"
    prepare_rhs = False

    def __init__(self, lhs, rhs):
        if not isinstance(rhs, bool):
            raise ValueError("The QuerySet value for an isnull lookup must be True or False.")
        super().__init__(lhs, rhs)

    def rhs_key(self, k):
        return bool(self.rhs)

    def as_sa(self, c):
        lhs = self.lhs.as_sa(c)
        if isinstance(self.lhs, Value) and self.lhs.value is None:
            if self.rhs:
                raise FullResultSet
            raise EmptyResultSet
        return lhs.is_(None) if self.rhs else lhs.is_not(None)


# The lookup families (each imports the bases above from this module); all importable from here.
from ormlette.db.models.lookups.in_range import ARRAY_ELEMENT_TYPES, ArrayParameter, In, Range  # noqa: E402
from ormlette.db.models.lookups.integer import (  # noqa: E402
    IntegerExact, IntegerFieldFloatRounding, IntegerFieldOverflow, IntegerGreaterThan, IntegerGreaterThanOrEqual,
    IntegerLessThan, IntegerLessThanOrEqual,
)
from ormlette.db.models.lookups.text import (  # noqa: E402
    Contains, EndsWith, IContains, IEndsWith, IRegex, IStartsWith, PatternLookup, Regex, StartsWith,
)
from ormlette.db.models.lookups.year import YearExact, YearGt, YearGte, YearLookup, YearLt, YearLte  # noqa: E402

for lookup_class in (Exact, IExact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual, In, Contains,
                     IContains, StartsWith, IStartsWith, EndsWith, IEndsWith, Range, IsNull, Regex, IRegex):
    Field.register_lookup(lookup_class)

for lookup_class in (IntegerExact, IntegerGreaterThan, IntegerGreaterThanOrEqual, IntegerLessThan,
                     IntegerLessThanOrEqual):
    IntegerField.register_lookup(lookup_class)

# Importable from here, though neither registered above nor in __all__.
_NOT_REGISTERED = (ARRAY_ELEMENT_TYPES, ArrayParameter, IntegerFieldFloatRounding, IntegerFieldOverflow, PatternLookup,
                   YearLookup)

__all__ = [
    "Lookup", "Transform", "BuiltinLookup", "Exact", "IExact", "GreaterThan", "GreaterThanOrEqual", "LessThan",
    "LessThanOrEqual", "In", "Contains", "IContains", "StartsWith", "IStartsWith", "EndsWith", "IEndsWith",
    "Range", "IsNull", "Regex", "IRegex", "YearExact", "YearGt", "YearGte", "YearLt", "YearLte",
    "CharField", "DateTimeField", "FloatField",
]
