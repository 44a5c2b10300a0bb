"""Query expressions (mirrors ``django.db.models.expressions``); aggregates live in ``.aggregates``."""
from ormlette.db.models.expressions.base import (  # noqa: F401
    BaseExpression, Case, Col, Combinable, CombinedExpression, DatabaseDefault, Exists, Expression,
    ExpressionList, ExpressionWrapper, F, FieldError, Func, NESTED_SAVE, NegatedExpression,
    NotSupportedError, OrderBy, OrderByList, OuterRef, Q, RawSQL, Ref, ResolvedOuterRef, RowRange,
    Sliced, Star, Subquery, Value, ValueRange, When, Window, WindowFrame, cached_property, nested_save,
)
