"""exclude() across multi-valued relations: the excluded condition moves into a correlated EXISTS."""
from ormlette.db.models.query_utils import Q


def build_split_exclude(query, filter_expr, can_reuse, names_with_path):
    """(WHERE node, inner joins) for one negated multi-valued filter: ``EXISTS(same row matches)``.

    The caller's negation turns it into ``NOT EXISTS``, so a row is excluded when any of its related
    rows matches, and rows without related rows (or with NULLs) are kept, as in Django.
    """
    from ormlette.db.models.expressions.base import Exists, F, OuterRef
    from ormlette.db.models.sql.query import Query

    inner = Query(query.model)
    inner._filtered_relations = query._filtered_relations
    lhs, rhs = filter_expr
    if isinstance(rhs, OuterRef):
        rhs = OuterRef(rhs)
    elif isinstance(rhs, F):
        rhs = OuterRef(rhs.name)
    inner.add_q(Q((lhs, rhs)))
    inner.add_q(Q(pk=OuterRef("pk")))
    inner.clear_ordering(force=True)
    return query.build_filter(Exists(inner), can_reuse=can_reuse)


