"""Query expressions: the bases (BaseExpression, Expression, Combinable's operators) and F references.

Beside, all importable from here as in Django's ``expressions``: Value, RawSQL, Col, Ref, Star and
DatabaseDefault (``expressions_leaves``); CombinedExpression, ExpressionList, ExpressionWrapper and
NegatedExpression (``expressions_compound``); Func/OrderBy (``func``), Case/When (``conditions``),
Subquery/Exists (``subquery``) and Window (``windows``).

Every resolved expression implements two walks that must visit parameters in the same order:
``key(k)`` returns the structural shape (hashable, no literal values; values go to ``k.param``)
and ``as_sa(c)`` builds the SQLAlchemy construct (values bound through ``c.param``). The SQL
cache is keyed by the first walk; the second runs only on a cache miss and is checked against it.
"""
import copy
import decimal

from ormlette.core.exceptions import FieldError
from ormlette.db.errors import NotSupportedError
from ormlette.db.models import fields
from ormlette.db.models.query_utils import Q
from ormlette.utils.functional import cached_property


class _NestedSave:
    """``for_save`` as sub-expressions of a written value receive it: true, but not the whole value."""

    def __bool__(self):
        return True

    def __repr__(self):
        return "NESTED_SAVE"


NESTED_SAVE = _NestedSave()


def nested_save(for_save):
    """What ``resolve_expression`` passes on as ``for_save`` to the sources of an expression."""
    return NESTED_SAVE if for_save else False


class Combinable:
    """Arithmetic and bitwise operators that build CombinedExpressions."""

    ADD, SUB, MUL, DIV, POW, MOD = "+", "-", "*", "/", "^", "%%"
    BITAND, BITOR, BITLEFTSHIFT, BITRIGHTSHIFT, BITXOR = "&", "|", "<<", ">>", "#"

    def _combine(self, other, connector, reversed_):
        if not hasattr(other, "resolve_expression"):
            other = Value(other)
        if reversed_:
            return CombinedExpression(other, connector, self)
        return CombinedExpression(self, connector, other)

    def __neg__(self):
        return self._combine(-1, self.MUL, False)

    def __add__(self, other):
        return self._combine(other, self.ADD, False)

    def __sub__(self, other):
        return self._combine(other, self.SUB, False)

    def __mul__(self, other):
        return self._combine(other, self.MUL, False)

    def __truediv__(self, other):
        return self._combine(other, self.DIV, False)

    def __mod__(self, other):
        return self._combine(other, self.MOD, False)

    def __pow__(self, other):
        return self._combine(other, self.POW, False)

    def __and__(self, other):
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) & Q(other)
        raise NotImplementedError("Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations.")

    def __or__(self, other):
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) | Q(other)
        raise NotImplementedError("Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations.")

    def __xor__(self, other):
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) ^ Q(other)
        raise NotImplementedError("Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations.")

    def bitand(self, other):
        """Bitwise AND."""
        return self._combine(other, self.BITAND, False)

    def bitor(self, other):
        """Bitwise OR."""
        return self._combine(other, self.BITOR, False)

    def bitxor(self, other):
        """Bitwise XOR."""
        return self._combine(other, self.BITXOR, False)

    def bitleftshift(self, other):
        """Bitwise left shift."""
        return self._combine(other, self.BITLEFTSHIFT, False)

    def bitrightshift(self, other):
        """Bitwise right shift."""
        return self._combine(other, self.BITRIGHTSHIFT, False)

    def __radd__(self, other):
        return self._combine(other, self.ADD, True)

    def __rsub__(self, other):
        return self._combine(other, self.SUB, True)

    def __rmul__(self, other):
        return self._combine(other, self.MUL, True)

    def __rtruediv__(self, other):
        return self._combine(other, self.DIV, True)

    def __rmod__(self, other):
        return self._combine(other, self.MOD, True)

    def __rpow__(self, other):
        return self._combine(other, self.POW, True)

    def __rand__(self, other):
        raise NotImplementedError("Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations.")

    def __ror__(self, other):
        raise NotImplementedError("Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations.")


