"""exclude() across multi-valued relations: the excluded condition moves into a correlated EXISTS."""
from ormlette.db.models.query_utils import Q
from ormlette.db.models.sql.datastructures import INNER, BaseTable


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
    trimmed = _trimmable_first_join(inner)
    if trimmed is None:
        inner.add_q(Q(pk=OuterRef("pk")))
    else:
        base, alias, field = trimmed
        target = field.target_field.attname
        inner.add_q(Q((target, OuterRef(target))))
        _trim_first_join(inner, base, alias, field)
    inner.clear_ordering(force=True)
    return query.build_filter(Exists(inner), can_reuse=can_reuse)


def _trimmable_first_join(inner):
    """(base alias, first join, its column's field) when the subquery can start at the related table.

    ``FROM customer U0 JOIN order U1 ON U0.id = U1.customer_id WHERE ... AND U0.id = outer.id`` selects
    the same rows as ``FROM order U1 WHERE ... AND U1.customer_id = outer.id`` when the join is INNER,
    on a column of U0's own table, and nothing else uses U0 (Django's trimmed prefix).
    """
    aliases = list(inner.alias_map)
    if len(aliases) < 2:
        return None
    base, first = aliases[0], inner.alias_map[aliases[1]]
    if first.join_type != INNER or first.parent_alias != base or first.filtered_relation is not None:
        return None
    if any(j.parent_alias == base for j in list(inner.alias_map.values())[2:]):
        return None
    if len(first.join_cols) != 1:
        return None
    (parent_column, child_column), = first.join_cols
    field = getattr(first.join_field, "field", None)
    if field is None or field.column != child_column or field.model._meta.db_table != first.table_name:
        return None
    target = getattr(field, "target_field", None)
    if target is None or target.column != parent_column or target not in inner.get_meta().local_concrete_fields:
        return None
    if base in _aliases_used(inner.where):
        return None
    return base, first.table_alias, field


def _trim_first_join(inner, base, alias, field):
    """Drop the base table: the first joined table becomes the FROM, correlated on its own column."""
    correlation = inner.where.children[-1]
    correlation.lhs = field.get_col(alias)
    table_name = inner.alias_map[alias].table_name
    rest = [(a, j) for a, j in inner.alias_map.items() if a not in (base, alias)]
    inner.alias_map = {alias: BaseTable(table_name, alias), **dict(rest)}
    inner.alias_refcount.pop(base, None)
    base_name = inner.get_meta().db_table
    inner.table_map[base_name] = [a for a in inner.table_map.get(base_name, ()) if a != base]
    if not inner.table_map[base_name]:
        del inner.table_map[base_name]


def _aliases_used(node):
    """Table aliases of the columns a WHERE tree or expression reads (outer references excluded)."""
    found = set()
    stack = [node]
    while stack:
        item = stack.pop()
        alias = getattr(item, "alias", None)
        if alias is not None and getattr(item, "target", None) is not None:
            found.add(alias)
        children = getattr(item, "children", None)
        if children is not None:
            stack.extend(children)
        elif hasattr(item, "get_source_expressions"):
            stack.extend(e for e in item.get_source_expressions() if e is not None)
    return found
