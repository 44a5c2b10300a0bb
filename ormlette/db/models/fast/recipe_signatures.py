"""Signatures of the structural calls a recorded queryset can replay: ``values()``, ``values_list()``,
``annotate()`` and ``alias()`` with arguments that hold no values.

A signature must describe everything the call's result depends on; where an argument cannot be
described completely (an expression of another kind, a filter, a default, extra options), there is
no signature and the call takes the normal path.
"""
from ormlette.db.models.expressions.aggregates import Avg, Count, Max, Min, Sum
from ormlette.db.models.expressions.base import F, Star

_AGGREGATES = frozenset({Count, Sum, Avg, Max, Min})
_AGGREGATE_STATE = frozenset({"distinct", "filter", "default", "source_expressions", "extra"})


def values_signature(fields, expressions):
    """The signature of ``values(*fields, **expressions)``, or None."""
    if expressions or not _all_names(fields):
        return None
    return ("values", fields)


def values_list_signature(fields, flat, named):
    """The signature of ``values_list(*fields, flat=..., named=...)``, or None."""
    if not _all_names(fields) or type(flat) is not bool or type(named) is not bool:
        return None
    return ("values_list", fields, flat, named)


def annotate_signature(args, kwargs, select):
    """The signature of ``annotate(*args, **kwargs)`` (``alias()`` when not ``select``), or None."""
    positional = tuple(map(expression_signature, args))
    named = tuple((name, expression_signature(value)) for name, value in kwargs.items())
    if None in positional or any(signature is None for _, signature in named):
        return None
    return ("annotate" if select else "alias", positional, named)


def expression_signature(expression):
    """A hashable description of an aggregate over field names (or ``*``), or None for anything else."""
    cls = type(expression)
    state = getattr(expression, "__dict__", None)
    if cls is F:
        name = state.get("name")
        return ("F", name) if state.keys() == {"name"} and type(name) is str else None
    if cls is Star:
        return ("*",) if not state else None
    if cls in _AGGREGATES and state.keys() == _AGGREGATE_STATE:
        if state["filter"] is not None or state["default"] is not None or state["extra"]:
            return None
        if type(state["distinct"]) is not bool:
            return None
        sources = tuple(map(_source_signature, state["source_expressions"]))
        return None if None in sources else (cls, state["distinct"], sources)
    return None


def _source_signature(source):
    return ("name", source) if type(source) is str else expression_signature(source)


def _all_names(fields):
    return all(type(name) is str for name in fields)
