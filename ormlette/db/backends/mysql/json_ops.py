"""MariaDB JSON SQL: JSON_EXTRACT / JSON_UNQUOTE / JSON_CONTAINS / JSON_CONTAINS_PATH."""
import sqlalchemy as sa

from ormlette.db.backends.base.json_ops import BaseJSONOperations, sql_literal


class JSONOperations(BaseJSONOperations):
    """JSON paths; MariaDB has no -> / ->> operators."""

    def key_transform_sa(self, base, binds, keys, text):
        """JSON_EXTRACT(doc, path), unquoted for text."""
        value = sa.func.JSON_EXTRACT(base, binds[0])
        return sa.func.JSON_UNQUOTE(value) if text else value

    def lookup_lhs_sa(self, lhs):
        """JSON_UNQUOTE(lhs), as Django's lookup_cast for JSON on MariaDB."""
        return sa.func.JSON_UNQUOTE(lhs)

    def exact_rhs_sa(self, bind):
        """JSON_EXTRACT(value, '$') so both sides compare as JSON."""
        return sa.func.JSON_EXTRACT(bind, sql_literal("'$'"))

    def key_in_rhs_sa(self, bind, value):
        """JSON_UNQUOTE(JSON_EXTRACT(value, '$'))."""
        return sa.func.JSON_UNQUOTE(self.exact_rhs_sa(bind))

    def case_insensitive_sa(self, expr):
        """LOWER(): JSON strings use a binary collation."""
        return sa.func.LOWER(expr)

    def path_exists_sa(self, lhs, bind):
        """JSON_CONTAINS_PATH(lhs, 'one', path)."""
        return sa.func.JSON_CONTAINS_PATH(lhs, sql_literal("'one'"), bind)
