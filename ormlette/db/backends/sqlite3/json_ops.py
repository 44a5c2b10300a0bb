"""SQLite JSON SQL: JSON_TYPE / JSON_EXTRACT, with booleans and null read through JSON_TYPE as Django."""
import sqlalchemy as sa

from ormlette.db.backends.base.json_ops import BaseJSONOperations, sql_literal

# JSON_EXTRACT returns 1/0/NULL for true/false/null: JSON_TYPE's names keep them distinct.
JSON_DATATYPE_VALUES = frozenset(["null", "false", "true"])


class JSONOperations(BaseJSONOperations):
    """JSON paths over documents stored as text."""

    def key_transform_sa(self, base, binds, keys, text):
        """CASE on JSON_TYPE: 'true'/'false'/'null' as text, other values as SQL values."""
        (path,) = binds
        json_type = sa.func.JSON_TYPE(base, path)
        is_named = json_type.op("IN")(sql_literal("('null', 'false', 'true')"))
        return sa.case((is_named, json_type), else_=sa.func.JSON_EXTRACT(base, path)).self_group()

    def key_isnull_sa(self, base, binds, keys, isnull):
        """JSON_TYPE is NULL only when the path is missing."""
        json_type = sa.func.JSON_TYPE(base, binds[0])
        return json_type.is_(None) if isnull else json_type.is_not(None)

    def key_value_shape(self, value):
        """true/false/null compare with JSON_TYPE's text; other values are decoded first."""
        return value in JSON_DATATYPE_VALUES

    def key_exact_rhs_sa(self, bind, value):
        """JSON_EXTRACT(value, '$') unless it is true/false/null."""
        if value in JSON_DATATYPE_VALUES:
            return bind
        return sa.func.JSON_EXTRACT(bind, sql_literal("'$'"))

    def key_in_rhs_sa(self, bind, value):
        """As key_exact_rhs_sa."""
        return self.key_exact_rhs_sa(bind, value)

    def path_exists_sa(self, lhs, bind):
        """JSON_TYPE(lhs, path) IS NOT NULL."""
        return sa.func.JSON_TYPE(lhs, bind).is_not(None)

    def contains_sa(self, lhs, rhs):
        """Not supported (raised before SQL is built, from features.supports_json_field_contains)."""
        raise NotImplementedError

    contained_by_sa = contains_sa
