"""Text functions (the ones the core needs; the rest live beside them)."""
import sqlalchemy as sa

from ormlette.db.models.expressions import Func, Value
from ormlette.db.models.fields import CharField, IntegerField, TextField
from ormlette.db.models.lookups import Transform


class Lower(Transform):
    """LOWER()."""

    function = "LOWER"
    lookup_name = "lower"


class Upper(Transform):
    """UPPER()."""

    function = "UPPER"
    lookup_name = "upper"


class Length(Transform):
    """Number of characters."""

    function = "LENGTH"
    lookup_name = "length"
    output_field = IntegerField()

    def as_mysql_sa(self, c):
        return self.as_generic_sa(c, function="CHAR_LENGTH")


class Substr(Func):
    """SUBSTRING(expression, pos[, length])."""

    function = "SUBSTRING"
    output_field = CharField()

    def __init__(self, expression, pos, length=None, **extra):
        if not hasattr(pos, "resolve_expression"):
            if pos < 1:
                raise ValueError("'pos' must be greater than 0")
        expressions = [expression, pos]
        if length is not None:
            expressions.append(length)
        super().__init__(*expressions, **extra)

    def as_sqlite_sa(self, c):
        return self.as_generic_sa(c, function="SUBSTR")


class ConcatPair(Func):
    """Two-argument concatenation (NULL-safe as Django)."""

    function = "CONCAT"

    def as_sa(self, c):
        args = [e.as_sa(c) for e in self.source_expressions]
        if c.connection.vendor == "mysql":
            return sa.func.concat_ws(sa.literal_column("''"), *args)
        coalesced = [sa.func.coalesce(a, sa.literal_column("''")) for a in args]
        return c.connection.ops.concat_sa(*coalesced)


class Concat(Func):
    """Concatenate any number of expressions (NULLs become '')."""

    template = "%(expressions)s"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Concat must take at least two expressions")
        paired = self._paired(expressions, extra.get("output_field"))
        super().__init__(paired, **extra)

    def _paired(self, expressions, output_field):
        if len(expressions) == 2:
            return ConcatPair(*expressions, output_field=output_field)
        return ConcatPair(expressions[0], self._paired(expressions[1:], output_field), output_field=output_field)

    def as_sa(self, c):
        return self.source_expressions[0].as_sa(c)


_ = (Value, TextField)
