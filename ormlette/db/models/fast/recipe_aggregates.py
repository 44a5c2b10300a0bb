"""``aggregate()`` and ``count()`` of recorded querysets, from a learned aggregation template.

The first aggregation of a given signature over a recipe builds its aggregation query the normal
way (``sql.aggregation.aggregation_query``); a clone of it becomes a Template derived from the
recipe's (same lookups at the same places). Later aggregations of that signature clone it, put the
queryset's lookups in place and compile through the template's statement, skipping expression
resolution and the key walk. Only plain aggregates with complete signatures (recipe_signatures.py)
and aggregations Django inlines (no subquery) are learned.
"""
from ormlette.db import connections
from ormlette.db.models.fast.recipe_signatures import expression_signature
from ormlette.db.models.fast.recipes import MAX_STEPS, can_extend, instantiate, learn_derived
from ormlette.db.models.query.iterables import get_aggregation, run_aggregation
from ormlette.db.models.sql.aggregation import aggregation_query, needs_subquery


def aggregate_values(qs, aggregates):
    """{alias: value} of ``aggregates`` (non-empty) over ``qs``, through a learned template where one applies."""
    signature = _signature(qs, aggregates)
    if signature is None:
        return get_aggregation(qs.query, aggregates, qs.db)
    recipe = qs._recipe
    learned = recipe.aggregations.get(signature)
    if learned is None:
        if len(recipe.aggregations) >= MAX_STEPS:
            recipe.aggregations.clear()
        query = qs.query
        if needs_subquery(query, aggregates):
            recipe.aggregations[signature] = False
            return get_aggregation(query, aggregates, qs.db)
        outer = aggregation_query(query, aggregates)
        recipe.aggregations[signature] = learn_derived(outer, recipe, qs._recipe_leaves) or False
        return run_aggregation(outer, connections[qs.db])
    if learned is False:
        return get_aggregation(qs.query, aggregates, qs.db)
    return run_aggregation(instantiate(learned, qs._recipe_leaves, None), connections[qs.db])


def _signature(qs, aggregates):
    if not aggregates or qs._recipe is None or not can_extend(qs):
        return None
    named = tuple((alias, expression_signature(aggregate)) for alias, aggregate in aggregates.items())
    if any(signature is None for _, signature in named):
        return None
    return ("aggregate", named)
