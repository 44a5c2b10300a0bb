"""Conditional expressions: ``Case(When(...), default=...)``."""
import sqlalchemy as sa

from ormlette.core.exceptions import EmptyResultSet, FullResultSet
from ormlette.db.models.expressions.base import Expression, Func, nested_save
from ormlette.db.models.query_utils import Q


class When(Expression):
    """``WHEN condition THEN result`` inside Case."""

    template = "WHEN %(condition)s THEN %(result)s"

    def __init__(self, condition=None, then=None, **lookups):
        if lookups:
            if condition is None:
                condition, lookups = Q(**lookups), None
            elif getattr(condition, "conditional", False):
                condition, lookups = Q(condition, **lookups), None
        if condition is None or not getattr(condition, "conditional", False) or lookups:
            raise TypeError("When() supports a Q object, a boolean expression, or lookups as a condition.")
        if isinstance(condition, Q) and not condition:
            raise ValueError("An empty Q() can't be used as a When() condition.")
        super().__init__(output_field=None)
        self.condition = condition
        self.result = self._parse_expressions(then)[0]

    def __str__(self):
        return "WHEN %r THEN %r" % (self.condition, self.result)

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)

    _parse_expressions = staticmethod(Func._parse_expressions)

    def get_source_expressions(self):
        return [self.condition, self.result]

    def set_source_expressions(self, exprs):
        self.condition, self.result = exprs

    def get_source_fields(self):
        return [self.result._output_field_or_none]

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        c = self.copy()
        c.is_summary = summarize
        if hasattr(c.condition, "resolve_expression"):
            c.condition = c.condition.resolve_expression(query, allow_joins, reuse, summarize, False)
        c.result = c.result.resolve_expression(query, allow_joins, reuse, summarize, nested_save(for_save))
        return c

    def key(self, k):
        return (When, k.condition_key(self.condition), self.result.key(k))

    def as_sa_pair(self, c):
        """(condition, result) for sa.case."""
        return c.condition(self.condition), self.result.as_sa(c)

    def get_group_by_cols(self):
        cols = []
        for source in self.get_source_expressions():
            cols.extend(source.get_group_by_cols())
        return cols


class Case(Expression):
    """``CASE WHEN ... THEN ... ELSE default END``."""

    def __init__(self, *cases, default=None, output_field=None, **extra):
        if not all(isinstance(case, When) for case in cases):
            raise TypeError("Positional arguments must all be When objects.")
        super().__init__(output_field)
        self.cases = list(cases)
        self.default = Func._parse_expressions(default)[0]
        self.extra = extra

    def __str__(self):
        return "CASE %s, ELSE %r" % (", ".join(str(c) for c in self.cases), self.default)

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)

    def get_source_expressions(self):
        return self.cases + [self.default]

    def set_source_expressions(self, exprs):
        *self.cases, self.default = exprs

    def copy(self):
        c = super().copy()
        c.cases = c.cases[:]
        return c

    def key(self, k):
        whens = []
        for case in self.cases:
            sub = k.fork()
            try:
                whens.append(case.key(sub))
            except EmptyResultSet:
                continue
            except FullResultSet:
                k.merge(sub)
                return (Case, "full", self.output_key(), case.result.key(k))
            k.merge(sub)
        return (Case, self.output_key(), tuple(whens), self.default.key(k))

    def as_sa(self, c):
        pairs = []
        for case in self.cases:
            sub = c.fork()
            try:
                pairs.append(case.as_sa_pair(sub))
            except EmptyResultSet:
                continue
            except FullResultSet:
                c.merge(sub)
                return case.result.as_sa(c)
            c.merge(sub)
        default = self.default.as_sa(c)
        if not pairs:
            return default
        return sa.case(*pairs, else_=default)

    def get_group_by_cols(self):
        if not self.cases:
            return self.default.get_group_by_cols()
        return super().get_group_by_cols()
