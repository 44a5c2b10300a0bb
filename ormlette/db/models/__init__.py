"""The model and QuerySet API (mirrors ``django.db.models``)."""
from ormlette.core.exceptions import ObjectDoesNotExist
from ormlette.db.models import signals
from ormlette.db.models.expressions.aggregates import Aggregate, Avg, Count, Max, Min, StdDev, Sum, Variance
from ormlette.db.models.constraints import BaseConstraint, CheckConstraint, Deferrable, UniqueConstraint
from ormlette.db.models.query.deletion import (
    CASCADE, DO_NOTHING, PROTECT, RESTRICT, SET, SET_DEFAULT, SET_NULL, ProtectedError, RestrictedError,
)
from ormlette.db.models.enums import Choices, IntegerChoices, TextChoices
from ormlette.db.models import fetch_modes  # noqa: F401
from ormlette.db.models.fetch_modes import FETCH_ONE, FETCH_PEERS, FETCH_RAISE, RAISE
from ormlette.db.models.expressions.base import (
    Case, Col, CombinedExpression, DatabaseDefault, Exists, Expression, ExpressionList, ExpressionWrapper, F,
    Func, OrderBy, OuterRef, RawSQL, Ref, RowRange, Subquery, Value, ValueRange, When, Window, WindowFrame,
    WindowFrameExclusion,
)
from ormlette.db.models.fields import *  # noqa: F401,F403
from ormlette.db.models.fields import __all__ as fields_all
from ormlette.db.models.indexes import Index
from ormlette.db.models.lookups.base import Lookup, Transform
from ormlette.db.models.manager import BaseManager, Manager
from ormlette.db.models.query.queryset import EmptyQuerySet, QuerySet
from ormlette.db.models.query_utils import FilteredRelation, Q

from ormlette.db.models import functions  # noqa: F401,E402  (registers date transforms)
from ormlette.db.models.fields import json as _json  # noqa: F401,E402  (registers JSONField lookups)
from ormlette.db.models.base import DEFERRED, Model  # noqa: E402
from ormlette.db.models import schema as _schema  # noqa: F401,E402  (installs the schema editor's table builder)

try:  # relations are optional until their module lands
    from ormlette.db.models.fields.related import (  # noqa: F401
        ForeignKey, ForeignObject, ForeignObjectRel, ManyToManyField, ManyToManyRel, ManyToOneRel, OneToOneField,
        OneToOneRel,
    )
    from ormlette.db.models.query.prefetch import Prefetch, prefetch_related_objects  # noqa: F401
except ImportError:  # pragma: no cover
    pass

__all__ = fields_all + [
    "ObjectDoesNotExist", "signals", "CASCADE", "DO_NOTHING", "PROTECT", "RESTRICT", "SET", "SET_DEFAULT",
    "SET_NULL", "ProtectedError", "RestrictedError", "Aggregate", "Avg", "Count", "Max", "Min", "StdDev", "Sum",
    "Variance", "BaseConstraint", "CheckConstraint", "Deferrable", "UniqueConstraint", "Index", "Choices",
    "IntegerChoices", "TextChoices", "Case", "Col", "CombinedExpression", "DatabaseDefault", "Exists",
    "Expression", "ExpressionList", "ExpressionWrapper", "F", "Func", "OrderBy", "OuterRef", "RawSQL", "Ref",
    "RowRange", "Subquery", "Value", "ValueRange", "When", "Window", "WindowFrame", "WindowFrameExclusion", "Lookup", "Transform",
    "Manager", "BaseManager", "Q", "QuerySet", "EmptyQuerySet", "FilteredRelation", "Model", "DEFERRED",
    "FETCH_ONE", "FETCH_PEERS", "RAISE", "FETCH_RAISE",
]
if "ForeignKey" in globals():
    __all__ += ["ForeignKey", "ForeignObject", "ForeignObjectRel", "ManyToManyField", "ManyToManyRel", "ManyToOneRel", "OneToOneField",
                "OneToOneRel", "Prefetch", "prefetch_related_objects"]
