"""Comparison and conversion functions."""
import re


from ormlette.db.models.expressions.base import Func, Value


class Coalesce(Func):
    """The first non-null argument."""

    function = "COALESCE"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Coalesce must take at least two expressions")
        super().__init__(*expressions, **extra)

    @property
    def empty_result_set_value(self):
        for expression in self.get_source_expressions():
            result = expression.empty_result_set_value
            if result is NotImplemented or result is not None:
                return result
        return None


class Cast(Func):
    """CAST(expression AS type)."""

    function = "CAST"

    def __init__(self, expression, output_field):
        super().__init__(expression, output_field=output_field)

    def _key_extra(self):
        return (self.output_key(), type(self.output_field).__name__, getattr(self.output_field, "max_length", None))

    def as_sa(self, c):
        return c.connection.ops.cast_sa(self.source_expressions[0].as_sa(c), self.output_field)


class Greatest(Func):
    """The largest argument."""

    function = "GREATEST"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Greatest must take at least two expressions")
        super().__init__(*expressions, **extra)

    def as_sqlite_sa(self, c):
        return self.as_generic_sa(c, function="MAX")


class Least(Func):
    """The smallest argument."""

    function = "LEAST"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Least must take at least two expressions")
        super().__init__(*expressions, **extra)

    def as_sqlite_sa(self, c):
        return self.as_generic_sa(c, function="MIN")


class NullIf(Func):
    """NULL when both arguments are equal."""

    function = "NULLIF"
    arity = 2




class Collate(Func):
    """``expression COLLATE name`` (name checked against an allow-list pattern, then quoted)."""

    function = "COLLATE"
    template = "%(expressions)s %(function)s %(collation)s"
    allowed_default = False
    collation_re = re.compile(r"^[\w-]+$")

    def __init__(self, expression, collation):
        if not (collation and isinstance(collation, str) and self.collation_re.match(collation)):
            raise ValueError("Invalid collation name: %r." % collation)
        self.collation = collation
        super().__init__(expression)

    def _key_extra(self):
        return (super()._key_extra(), self.collation)

    def as_sa(self, c):
        return self.as_generic_sa(c, collation=c.connection.ops.quote_name(self.collation))


class JSONObject(Func):
    """A JSON object built from keyword arguments."""

    function = "JSON_OBJECT"

    def __init__(self, **fields):
        expressions = []
        for key, value in fields.items():
            expressions.extend((Value(key), value))
        super().__init__(*expressions)

    @property
    def output_field(self):
        from ormlette.db.models.fields import JSONField

        return JSONField()

    def as_sa(self, c):
        if not c.connection.features.has_json_object_function:
            from ormlette.db.errors import NotSupportedError

            raise NotSupportedError("JSONObject() is not supported on this database backend.")
        return self.as_generic_sa(c, function=c.connection.ops.json_object_function)
