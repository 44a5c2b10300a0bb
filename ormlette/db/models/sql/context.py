"""The two walks' contexts: shape keys (every execution) and SQLAlchemy building (cache misses)."""
import copy

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from ormlette.core.exceptions import FieldError


class KeyContext:
    """Collects a query's literal values while its structural key is built."""

    __slots__ = ("connection", "params")

    def __init__(self, connection, params=None):
        self.connection = connection
        self.params = [] if params is None else params

    def param(self, value):
        """Register a value; the key records only that a parameter is here."""
        self.params.append(value)

    def fork(self):
        """A child context whose values are kept only if merged."""
        return KeyContext(self.connection)

    def merge(self, sub):
        """Keep a child's values."""
        self.params.extend(sub.params)

    def condition_key(self, node):
        """Key of a WHERE child (lookup, node or boolean expression)."""
        return node.key(self)

    def expression_key(self, expr):
        """Key of an expression or subquery."""
        return expr.key(self)

    def subquery_key(self, query):
        """Key of a nested query; its values join this context's list in walk order."""
        from ormlette.db.models.sql.compiler import query_key

        return query_key(query, self)


class CompileContext:
    """Builds SQLAlchemy constructs for one query, numbering parameters as the key walk did."""

    def __init__(self, connection, values=None, outer=None, constants=None):
        self.connection = connection
        self.values = [] if values is None else values
        self.outer = outer
        self.tables = {}
        self.annotations = {}
        self.query = None

    def param(self, value):
        """A bind parameter named after its position in the value list."""
        index = len(self.values)
        self.values.append(value)
        return sa.bindparam("p%d" % index, value=None)

    def fork(self):
        """A child whose values follow this context's numbering."""
        child = copy.copy(self)
        child.values = list(self.values)
        child._base_len = len(self.values)
        return child

    def merge(self, sub):
        """Keep a child's values."""
        self.values.extend(sub.values[sub._base_len:])

    def condition(self, node):
        """SQLAlchemy boolean for a WHERE child."""
        clause = node.as_sa(self)
        if not getattr(node, "conditional", True):
            raise TypeError("Cannot filter against a non-conditional expression.")
        return clause

    def expression(self, expr):
        """SQLAlchemy for an expression or subquery."""
        return expr.as_sa(self)

    def column(self, alias, column):
        """A column of a table alias in this query or an enclosing one."""
        ctx = self
        while ctx is not None:
            table = ctx.tables.get(alias)
            if table is not None:
                return table.c[column]
            ctx = ctx.outer
        raise FieldError("Unknown table alias %r for column %r" % (alias, column))

    def annotation_ref(self, name, source):
        """Reference a selected annotation by its label (ORDER BY / GROUP BY)."""
        labelled = self.annotations.get(name)
        if labelled is not None:
            return sa.literal_column(self.connection.ops.quote_name(name))
        return source.as_sa(self)

    def raw_sql(self, sql, params):
        """Literal SQL with ``%s`` placeholders bound to our parameters."""
        pieces = sql.split("%s")
        if len(pieces) - 1 != len(params):
            raise ValueError("RawSQL has %d placeholders but %d params." % (len(pieces) - 1, len(params)))
        binds = [self.param(p) for p in params]
        return RawFragment([piece.replace("%%", "%") for piece in pieces], binds)

    def subquery(self, query):
        """A nested SELECT sharing this context's parameter numbering."""
        from ormlette.db.models.sql.compiler import build_select

        child = CompileContext(self.connection, self.values, outer=self)
        return build_select(query, child)


class RawFragment(sa.sql.expression.ColumnElement):
    """Literal SQL text with bind parameters between its pieces."""

    inherit_cache = False

    def __init__(self, pieces, binds):
        self.pieces = pieces
        self.binds = binds
        self.type = sa.types.NullType()


@compiles(RawFragment)
def render_raw(element, compiler, **kw):
    """Render a RawFragment: its SQL pieces with the compiled binds between them."""
    escape = compiler.preparer._double_percents if hasattr(compiler.preparer, "_double_percents") else False
    out = []
    for index, piece in enumerate(element.pieces):
        out.append(piece.replace("%", "%%") if escape else piece)
        if index < len(element.binds):
            out.append(compiler.process(element.binds[index], **kw))
    return "(%s)" % "".join(out)