class BaseExpression:
    """Base of every expression: sources, output field, resolution, the two compile walks."""

    empty_result_set_value = NotImplemented
    is_summary = False
    filterable = True
    window_compatible = False
    allowed_default = False
    contains_aggregate = False
    contains_over_clause = False
    contains_column_references = False
    constraint_validation_compatible = True

    def __init__(self, output_field=None):
        if output_field is not None:
            self.output_field = output_field

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("convert_value", None)
        return state

    def get_source_expressions(self):
        """Child expressions."""
        return []

    def set_source_expressions(self, exprs):
        """Replace child expressions."""
        assert not exprs

    def get_db_converters(self, connection):
        """Converters for values this expression returns (its own type cast, then the field's)."""
        field = self._output_field_or_none
        if field is None:
            return []
        own = _TYPE_CASTS.get(field.get_internal_type())
        if own is None and field.get_internal_type().endswith("IntegerField"):
            own = _TYPE_CASTS["IntegerField"]
        backend = getattr(connection.ops, "get_expression_converters", None)
        converters = list(backend(field) if backend is not None else field.get_db_converters(connection))
        return converters + ([own] if own is not None else [])

    @cached_property
    def contains_aggregate(self):  # noqa: F811 - cached per instance
        return any(e and e.contains_aggregate for e in self.get_source_expressions())

    @cached_property
    def contains_over_clause(self):  # noqa: F811
        return any(e and e.contains_over_clause for e in self.get_source_expressions())

    @cached_property
    def contains_column_references(self):  # noqa: F811
        return any(e and e.contains_column_references for e in self.get_source_expressions())

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        """A copy with every source resolved against ``query``."""
        c = self.copy()
        c.is_summary = summarize
        nested = nested_save(for_save)
        c.set_source_expressions([
            expr.resolve_expression(query, allow_joins, reuse, summarize, nested) if expr is not None else None
            for expr in c.get_source_expressions()
        ])
        return c

    @property
    def conditional(self):
        """Whether this expression is boolean (usable in filter())."""
        return isinstance(self.output_field, fields.BooleanField)

    @property
    def field(self):
        """The output field."""
        return self.output_field

    @cached_property
    def output_field(self):
        """The field type of this expression's value."""
        output_field = self._resolve_output_field()
        if output_field is None:
            self._output_field_resolved_to_none = True
            raise FieldError("Cannot resolve expression type, unknown output_field")
        return output_field

    @cached_property
    def _output_field_or_none(self):
        try:
            return self.output_field
        except FieldError:
            if not getattr(self, "_output_field_resolved_to_none", False):
                raise
        return None

    def _resolve_output_field(self):
        sources_iter = (source for source in self.get_source_fields() if source is not None)
        for output_field in sources_iter:
            for source in sources_iter:
                if not isinstance(output_field, source.__class__):
                    raise FieldError(
                        "Expression contains mixed types: %s, %s. You must set output_field."
                        % (output_field.__class__.__name__, source.__class__.__name__))
            return output_field
        return None

    def get_source_fields(self):
        """Output fields of the sources."""
        return [e._output_field_or_none for e in self.get_source_expressions()]

    def get_lookup(self, lookup):
        """Lookups come from the output field."""
        return self.output_field.get_lookup(lookup)

    def get_transform(self, name):
        """Transforms come from the output field."""
        return self.output_field.get_transform(name)

    def relabeled_clone(self, change_map):
        """A copy with table aliases renamed."""
        clone = self.copy()
        clone.set_source_expressions([e.relabeled_clone(change_map) if e is not None else None
                                      for e in self.get_source_expressions()])
        return clone

    def replace_expressions(self, replacements):
        """A copy with some sub-expressions replaced."""
        if replacement := replacements.get(self):
            return replacement
        clone = self.copy()
        clone.set_source_expressions([e.replace_expressions(replacements) if e is not None else None
                                      for e in self.get_source_expressions()])
        return clone

    def get_refs(self):
        """Annotation names referenced."""
        refs = set()
        for expr in self.get_source_expressions():
            if expr is not None:
                refs |= expr.get_refs()
        return refs

    def copy(self):
        """A shallow copy."""
        return copy.copy(self)

    def get_group_by_cols(self):
        """Columns to GROUP BY when this expression is selected next to aggregates."""
        if not self.contains_aggregate:
            return [self]
        cols = []
        for source in self.get_source_expressions():
            cols.extend(source.get_group_by_cols())
        return cols

    def asc(self, **kwargs):
        """Ascending order."""
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs):
        """Descending order."""
        return OrderBy(self, descending=True, **kwargs)

    def reverse_ordering(self):
        """Used by QuerySet.reverse()."""
        return self

    def flatten(self):
        """Yield this expression and all descendants."""
        yield self
        for expr in self.get_source_expressions():
            if expr:
                if hasattr(expr, "flatten"):
                    yield from expr.flatten()
                else:
                    yield expr

    def select_format(self, compiler, sql, params):
        """Compatibility hook."""
        return sql, params

    # -- the two walks ---------------------------------------------------------------------------
    def key(self, k):
        """Structural shape; literal values are registered with ``k.param``."""
        return (type(self), self._key_extra(), tuple(e.key(k) if e is not None else None
                                                     for e in self.get_source_expressions()))

    def _key_extra(self):
        return None

    def as_sa(self, c):
        """SQLAlchemy construct for this expression."""
        raise NotImplementedError("%s cannot be compiled" % type(self).__name__)

    def output_key(self):
        """What affects value conversion of this expression in a SELECT list."""
        field = self._output_field_or_none
        return None if field is None else (type(field), getattr(field, "decimal_places", None))

    @property
    def identity(self):
        """A hashable description used for equality."""
        return (type(self), self._identity_extra(), tuple(
            e.identity if hasattr(e, "identity") else e for e in self.get_source_expressions()))

    def _identity_extra(self):
        return tuple(sorted((k, repr(v)) for k, v in self.__dict__.items()
                            if k in ("function", "template", "connector", "lookup_name", "distinct",
                                     "descending", "nulls_first", "nulls_last", "kind", "tzinfo")))

    def __eq__(self, other):
        if not isinstance(other, BaseExpression):
            return NotImplemented
        return self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)


