"""PostgreSQL JSON SQL: the jsonb operators -> ->> #> #>> @> <@ ? ?& ?|.

Placeholders are ``%s`` on psycopg, so the ``?`` operators are plain SQL text.
"""
import functools
import json

import sqlalchemy as sa
from sqlalchemy.sql.elements import Grouping

from ormlette.db.backends.base.json_ops import BaseJSONOperations

_KEY_OPERATORS = {(False, False): "->", (False, True): "->>", (True, False): "#>", (True, True): "#>>"}
_HAS_KEY_OPERATORS = {None: "?", "AND": "?&", "OR": "?|"}


@functools.lru_cache(maxsize=None)
def json_dumps_for(encoder):
    """One ``dumps`` per encoder: equal Jsonb wrappers in both compile walks (and psycopg's dumper cache)."""
    return functools.partial(json.dumps, cls=encoder)


def _key_or_index(key):
    try:
        return int(key)
    except ValueError:
        return key


class JSONOperations(BaseJSONOperations):
    """jsonb operators; keys are applied to the transformed value, not as paths."""

    has_key_on_base = False

    def key_transform_params(self, keys):
        """One key (an int for an array index) or the text[] path of several."""
        if len(keys) > 1:
            return [list(keys)]
        return [_key_or_index(keys[0])]

    def key_transform_shape(self, keys):
        """-> / #> and, for one key, index or name."""
        return len(keys) > 1 or isinstance(_key_or_index(keys[0]), int)

    def key_transform_sa(self, base, binds, keys, text):
        """``(doc -> key)``, ``(doc #> path)`` and their text forms ->> / #>>."""
        operator = _KEY_OPERATORS[(len(keys) > 1, bool(text))]
        return Grouping(base.op(operator, return_type=sa.Text() if text else None)(binds[0]))

    def has_key_params(self, lhs_keys, keys, connector=None):
        """The key, or the text[] of keys for ?& / ?|."""
        return [keys[0]] if connector is None else [list(keys)]

    def has_key_sa(self, lhs, binds, connector):
        """``lhs ? key`` / ``lhs ?& keys`` / ``lhs ?| keys``."""
        return lhs.op(_HAS_KEY_OPERATORS[connector], is_comparison=True)(binds[0])

    def contains_sa(self, lhs, rhs):
        """``lhs @> rhs``."""
        return lhs.op("@>", is_comparison=True)(rhs)

    def contained_by_sa(self, lhs, rhs):
        """``lhs <@ rhs``."""
        return lhs.op("<@", is_comparison=True)(rhs)
