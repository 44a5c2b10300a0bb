"""``qs1 & qs2``, ``qs1 | qs2``, ``qs1 ^ qs2``: merge one query's joins and WHERE into another's."""
from ormlette.db.models.sql.datastructures import INNER
from ormlette.db.models.sql.where import AND, OR


def combine_queries(query, rhs, connector):
    """Merge ``rhs`` into ``query`` (``rhs`` is not changed); its filters join ``query``'s with ``connector``."""
    from ormlette.db.models.sql.filters import JoinPromoter

    _check_combinable(query, rhs)
    initial_alias = query.get_initial_alias()
    rhs = rhs.clone()
    # A shared alias prefix could chain renames (T4 -> T5, T5 -> T6): give rhs its own, but the base table.
    rhs.bump_prefix(query, exclude={initial_alias})
    # AND must make fresh joins (two related rows may each satisfy one side); OR/XOR may reuse ours.
    reuse = set() if connector == AND else set(query.alias_map)
    promoter = JoinPromoter(connector, 2, False)
    promoter.add_votes(a for a, j in query.alias_map.items() if j.join_type == INNER)
    change_map, rhs_votes = {}, set()
    for alias in list(rhs.alias_map)[1:]:
        join = rhs.alias_map[alias].relabeled_clone(change_map)
        new_alias = query.join(join, reuse=reuse)
        if join.join_type == INNER:
            rhs_votes.add(new_alias)
        reuse.discard(new_alias)  # two joins of one relation in rhs stay two joins
        if alias != new_alias:
            change_map[alias] = new_alias
        if not rhs.alias_refcount[alias]:
            query.unref_alias(new_alias)  # unused in rhs: unused here too, but its join type still votes
    promoter.add_votes(rhs_votes)
    promoter.update_join_types(query)
    query.subq_aliases |= rhs.subq_aliases
    query.where.add(rhs.where.relabeled_clone(change_map), connector)
    if rhs.select:
        query.set_select([col.relabeled_clone(change_map) for col in rhs.select])
    else:
        query.select = ()
    _combine_extra(query, rhs, connector)
    query.order_by = rhs.order_by or query.order_by
    query.extra_order_by = rhs.extra_order_by or query.extra_order_by


def _check_combinable(query, rhs):
    if query.model != rhs.model:
        raise TypeError("Cannot combine queries on two different base models.")
    if query.is_sliced:
        raise TypeError("Cannot combine queries once a slice has been taken.")
    if query.distinct != rhs.distinct:
        raise TypeError("Cannot combine a unique query with a non-unique query.")
    if query.distinct_fields != rhs.distinct_fields:
        raise TypeError("Cannot combine queries with different distinct fields.")


def _combine_extra(query, rhs, connector):
    if connector == OR and query.extra and rhs.extra:
        raise ValueError("When merging querysets using 'or', you cannot have extra(select=...) on both sides.")
    query.extra = {**query.extra, **rhs.extra}
    mask = set(query.extra_select_mask or ()) | set(rhs.extra_select_mask or ())
    if mask:
        query.set_extra_mask(mask)
    query.extra_tables = tuple(query.extra_tables) + tuple(rhs.extra_tables)