def _cast_or_none(kind):
    def cast(value):
        return value if value is None else kind(value)

    return cast


# The database may return another numeric type than the declared output field (Django casts too).
_TYPE_CASTS = {"FloatField": _cast_or_none(float), "IntegerField": _cast_or_none(int),
               "DecimalField": _cast_or_none(decimal.Decimal)}


class Expression(BaseExpression, Combinable):
    """An expression that can be combined with operators."""


class F(Combinable):
    """A reference to a model field (or annotation) by name."""

    allowed_default = False
    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, name):
        self.name = name

    def deconstruct(self):
        """(path, args, kwargs) for migration files."""
        return "ormlette.db.models.F", (self.name,), {}

    def __repr__(self):
        return "%s(%s)" % (self.__class__.__name__, self.name)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        """Resolve to a column or annotation reference."""
        return query.resolve_ref(self.name, allow_joins, reuse, summarize)

    def replace_expressions(self, replacements):
        return replacements.get(self, self)

    def asc(self, **kwargs):
        """Ascending order by this field."""
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs):
        """Descending order by this field."""
        return OrderBy(self, descending=True, **kwargs)

    def __eq__(self, other):
        return self.__class__ == other.__class__ and self.name == other.name

    def __hash__(self):
        return hash((self.__class__, self.name))

    def copy(self):
        """A shallow copy."""
        return copy.copy(self)

    def __getitem__(self, subscript):
        return Sliced(self, subscript)

    def __contains__(self, other):
        raise TypeError("argument of type '%s' is not iterable" % self.__class__.__name__)


class ResolvedOuterRef(F):
    """An OuterRef resolved once: it becomes a column of the outer query when compiled."""

    contains_aggregate = False
    contains_over_clause = False

    def resolve_expression(self, *args, **kwargs):
        col = super().resolve_expression(*args, **kwargs)
        if getattr(col, "contains_over_clause", False):
            raise NotSupportedError("Referencing outer query window expression is not supported: %s." % self.name)
        col.possibly_multivalued = False
        return col

    def relabeled_clone(self, relabels):
        return self

    def get_group_by_cols(self):
        return []

    def key(self, k):
        raise ValueError("This queryset contains a reference to an outer query and may only be used in a subquery.")


class OuterRef(F):
    """A reference to a field of the outer query in a subquery."""

    contains_aggregate = False
    contains_over_clause = False

    def resolve_expression(self, *args, **kwargs):
        if isinstance(self.name, self.__class__):
            return self.name
        return ResolvedOuterRef(self.name)

    def relabeled_clone(self, relabels):
        return self


class Sliced(F):
    """``F("field")[1:3]`` (string/array slicing)."""

    def __init__(self, obj, subscript):
        super().__init__(obj.name)
        self.obj = obj
        if isinstance(subscript, int):
            if subscript < 0:
                raise ValueError("Negative indexing is not supported.")
            self.start, self.length = subscript + 1, 1
        elif isinstance(subscript, slice):
            if (subscript.start is not None and subscript.start < 0) or \
                    (subscript.stop is not None and subscript.stop < 0):
                raise ValueError("Negative indexing is not supported.")
            if subscript.step is not None:
                raise ValueError("Step argument is not supported.")
            self.start = 1 if subscript.start is None else subscript.start + 1
            self.length = None if subscript.stop is None else subscript.stop - (self.start - 1)
        else:
            raise TypeError("Argument to slice must be either int or slice instance.")

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        from ormlette.db.models.functions import Substr

        resolved = query.resolve_ref(self.name, allow_joins, reuse, summarize)
        if self.length is None:
            return Substr(resolved, self.start).resolve_expression(query)
        return Substr(resolved, self.start, self.length).resolve_expression(query)


__all__ = [
    "Case", "Col", "CombinedExpression", "DatabaseDefault", "Exists", "Expression", "ExpressionList",
    "ExpressionWrapper", "F", "Func", "NegatedExpression", "OrderBy", "OuterRef", "RawSQL", "Ref",
    "ResolvedOuterRef", "RowRange", "Star", "Subquery", "Value", "ValueRange", "When", "Window",
    "WindowFrame", "WindowFrameExclusion", "Combinable", "BaseExpression",
]


# Split into their own modules; importable from here as in Django's ``expressions`` (each imports the
# bases above from this module, so the order matters: Value before func, ExpressionList before windows).
from ormlette.db.models.expressions.leaves import Col, DatabaseDefault, RawSQL, Ref, Star, Value  # noqa: E402
from ormlette.db.models.expressions.compound import (  # noqa: E402
    CombinedExpression, ExpressionList, ExpressionWrapper, NegatedExpression,
)
from ormlette.db.models.expressions.func import Func, OrderBy, Random  # noqa: E402,F401 (conditions needs Func here)
from ormlette.db.models.expressions.conditions import Case, When  # noqa: E402
from ormlette.db.models.expressions.subquery import Exists, Subquery  # noqa: E402
from ormlette.db.models.expressions.windows import (  # noqa: E402,F401
    OrderByList, RowRange, ValueRange, Window, WindowFrame, WindowFrameExclusion,
)
