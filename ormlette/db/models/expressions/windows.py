"""Window expressions: ``Window(expression, partition_by, order_by, frame)`` and its frames."""
import sqlalchemy as sa

from ormlette.db.errors import NotSupportedError
from ormlette.db.models.expressions.base import BaseExpression, Expression, ExpressionList, F, Func, OrderBy, Value


class WindowFrame(Expression):
    """ROWS / RANGE frame of a window."""

    frame_type = None

    def __init__(self, start=None, end=None, exclusion=None):
        self.start = Value(start)
        self.end = Value(end)
        self.exclusion = exclusion

    def get_source_expressions(self):
        return [self.start, self.end]

    def set_source_expressions(self, exprs):
        self.start, self.end = exprs

    def key(self, k):
        return (type(self), self.start.value, self.end.value, self.exclusion)

    def sa_range(self):
        """(lower, upper) as SQLAlchemy's ``rows=``/``range_=`` argument."""
        return (self.start.value, self.end.value)

    def check_support(self, connection):
        """Django's validation of frame bounds."""
        start, end = self.start.value, self.end.value
        for value in (start, end):
            if value is not None and not isinstance(value, int):
                raise ValueError("%s only supports integer bounds." % self.__class__.__name__)
        if start is not None and end is not None and start > 0 and end < 0:
            raise ValueError("start argument must be a negative integer, zero, or None, but got '%s'." % start)
        if self.frame_type == "RANGE" and not connection.features.supports_frame_range_fixed_distance and (
                start not in (None, 0) or end not in (None, 0)):
            raise NotSupportedError("%s only supports UNBOUNDED together with PRECEDING and FOLLOWING."
                                    % connection.display_name)

    def __str__(self):
        return "%s BETWEEN %s AND %s" % (self.frame_type, _frame_bound(self.start.value, "PRECEDING"),
                                         _frame_bound(self.end.value, "FOLLOWING"))

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)


def _frame_bound(value, unbounded):
    if value is None:
        return "UNBOUNDED %s" % unbounded
    if value == 0:
        return "CURRENT ROW"
    return "%d %s" % (abs(value), "PRECEDING" if value < 0 else "FOLLOWING")


class RowRange(WindowFrame):
    """ROWS BETWEEN ..."""

    frame_type = "ROWS"


class ValueRange(WindowFrame):
    """RANGE BETWEEN ..."""

    frame_type = "RANGE"


class Window(Expression):
    """``expression OVER (PARTITION BY ... ORDER BY ... frame)``."""

    contains_aggregate = False
    contains_over_clause = True

    def __init__(self, expression, partition_by=None, order_by=None, frame=None, output_field=None):
        self.partition_by = partition_by
        self.order_by = order_by
        self.frame = frame
        if not getattr(expression, "window_compatible", False):
            raise ValueError("Expression '%s' isn't compatible with OVER clauses." % expression.__class__.__name__)
        if self.partition_by is not None:
            if not isinstance(self.partition_by, (tuple, list)):
                self.partition_by = (self.partition_by,)
            self.partition_by = ExpressionList(*Func._parse_expressions(*self.partition_by))
        if self.order_by is not None:
            if isinstance(self.order_by, (list, tuple)):
                self.order_by = OrderByList(*self.order_by)
            elif isinstance(self.order_by, (BaseExpression, str, F)):
                self.order_by = OrderByList(self.order_by)
            else:
                raise ValueError("Window.order_by must be either a string reference to a field, an expression, "
                                 "or a list or tuple of them.")
        super().__init__(output_field=output_field)
        self.source_expression = Func._parse_expressions(expression)[0]

    def _resolve_output_field(self):
        return self.source_expression.output_field

    def get_source_expressions(self):
        return [self.source_expression, self.partition_by, self.order_by, self.frame]

    def set_source_expressions(self, exprs):
        self.source_expression, self.partition_by, self.order_by, self.frame = exprs

    def key(self, k):
        return (Window, self.output_key(), self.source_expression.key(k),
                self.partition_by.key(k) if self.partition_by is not None else None,
                self.order_by.key(k) if self.order_by is not None else None,
                self.frame.key(k) if self.frame is not None else None)

    def as_sa(self, c):
        if not c.connection.features.supports_over_clause:
            raise NotSupportedError("This backend does not support window expressions.")
        func = self.source_expression.as_sa(c)
        partition = self.partition_by.as_sa(c) if self.partition_by is not None else None
        order = None
        if self.order_by is not None:
            order = []
            for term in self.order_by.source_expressions:
                built = term.as_sa(c)
                order.extend(built if isinstance(built, list) else [built])
        kwargs = {}
        if self.frame is not None:
            self.frame.check_support(c.connection)
            kwargs["rows" if self.frame.frame_type == "ROWS" else "range_"] = self.frame.sa_range()
        return sa.over(func, partition_by=partition, order_by=order or None, **kwargs)

    def get_group_by_cols(self):
        group_by_cols = []
        if self.partition_by is not None:
            group_by_cols.extend(self.partition_by.get_group_by_cols())
        if self.order_by is not None:
            group_by_cols.extend(self.order_by.get_group_by_cols())
        return group_by_cols

    def __repr__(self):
        return "<%s: %s OVER (...)>" % (self.__class__.__name__, self.source_expression)


class OrderByList(ExpressionList):
    """The ORDER BY list of a window."""

    def __init__(self, *expressions, **extra):
        expressions = tuple(
            OrderBy(F(expr[1:]), descending=True) if isinstance(expr, str) and expr[0] == "-" else expr
            for expr in expressions)
        super().__init__(*[e if hasattr(e, "resolve_expression") else F(e) for e in expressions], **extra)
