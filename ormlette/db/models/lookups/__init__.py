"""Lookups and transforms (mirrors ``django.db.models.lookups``), registered on the field classes."""
from ormlette.db.models.lookups.base import (  # noqa: F401
    BooleanField, BuiltinLookup, CharField, Contains, DateTimeField, EmptyResultSet, EndsWith, Exact,
    Expression, Field, FieldGetDbPrepValueMixin, FloatField, FullResultSet, Func, GreaterThan,
    GreaterThanOrEqual, IContains, IEndsWith, IExact, IN_LIST_BUCKETS, IRegex, IStartsWith, In,
    IntegerField, IntegerFieldFloatRounding, IntegerFieldOverflow, IntegerGreaterThan,
    IntegerGreaterThanOrEqual, IntegerLessThan, IntegerLessThanOrEqual, IsNull, LessThan,
    LessThanOrEqual, Lookup, PatternLookup, Range, Regex, RegisterLookupMixin, StartsWith, Transform,
    Value, YearExact, YearGt, YearGte, YearLookup, YearLt, YearLte, cached_property, in_list_bucket,
)
