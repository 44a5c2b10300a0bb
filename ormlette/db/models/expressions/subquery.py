"""Subquery expressions: ``Subquery(queryset)`` and ``Exists(queryset)``."""
import sqlalchemy as sa

from ormlette.db.models import fields
from ormlette.db.models.expressions.base import BaseExpression, Combinable, NegatedExpression


class Subquery(BaseExpression, Combinable):
    """A queryset used as a scalar (or a set, for ``__in``) inside another query."""

    template = "(%(subquery)s)"
    contains_aggregate = False
    empty_result_set_value = None
    subquery = True

    def __init__(self, queryset, output_field=None, **extra):
        self.query = getattr(queryset, "query", queryset).clone()
        self.query.subquery = True
        self.extra = extra
        super().__init__(output_field)

    def get_source_expressions(self):
        return [self.query]

    def set_source_expressions(self, exprs):
        self.query = exprs[0]

    def _resolve_output_field(self):
        return self.query.output_field

    def copy(self):
        clone = super().copy()
        clone.query = clone.query.clone()
        return clone

    @property
    def external_aliases(self):
        return self.query.external_aliases

    def get_external_cols(self):
        return self.query.get_external_cols()

    def key(self, k):
        return (Subquery, self.output_key(), k.subquery_key(self.query))

    def as_sa(self, c):
        return c.subquery(self.query).scalar_subquery()

    def get_group_by_cols(self):
        return self.query.get_group_by_cols(wrapper=self)

    @property
    def identity(self):
        return (type(self), id(self.query))


class Exists(Subquery):
    """``EXISTS(subquery)``."""

    output_field = fields.BooleanField()
    empty_result_set_value = False

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, **kwargs)
        self.query = self.query.exists()

    def select_format(self, compiler, sql, params):
        return sql, params

    def key(self, k):
        return (Exists, k.subquery_key(self.query))

    def as_sa(self, c):
        return sa.exists(c.subquery(self.query))

    def __invert__(self):
        return NegatedExpression(self)
