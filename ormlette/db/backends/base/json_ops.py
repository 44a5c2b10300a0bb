"""JSONField SQL shared by the backends: JSON paths and the hooks each vendor's json_ops overrides.

Every hook that takes ``binds`` receives bind parameters made from the values the matching
``*_params`` hook returned, in that order; key names and paths are always parameters.
"""
import json

import sqlalchemy as sa


def compile_json_path(keys):
    """A JSON path (``$."a"[0]``): integer-like keys are array indexes, other keys are quoted."""
    parts = ["$"]
    for key in keys:
        try:
            index = int(key)
        except ValueError:
            parts.append("." + json.dumps(key))
        else:
            parts.append("[%d]" % index)
    return "".join(parts)


def final_key_path(key):
    """The path step for a has_key key: always an object key, even when it looks like an index."""
    return "." + json.dumps(key)


def sql_literal(text):
    """A constant SQL fragment written in our code (never user data)."""
    return sa.literal_column(text)


class BaseJSONOperations:
    """Path-based JSON SQL (JSON_EXTRACT and friends); vendors override what differs."""

    # has_key lookups read full paths from the base document (False: keys of the transformed value).
    has_key_on_base = True

    def __init__(self, connection):
        self.connection = connection

    # -- key transforms -------------------------------------------------------------------------
    def key_transform_params(self, keys):
        """Parameter values locating ``keys`` in a document."""
        return [compile_json_path(keys)]

    def key_transform_shape(self, keys):
        """What in ``keys`` changes the SQL text (part of the statement cache key)."""
        return None

    def key_transform_sa(self, base, binds, keys, text):
        """The value at ``keys`` (JSON, or unquoted text when ``text``)."""
        raise NotImplementedError

    def key_isnull_sa(self, base, binds, keys, isnull):
        """Whether the key is missing (``isnull``) or present."""
        value = self.key_transform_sa(base, binds, keys, False)
        return value.is_(None) if isnull else value.is_not(None)

    # -- lookups ---------------------------------------------------------------------------------
    def lookup_lhs_sa(self, lhs):
        """The JSON left side of a comparison or pattern lookup."""
        return lhs

    # -- right-hand sides ------------------------------------------------------------------------
    def exact_rhs_sa(self, bind):
        """The encoded document compared by ``field=value``."""
        return bind

    def key_value_shape(self, value):
        """What in an encoded key value changes the SQL text of its comparison."""
        return None

    def key_exact_rhs_sa(self, bind, value):
        """The encoded value compared by ``field__key=value``."""
        return self.exact_rhs_sa(bind)

    def key_in_rhs_sa(self, bind, value):
        """One encoded value of ``field__key__in=[...]``."""
        return self.exact_rhs_sa(bind)

    def case_insensitive_sa(self, expr):
        """An operand of a case-insensitive JSON text comparison."""
        return expr

    # -- whole-document lookups ------------------------------------------------------------------
    def has_key_params(self, lhs_keys, keys, connector=None):
        """One path per key of has_key / has_keys / has_any_keys (``connector``: None, "AND" or "OR")."""
        prefix = compile_json_path(lhs_keys)
        return [prefix + final_key_path(key) for key in keys]

    def has_key_sa(self, lhs, binds, connector):
        """``lhs`` has the keys (``connector``: "AND" / "OR" between several)."""
        return _combine([self.path_exists_sa(lhs, bind) for bind in binds], connector)

    def path_exists_sa(self, lhs, bind):
        """Whether the path ``bind`` exists in ``lhs``."""
        raise NotImplementedError

    def contains_sa(self, lhs, rhs):
        """``lhs`` contains the document ``rhs``."""
        return sa.func.JSON_CONTAINS(lhs, rhs)

    def contained_by_sa(self, lhs, rhs):
        """``lhs`` is contained in the document ``rhs``."""
        return sa.func.JSON_CONTAINS(rhs, lhs)


def _combine(clauses, connector):
    if len(clauses) == 1:
        return clauses[0]
    return sa.and_(*clauses).self_group() if connector == "AND" else sa.or_(*clauses).self_group()
