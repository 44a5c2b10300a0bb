"""Verify mode (``ORMLETTE_FAST=verify``): every fast-path hit is also built and compiled the general way.

An AssertionError naming the shape is raised when the SQL text or the parameters differ. Each check
builds the general query from a general copy of the queryset the fast path started from (the copy
has no recipe, so every QuerySet method on it takes the normal path).
"""
from ormlette.db import DEFAULT_DB_ALIAS, connections


def general_copy(queryset):
    """A copy of ``queryset`` whose methods take the general path (no recipe); ``queryset`` is not changed
    (a recorded queryset's Query stays unbuilt)."""
    if queryset._query is not None or queryset._recipe is None or queryset._deferred_filter is not None:
        return queryset._clone()
    from ormlette.db.models.fast.recipes import build_query

    source = queryset.__class__.__new__(queryset.__class__)
    source.__dict__ = {**queryset.__dict__, "_query": build_query(queryset), "_recipe": None}
    return source._clone()


def _connection(queryset):
    # Not ``queryset.db``: that asks the routers, and verify mode must not add calls user code can see.
    return connections[queryset._db or DEFAULT_DB_ALIAS]


def compiled_general(query, connection):
    """(SQL, params) of ``query`` compiled without any learned statement; ("<empty>", []) when it matches nothing."""
    from ormlette.db.models.sql.compiler import compile_uncached

    entry, params = compile_uncached(query.clone(), connection)
    return ("<empty>", []) if entry is None else (entry.sql, list(params))


def compiled_fast(query, connection):
    """(SQL, params) of ``query`` through the fast compile (recorded statement, statement cache)."""
    from ormlette.db.models.sql.compiler import compile_query

    entry, params = compile_query(query, connection)
    return ("<empty>", []) if entry is None else (entry.sql, list(params))


def assert_same(shape, fast, general):
    """Raise AssertionError naming ``shape`` when two (SQL, params) pairs differ."""
    from ormlette.db.models.sql.compiler import params_differ

    if fast[0] != general[0] or params_differ(fast[1], general[1]):
        raise AssertionError("ormlette verify: fast path %s differs from the general path:\n  fast:    %s %r\n"
                             "  general: %s %r" % (shape, fast[0], fast[1], general[0], general[1]))


def outcome(build):
    """``build()``'s (SQL, params), or the exception it raised as ("<raised>", [type, message])."""
    from ormlette.core.exceptions import EmptyResultSet

    try:
        return build()
    except EmptyResultSet:
        return "<empty>", []  # what compile_query's callers make of it
    except Exception as exc:  # noqa: BLE001 - both paths must fail alike
        return "<raised>", [type(exc).__name__, str(exc)]


def check_recorded(parent, recorded, replay, shape):
    """A recorded call's queryset against ``replay(general copy of parent)``, the normal call."""
    from ormlette.db.models.fast.recipes import build_query

    connection = _connection(recorded)
    general = outcome(lambda: compiled_general(replay(general_copy(parent)).query, connection))
    fast = outcome(lambda: compiled_fast(build_query(recorded), connection))
    assert_same(shape, fast, general)
    return recorded


def check_get(queryset, name, value, sql, params, connection, max_results):
    """The get() shortcut's statement against ``queryset.filter(name=value).order_by()[:max_results]``."""
    def build():
        clone = general_copy(queryset).filter(**{name: value}).order_by()
        clone.query.set_limits(high=max_results)
        return compiled_general(clone.query, connection)

    assert_same("get(%s=<%s>) on %s" % (name, type(value).__name__, queryset.model.__name__),
                (sql, list(params)), outcome(build))


def check_aggregation(queryset, aggregates, fast_query, connection):
    """A recorded aggregation query against the one the general path builds over the queryset."""
    from ormlette.db.models.sql.aggregation import aggregation_query

    general = outcome(lambda: compiled_general(aggregation_query(general_copy(queryset).query, dict(aggregates)),
                                               connection))
    assert_same("aggregate(%s) on %s" % (", ".join(aggregates), queryset.model.__name__),
                outcome(lambda: compiled_fast(fast_query, connection)), general)
