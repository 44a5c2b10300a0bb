"""Leaf expressions: literal values (Value), raw SQL, ``*``, the database default, columns (Col) and
references to selected annotations (Ref)."""
import datetime
import decimal
import uuid

import sqlalchemy as sa

from ormlette.db.models import fields
from ormlette.db.models.expressions.base import Expression


class Value(Expression):
    """A literal value, sent as a parameter."""

    for_save = False  # prepared with the field's get_db_prep_save (a value being written, even inside CASE)
    written_as_is = False  # the whole value of an INSERT/UPDATE column, not part of a larger expression

    def __init__(self, value, output_field=None):
        super().__init__(output_field=output_field)
        self.value = value

    def deconstruct(self):
        """(path, args, kwargs) for migration files."""
        return "ormlette.db.models.Value", (self.value,), {}

    def __repr__(self):
        return "%s(%r)" % (self.__class__.__name__, self.value)

    def _identity_extra(self):
        from ormlette.utils.hashable import make_hashable

        return (make_hashable(self.value), type(self.value))

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        c = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        c.for_save = bool(for_save)
        c.written_as_is = for_save is True
        return c

    def _db_value(self, connection):
        value = self.value
        output_field = self._output_field_or_none
        if output_field is not None and value is not None:
            if self.for_save:
                return output_field.get_db_prep_save(value, connection=connection)
            return output_field.get_db_prep_value(value, connection=connection)
        if output_field is not None and not self._is_sql_null():
            return output_field.get_db_prep_value(value, connection=connection)
        return value

    def _is_sql_null(self):
        """None is SQL NULL, except as a field's written value when the field encodes it (JSONField: JSON null).

        Only a Value that is the whole written value writes JSON null, as Django's does; inside CASE or a
        function Django writes SQL NULL.
        """
        return self.value is None and not (
            self.written_as_is and getattr(self._output_field_or_none, "none_is_json_null", False))

    def key(self, k):
        if self._is_sql_null():
            return (Value, None, "NULL")
        k.param(self._db_value(k.connection))
        return (Value, self.output_key(), "?")

    def as_sa(self, c):
        if self._is_sql_null():
            return sa.null()
        bound = c.param(self._db_value(c.connection))
        field = self._output_field_or_none
        if field is not None and field.get_internal_type() == "DecimalField":
            return c.connection.ops.decimal_expression_sa(bound)
        return bound

    def get_group_by_cols(self):
        return []

    def _resolve_output_field(self):
        value = self.value
        for kind, field_class in _VALUE_TYPES:
            if isinstance(value, kind):
                return field_class()
        return None

    @property
    def empty_result_set_value(self):
        return self.value


_VALUE_TYPES = (
    (bool, fields.BooleanField), (str, fields.CharField), (int, fields.IntegerField),
    (float, fields.FloatField), (datetime.datetime, fields.DateTimeField), (datetime.date, fields.DateField),
    (datetime.time, fields.TimeField), (datetime.timedelta, fields.DurationField),
    (decimal.Decimal, fields.DecimalField), (bytes, fields.BinaryField), (uuid.UUID, fields.UUIDField),
)


class RawSQL(Expression):
    """Literal SQL with ``%s`` parameters."""

    def __init__(self, sql, params, output_field=None):
        if output_field is None:
            output_field = fields.Field()
        self.sql, self.params = sql, params
        super().__init__(output_field=output_field)

    def __repr__(self):
        return "{}({}, {})".format(self.__class__.__name__, self.sql, self.params)

    def _key_extra(self):
        return self.sql

    def key(self, k):
        for p in self.params:
            k.param(p)
        return (RawSQL, self.sql, len(self.params))

    def as_sa(self, c):
        return c.raw_sql(self.sql, self.params)

    def _identity_extra(self):
        return (self.sql, tuple(self.params))

    def get_group_by_cols(self):
        return [self]


class Star(Expression):
    """``*`` (for COUNT(*))."""

    def __repr__(self):
        return "'*'"

    def as_sa(self, c):
        return sa.literal_column("*")


class DatabaseDefault(Expression):
    """Placeholder for a value the database provides (``db_default``)."""

    def __init__(self, expression, output_field=None):
        super().__init__(output_field)
        self.expression = expression

    def get_source_expressions(self):
        return []

    def as_sa(self, c):
        return sa.literal_column("DEFAULT")


class Col(Expression):
    """A column of a table alias."""

    contains_column_references = True
    possibly_multivalued = False

    def __init__(self, alias, target, output_field=None):
        if output_field is None:
            output_field = target
        super().__init__(output_field=output_field)
        self.alias, self.target = alias, target

    def __repr__(self):
        return "{}({}, {})".format(self.__class__.__name__, self.alias, self.target)

    @property
    def identity(self):
        return (Col, self.alias, self.target.column, self.target.model)

    def key(self, k):
        return (Col, self.alias, self.target.column)

    def as_sa(self, c):
        return c.column(self.alias, self.target.column)

    def relabeled_clone(self, relabels):
        if self.alias not in relabels:
            return self
        return self.__class__(relabels[self.alias], self.target, self.output_field)

    def get_group_by_cols(self):
        return [self]

    def get_db_converters(self, connection):
        if self.target == self.output_field:
            return self.output_field.get_db_converters(connection)
        return self.output_field.get_db_converters(connection) + self.target.get_db_converters(connection)

    def resolve_expression(self, *args, **kwargs):
        return self


class Ref(Expression):
    """A reference to a selected annotation by alias (ORDER BY / GROUP BY)."""

    def __init__(self, refs, source):
        super().__init__()
        self.refs, self.source = refs, source

    def __repr__(self):
        return "{}({}, {})".format(self.__class__.__name__, self.refs, self.source)

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, exprs):
        (self.source,) = exprs

    def resolve_expression(self, *args, **kwargs):
        return self

    def get_refs(self):
        return {self.refs}

    def _key_extra(self):
        return self.refs

    def key(self, k):
        return (Ref, self.refs)

    def as_sa(self, c):
        return c.annotation_ref(self.refs, self.source)

    def relabeled_clone(self, relabels):
        return self

    def get_group_by_cols(self):
        return [self]
